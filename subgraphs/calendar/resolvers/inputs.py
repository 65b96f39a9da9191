"""Inputs and argument types of the calendar's queries and mutations, and how they become service values."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated, Any

import strawberry

from shared.graphql import parse_id
from shared.validation import camel
from subgraphs.calendar import service
from subgraphs.calendar.models import AttendeeRole, CalendarEventKind, ResourceKind, Visibility
from subgraphs.calendar.service import EditScope
from subgraphs.calendar.types import enums  # noqa: F401 (registers the enums before the inputs use them)

From = Annotated[datetime, strawberry.argument(name="from", description="Start of the range, with offset.")]
To = Annotated[
    datetime,
    strawberry.argument(name="to", description="End of the range, with offset; at most 370 days on."),
]


@strawberry.input(description="Hours a resource is open on one weekday, in the club's time zone.")
class OpeningWindowInput:
    weekday: int = strawberry.field(description="0 Monday to 6 Sunday.")
    opens: time = strawberry.field(description="Opening time, local.")
    closes: time = strawberry.field(description="Closing time, local, after opening; 00:00 is midnight.")


def with_windows(values: dict[str, Any]) -> dict[str, Any]:
    if values.get("opening_hours") is not None:
        values["opening_hours"] = [service.OpeningWindow(w.weekday, w.opens, w.closes) for w in values["opening_hours"]]
    return values


@strawberry.input(description="A new bookable resource.")
class CreateCalendarResourceInput:
    name: str = strawberry.field(description="Unique within the club, e.g. Main Rink.")
    kind: ResourceKind = strawberry.field(description="What it is.")
    capacity: int | None = strawberry.field(default=None, description="How many people it holds.")
    location: str | None = strawberry.field(default=None, description="Where it is.")
    buffer_minutes: int = strawberry.field(default=0, description="Kept free before and after each booking.")
    opening_hours: list[OpeningWindowInput] | None = strawberry.field(
        default=None, description="When it can be booked; omitted means always."
    )
    requires_approval: bool = strawberry.field(
        default=False, description="Bookings wait for a club administrator's or equipment manager's approval."
    )


@strawberry.input(description="Changes to a resource; omitted fields stay as they are.")
class UpdateCalendarResourceInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="New name.")
    kind: ResourceKind | None = strawberry.field(default=strawberry.UNSET, description="What it is.")
    capacity: int | None = strawberry.field(default=strawberry.UNSET, description="Capacity, or null.")
    location: str | None = strawberry.field(default=strawberry.UNSET, description="Location, or null.")
    is_active: bool | None = strawberry.field(
        default=strawberry.UNSET, description="False retires the resource; its past bookings stay."
    )
    buffer_minutes: int | None = strawberry.field(
        default=strawberry.UNSET, description="Kept free before and after each (later) booking."
    )
    opening_hours: list[OpeningWindowInput] | None = strawberry.field(
        default=strawberry.UNSET, description="When it can be booked (later bookings); null means always."
    )
    requires_approval: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Whether new bookings wait for approval."
    )


@strawberry.input(description="Someone to invite, with their role on the event.")
class AttendeeInput:
    user_id: strawberry.ID = strawberry.field(description="The user to invite.")
    role: AttendeeRole = strawberry.field(default=AttendeeRole.REQUIRED, description="Required, optional or staff.")


@strawberry.input(description="A new event; the caller is its organizer and attends, accepted.")
class CreateCalendarEventInput:
    kind: CalendarEventKind = strawberry.field(description="What happens.")
    title: str = strawberry.field(description="Short title.")
    starts_at: datetime = strawberry.field(description="Start, with a time zone offset.")
    ends_at: datetime = strawberry.field(description="End, with an offset, after the start.")
    description: str | None = strawberry.field(default=None, description="Details for the attendees.")
    team_id: strawberry.ID | None = strawberry.field(default=None, description="The team it is for.")
    location: str | None = strawberry.field(
        default=None, description="Where, as text; defaults to the resource's location."
    )
    resource_id: strawberry.ID | None = strawberry.field(
        default=None, description="A resource to book; refused with CONFLICT when it is taken then."
    )
    attendee_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Users to invite (as required); their answers start as pending."
    )
    attendees: list[AttendeeInput] = strawberry.field(
        default_factory=list, description="Users to invite with a role; their answers start as pending."
    )
    recurrence: str | None = strawberry.field(
        default=None,
        description="An RFC 5545 RRULE making this a series, e.g. FREQ=WEEKLY;BYDAY=TU;COUNT=20; startsAt is its "
        "first occurrence and it repeats at that wall-clock time in the club's time zone. Without COUNT or UNTIL it "
        "ends after two years; an UNTIL without Z is local time.",
    )
    reminder_minutes: list[int] | None = strawberry.field(
        default=None, description="Minutes before the start to remind attendees; omitted: the kind's defaults."
    )
    visibility: Visibility = strawberry.field(default=Visibility.TEAM, description="Who sees the event.")
    visible_to_roles: list[str] | None = strawberry.field(
        default=None, description="With ROLES visibility: the roles (e.g. coach, medical_staff) that see it."
    )


@strawberry.input(description="Changes to an event; omitted fields stay as they are. Times change by moving.")
class UpdateCalendarEventInput:
    kind: CalendarEventKind | None = strawberry.field(default=strawberry.UNSET, description="What happens.")
    title: str | None = strawberry.field(default=strawberry.UNSET, description="Short title.")
    description: str | None = strawberry.field(default=strawberry.UNSET, description="Details, or null.")
    team_id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description="Team, or null.")
    location: str | None = strawberry.field(default=strawberry.UNSET, description="Location, or null.")
    resource_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Resource to book instead, or null to release it."
    )
    reminder_minutes: list[int] | None = strawberry.field(
        default=strawberry.UNSET, description="Minutes before the start to remind attendees; null: the kind's defaults."
    )
    visibility: Visibility | None = strawberry.field(default=strawberry.UNSET, description="Who sees the event.")
    visible_to_roles: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="With ROLES visibility: the roles that see it."
    )


Scope = Annotated[
    EditScope | None,
    strawberry.argument(
        description="For an occurrence of a series: THIS (the default when an occurrence id is given), "
        "THIS_AND_FOLLOWING, or ALL (the default for a series id)."
    ),
]


def with_ids(values: dict[str, Any], *names: str) -> dict[str, Any]:
    """Parse the ID fields among input values; null stays null (it clears the link)."""
    for name in names:
        if values.get(name) is not None:
            values[name] = parse_id(values[name], field=camel(name))
    return values
