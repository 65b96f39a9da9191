"""Conflicts: a resource is never double-booked (CONFLICT); a double-booked person is a warning."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shared.database.integrity import constraint_name
from shared.errors import Conflict
from subgraphs.calendar import repository
from subgraphs.calendar.models import (
    RESOURCE_OVERLAP,
    CalendarEvent,
    CalendarEventStatus,
    CalendarResource,
    EventAttendee,
    RsvpStatus,
)


@dataclass(frozen=True, slots=True)
class SchedulingWarning:
    """An attendee who is already busy (accepted or tentative) in overlapping events."""

    user_id: uuid.UUID
    clashes: list[CalendarEvent]


def clash_details(event: CalendarEvent) -> dict[str, Any]:
    return {
        "id": str(event.id),
        "title": event.title,
        "startsAt": event.starts_at.isoformat(),
        "endsAt": event.ends_at.isoformat(),
    }


def _describe(clashes: Sequence[CalendarEvent]) -> str:
    return "; ".join(
        f"{clash.title!r} ({clash.starts_at.isoformat()} to {clash.ends_at.isoformat()})" for clash in clashes
    )


def resource_conflict(resource: CalendarResource, clashes: Sequence[CalendarEvent]) -> Conflict:
    if clashes:
        message = f"{resource.name} is already booked then by {_describe(clashes)}"
    else:
        message = f"{resource.name} was booked for that time by a concurrent request"
    return Conflict(message, details={"conflicts": [clash_details(clash) for clash in clashes]})


async def write_booking(
    session: AsyncSession,
    apply: Callable[[], object],
    *,
    resource: CalendarResource | None,
    starts_at: datetime,
    ends_at: datetime,
    event_id: uuid.UUID | None,
) -> None:
    """Check the resource is free, then `apply` the change and write it.

    A booking that won a race after the check is caught by the exclusion constraint and reported the
    same way. The change is applied inside the savepoint (opening one flushes pending changes first), so
    a refused write rolls back to it and the transaction can still read the rival booking.
    """
    if resource is not None:
        clashes = await repository.resource_clashes(
            session, resource_id=resource.id, starts_at=starts_at, ends_at=ends_at, exclude_event_id=event_id
        )
        if clashes:
            raise resource_conflict(resource, clashes)
    try:
        async with session.begin_nested():
            apply()
            await session.flush()
    except IntegrityError as error:
        if resource is None or constraint_name(error) != RESOURCE_OVERLAP:
            raise
        # The rival transaction has committed (the constraint waited for it): its event is visible now.
        clashes = await repository.resource_clashes(
            session, resource_id=resource.id, starts_at=starts_at, ends_at=ends_at, exclude_event_id=event_id
        )
        raise resource_conflict(resource, clashes) from None


async def warnings(
    session: AsyncSession, event: CalendarEvent, attendees: Sequence[EventAttendee]
) -> list[SchedulingWarning]:
    """Attendees (except those who declined this event) already busy elsewhere at the same time."""
    if event.status is CalendarEventStatus.CANCELLED:
        return []
    busy = await repository.attendee_clashes(
        session,
        organization_id=event.organization_id,
        user_ids=[a.user_id for a in attendees if a.status is not RsvpStatus.DECLINED],
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        exclude_event_id=event.id,
    )
    clashes: dict[uuid.UUID, list[CalendarEvent]] = defaultdict(list)
    for user_id, clash in busy:
        clashes[user_id].append(clash)
    return [SchedulingWarning(user_id=user_id, clashes=found) for user_id, found in clashes.items()]
