"""GraphQL types of the calendar service; each wraps a model and shows what the caller may see."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import strawberry
from strawberry import Private
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet

from shared.errors import not_found
from shared.graphql import Ctx, TeamReference, UserReference, parse_id, to_id
from subgraphs.calendar import loaders, models, permissions, service

strawberry.enum(
    models.ResourceKind,
    name="ResourceKind",
    description="What a bookable resource is: an ice rink, a room, a gym, a vehicle...",
)
strawberry.enum(
    models.CalendarEventKind,
    name="CalendarEventKind",
    description="What happens at an event: practice, game, meeting, off-ice training, medical, other.",
)
strawberry.enum(
    models.CalendarEventStatus,
    name="CalendarEventStatus",
    description="Whether an event still takes place.",
)
strawberry.enum(
    models.UnavailabilityReason,
    name="UnavailabilityReason",
    description="Why a player is out: an injury or a rest order (the medical details stay with the medical service).",
)
strawberry.enum(
    models.RsvpStatus,
    name="RsvpStatus",
    description="An attendee's answer to an invitation.",
)


@strawberry.federation.type(keys=["id"], description="Something events book: a rink, a room, a gym, a bus.")
class CalendarResource:
    id: strawberry.ID = strawberry.field(description="The resource's id.")
    name: str = strawberry.field(description="Unique within the club, e.g. Main Rink.")
    kind: models.ResourceKind = strawberry.field(description="What the resource is.")
    capacity: int | None = strawberry.field(description="How many people it holds, when that matters.")
    location: str | None = strawberry.field(description="Where it is, e.g. the arena's address.")
    is_active: bool = strawberry.field(description="False once retired: it can no longer be booked.")

    @classmethod
    def from_row(cls, row: models.CalendarResource) -> CalendarResource:
        return cls(
            id=to_id(row.id),
            name=row.name,
            kind=row.kind,
            capacity=row.capacity,
            location=row.location,
            is_active=row.is_active,
        )

    @classmethod
    async def resolve_reference(cls, info: Ctx, id: strawberry.ID) -> CalendarResource:
        row = await loaders.resources(info).load(parse_id(id))
        if row is None or not permissions.can_view_resources(info.context.principal, row.organization_id):
            raise not_found("CalendarResource", id)
        return cls.from_row(row)


@strawberry.federation.type(
    name="Player",
    keys=[Key(fields=FieldSet("id"), resolvable=False)],
    description="A player on the club's roster; the user service owns and resolves it.",
)
class PlayerReference:
    """A reference only: the router fetches the player's fields from the user service."""

    id: strawberry.ID = strawberry.field(description="The player's id.")


@strawberry.type(
    description="Days a player of the team is unavailable for practices and games: the reason and the dates, "
    "never a diagnosis."
)
class PlayerUnavailability:
    player: PlayerReference = strawberry.field(description="The player who is out.")
    first_name: str = strawberry.field(description="The player's first name, as the roster has it.")
    last_name: str = strawberry.field(description="The player's last name, as the roster has it.")
    reason: models.UnavailabilityReason = strawberry.field(description="Injury or rest order.")
    starts_on: date = strawberry.field(description="The first day out.")
    available_from: date | None = strawberry.field(
        description="The first day back (expected, until the injury is resolved); null while open-ended."
    )
    team_id: Private[uuid.UUID]

    @classmethod
    def from_entry(cls, entry: service.TeamUnavailability) -> PlayerUnavailability:
        row = entry.unavailability
        return cls(
            player=PlayerReference(id=to_id(row.player_id)),
            first_name=entry.first_name,
            last_name=entry.last_name,
            reason=row.reason,
            starts_on=row.starts_on,
            available_from=row.available_from,
            team_id=entry.team_id,
        )

    @strawberry.field(description="The team the player is on.")
    def team(self) -> TeamReference:
        return TeamReference.from_id(self.team_id)


@strawberry.type(description="A person invited to an event, with their answer.")
class EventAttendee:
    status: models.RsvpStatus = strawberry.field(description="Pending until the attendee answers.")
    responded_at: datetime | None = strawberry.field(description="When the attendee last answered.")
    is_organizer: bool = strawberry.field(description="True for the person who scheduled the event.")
    user_id: Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: models.EventAttendee, event: models.CalendarEvent) -> EventAttendee:
        return cls(
            status=row.status,
            responded_at=row.responded_at,
            is_organizer=row.user_id == event.organizer_user_id,
            user_id=row.user_id,
        )

    @strawberry.field(description="The attendee.")
    def user(self) -> UserReference:
        return UserReference.from_id(self.user_id)


@strawberry.federation.type(keys=["id"], description="A practice, game, meeting or other date on the calendar.")
class CalendarEvent:
    id: strawberry.ID = strawberry.field(description="The event's id.")
    kind: models.CalendarEventKind = strawberry.field(description="What happens.")
    title: str = strawberry.field(description="Short title, e.g. Practice: Lynx Senior.")
    description: str | None = strawberry.field(description="Details for the attendees.")
    location: str | None = strawberry.field(description="Where it happens, as free text.")
    starts_at: datetime = strawberry.field(description="Start, with its offset (stored in UTC).")
    ends_at: datetime = strawberry.field(description="End, after the start.")
    status: models.CalendarEventStatus = strawberry.field(description="Scheduled or cancelled.")
    cancelled_at: datetime | None = strawberry.field(description="When it was cancelled.")
    cancellation_reason: str | None = strawberry.field(description="Why it was cancelled.")
    row: Private[models.CalendarEvent]

    @classmethod
    def from_row(cls, row: models.CalendarEvent) -> CalendarEvent:
        return cls(
            id=to_id(row.id),
            kind=row.kind,
            title=row.title,
            description=row.description,
            location=row.location,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            status=row.status,
            cancelled_at=row.cancelled_at,
            cancellation_reason=row.cancellation_reason,
            row=row,
        )

    @strawberry.field(description="Length in whole minutes.")
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @strawberry.field(description="The team the event is for, if any.")
    def team(self) -> TeamReference | None:
        return TeamReference.from_id(self.row.team_id) if self.row.team_id else None

    @strawberry.field(description="Who scheduled the event; they attend, accepted.")
    def organizer(self) -> UserReference:
        return UserReference.from_id(self.row.organizer_user_id)

    @strawberry.field(description="The booked resource, if any.")
    async def resource(self, info: Ctx) -> CalendarResource | None:
        if self.row.resource_id is None:
            return None
        row = await loaders.resources(info).load(self.row.resource_id)
        return CalendarResource.from_row(row) if row else None

    @strawberry.field(description="Everyone invited, organizer first, with their answers.")
    async def attendees(self, info: Ctx) -> list[EventAttendee]:
        rows = await loaders.attendees_of_event(info).load(self.row.id)
        ordered = sorted(rows, key=lambda row: row.user_id != self.row.organizer_user_id)
        return [EventAttendee.from_row(row, self.row) for row in ordered]

    @strawberry.field(
        description="Players of the event's team who are unavailable (injured or resting) on its day: staff see "
        "the whole team, a player only themselves, a parent their children; empty for an event without a team."
    )
    async def unavailable_players(self, info: Ctx) -> list[PlayerUnavailability]:
        if self.row.team_id is None:
            return []
        first, last = service.event_days(self.row)
        found = await loaders.unavailability_of_team_days(info).load(
            (self.row.organization_id, self.row.team_id, first, last)
        )
        visible = service.visible_to(info.context.principal, self.row.organization_id, found)
        return [PlayerUnavailability.from_entry(entry) for entry in visible]

    @strawberry.field(description="The caller's own answer; null when the caller is not invited.")
    async def my_rsvp(self, info: Ctx) -> models.RsvpStatus | None:
        me = info.context.principal.user_id
        rows = await loaders.attendees_of_event(info).load(self.row.id)
        return next((row.status for row in rows if row.user_id == me), None)

    @classmethod
    async def resolve_reference(cls, info: Ctx, id: strawberry.ID) -> CalendarEvent:
        principal = info.context.principal
        row = await loaders.events(info).load(parse_id(id))
        if row is None or not principal.in_organization(row.organization_id):
            raise not_found("CalendarEvent", id)
        invited = False
        if not permissions.sees_all_events(principal, row.organization_id):
            attendees = await loaders.attendees_of_event(info).load(row.id)
            invited = any(attendee.user_id == principal.user_id for attendee in attendees)
        if not permissions.can_view_event(principal, row, invited=invited):
            raise not_found("CalendarEvent", id)
        return cls.from_row(row)


@strawberry.type(description="An event that clashes with the one being scheduled.")
class SchedulingClash:
    id: strawberry.ID = strawberry.field(description="The clashing event's id.")
    title: str = strawberry.field(description="Its title.")
    kind: models.CalendarEventKind = strawberry.field(description="What it is.")
    starts_at: datetime = strawberry.field(description="Its start.")
    ends_at: datetime = strawberry.field(description="Its end.")

    @classmethod
    def from_row(cls, row: models.CalendarEvent) -> SchedulingClash:
        return cls(id=to_id(row.id), title=row.title, kind=row.kind, starts_at=row.starts_at, ends_at=row.ends_at)


@strawberry.type(description="A scheduling problem that does not block the change: an attendee already busy elsewhere.")
class SchedulingWarning:
    message: str = strawberry.field(description="What the problem is, for people.")
    clashes: list[SchedulingClash] = strawberry.field(description="The overlapping events.")
    user_id: Private[uuid.UUID]

    @classmethod
    def from_warning(cls, warning: service.SchedulingWarning) -> SchedulingWarning:
        titles = ", ".join(repr(clash.title) for clash in warning.clashes)
        return cls(
            message=f"attendee {warning.user_id} is already accepted or tentative for {titles} at that time",
            clashes=[SchedulingClash.from_row(clash) for clash in warning.clashes],
            user_id=warning.user_id,
        )

    @strawberry.field(description="The attendee who is double-booked.")
    def attendee(self) -> UserReference:
        return UserReference.from_id(self.user_id)


@strawberry.type(description="An event after a change, with warnings that did not block it.")
class CalendarEventResult:
    event: CalendarEvent = strawberry.field(description="The event as it is now.")
    warnings: list[SchedulingWarning] = strawberry.field(
        description="Attendees double-booked by this change; empty when there are none."
    )
    id: Private[strawberry.ID]
    """The event's id, so the audit trail names the entity the mutation touched."""

    @classmethod
    def from_result(cls, result: service.EventResult) -> CalendarEventResult:
        return cls(
            event=CalendarEvent.from_row(result.event),
            warnings=[SchedulingWarning.from_warning(warning) for warning in result.warnings],
            id=to_id(result.event.id),
        )


__all__ = [
    "CalendarEvent",
    "CalendarEventResult",
    "CalendarResource",
    "EventAttendee",
    "PlayerReference",
    "PlayerUnavailability",
    "SchedulingClash",
    "SchedulingWarning",
]
