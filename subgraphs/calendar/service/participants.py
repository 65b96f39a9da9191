"""Who attends: invitations with roles, answers (RSVP) and check-in.

The organizer attends, accepted, from the start. Answering or checking in for one occurrence of a
series makes that occurrence an exception of its own (with the series' attendees), so the answer
belongs to that date only; invitations and removals follow the edit scope like other changes.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import Principal
from shared.database.models import utcnow
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from subgraphs.calendar import events, repository
from subgraphs.calendar.models import AttendeeRole, CalendarEventStatus, EventAttendee, RsvpStatus
from subgraphs.calendar.permissions import can_schedule
from subgraphs.calendar.service.conflicts import warnings
from subgraphs.calendar.service.event_rules import (
    MAX_ATTENDEES,
    EventResult,
    attendee_id_list,
    attendee_ids,
    shown_after,
    spans,
)
from subgraphs.calendar.service.resources import check_capacity, expected_count, resource_of
from subgraphs.calendar.service.targets import EditScope, default_scope, editable, exceptions_of, find, scoped


async def invite(
    session: AsyncSession,
    actor: Principal,
    event_id: str | uuid.UUID,
    *,
    user_ids: Sequence[uuid.UUID],
    role: AttendeeRole = AttendeeRole.REQUIRED,
    scope: EditScope | None = None,
) -> EventResult:
    """Add attendees (already invited ones keep their answer); warns about those busy elsewhere."""
    if role is AttendeeRole.ORGANIZER:
        raise InvalidInput("the organizer is whoever schedules the event", field="role")
    found = await editable(session, actor, event_id)
    row = await scoped(session, found, default_scope(found, scope))
    current = await repository.attendees_of_events(session, [row.id])
    known = {a.user_id for a in current}
    new_ids = [uid for uid in attendee_id_list(user_ids, field="userIds") if uid not in known]
    if len(known) + len(new_ids) > MAX_ATTENDEES:
        raise InvalidInput(f"an event has at most {MAX_ATTENDEES} attendees", field="userIds")
    check_capacity(await resource_of(session, row.resource_id), expected_count(current) + len(new_ids))
    added = [EventAttendee(event_id=row.id, user_id=uid, status=RsvpStatus.PENDING, role=role) for uid in new_ids]
    session.add_all(added)
    await session.flush()
    if added:
        await events.event_changed(session, events.EVENT_CHANGED, row, [*known, *new_ids], ["attendees"])
    exceptions = list(await exceptions_of(session, row))
    return EventResult(shown_after(found, row), await warnings(session, row, added, spans(row, exceptions)))


async def remove_attendee(
    session: AsyncSession,
    actor: Principal,
    event_id: str | uuid.UUID,
    *,
    user_id: uuid.UUID,
    scope: EditScope | None = None,
) -> EventResult:
    found = await editable(session, actor, event_id)
    if user_id == found.row.organizer_user_id:
        raise InvalidInput("the organizer stays on the event", field="userId")
    row = await scoped(session, found, default_scope(found, scope))
    if not await repository.remove_attendee(session, row.id, user_id):
        raise NotFound("that user is not invited to the event", field="userId")
    await events.event_changed(session, events.EVENT_CHANGED, row, await attendee_ids(session, row.id), ["attendees"])
    return EventResult(shown_after(found, row))


async def _own_row(
    session: AsyncSession, actor: Principal, event_id: str | uuid.UUID
) -> tuple[EventResult, EventAttendee]:
    found = await find(session, actor, event_id, for_update=True)
    if found.row.status is CalendarEventStatus.CANCELLED:
        raise Conflict("the event is cancelled", field="id")
    if actor.user_id is None or await repository.attendee(session, found.row.id, actor.user_id) is None:
        raise Forbidden("only invited people answer for themselves")
    row = await scoped(session, found, default_scope(found, None))
    attendee = await repository.attendee(session, row.id, actor.user_id)
    assert attendee is not None
    return EventResult(shown_after(found, row)), attendee


async def respond(
    session: AsyncSession, actor: Principal, event_id: str | uuid.UUID, *, status: RsvpStatus
) -> EventResult:
    """An attendee answers for themselves; accepting an overlapping event is allowed, with a warning."""
    if status is RsvpStatus.PENDING:
        raise InvalidInput("answer accepted, declined or tentative", field="status")
    result, attendee = await _own_row(session, actor, event_id)
    if attendee.status is RsvpStatus.DECLINED and status is not RsvpStatus.DECLINED:
        # Coming back after declining takes a place again, if one is left.
        current = await repository.attendees_of_events(session, [attendee.event_id])
        check_capacity(await resource_of(session, result.event.resource_id), expected_count(current) + 1)
    attendee.status = status
    attendee.responded_at = utcnow()
    await session.flush()
    row = result.event
    exceptions = list(await exceptions_of(session, row))
    return EventResult(result.occurrence, await warnings(session, row, [attendee], spans(row, exceptions)))


async def check_in(
    session: AsyncSession, actor: Principal, event_id: str | uuid.UUID, *, user_id: uuid.UUID | None = None
) -> EventResult:
    """Mark someone present: staff check in any attendee, an attendee themselves. Checking in again keeps
    the first time."""
    found = await find(session, actor, event_id, for_update=True)
    if found.row.status is CalendarEventStatus.CANCELLED:
        raise Conflict("the event is cancelled", field="id")
    who = user_id or actor.user_id
    if who is None:
        raise Forbidden("sign in to check in")
    if who != actor.user_id and not can_schedule(actor, found.row.organization_id):
        raise Forbidden("only staff check in other people")
    if await repository.attendee(session, found.row.id, who) is None:
        raise NotFound("that user is not invited to the event", field="userId")
    if found.row.recurrence_rule is not None and found.original_starts_at is None:
        raise InvalidInput("check in to one occurrence (its id from a calendar range), not a whole series", field="id")
    row = await scoped(session, found, EditScope.THIS if found.original_starts_at else EditScope.ALL)
    attendee = await repository.attendee(session, row.id, who)
    assert attendee is not None
    if attendee.checked_in_at is None:
        attendee.checked_in_at, attendee.checked_in_by = utcnow(), actor.user_id
        await session.flush()
    return EventResult(shown_after(found, row))
