"""GraphQL types of the club-wide calendar: its settings, schedule clashes and subscription feeds."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry
from strawberry import Private

from shared.graphql import Ctx, TeamReference, UserReference, to_id
from subgraphs.calendar import loaders, models, service
from subgraphs.calendar.types.events import CalendarEvent
from subgraphs.calendar.types.resources import CalendarResource

strawberry.enum(
    service.ClashKind,
    name="ScheduleClashKind",
    description="RESOURCE: two bookings of one resource overlap (buffer counted); ATTENDEE: someone is accepted "
    "or tentative for two events at once.",
)


@strawberry.type(description="Two occurrences that overlap, for schedulers to sort out.")
class ScheduleClash:
    kind: service.ClashKind = strawberry.field(description="What clashes.")
    events: list[CalendarEvent] = strawberry.field(description="The two occurrences, earlier first.")
    resource_id: Private[uuid.UUID | None]
    user_id: Private[uuid.UUID | None]

    @classmethod
    def from_clash(cls, clash: service.ScheduleClash) -> ScheduleClash:
        return cls(
            kind=clash.kind,
            events=[CalendarEvent.from_occurrence(clash.first), CalendarEvent.from_occurrence(clash.second)],
            resource_id=clash.resource_id,
            user_id=clash.user_id,
        )

    @strawberry.field(description="The double-booked resource (RESOURCE clashes).")
    async def resource(self, info: Ctx) -> CalendarResource | None:
        if self.resource_id is None:
            return None
        row = await loaders.resources(info).load(self.resource_id)
        return CalendarResource.from_row(row) if row else None

    @strawberry.field(description="The double-booked person (ATTENDEE clashes).")
    def attendee(self) -> UserReference | None:
        return UserReference.from_id(self.user_id) if self.user_id else None


@strawberry.type(
    description="A calendar subscription (iCalendar feed) for calendar apps: the caller's own calendar, or a team's."
)
class CalendarFeed:
    id: strawberry.ID = strawberry.field(description="The feed's id (not its secret).")
    created_at: datetime = strawberry.field(description="When it was made.")
    revoked_at: datetime | None = strawberry.field(description="When it was revoked; its URL stopped working then.")
    team_id: Private[uuid.UUID | None]

    @classmethod
    def from_row(cls, row: models.FeedToken) -> CalendarFeed:
        return cls(id=to_id(row.id), created_at=row.created_at, revoked_at=row.revoked_at, team_id=row.team_id)

    @strawberry.field(description="The team whose events it holds; null for the caller's own calendar.")
    def team(self) -> TeamReference | None:
        return TeamReference.from_id(self.team_id) if self.team_id else None


@strawberry.type(description="A new feed with its secret URL, shown only this once.")
class NewCalendarFeed:
    feed: CalendarFeed = strawberry.field(description="The feed.")
    token: str = strawberry.field(description="The secret in its URL; only a hash of it is kept.")
    url: str = strawberry.field(
        description="The URL to subscribe to, on the calendar service: <calendar service>/calendar/feeds/<token>.ics."
    )
    id: Private[strawberry.ID]


@strawberry.type(description="A club's calendar settings.")
class ClubCalendarSettings:
    time_zone: str = strawberry.field(
        description="The IANA zone new series repeat in (Europe/Stockholm until a club administrator sets one)."
    )
    organization_id: Private[uuid.UUID]
    id: Private[strawberry.ID]

    @classmethod
    def from_settings(cls, found: service.ClubCalendar) -> ClubCalendarSettings:
        return cls(time_zone=found.time_zone, organization_id=found.organization_id, id=to_id(found.organization_id))
