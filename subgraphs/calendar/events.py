"""Events the calendar publishes: other services (communication, training) follow the schedule."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.events import record_event
from subgraphs.calendar.models import CalendarEvent

PRODUCER = "calendar"

EVENT_CREATED = "event.created"
EVENT_CHANGED = "event.changed"
EVENT_CANCELLED = "event.cancelled"
REMINDER_DUE = "calendar.reminder.due"
"""An occurrence starts in `minutes_before` minutes: remind `user_ids` (once; see service/reminders.py)."""


def event_data(
    event: CalendarEvent, attendee_user_ids: Sequence[uuid.UUID], changes: Sequence[str] = ()
) -> dict[str, Any]:
    return {
        "event_id": event.id,
        "kind": event.kind.value,
        "title": event.title,
        "team_id": event.team_id,
        "visibility": event.visibility.value,
        "resource_id": event.resource_id,
        "location": event.location,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "status": event.status.value,
        "organizer_user_id": event.organizer_user_id,
        "attendee_user_ids": list(attendee_user_ids),
        "changes": list(changes),
        "series_id": event.series_id,
        "recurrence_rule": event.recurrence_rule,
        "original_starts_at": event.original_starts_at,
    }


async def event_changed(
    session: AsyncSession,
    type: str,
    event: CalendarEvent,
    attendee_user_ids: Sequence[uuid.UUID],
    changes: Sequence[str] = (),
) -> None:
    await record_event(
        session,
        producer=PRODUCER,
        type=type,
        data=event_data(event, attendee_user_ids, changes),
        organization_id=event.organization_id,
    )
