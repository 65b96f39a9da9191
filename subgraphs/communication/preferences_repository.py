"""SQL of notification preferences, email delivery and the clubs' time zones."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.communication.models import (
    EmailDelivery,
    Notification,
    NotificationPreference,
    NotificationSettings,
    OrganizationTimeZone,
    PushDelivery,
)


async def preferences_of(session: AsyncSession, user_ids: Sequence[uuid.UUID]) -> list[NotificationPreference]:
    return list(
        await session.scalars(select(NotificationPreference).where(NotificationPreference.user_id.in_(user_ids)))
    )


async def settings_of(session: AsyncSession, user_ids: Sequence[uuid.UUID]) -> list[NotificationSettings]:
    return list(await session.scalars(select(NotificationSettings).where(NotificationSettings.user_id.in_(user_ids))))


async def save_settings(session: AsyncSession, values: dict[str, Any]) -> None:
    statement = insert(NotificationSettings).values(**values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[NotificationSettings.user_id],
            set_={name: statement.excluded[name] for name in values if name != "user_id"},
        )
    )


async def save_preferences(session: AsyncSession, user_id: uuid.UUID, choices: Sequence[tuple[str, str, bool]]) -> None:
    if not choices:
        return
    statement = insert(NotificationPreference).values(
        [
            {"user_id": user_id, "kind": kind, "channel": channel, "enabled": enabled}
            for kind, channel, enabled in choices
        ]
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[
                NotificationPreference.user_id,
                NotificationPreference.kind,
                NotificationPreference.channel,
            ],
            set_={"enabled": statement.excluded.enabled},
        )
    )


async def clear_preferences(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(delete(NotificationPreference).where(NotificationPreference.user_id == user_id))


async def add_deliveries(session: AsyncSession, deliveries: Sequence[EmailDelivery | PushDelivery]) -> None:
    if deliveries:
        session.add_all(deliveries)
        await session.flush()


async def due_deliveries(
    session: AsyncSession, now: datetime, *, in_digest: bool, limit: int
) -> list[tuple[EmailDelivery, Notification]]:
    """Unsent deliveries due by `now`, locked; those another process holds are skipped."""
    rows = await session.execute(
        select(EmailDelivery, Notification)
        .join(Notification, Notification.id == EmailDelivery.notification_id)
        .where(
            EmailDelivery.sent_at.is_(None),
            EmailDelivery.failed_at.is_(None),
            EmailDelivery.due_at <= now,
            EmailDelivery.in_digest.is_(in_digest),
        )
        .order_by(EmailDelivery.user_id, Notification.created_at)
        .limit(limit)
        .with_for_update(of=EmailDelivery, skip_locked=True)
    )
    return [(row[0], row[1]) for row in rows]


async def mark_sent(session: AsyncSession, notification_ids: Sequence[uuid.UUID], at: datetime) -> None:
    await session.execute(
        update(EmailDelivery).where(EmailDelivery.notification_id.in_(notification_ids)).values(sent_at=at),
        execution_options={"synchronize_session": False},
    )


async def organization_time_zone(session: AsyncSession, organization_id: uuid.UUID) -> str | None:
    found: str | None = await session.scalar(
        select(OrganizationTimeZone.time_zone).where(OrganizationTimeZone.organization_id == organization_id)
    )
    return found


async def save_organization_time_zone(
    session: AsyncSession, *, organization_id: uuid.UUID, time_zone: str, occurred_at: datetime
) -> None:
    """Keeps the zone of the newest event: an older one delivered late changes nothing."""
    statement = insert(OrganizationTimeZone).values(
        organization_id=organization_id, time_zone=time_zone, source_occurred_at=occurred_at
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[OrganizationTimeZone.organization_id],
            set_={
                "time_zone": statement.excluded.time_zone,
                "source_occurred_at": statement.excluded.source_occurred_at,
            },
            where=OrganizationTimeZone.source_occurred_at < statement.excluded.source_occurred_at,
        )
    )
