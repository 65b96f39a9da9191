"""SQL of Web Push: people's devices and the pushes waiting for them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.communication.models import Notification, PushDelivery, PushSubscription


async def save_subscription(session: AsyncSession, values: dict[str, Any]) -> PushSubscription:
    """Insert, or renew the row of the same endpoint (the browser subscribed again). A browser that
    subscribes for someone else drops the other person's row, and what waited for them, first: one
    device is never pushed to for two people."""
    await session.execute(
        delete(PushSubscription).where(
            PushSubscription.endpoint == values["endpoint"], PushSubscription.user_id != values["user_id"]
        )
    )
    statement = insert(PushSubscription).values(**values)
    row = await session.scalar(
        statement.on_conflict_do_update(
            index_elements=[PushSubscription.endpoint],
            set_={name: statement.excluded[name] for name in values if name not in ("id", "endpoint")},
        )
        .returning(PushSubscription)
        .execution_options(populate_existing=True)
    )
    assert row is not None
    return row


async def subscriptions_of(session: AsyncSession, user_id: uuid.UUID) -> list[PushSubscription]:
    return list(
        await session.scalars(
            select(PushSubscription)
            .where(PushSubscription.user_id == user_id)
            .order_by(PushSubscription.created_at, PushSubscription.id)
        )
    )


async def subscription_ids_of(session: AsyncSession, user_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
    if not user_ids:
        return {}
    rows = await session.execute(
        select(PushSubscription.user_id, PushSubscription.id).where(PushSubscription.user_id.in_(user_ids))
    )
    found: dict[uuid.UUID, list[uuid.UUID]] = {}
    for user_id, subscription_id in rows:
        found.setdefault(user_id, []).append(subscription_id)
    return found


async def delete_subscription(session: AsyncSession, subscription_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    result = await session.execute(
        delete(PushSubscription)
        .where(PushSubscription.id == subscription_id, PushSubscription.user_id == user_id)
        .returning(PushSubscription.id)
    )
    return result.first() is not None


async def delete_subscriptions(session: AsyncSession, subscription_ids: Sequence[uuid.UUID]) -> None:
    if subscription_ids:
        await session.execute(delete(PushSubscription).where(PushSubscription.id.in_(subscription_ids)))


async def due_deliveries(
    session: AsyncSession, now: datetime, *, limit: int
) -> list[tuple[PushDelivery, Notification, PushSubscription]]:
    """Unsent pushes due by `now`, locked, grouped by device; those another process holds are skipped."""
    rows = await session.execute(
        select(PushDelivery, Notification, PushSubscription)
        .join(Notification, Notification.id == PushDelivery.notification_id)
        .join(PushSubscription, PushSubscription.id == PushDelivery.subscription_id)
        .where(PushDelivery.sent_at.is_(None), PushDelivery.failed_at.is_(None), PushDelivery.due_at <= now)
        .order_by(PushDelivery.subscription_id, PushDelivery.in_digest, Notification.created_at)
        .limit(limit)
        .with_for_update(of=PushDelivery, skip_locked=True)
    )
    return [(row[0], row[1], row[2]) for row in rows]


async def mark_sent(session: AsyncSession, keys: Sequence[tuple[uuid.UUID, uuid.UUID]], at: datetime) -> None:
    """`keys`: (notification id, subscription id) of the pushes that went out."""
    if not keys:
        return
    await session.execute(
        update(PushDelivery)
        .where(tuple_(PushDelivery.notification_id, PushDelivery.subscription_id).in_(keys))
        .values(sent_at=at),
        execution_options={"synchronize_session": False},
    )
    await session.execute(
        update(PushSubscription)
        .where(PushSubscription.id.in_({subscription for _, subscription in keys}))
        .values(last_pushed_at=at),
        execution_options={"synchronize_session": False},
    )
