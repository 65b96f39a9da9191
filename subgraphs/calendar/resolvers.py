"""Queries and mutations of the calendar service: parse input, call the service, wrap the result."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import strawberry

from shared.graphql import Ctx, actor, mutation, parse_id, parse_ids, provided, requires_sign_in
from shared.validation import camel
from subgraphs.calendar import service
from subgraphs.calendar.models import CalendarEventKind, ResourceKind, RsvpStatus
from subgraphs.calendar.types import CalendarEvent, CalendarEventResult, CalendarResource, PlayerUnavailability

From = Annotated[datetime, strawberry.argument(name="from", description="Start of the range, with offset.")]
To = Annotated[
    datetime,
    strawberry.argument(name="to", description="End of the range, with offset; at most 370 days on."),
]


@strawberry.input(description="A new bookable resource.")
class CreateCalendarResourceInput:
    name: str = strawberry.field(description="Unique within the club, e.g. Main Rink.")
    kind: ResourceKind = strawberry.field(description="What it is.")
    capacity: int | None = strawberry.field(default=None, description="How many people it holds.")
    location: str | None = strawberry.field(default=None, description="Where it is.")


@strawberry.input(description="Changes to a resource; omitted fields stay as they are.")
class UpdateCalendarResourceInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="New name.")
    kind: ResourceKind | None = strawberry.field(default=strawberry.UNSET, description="What it is.")
    capacity: int | None = strawberry.field(default=strawberry.UNSET, description="Capacity, or null.")
    location: str | None = strawberry.field(default=strawberry.UNSET, description="Location, or null.")
    is_active: bool | None = strawberry.field(
        default=strawberry.UNSET, description="False retires the resource; its past bookings stay."
    )


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
        default_factory=list, description="Users to invite; their answers start as pending."
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


def _with_ids(values: dict[str, Any], *names: str) -> dict[str, Any]:
    """Parse the ID fields among input values; null stays null (it clears the link)."""
    for name in names:
        if values.get(name) is not None:
            values[name] = parse_id(values[name], field=camel(name))
    return values


@strawberry.type(description="Reads of the club calendar.")
class Query:
    @strawberry.field(
        description="Events overlapping a time range, by start; staff see the club's, players and parents "
        "their teams' and those they are invited to.",
        extensions=[requires_sign_in()],
    )
    async def calendar_events(
        self,
        info: Ctx,
        from_: From,
        to: To,
        team_id: strawberry.ID | None = None,
        include_cancelled: bool = False,
    ) -> list[CalendarEvent]:
        rows = await service.list_events(
            info.context.session,
            actor(info),
            starts=from_,
            ends=to,
            team_id=parse_id(team_id, field="teamId") if team_id is not None else None,
            include_cancelled=include_cancelled,
        )
        return [CalendarEvent.from_row(row) for row in rows]

    @strawberry.field(description="One event the caller may see.", extensions=[requires_sign_in()])
    async def calendar_event(self, info: Ctx, id: strawberry.ID) -> CalendarEvent:
        return CalendarEvent.from_row(await service.get_event(info.context.session, actor(info), parse_id(id)))

    @strawberry.field(description="The club's bookable resources, by name.", extensions=[requires_sign_in()])
    async def calendar_resources(self, info: Ctx, include_inactive: bool = False) -> list[CalendarResource]:
        rows = await service.list_resources(info.context.session, actor(info), include_inactive=include_inactive)
        return [CalendarResource.from_row(row) for row in rows]

    @strawberry.field(
        description="A resource's bookings (non-cancelled events) in a time range, by start.",
        extensions=[requires_sign_in()],
    )
    async def resource_schedule(
        self, info: Ctx, resource_id: strawberry.ID, from_: From, to: To
    ) -> list[CalendarEvent]:
        rows = await service.resource_schedule(
            info.context.session,
            actor(info),
            resource_id=parse_id(resource_id, field="resourceId"),
            starts=from_,
            ends=to,
        )
        return [CalendarEvent.from_row(row) for row in rows]

    @strawberry.field(
        description="Players of a team unavailable (injured or resting) on any day of a range, with the reason and "
        "the dates only: the club's staff.",
        extensions=[requires_sign_in()],
    )
    async def player_availability(
        self,
        info: Ctx,
        team_id: strawberry.ID,
        from_: Annotated[date, strawberry.argument(name="from", description="The first day of the range.")],
        to: Annotated[date, strawberry.argument(description="The last day of the range (included).")],
    ) -> list[PlayerUnavailability]:
        entries = await service.team_availability(
            info.context.session, actor(info), team_id=parse_id(team_id, field="teamId"), first=from_, last=to
        )
        return [PlayerUnavailability.from_entry(entry) for entry in entries]


@strawberry.type(description="Changes to the club calendar.")
class Mutation:
    @mutation(description="Add a bookable resource (club administrators and equipment managers).")
    async def create_calendar_resource(self, info: Ctx, input: CreateCalendarResourceInput) -> CalendarResource:
        row = await service.create_resource(info.context.session, actor(info), **provided(input))
        return CalendarResource.from_row(row)

    @mutation(description="Change or retire a resource (club administrators and equipment managers).")
    async def update_calendar_resource(
        self, info: Ctx, id: strawberry.ID, input: UpdateCalendarResourceInput
    ) -> CalendarResource:
        row = await service.update_resource(info.context.session, actor(info), parse_id(id), provided(input))
        return CalendarResource.from_row(row)

    @mutation(
        description="Schedule an event (staff). A taken resource is a CONFLICT listing the clashing events; "
        "attendees busy elsewhere come back as warnings."
    )
    async def create_calendar_event(self, info: Ctx, input: CreateCalendarEventInput) -> CalendarEventResult:
        values = _with_ids(provided(input), "team_id", "resource_id")
        values["attendee_user_ids"] = parse_ids(values.pop("attendee_ids", []), field="attendeeIds")
        result = await service.create_event(info.context.session, actor(info), **values)
        return CalendarEventResult.from_result(result)

    @mutation(description="Change an event's details or resource (staff).")
    async def update_calendar_event(
        self, info: Ctx, id: strawberry.ID, input: UpdateCalendarEventInput
    ) -> CalendarEventResult:
        values = _with_ids(provided(input), "team_id", "resource_id")
        result = await service.update_event(info.context.session, actor(info), parse_id(id), values)
        return CalendarEventResult.from_result(result)

    @mutation(description="Move an event to new times (staff); its resource must be free then.")
    async def move_calendar_event(
        self, info: Ctx, id: strawberry.ID, starts_at: datetime, ends_at: datetime
    ) -> CalendarEventResult:
        result = await service.move_event(
            info.context.session, actor(info), parse_id(id), starts_at=starts_at, ends_at=ends_at
        )
        return CalendarEventResult.from_result(result)

    @mutation(description="Cancel an event (staff); its resource becomes free. Cancelling twice is harmless.")
    async def cancel_calendar_event(
        self, info: Ctx, id: strawberry.ID, reason: str | None = None
    ) -> CalendarEventResult:
        result = await service.cancel_event(info.context.session, actor(info), parse_id(id), reason=reason)
        return CalendarEventResult.from_result(result)

    @mutation(description="Invite more people to an event (staff); those busy elsewhere come back as warnings.")
    async def invite_to_calendar_event(
        self, info: Ctx, id: strawberry.ID, user_ids: list[strawberry.ID]
    ) -> CalendarEventResult:
        result = await service.invite(
            info.context.session, actor(info), parse_id(id), user_ids=parse_ids(user_ids, field="userIds")
        )
        return CalendarEventResult.from_result(result)

    @mutation(description="Take someone off an event's invitation list (staff).")
    async def remove_calendar_event_attendee(
        self, info: Ctx, id: strawberry.ID, user_id: strawberry.ID
    ) -> CalendarEventResult:
        result = await service.remove_attendee(
            info.context.session, actor(info), parse_id(id), user_id=parse_id(user_id, field="userId")
        )
        return CalendarEventResult.from_result(result)

    @mutation(description="Answer an invitation for oneself: accepted, declined or tentative.")
    async def respond_to_calendar_event(self, info: Ctx, id: strawberry.ID, status: RsvpStatus) -> CalendarEventResult:
        result = await service.respond(info.context.session, actor(info), parse_id(id), status=status)
        return CalendarEventResult.from_result(result)
