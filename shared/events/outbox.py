"""Writing events: into the outbox, in the same transaction as the change that caused them."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.database.kernel import outbox_events
from shared.events.envelope import Event

OUTBOX_WRITTEN = "hockey_hub.outbox_written"
"""Session.info flag: this transaction wrote events, so the relay is woken after it commits."""


async def record_event(
    session: AsyncSession,
    *,
    producer: str,
    type: str,
    data: Mapping[str, Any],
    organization_id: uuid.UUID | None,
) -> Event:
    """Stage an event; it is published only if the surrounding transaction commits."""
    event = Event(type=type, producer=producer, data=data, organization_id=organization_id)
    await session.execute(
        insert(outbox_events).values(
            id=event.id,
            type=event.type,
            producer=producer,
            occurred_at=event.occurred_at,
            organization_id=event.organization_id,
            data=dict(data),
        )
    )
    session.info[OUTBOX_WRITTEN] = True
    return event
