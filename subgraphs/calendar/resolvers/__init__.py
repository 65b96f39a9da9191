"""Queries and mutations of the calendar service: parse input, call the service, wrap the result."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry

from shared.graphql import Ctx, actor, mutation, parse_id, parse_ids, provided, requires_sign_in
from subgraphs.calendar import service
from subgraphs.calendar.models import AttendeeRole, RsvpStatus
from subgraphs.calendar.resolvers.inputs import (
    CreateCalendarEventInput,
    CreateCalendarResourceInput,
    From,
    Scope,
    To,
    UpdateCalendarEventInput,
    UpdateCalendarResourceInput,
    with_ids,
    with_windows,
)
from subgraphs.calendar.types import (
    CalendarEvent,
    CalendarEventResult,
    CalendarFeed,
    CalendarResource,
    ClubCalendarSettings,
    NewCalendarFeed,
    PlayerUnavailability,
    ScheduleClash,
)


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
        return [CalendarEvent.from_occurrence(row) for row in rows]

    @strawberry.field(
        description="One event, series or occurrence (`<series id>:<original start>`) the caller may see.",
        extensions=[requires_sign_in()],
    )
    async def calendar_event(self, info: Ctx, id: strawberry.ID) -> CalendarEvent:
        return CalendarEvent.from_occurrence(await service.get_event(info.context.session, actor(info), str(id)))

    @strawberry.field(
        description="What overlaps in a range, for schedulers: double-booked resources (buffer counted) and people "
        "accepted or tentative for two events at once (the club's staff).",
        extensions=[requires_sign_in()],
    )
    async def calendar_conflicts(self, info: Ctx, from_: From, to: To) -> list[ScheduleClash]:
        found = await service.schedule_clashes(info.context.session, actor(info), starts=from_, ends=to)
        return [ScheduleClash.from_clash(clash) for clash in found]

    @strawberry.field(
        description="Bookings waiting for approval, by start (club administrators and equipment managers).",
        extensions=[requires_sign_in()],
    )
    async def pending_calendar_bookings(self, info: Ctx) -> list[CalendarEvent]:
        found = await service.pending_bookings(info.context.session, actor(info))
        return [CalendarEvent.from_occurrence(row) for row in found]

    @strawberry.field(
        description="The caller's calendar feeds (subscriptions), oldest first; their secrets are not shown again.",
        extensions=[requires_sign_in()],
    )
    async def calendar_feeds(self, info: Ctx) -> list[CalendarFeed]:
        return [CalendarFeed.from_row(row) for row in await service.my_feeds(info.context.session, actor(info))]

    @strawberry.field(
        description="The occurrences the caller may see in a range as CSV (RFC 4180, header row, UTC times): id, "
        "series_id, title, kind, status, starts_at, ends_at, location, team_id.",
        extensions=[requires_sign_in()],
    )
    async def calendar_events_csv(self, info: Ctx, from_: From, to: To, team_id: strawberry.ID | None = None) -> str:
        return await service.export_csv(
            info.context.session,
            actor(info),
            starts=from_,
            ends=to,
            team_id=parse_id(team_id, field="teamId") if team_id is not None else None,
        )

    @strawberry.field(description="The club's calendar settings (its time zone).", extensions=[requires_sign_in()])
    async def calendar_settings(self, info: Ctx) -> ClubCalendarSettings:
        return ClubCalendarSettings.from_settings(await service.club_calendar(info.context.session, actor(info)))

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
        return [CalendarEvent.from_occurrence(row) for row in rows]

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
        row = await service.create_resource(info.context.session, actor(info), **with_windows(provided(input)))
        return CalendarResource.from_row(row)

    @mutation(description="Change or retire a resource (club administrators and equipment managers).")
    async def update_calendar_resource(
        self, info: Ctx, id: strawberry.ID, input: UpdateCalendarResourceInput
    ) -> CalendarResource:
        row = await service.update_resource(
            info.context.session, actor(info), parse_id(id), with_windows(provided(input))
        )
        return CalendarResource.from_row(row)

    @mutation(
        description="Schedule an event (staff). A taken resource is a CONFLICT listing the clashing events; "
        "attendees busy elsewhere come back as warnings."
    )
    async def create_calendar_event(self, info: Ctx, input: CreateCalendarEventInput) -> CalendarEventResult:
        values = with_ids(provided(input), "team_id", "resource_id")
        with_roles = values.pop("attendees", [])
        roles = {parse_id(a.user_id, field="attendees"): a.role for a in with_roles}
        values["attendee_user_ids"] = [*parse_ids(values.pop("attendee_ids", []), field="attendeeIds"), *roles]
        values["attendee_roles"] = roles
        values["recurrence_rule"] = values.pop("recurrence", None)
        result = await service.create_event(info.context.session, actor(info), **values)
        return CalendarEventResult.from_result(result)

    @mutation(
        description="Change an event's details or resource (staff); for a series, one occurrence, it and the "
        "following ones, or all (see scope)."
    )
    async def update_calendar_event(
        self, info: Ctx, id: strawberry.ID, input: UpdateCalendarEventInput, scope: Scope = None
    ) -> CalendarEventResult:
        values = with_ids(provided(input), "team_id", "resource_id")
        result = await service.update_event(info.context.session, actor(info), str(id), values, scope=scope)
        return CalendarEventResult.from_result(result)

    @mutation(
        description="Move an event or occurrence to new times (staff); its resource must be free then. With "
        "THIS_AND_FOLLOWING or ALL, every other occurrence shifts by the same wall-clock time."
    )
    async def move_calendar_event(
        self, info: Ctx, id: strawberry.ID, starts_at: datetime, ends_at: datetime, scope: Scope = None
    ) -> CalendarEventResult:
        result = await service.move_event(
            info.context.session, actor(info), str(id), starts_at=starts_at, ends_at=ends_at, scope=scope
        )
        return CalendarEventResult.from_result(result)

    @mutation(
        description="Cancel an event, one occurrence (an exception), it and the following, or a whole series "
        "(staff); its resource becomes free. Cancelling twice is harmless."
    )
    async def cancel_calendar_event(
        self, info: Ctx, id: strawberry.ID, reason: str | None = None, scope: Scope = None
    ) -> CalendarEventResult:
        result = await service.cancel_event(info.context.session, actor(info), str(id), reason=reason, scope=scope)
        return CalendarEventResult.from_result(result)

    @mutation(description="Invite more people to an event (staff); those busy elsewhere come back as warnings.")
    async def invite_to_calendar_event(
        self,
        info: Ctx,
        id: strawberry.ID,
        user_ids: list[strawberry.ID],
        role: AttendeeRole = AttendeeRole.REQUIRED,
        scope: Scope = None,
    ) -> CalendarEventResult:
        result = await service.invite(
            info.context.session,
            actor(info),
            str(id),
            user_ids=parse_ids(user_ids, field="userIds"),
            role=role,
            scope=scope,
        )
        return CalendarEventResult.from_result(result)

    @mutation(description="Take someone off an event's invitation list (staff).")
    async def remove_calendar_event_attendee(
        self, info: Ctx, id: strawberry.ID, user_id: strawberry.ID, scope: Scope = None
    ) -> CalendarEventResult:
        result = await service.remove_attendee(
            info.context.session, actor(info), str(id), user_id=parse_id(user_id, field="userId"), scope=scope
        )
        return CalendarEventResult.from_result(result)

    @mutation(description="Answer an invitation for oneself: accepted, declined or tentative.")
    async def respond_to_calendar_event(self, info: Ctx, id: strawberry.ID, status: RsvpStatus) -> CalendarEventResult:
        result = await service.respond(info.context.session, actor(info), str(id), status=status)
        return CalendarEventResult.from_result(result)

    @mutation(
        description="Mark an attendee present: staff check in anyone invited, an attendee themselves (userId "
        "omitted). The first check-in time stays."
    )
    async def check_in_to_calendar_event(
        self, info: Ctx, id: strawberry.ID, user_id: strawberry.ID | None = None
    ) -> CalendarEventResult:
        who = parse_id(user_id, field="userId") if user_id is not None else None
        result = await service.check_in(info.context.session, actor(info), str(id), user_id=who)
        return CalendarEventResult.from_result(result)

    @mutation(
        description="Approve a pending booking of a resource (club administrators and equipment managers); for "
        "a series, all its occurrences."
    )
    async def approve_calendar_booking(self, info: Ctx, id: strawberry.ID) -> CalendarEventResult:
        result = await service.decide_booking(info.context.session, actor(info), str(id), approve=True)
        return CalendarEventResult.from_result(result)

    @mutation(
        description="Reject a pending booking: the resource is free again and the event goes on without it "
        "(club administrators and equipment managers)."
    )
    async def reject_calendar_booking(self, info: Ctx, id: strawberry.ID) -> CalendarEventResult:
        result = await service.decide_booking(info.context.session, actor(info), str(id), approve=False)
        return CalendarEventResult.from_result(result)

    @mutation(
        description="Make a secret iCalendar feed URL for calendar apps: the caller's own calendar, or with teamId "
        "a team's (public and team events). The token is shown only now."
    )
    async def create_calendar_feed(self, info: Ctx, team_id: strawberry.ID | None = None) -> NewCalendarFeed:
        made = await service.create_feed(
            info.context.session,
            actor(info),
            team_id=parse_id(team_id, field="teamId") if team_id is not None else None,
        )
        base = info.context.runtime.settings.service_url("calendar").rstrip("/")
        return NewCalendarFeed(
            feed=CalendarFeed.from_row(made.feed),
            token=made.token,
            url=f"{base}/calendar/feeds/{made.token}.ics",
            id=strawberry.ID(str(made.feed.id)),
        )

    @mutation(description="Revoke a feed: its URL stops working at once (its owner or a club administrator).")
    async def revoke_calendar_feed(self, info: Ctx, id: strawberry.ID) -> CalendarFeed:
        return CalendarFeed.from_row(await service.revoke_feed(info.context.session, actor(info), parse_id(id)))

    @mutation(description="Set the club's time zone, which new series repeat in (club administrators).")
    async def update_calendar_settings(self, info: Ctx, time_zone: str) -> ClubCalendarSettings:
        found = await service.set_time_zone(info.context.session, actor(info), time_zone=time_zone)
        return ClubCalendarSettings.from_settings(found)
