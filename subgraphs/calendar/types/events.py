"""GraphQL types of events, occurrences, attendees and the results of changes."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import strawberry
from strawberry import Private
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet

from shared.errors import DomainError, not_found
from shared.graphql import Ctx, TeamReference, UserReference, parse_id, to_id
from subgraphs.calendar import loaders, models, permissions, service
from subgraphs.calendar.types.resources import CalendarResource


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
    role: models.AttendeeRole = strawberry.field(description="Organizer, required, optional or staff.")
    checked_in_at: datetime | None = strawberry.field(description="When the attendee was marked present.")
    user_id: Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: models.EventAttendee, event: models.CalendarEvent) -> EventAttendee:
        return cls(
            status=row.status,
            responded_at=row.responded_at,
            is_organizer=row.user_id == event.organizer_user_id,
            role=row.role,
            checked_in_at=row.checked_in_at,
            user_id=row.user_id,
        )

    @strawberry.field(description="The attendee.")
    def user(self) -> UserReference:
        return UserReference.from_id(self.user_id)


@strawberry.federation.type(
    keys=["id"],
    description="A practice, game, meeting or other date on the calendar: a single event, a whole series (by "
    "its own id), or one occurrence of a series (id `<series id>:<original start, UTC>`, stable when the "
    "occurrence is changed).",
)
class CalendarEvent:
    id: strawberry.ID = strawberry.field(
        description="The event's id; for an occurrence of a series, the series id and its original start."
    )
    kind: models.CalendarEventKind = strawberry.field(description="What happens.")
    title: str = strawberry.field(description="Short title, e.g. Practice: Lynx Senior.")
    description: str | None = strawberry.field(description="Details for the attendees.")
    location: str | None = strawberry.field(description="Where it happens, as free text.")
    starts_at: datetime = strawberry.field(description="Start, with its offset (stored in UTC).")
    ends_at: datetime = strawberry.field(description="End, after the start.")
    status: models.CalendarEventStatus = strawberry.field(description="Scheduled or cancelled.")
    cancelled_at: datetime | None = strawberry.field(description="When it was cancelled.")
    cancellation_reason: str | None = strawberry.field(description="Why it was cancelled.")
    original_starts_at: datetime | None = strawberry.field(
        description="For an occurrence of a series: the start its rule gave it (before any move)."
    )
    row: Private[models.CalendarEvent]

    @classmethod
    def from_row(cls, row: models.CalendarEvent) -> CalendarEvent:
        return cls.from_occurrence(service.occurrences_of_row(row))

    @classmethod
    def from_occurrence(cls, occurrence: service.Occurrence) -> CalendarEvent:
        row = occurrence.row
        return cls(
            id=strawberry.ID(occurrence.id),
            kind=row.kind,
            title=row.title,
            description=row.description,
            location=row.location,
            starts_at=occurrence.starts_at,
            ends_at=occurrence.ends_at,
            status=row.status,
            cancelled_at=row.cancelled_at,
            cancellation_reason=row.cancellation_reason,
            original_starts_at=occurrence.original_starts_at,
            row=row,
        )

    @strawberry.field(description="The series this occurrence belongs to; null for a single event.")
    def series_id(self) -> strawberry.ID | None:
        if self.row.series_id is not None:
            return to_id(self.row.series_id)
        return to_id(self.row.id) if self.row.recurrence_rule is not None else None

    @strawberry.field(
        description="The series' RFC 5545 rule (e.g. FREQ=WEEKLY;BYDAY=TU;COUNT=20), always bounded; null for a "
        "single event and a changed occurrence."
    )
    def recurrence_rule(self) -> str | None:
        return self.row.recurrence_rule

    @strawberry.field(description="The IANA time zone the event repeats in (the club's when it was scheduled).")
    def time_zone(self) -> str:
        return self.row.time_zone

    @strawberry.field(description="Minutes before the start attendees are reminded (the kind's defaults unless set).")
    def reminder_minutes(self) -> list[int]:
        return service.reminder_minutes_of(self.row)

    @strawberry.field(description="Who sees the event.")
    def visibility(self) -> models.Visibility:
        return self.row.visibility

    @strawberry.field(description="With ROLES visibility: the roles that see the event.")
    def visible_to_roles(self) -> list[str] | None:
        return self.row.visible_to_roles

    @strawberry.field(description="The hold on the booked resource; null without one.")
    def booking_status(self) -> models.BookingStatus | None:
        return self.row.booking_status

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
        first, last = service.event_days(self.starts_at, self.ends_at)
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
        if ":" in str(id):
            try:
                found = await service.get_event(info.context.session, principal, str(id))
            except DomainError:
                raise not_found("CalendarEvent", id) from None
            return cls.from_occurrence(found)
        row = await loaders.events(info).load(parse_id(id))
        if row is None or not principal.in_organization(row.organization_id):
            raise not_found("CalendarEvent", id)
        attendees = await loaders.attendees_of_event(info).load(row.id)
        invited = any(attendee.user_id == principal.user_id for attendee in attendees)
        teams = await service.teams_seen_by(info.context.session, principal)
        if not permissions.can_view_event(principal, row, invited=invited, teams=teams):
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
    def from_occurrence(cls, found: service.Occurrence) -> SchedulingClash:
        row = found.row
        return cls(
            id=strawberry.ID(found.id), title=row.title, kind=row.kind, starts_at=found.starts_at, ends_at=found.ends_at
        )


@strawberry.type(description="A scheduling problem that does not block the change: an attendee already busy elsewhere.")
class SchedulingWarning:
    message: str = strawberry.field(description="What the problem is, for people.")
    clashes: list[SchedulingClash] = strawberry.field(description="The overlapping events.")
    user_id: Private[uuid.UUID]

    @classmethod
    def from_warning(cls, warning: service.SchedulingWarning) -> SchedulingWarning:
        titles = ", ".join(repr(title) for title in dict.fromkeys(clash.row.title for clash in warning.clashes))
        return cls(
            message=f"attendee {warning.user_id} is already accepted or tentative for {titles} at that time",
            clashes=[SchedulingClash.from_occurrence(clash) for clash in warning.clashes],
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
            event=CalendarEvent.from_occurrence(result.occurrence),
            warnings=[SchedulingWarning.from_warning(warning) for warning in result.warnings],
            id=strawberry.ID(result.occurrence.id),
        )
