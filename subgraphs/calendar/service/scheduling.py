"""Events: reading the club calendar, scheduling, moving, cancelling, invitations and answers."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.database.models import utcnow
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound, not_found
from shared.validation import camel
from subgraphs.calendar import events, repository
from subgraphs.calendar.models import (
    CalendarEvent,
    CalendarEventKind,
    CalendarEventStatus,
    CalendarResource,
    EventAttendee,
    RsvpStatus,
)
from subgraphs.calendar.permissions import (
    can_schedule,
    can_view_event,
    sees_all_events,
)
from subgraphs.calendar.service.common import acting_organization, aware, window
from subgraphs.calendar.service.conflicts import SchedulingWarning, warnings, write_booking
from subgraphs.calendar.service.resources import bookable, get_resource, resource_not_found

MAX_EVENT_LENGTH = timedelta(days=14)
"""Longer than any camp or tournament trip: a longer event is a typo in a date."""
MAX_ATTENDEES = 300


@dataclass(frozen=True, slots=True)
class EventResult:
    event: CalendarEvent
    warnings: list[SchedulingWarning] = field(default_factory=list)


def event_times(
    starts_at: datetime, ends_at: datetime, *, start_field: str = "startsAt", end_field: str = "endsAt"
) -> tuple[datetime, datetime]:
    starts_at, ends_at = aware(starts_at, field=start_field), aware(ends_at, field=end_field)
    if ends_at <= starts_at:
        raise InvalidInput(f"{end_field} must be after {start_field}", field=end_field)
    if ends_at - starts_at > MAX_EVENT_LENGTH:
        raise InvalidInput(f"an event lasts at most {MAX_EVENT_LENGTH.days} days", field=end_field)
    return starts_at, ends_at


def _attendee_ids(user_ids: Iterable[uuid.UUID], *, field: str) -> list[uuid.UUID]:
    unique = list(dict.fromkeys(user_ids))
    if len(unique) > MAX_ATTENDEES:
        raise InvalidInput(f"an event has at most {MAX_ATTENDEES} attendees", field=field)
    return unique


def _audience(actor: Principal, organization_id: uuid.UUID) -> repository.Audience | None:
    if sees_all_events(actor, organization_id):
        return None
    return repository.Audience(user_id=actor.user_id, team_ids=actor.team_ids)


# Reading events ----------------------------------------------------------------------------------------


async def get_event(session: AsyncSession, actor: Principal, event_id: uuid.UUID) -> CalendarEvent:
    event = await repository.event(session, event_id)
    if event is None or not actor.in_organization(event.organization_id):
        raise not_found("CalendarEvent", event_id)
    audience = _audience(actor, event.organization_id)
    invited = audience is not None and await repository.is_visible(session, event.id, audience)
    if not can_view_event(actor, event, invited=invited):
        raise not_found("CalendarEvent", event_id)
    return event


async def list_events(
    session: AsyncSession,
    actor: Principal,
    *,
    starts: datetime,
    ends: datetime,
    team_id: uuid.UUID | None = None,
    include_cancelled: bool = False,
    organization_id: uuid.UUID | None = None,
) -> list[CalendarEvent]:
    starts, ends = window(starts, ends)
    organization = acting_organization(actor, organization_id)
    return await repository.events_in_range(
        session,
        organization_id=organization,
        starts_before=ends,
        ends_after=starts,
        team_id=team_id,
        include_cancelled=include_cancelled,
        audience=_audience(actor, organization),
    )


async def resource_schedule(
    session: AsyncSession, actor: Principal, *, resource_id: uuid.UUID, starts: datetime, ends: datetime
) -> list[CalendarEvent]:
    """The resource's bookings in the window; players and parents see only the events they may see."""
    starts, ends = window(starts, ends)
    resource = await get_resource(session, actor, resource_id, field="resourceId")
    return await repository.events_in_range(
        session,
        organization_id=resource.organization_id,
        starts_before=ends,
        ends_after=starts,
        resource_id=resource.id,
        audience=_audience(actor, resource.organization_id),
    )


async def attendee_ids(session: AsyncSession, event_id: uuid.UUID) -> list[uuid.UUID]:
    return [row.user_id for row in await repository.attendees_of_events(session, [event_id])]


# Writing events ----------------------------------------------------------------------------------------


async def _editable(
    session: AsyncSession, actor: Principal, event_id: uuid.UUID, *, allow_cancelled: bool = False
) -> CalendarEvent:
    """The event, locked for this change, when the caller may reschedule it (and it still stands)."""
    event = await repository.event(session, event_id, for_update=True)
    if event is None or not actor.in_organization(event.organization_id):
        raise not_found("CalendarEvent", event_id)
    if not can_schedule(actor, event.organization_id):
        audience = _audience(actor, event.organization_id)
        if audience is not None and await repository.is_visible(session, event.id, audience):
            raise Forbidden("only staff change events")
        raise not_found("CalendarEvent", event_id)
    if event.status is CalendarEventStatus.CANCELLED and not allow_cancelled:
        raise Conflict("the event is cancelled; schedule a new one instead", field="id")
    return event


async def create_event(
    session: AsyncSession,
    actor: Principal,
    *,
    kind: CalendarEventKind,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    description: str | None = None,
    team_id: uuid.UUID | None = None,
    location: str | None = None,
    resource_id: uuid.UUID | None = None,
    attendee_user_ids: Sequence[uuid.UUID] = (),
    organization_id: uuid.UUID | None = None,
) -> EventResult:
    organization = acting_organization(actor, organization_id)
    if not can_schedule(actor, organization):
        raise Forbidden("only staff schedule events")
    if actor.user_id is None:
        raise Forbidden("sign in to schedule events")
    starts_at, ends_at = event_times(starts_at, ends_at)
    resource = await bookable(session, actor, resource_id) if resource_id is not None else None
    if resource is not None and resource.organization_id != organization:
        raise resource_not_found(resource_id)
    event = CalendarEvent(
        id=uuid.uuid4(),
        organization_id=organization,
        kind=kind,
        title=validation.text(title, field="title", max_length=200),
        description=validation.optional_text(description, field="description", max_length=5000),
        team_id=team_id,
        location=validation.optional_text(location, field="location", max_length=200)
        or (resource.location if resource else None),
        resource_id=resource.id if resource else None,
        starts_at=starts_at,
        ends_at=ends_at,
        organizer_user_id=actor.user_id,
        status=CalendarEventStatus.SCHEDULED,
    )
    now = utcnow()
    invited = [uid for uid in _attendee_ids(attendee_user_ids, field="attendeeIds") if uid != actor.user_id]
    attendees = [
        EventAttendee(event_id=event.id, user_id=actor.user_id, status=RsvpStatus.ACCEPTED, responded_at=now),
        *(EventAttendee(event_id=event.id, user_id=uid, status=RsvpStatus.PENDING) for uid in invited),
    ]

    def add() -> None:
        session.add(event)
        session.add_all(attendees)

    await write_booking(session, add, resource=resource, starts_at=starts_at, ends_at=ends_at, event_id=None)
    await events.event_changed(session, events.EVENT_CREATED, event, [a.user_id for a in attendees])
    return EventResult(event, await warnings(session, event, attendees))


async def update_event(
    session: AsyncSession, actor: Principal, event_id: uuid.UUID, changes: Mapping[str, Any]
) -> EventResult:
    """Title, description, kind, team, location and resource; times change through `move_event`."""
    event = await _editable(session, actor, event_id)
    values: dict[str, Any] = {}
    if "title" in changes:
        values["title"] = validation.text(validation.required(changes, "title"), field="title", max_length=200)
    if "description" in changes:
        values["description"] = validation.optional_text(changes["description"], field="description", max_length=5000)
    if "kind" in changes:
        values["kind"] = validation.required(changes, "kind")
    if "team_id" in changes:
        values["team_id"] = changes["team_id"]
    if "location" in changes:
        values["location"] = validation.optional_text(changes["location"], field="location", max_length=200)
    resource: CalendarResource | None = None
    if "resource_id" in changes:
        resource_id = changes["resource_id"]
        resource = await bookable(session, actor, resource_id) if resource_id is not None else None
        if resource is not None and resource.organization_id != event.organization_id:
            raise resource_not_found(resource_id)
        values["resource_id"] = resource.id if resource else None

    def apply() -> None:
        for name, value in values.items():
            setattr(event, name, value)

    await write_booking(
        session, apply, resource=resource, starts_at=event.starts_at, ends_at=event.ends_at, event_id=event.id
    )
    if values:
        await events.event_changed(
            session,
            events.EVENT_CHANGED,
            event,
            await attendee_ids(session, event.id),
            [camel(name).removesuffix("Id") for name in values],
        )
    return EventResult(event)


async def move_event(
    session: AsyncSession, actor: Principal, event_id: uuid.UUID, *, starts_at: datetime, ends_at: datetime
) -> EventResult:
    event = await _editable(session, actor, event_id)
    starts_at, ends_at = event_times(starts_at, ends_at)
    resource = None
    if event.resource_id is not None:
        resource = (await repository.resources_by_ids(session, [event.resource_id]))[0]

    def apply() -> None:
        event.starts_at, event.ends_at = starts_at, ends_at

    await write_booking(session, apply, resource=resource, starts_at=starts_at, ends_at=ends_at, event_id=event.id)
    attendees = await repository.attendees_of_events(session, [event.id])
    await events.event_changed(
        session, events.EVENT_CHANGED, event, [a.user_id for a in attendees], ["startsAt", "endsAt"]
    )
    return EventResult(event, await warnings(session, event, attendees))


async def cancel_event(
    session: AsyncSession, actor: Principal, event_id: uuid.UUID, *, reason: str | None = None
) -> EventResult:
    """Cancelling frees the resource; cancelling a cancelled event again changes nothing."""
    event = await _editable(session, actor, event_id, allow_cancelled=True)
    if event.status is CalendarEventStatus.CANCELLED:
        return EventResult(event)
    event.status = CalendarEventStatus.CANCELLED
    event.cancelled_at = utcnow()
    event.cancellation_reason = validation.optional_text(reason, field="reason", max_length=500)
    await session.flush()
    await events.event_changed(
        session, events.EVENT_CANCELLED, event, await attendee_ids(session, event.id), ["status"]
    )
    return EventResult(event)


async def invite(
    session: AsyncSession, actor: Principal, event_id: uuid.UUID, *, user_ids: Sequence[uuid.UUID]
) -> EventResult:
    """Add attendees (already invited ones keep their answer); warns about those busy elsewhere."""
    event = await _editable(session, actor, event_id)
    current = await repository.attendees_of_events(session, [event.id])
    known = {a.user_id for a in current}
    new_ids = [uid for uid in _attendee_ids(user_ids, field="userIds") if uid not in known]
    if len(known) + len(new_ids) > MAX_ATTENDEES:
        raise InvalidInput(f"an event has at most {MAX_ATTENDEES} attendees", field="userIds")
    added = [EventAttendee(event_id=event.id, user_id=uid, status=RsvpStatus.PENDING) for uid in new_ids]
    session.add_all(added)
    await session.flush()
    if added:
        await events.event_changed(session, events.EVENT_CHANGED, event, [*known, *new_ids], ["attendees"])
    return EventResult(event, await warnings(session, event, added))


async def remove_attendee(
    session: AsyncSession, actor: Principal, event_id: uuid.UUID, *, user_id: uuid.UUID
) -> EventResult:
    event = await _editable(session, actor, event_id)
    if user_id == event.organizer_user_id:
        raise InvalidInput("the organizer stays on the event", field="userId")
    if not await repository.remove_attendee(session, event.id, user_id):
        raise NotFound("that user is not invited to the event", field="userId")
    await events.event_changed(
        session, events.EVENT_CHANGED, event, await attendee_ids(session, event.id), ["attendees"]
    )
    return EventResult(event)


async def respond(session: AsyncSession, actor: Principal, event_id: uuid.UUID, *, status: RsvpStatus) -> EventResult:
    """An attendee answers for themselves; accepting an overlapping event is allowed, with a warning."""
    if status is RsvpStatus.PENDING:
        raise InvalidInput("answer accepted, declined or tentative", field="status")
    event = await get_event(session, actor, event_id)
    attendee = await repository.attendee(session, event.id, actor.user_id) if actor.user_id else None
    if attendee is None:
        raise Forbidden("only invited people answer for themselves")
    if event.status is CalendarEventStatus.CANCELLED:
        raise Conflict("the event is cancelled", field="id")
    attendee.status = status
    attendee.responded_at = utcnow()
    await session.flush()
    return EventResult(event, await warnings(session, event, [attendee]))
