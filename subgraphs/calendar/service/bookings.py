"""Resource bookings that need approval, and the schedulers' view of what clashes.

A booking of a resource that requires approval stays pending (and already holds the resource, so no one
else takes it meanwhile) until a club administrator or the equipment manager approves or rejects it; a
rejected booking frees the resource and the event goes on without it.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import Principal
from shared.errors import Conflict, Forbidden
from subgraphs.calendar import events, repository
from subgraphs.calendar.models import BLOCKING_BOOKINGS, BUSY_RSVPS, BookingStatus, CalendarEvent, EventAttendee
from subgraphs.calendar.permissions import can_manage_resources, sees_all_events
from subgraphs.calendar.service.common import acting_organization, window
from subgraphs.calendar.service.event_rules import EventResult, attendee_ids, shown_after
from subgraphs.calendar.service.occurrences import Occurrence, in_range, of_row
from subgraphs.calendar.service.targets import find


async def _booking(
    session: AsyncSession, actor: Principal, event_id: str | uuid.UUID
) -> tuple[Occurrence, CalendarEvent]:
    """The row holding the booking (a series for any of its generated occurrences), locked."""
    found = await find(session, actor, event_id, for_update=True)
    if not can_manage_resources(actor, found.row.organization_id):
        raise Forbidden("only a club administrator or the equipment manager decides on bookings")
    row = found.row
    if row.booking_status is not BookingStatus.PENDING:
        raise Conflict("the booking is not waiting for approval", field="id")
    return found, row


async def decide_booking(
    session: AsyncSession, actor: Principal, event_id: str | uuid.UUID, *, approve: bool
) -> EventResult:
    found, row = await _booking(session, actor, event_id)
    row.booking_status = BookingStatus.CONFIRMED if approve else BookingStatus.REJECTED
    for exception in await repository.exceptions_of(session, [row.id], for_update=True):
        if exception.booking_status is BookingStatus.PENDING:
            exception.booking_status = row.booking_status
    await session.flush()
    await events.event_changed(
        session, events.EVENT_CHANGED, row, await attendee_ids(session, row.id), ["bookingStatus"]
    )
    return EventResult(shown_after(found, row))


async def pending_bookings(
    session: AsyncSession, actor: Principal, *, organization_id: uuid.UUID | None = None
) -> list[Occurrence]:
    """Bookings waiting for approval, by start (a series once)."""
    organization = acting_organization(actor, organization_id)
    if not can_manage_resources(actor, organization):
        raise Forbidden("only a club administrator or the equipment manager decides on bookings")
    return [of_row(row) for row in await repository.pending_bookings(session, organization)]


class ClashKind(StrEnum):
    RESOURCE = "resource"
    ATTENDEE = "attendee"


@dataclass(frozen=True, slots=True)
class ScheduleClash:
    kind: ClashKind
    first: Occurrence
    second: Occurrence
    resource_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None


def _pairs(found: list[Occurrence], margin: timedelta) -> list[tuple[Occurrence, Occurrence]]:
    ordered = sorted(found, key=lambda o: o.starts_at)
    pairs = []
    for i, first in enumerate(ordered):
        for second in ordered[i + 1 :]:
            if second.starts_at >= first.ends_at + margin:
                break
            pairs.append((first, second))
    return pairs


async def schedule_clashes(
    session: AsyncSession,
    actor: Principal,
    *,
    starts: datetime,
    ends: datetime,
    organization_id: uuid.UUID | None = None,
) -> list[ScheduleClash]:
    """Everything that overlaps in the range, for schedulers: two bookings of one resource (its buffer
    counted), and a person accepted or tentative for two events at once."""
    starts, ends = window(starts, ends)
    organization = acting_organization(actor, organization_id)
    if not sees_all_events(actor, organization):
        raise Forbidden("the club's conflicts are for its staff")
    found = await in_range(session, organization_id=organization, starts=starts, ends=ends)
    resource_ids = list({o.row.resource_id for o in found if o.row.resource_id is not None})
    resources = {r.id: r for r in await repository.resources_by_ids(session, resource_ids)}
    clashes: list[ScheduleClash] = []
    by_resource: dict[uuid.UUID, list[Occurrence]] = defaultdict(list)
    for occurrence in found:
        if occurrence.row.resource_id is not None and occurrence.row.booking_status in BLOCKING_BOOKINGS:
            by_resource[occurrence.row.resource_id].append(occurrence)
    for resource_id, booked in by_resource.items():
        margin = timedelta(minutes=resources[resource_id].buffer_minutes)
        clashes += [ScheduleClash(ClashKind.RESOURCE, a, b, resource_id=resource_id) for a, b in _pairs(booked, margin)]
    attendees: list[EventAttendee] = await repository.attendees_of_events(session, list({o.row.id for o in found}))
    busy: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for attendee in attendees:
        if attendee.status in BUSY_RSVPS:
            busy[attendee.user_id].add(attendee.event_id)
    for user_id, rows in busy.items():
        mine = [o for o in found if o.row.id in rows]
        clashes += [ScheduleClash(ClashKind.ATTENDEE, a, b, user_id=user_id) for a, b in _pairs(mine, timedelta(0))]
    return sorted(clashes, key=lambda c: (c.first.starts_at, c.kind.value, str(c.resource_id or c.user_id)))


__all__ = ["ClashKind", "ScheduleClash", "decide_booking", "pending_bookings", "schedule_clashes"]
