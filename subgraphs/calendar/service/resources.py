"""Bookable resources: rinks, rooms, gyms and buses of a club."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import time
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.database.integrity import flush
from shared.database.models import utcnow
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound, not_found
from subgraphs.calendar import repository
from subgraphs.calendar.models import (
    CalendarResource,
    EventAttendee,
    ResourceKind,
    RsvpStatus,
)
from subgraphs.calendar.permissions import (
    can_manage_resources,
    can_view_resources,
)
from subgraphs.calendar.service.common import acting_organization

_RESOURCE_NAME_TAKEN = {
    "uq_calendar_resources_organization_id_name": Conflict("the club already has a resource of that name", field="name")
}


def resource_not_found(resource_id: object, *, field: str | None = "resourceId") -> NotFound:
    error = not_found("CalendarResource", resource_id)
    error.field = field
    return error


def expected_count(attendees: Iterable[EventAttendee]) -> int:
    """The people an event expects: its attendees (the organizer among them) but those who declined."""
    return sum(attendee.status is not RsvpStatus.DECLINED for attendee in attendees)


def check_capacity(resource: CalendarResource | None, people: int) -> None:
    """Refuse an event whose attendees (all but those who declined, the organizer included) would not fit
    in the resource it books."""
    if resource is not None and resource.capacity is not None and people > resource.capacity:
        raise Conflict(
            f"{resource.name} holds {resource.capacity} people; the event would have {people}",
            field="resourceId",
            details={"capacity": resource.capacity, "attendees": people},
        )


async def _check_bookings_fit(session: AsyncSession, resource: CalendarResource, capacity: int) -> None:
    """A capacity may not drop below what an event still to come already expects there."""
    crowded = await repository.crowded_bookings(session, resource.id, after=utcnow(), above=capacity)
    if crowded:
        raise Conflict(
            f"{len(crowded)} coming event(s) booking {resource.name} expect more than {capacity} people; "
            "move them or uninvite people first",
            field="capacity",
            details={
                "events": [
                    {"id": str(event.id), "title": event.title, "startsAt": event.starts_at.isoformat(), "attendees": n}
                    for event, n in crowded
                ]
            },
        )


async def resource_of(session: AsyncSession, resource_id: uuid.UUID | None) -> CalendarResource | None:
    return (await repository.resources_by_ids(session, [resource_id]))[0] if resource_id is not None else None


async def get_resource(
    session: AsyncSession, actor: Principal, resource_id: uuid.UUID, *, field: str | None = None
) -> CalendarResource:
    found = await repository.resources_by_ids(session, [resource_id])
    if not found or not can_view_resources(actor, found[0].organization_id):
        raise resource_not_found(resource_id, field=field)
    return found[0]


async def list_resources(
    session: AsyncSession,
    actor: Principal,
    *,
    include_inactive: bool = False,
    organization_id: uuid.UUID | None = None,
) -> list[CalendarResource]:
    organization = acting_organization(actor, organization_id)
    return await repository.resources_of_organization(session, organization, include_inactive=include_inactive)


def _capacity(value: int | None) -> int | None:
    return None if value is None else validation.integer(value, field="capacity", minimum=1, maximum=100_000)


@dataclass(frozen=True, slots=True)
class OpeningWindow:
    """Open from `opens` to `closes` (local, the club's zone) on `weekday` (Monday 0); `closes` 00:00 is
    midnight at the end of the day."""

    weekday: int
    opens: time
    closes: time


def _opening_hours(windows: Sequence[OpeningWindow] | None) -> list[dict[str, str | int]] | None:
    if windows is None:
        return None
    if len(windows) > 50:
        raise InvalidInput("at most 50 opening windows", field="openingHours")
    stored: list[dict[str, str | int]] = []
    for window in windows:
        validation.integer(window.weekday, field="openingHours", minimum=0, maximum=6)
        if window.closes != time(0) and window.closes <= window.opens:
            raise InvalidInput("a window closes after it opens", field="openingHours")
        stored.append(
            {
                "weekday": window.weekday,
                "opens": window.opens.strftime("%H:%M"),
                "closes": window.closes.strftime("%H:%M"),
            }
        )
    return sorted(stored, key=lambda w: (w["weekday"], str(w["opens"])))


def opening_windows(resource: CalendarResource) -> list[OpeningWindow] | None:
    if resource.opening_hours is None:
        return None
    return [
        OpeningWindow(int(w["weekday"]), time.fromisoformat(str(w["opens"])), time.fromisoformat(str(w["closes"])))
        for w in resource.opening_hours
    ]


def _buffer(value: int) -> int:
    return validation.integer(value, field="bufferMinutes", minimum=0, maximum=240)


async def create_resource(
    session: AsyncSession,
    actor: Principal,
    *,
    name: str,
    kind: ResourceKind,
    capacity: int | None = None,
    location: str | None = None,
    buffer_minutes: int = 0,
    opening_hours: Sequence[OpeningWindow] | None = None,
    requires_approval: bool = False,
    organization_id: uuid.UUID | None = None,
) -> CalendarResource:
    organization = acting_organization(actor, organization_id)
    if not can_manage_resources(actor, organization):
        raise Forbidden("only a club administrator or the equipment manager adds resources")
    resource = CalendarResource(
        organization_id=organization,
        name=validation.text(name, field="name", max_length=120),
        kind=kind,
        capacity=_capacity(capacity),
        location=validation.optional_text(location, field="location", max_length=200),
        is_active=True,
        buffer_minutes=_buffer(buffer_minutes),
        opening_hours=_opening_hours(opening_hours),
        requires_approval=requires_approval,
    )
    session.add(resource)
    await flush(session, violations=_RESOURCE_NAME_TAKEN)
    return resource


async def update_resource(
    session: AsyncSession, actor: Principal, resource_id: uuid.UUID, changes: Mapping[str, Any]
) -> CalendarResource:
    resource = await get_resource(session, actor, resource_id)
    if not can_manage_resources(actor, resource.organization_id):
        raise Forbidden("only a club administrator or the equipment manager changes resources")
    if "name" in changes:
        resource.name = validation.text(validation.required(changes, "name"), field="name", max_length=120)
    if "kind" in changes:
        resource.kind = validation.required(changes, "kind")
    if "capacity" in changes:
        capacity = _capacity(changes["capacity"])
        if capacity is not None and (resource.capacity is None or capacity < resource.capacity):
            await _check_bookings_fit(session, resource, capacity)
        resource.capacity = capacity
    if "location" in changes:
        resource.location = validation.optional_text(changes["location"], field="location", max_length=200)
    if "is_active" in changes:
        resource.is_active = bool(validation.required(changes, "is_active"))
    if "buffer_minutes" in changes:
        resource.buffer_minutes = _buffer(validation.required(changes, "buffer_minutes"))
    if "opening_hours" in changes:
        resource.opening_hours = _opening_hours(changes["opening_hours"])
    if "requires_approval" in changes:
        resource.requires_approval = bool(validation.required(changes, "requires_approval"))
    await flush(session, violations=_RESOURCE_NAME_TAKEN)
    return resource


async def bookable(session: AsyncSession, actor: Principal, resource_id: uuid.UUID) -> CalendarResource:
    resource = await get_resource(session, actor, resource_id, field="resourceId")
    if not resource.is_active:
        raise InvalidInput(f"{resource.name} is retired and cannot be booked", field="resourceId")
    return resource
