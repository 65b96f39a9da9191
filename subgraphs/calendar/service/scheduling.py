"""Events: reading the club calendar, scheduling, changing, moving and cancelling events and series."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.database.models import utcnow
from shared.errors import Forbidden, InvalidInput
from shared.validation import camel
from subgraphs.calendar import events, repository
from subgraphs.calendar.models import (
    AttendeeRole,
    CalendarEvent,
    CalendarEventKind,
    CalendarEventStatus,
    CalendarResource,
    EventAttendee,
    RsvpStatus,
    Visibility,
)
from subgraphs.calendar.permissions import can_schedule
from subgraphs.calendar.service import recurrence
from subgraphs.calendar.service.common import acting_organization, window
from subgraphs.calendar.service.conflicts import Span, warnings, write_booking
from subgraphs.calendar.service.event_rules import (
    EventResult,
    attendee_id_list,
    attendee_ids,
    booking_status,
    detail_changes,
    event_times,
    invited_role,
    reminder_list,
    shown_after,
    spans,
    visibility_of,
)
from subgraphs.calendar.service.occurrences import Occurrence, in_range, of_row, series_spans
from subgraphs.calendar.service.resources import (
    bookable,
    check_capacity,
    expected_count,
    get_resource,
    resource_not_found,
)
from subgraphs.calendar.service.settings import time_zone_of
from subgraphs.calendar.service.targets import (
    EditScope,
    audience,
    default_scope,
    editable,
    exceptions_of,
    find,
    scoped,
    series_until,
)

# Reading events ----------------------------------------------------------------------------------------


async def get_event(session: AsyncSession, actor: Principal, event_id: str | uuid.UUID) -> Occurrence:
    return await find(session, actor, event_id)


async def list_events(
    session: AsyncSession,
    actor: Principal,
    *,
    starts: datetime,
    ends: datetime,
    team_id: uuid.UUID | None = None,
    include_cancelled: bool = False,
    organization_id: uuid.UUID | None = None,
) -> list[Occurrence]:
    """Single events and the occurrences of series overlapping the range."""
    starts, ends = window(starts, ends)
    organization = acting_organization(actor, organization_id)
    return await in_range(
        session,
        organization_id=organization,
        starts=starts,
        ends=ends,
        team_id=team_id,
        include_cancelled=include_cancelled,
        audience=await audience(session, actor, organization),
    )


async def resource_schedule(
    session: AsyncSession, actor: Principal, *, resource_id: uuid.UUID, starts: datetime, ends: datetime
) -> list[Occurrence]:
    """The resource's bookings in the window; players and parents see only the events they may see."""
    starts, ends = window(starts, ends)
    resource = await get_resource(session, actor, resource_id, field="resourceId")
    return await in_range(
        session,
        organization_id=resource.organization_id,
        starts=starts,
        ends=ends,
        resource_id=resource.id,
        audience=await audience(session, actor, resource.organization_id),
    )


# Writing events ----------------------------------------------------------------------------------------


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
    attendee_roles: Mapping[uuid.UUID, AttendeeRole] | None = None,
    recurrence_rule: str | None = None,
    reminder_minutes: Sequence[int] | None = None,
    visibility: Visibility = Visibility.TEAM,
    visible_to_roles: Sequence[str] | None = None,
    organization_id: uuid.UUID | None = None,
) -> EventResult:
    """A single event, or a series when `recurrence_rule` is given (its first occurrence at `starts_at`,
    repeating in the club's time zone)."""
    organization = acting_organization(actor, organization_id)
    if not can_schedule(actor, organization):
        raise Forbidden("only staff schedule events")
    if actor.user_id is None:
        raise Forbidden("sign in to schedule events")
    starts_at, ends_at = event_times(starts_at, ends_at)
    resource = await bookable(session, actor, resource_id) if resource_id is not None else None
    if resource is not None and resource.organization_id != organization:
        raise resource_not_found(resource_id)
    time_zone = await time_zone_of(session, organization)
    rule = None
    if recurrence_rule is not None:
        rule = recurrence.normalize_rule(recurrence_rule, starts_at, time_zone)
        if next(recurrence.starts(rule, starts_at, time_zone), None) != starts_at:
            raise InvalidInput(
                "startsAt must be the rule's first occurrence (e.g. a Tuesday for BYDAY=TU)", field="startsAt"
            )
    shown, roles = visibility_of(visibility, visible_to_roles)
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
        time_zone=time_zone,
        recurrence_rule=rule,
        reminder_minutes=reminder_list(reminder_minutes),
        visibility=shown,
        visible_to_roles=roles,
        booking_status=booking_status(actor, resource),
    )
    if rule is not None:
        event.recurs_until = series_until(event)
    roles_of = attendee_roles or {}
    now = utcnow()
    invited = [uid for uid in attendee_id_list(attendee_user_ids, field="attendeeIds") if uid != actor.user_id]
    attendees = [
        EventAttendee(
            event_id=event.id,
            user_id=actor.user_id,
            status=RsvpStatus.ACCEPTED,
            responded_at=now,
            role=AttendeeRole.ORGANIZER,
        ),
        *(
            EventAttendee(
                event_id=event.id,
                user_id=uid,
                status=RsvpStatus.PENDING,
                role=invited_role(roles_of.get(uid, AttendeeRole.REQUIRED)),
            )
            for uid in invited
        ),
    ]
    check_capacity(resource, len(attendees))
    taken = spans(event, [])

    def add() -> None:
        session.add(event)
        session.add_all(attendees)

    await write_booking(session, add, resource=resource, spans=taken, time_zone=time_zone)
    await events.event_changed(session, events.EVENT_CREATED, event, [a.user_id for a in attendees])
    return EventResult(of_row(event), await warnings(session, event, attendees, taken))


async def update_event(
    session: AsyncSession,
    actor: Principal,
    event_id: str | uuid.UUID,
    changes: Mapping[str, Any],
    *,
    scope: EditScope | None = None,
) -> EventResult:
    """Details and resource of an event, one occurrence, it and the following, or a whole series (a series'
    exceptions take the change too); times change through `move_event`."""
    found = await editable(session, actor, event_id)
    row = await scoped(session, found, default_scope(found, scope))
    values = detail_changes(changes, row)
    resource: CalendarResource | None = None
    if "resource_id" in changes:
        resource_id = changes["resource_id"]
        resource = await bookable(session, actor, resource_id) if resource_id is not None else None
        if resource is not None and resource.organization_id != row.organization_id:
            raise resource_not_found(resource_id)
        values["resource_id"] = resource.id if resource else None
        values["booking_status"] = booking_status(actor, resource)
        check_capacity(resource, expected_count(await repository.attendees_of_events(session, [row.id])))
    targets = [row, *(e for e in await exceptions_of(session, row) if e.status is not CalendarEventStatus.CANCELLED)]

    def apply() -> None:
        for target in targets:
            for name, value in values.items():
                setattr(target, name, value)

    await write_booking(
        session,
        apply,
        resource=resource,
        spans=spans(row, targets[1:]),
        exclude={row.id},
        time_zone=row.time_zone,
    )
    if values:
        await events.event_changed(
            session,
            events.EVENT_CHANGED,
            row,
            await attendee_ids(session, row.id),
            [camel(name).removesuffix("Id") for name in values if name != "booking_status"],
        )
    return EventResult(shown_after(found, row))


def _shift_weekdays(rule: str, days: int) -> str:
    """BYDAY follows a move to another weekday (`2MO` stays the second, now of Tuesdays)."""
    found = recurrence.parts(rule)
    if days % 7 == 0 or "BYDAY" not in found:
        return rule
    names = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    shifted = []
    for item in found["BYDAY"].split(","):
        prefix, name = item[:-2], item[-2:]
        shifted.append(prefix + names[(names.index(name) + days) % 7])
    found["BYDAY"] = ",".join(shifted)
    return recurrence.join(found)


async def move_event(
    session: AsyncSession,
    actor: Principal,
    event_id: str | uuid.UUID,
    *,
    starts_at: datetime,
    ends_at: datetime,
    scope: EditScope | None = None,
) -> EventResult:
    """New times for an event or occurrence. For the following occurrences or the whole series, the
    occurrence named moves to the new times and every other one by the same wall-clock shift."""
    found = await editable(session, actor, event_id)
    starts_at, ends_at = event_times(starts_at, ends_at)
    row = await scoped(session, found, default_scope(found, scope))
    resource = None
    if row.resource_id is not None:
        resource = (await repository.resources_by_ids(session, [row.resource_id]))[0]
    exceptions = list(await exceptions_of(session, row))
    if row.recurrence_rule is None:
        taken: list[Span] = [(starts_at, ends_at)]

        def apply() -> None:
            row.starts_at, row.ends_at = starts_at, ends_at

    else:
        slot = (
            found.original_starts_at
            if found.original_starts_at and found.original_starts_at >= row.starts_at
            else row.starts_at
        )
        delta = recurrence.local_delta(slot, starts_at, row.time_zone)
        first = recurrence.local_shift(row.starts_at, delta, row.time_zone)
        zone_days = (
            first.astimezone(ZoneInfo(row.time_zone)).date() - row.starts_at.astimezone(ZoneInfo(row.time_zone)).date()
        ).days
        rule = recurrence.shift_until(_shift_weekdays(row.recurrence_rule, zone_days), delta, row.time_zone)
        if next(recurrence.starts(rule, first, row.time_zone), None) != first:
            raise InvalidInput(
                "the series' rule does not fit the new times; change one occurrence instead", field="startsAt"
            )
        originals = {
            e.id: recurrence.local_shift(e.original_starts_at or e.starts_at, delta, row.time_zone) for e in exceptions
        }
        taken = series_spans(
            rule, first, ends_at - starts_at, row.time_zone, [(originals[e.id], e) for e in exceptions]
        )

        def apply() -> None:
            row.starts_at, row.ends_at, row.recurrence_rule = first, first + (ends_at - starts_at), rule
            row.recurs_until = series_until(row)
            for e in exceptions:
                e.original_starts_at = originals[e.id]

    await write_booking(session, apply, resource=resource, spans=taken, exclude={row.id}, time_zone=row.time_zone)
    attendees = await repository.attendees_of_events(session, [row.id])
    await events.event_changed(
        session, events.EVENT_CHANGED, row, [a.user_id for a in attendees], ["startsAt", "endsAt"]
    )
    shown = Occurrence(row, starts_at, ends_at, starts_at) if row.recurrence_rule is not None else of_row(row)
    return EventResult(shown, await warnings(session, row, attendees, taken))


async def cancel_event(
    session: AsyncSession,
    actor: Principal,
    event_id: str | uuid.UUID,
    *,
    reason: str | None = None,
    scope: EditScope | None = None,
) -> EventResult:
    """Cancelling frees the resource; cancelling a cancelled event again changes nothing. One occurrence
    becomes a cancelled exception (an EXDATE); the following ones a cancelled split-off series."""
    found = await editable(session, actor, event_id, allow_cancelled=True)
    if found.row.status is CalendarEventStatus.CANCELLED:
        return EventResult(found)
    row = await scoped(session, found, default_scope(found, scope))
    why = validation.optional_text(reason, field="reason", max_length=500)
    now = utcnow()
    for target in [row, *(await exceptions_of(session, row))]:
        if target.status is not CalendarEventStatus.CANCELLED:
            target.status, target.cancelled_at, target.cancellation_reason = CalendarEventStatus.CANCELLED, now, why
    await session.flush()
    await events.event_changed(session, events.EVENT_CANCELLED, row, await attendee_ids(session, row.id), ["status"])
    return EventResult(shown_after(found, row))
