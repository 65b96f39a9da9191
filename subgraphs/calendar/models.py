"""The calendar service's tables.

Events and attendees are separate rows (not arrays), so recurrence (a series table and an event's
`series_id`), reminders and exports can be added later as new tables and columns without reshaping
these. Double-booking a resource is refused by the exclusion constraint `RESOURCE_OVERLAP`, written by
hand in the migration (autogenerate cannot express it).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ARRAY, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint, Uuid, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.database import TYPE_ANNOTATION_MAP, IdMixin, TimestampMixin, new_metadata, pg_enum
from shared.database.kernel import include_kernel_tables
from shared.roster import include_roster_table


class Base(DeclarativeBase):
    metadata = new_metadata()
    type_annotation_map = TYPE_ANNOTATION_MAP


include_kernel_tables(Base.metadata)
include_roster_table(Base.metadata)

RESOURCE_OVERLAP = "ex_calendar_events_resource_overlap"
"""Exclusion constraint: two single (non-recurring), non-cancelled, non-rejected events on one resource
never overlap in time. Series and buffers are checked by the service under a lock on the resource row."""

DEFAULT_TIME_ZONE = "Europe/Stockholm"
"""The zone of a club that has not chosen one (`calendar_settings`)."""


class ResourceKind(StrEnum):
    ICE_RINK = "ice_rink"
    ROOM = "room"
    GYM = "gym"
    FIELD = "field"
    VEHICLE = "vehicle"
    EQUIPMENT = "equipment"
    OTHER = "other"


class CalendarEventKind(StrEnum):
    PRACTICE = "practice"
    GAME = "game"
    MEETING = "meeting"
    TRAINING = "training"
    MEDICAL = "medical"
    OTHER = "other"


class CalendarEventStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class RsvpStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    TENTATIVE = "tentative"


class AttendeeRole(StrEnum):
    ORGANIZER = "organizer"
    REQUIRED = "required"
    OPTIONAL = "optional"
    STAFF = "staff"


class Visibility(StrEnum):
    PUBLIC = "public"
    """Everyone in the club."""
    TEAM = "team"
    """The club's staff, the team's members, its players' parents and the invited."""
    PRIVATE = "private"
    """The organizer and the invited only."""
    ROLES = "roles"
    """The invited and club members holding one of `visible_to_roles`."""


class BookingStatus(StrEnum):
    """The state of an event's hold on its resource; null for an event without one."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


BLOCKING_BOOKINGS = (BookingStatus.PENDING, BookingStatus.CONFIRMED)
"""Bookings that keep a resource busy: a rejected request frees it again."""

BUSY_RSVPS = (RsvpStatus.ACCEPTED, RsvpStatus.TENTATIVE)
"""An attendee with one of these answers is counted as busy during the event."""


class CalendarResource(IdMixin, TimestampMixin, Base):
    """Something events book: a rink, a room, a gym, a bus."""

    __tablename__ = "calendar_resources"
    __table_args__ = (
        UniqueConstraint("organization_id", "name"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
    )

    organization_id: Mapped[uuid.UUID]
    """Leading column of the unique (organization, name) index, so no index of its own."""
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[ResourceKind] = mapped_column(pg_enum(ResourceKind, "resource_kind"))
    capacity: Mapped[int | None] = mapped_column(Integer)
    location: Mapped[str | None] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(default=True)
    buffer_minutes: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    """Kept free before and after every booking (ice resurfacing, cleaning)."""
    opening_hours: Mapped[list[dict[str, str | int]] | None] = mapped_column(JSONB)
    """`[{"weekday": 0..6 (Monday 0), "opens": "HH:MM", "closes": "HH:MM"}]` in the club's zone; null is
    always open."""
    requires_approval: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    """Bookings stay pending until a club administrator or the equipment manager approves them."""


class CalendarEvent(IdMixin, TimestampMixin, Base):
    __tablename__ = "calendar_events"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        UniqueConstraint("series_id", "original_starts_at"),
        # Range reads of a club's calendar: events starting before the window ends, in order.
        Index("ix_calendar_events_organization_id_starts_at", "organization_id", "starts_at"),
    )

    organization_id: Mapped[uuid.UUID]
    kind: Mapped[CalendarEventKind] = mapped_column(pg_enum(CalendarEventKind, "calendar_event_kind"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    team_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    """A team of the user service; a reference, not a foreign key (another database)."""
    location: Mapped[str | None] = mapped_column(String(200))
    resource_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("calendar_resources.id", ondelete="RESTRICT"), index=True
    )
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    organizer_user_id: Mapped[uuid.UUID]
    status: Mapped[CalendarEventStatus] = mapped_column(
        pg_enum(CalendarEventStatus, "calendar_event_status"), default=CalendarEventStatus.SCHEDULED
    )
    cancelled_at: Mapped[datetime | None]
    cancellation_reason: Mapped[str | None] = mapped_column(String(500))
    time_zone: Mapped[str] = mapped_column(String(64), server_default=text(f"'{DEFAULT_TIME_ZONE}'"))
    """The zone a series repeats in (its wall-clock time stays put across daylight-saving changes)."""
    recurrence_rule: Mapped[str | None] = mapped_column(Text)
    """An RFC 5545 RRULE (without DTSTART) on a series; `starts_at`/`ends_at` are its first occurrence."""
    recurs_until: Mapped[datetime | None]
    """The end of the series' last occurrence (bounded: COUNT, UNTIL or two years)."""
    series_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("calendar_events.id", ondelete="CASCADE"))
    """On an exception: the series one occurrence of which this row replaces (changed or cancelled)."""
    original_starts_at: Mapped[datetime | None]
    """On an exception: the start the rule gave the occurrence it replaces."""
    reminder_minutes: Mapped[list[int] | None] = mapped_column(ARRAY(Integer))
    """Minutes before the start to remind attendees; null means the defaults of the event's kind."""
    visibility: Mapped[Visibility] = mapped_column(
        pg_enum(Visibility, "event_visibility"), default=Visibility.TEAM, server_default=text("'team'")
    )
    visible_to_roles: Mapped[list[str] | None] = mapped_column(ARRAY(String(40)))
    booking_status: Mapped[BookingStatus | None] = mapped_column(pg_enum(BookingStatus, "booking_status"))


class CalendarSettings(Base):
    """A club's calendar settings: the time zone its series repeat in (the calendar keeps its own copy,
    since the user service does not publish one)."""

    __tablename__ = "calendar_settings"

    organization_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    time_zone: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime]


class EventAttendee(TimestampMixin, Base):
    """A user invited to an event, with their answer."""

    __tablename__ = "calendar_event_attendees"

    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("calendar_events.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, index=True)
    status: Mapped[RsvpStatus] = mapped_column(pg_enum(RsvpStatus, "rsvp_status"), default=RsvpStatus.PENDING)
    responded_at: Mapped[datetime | None]
    role: Mapped[AttendeeRole] = mapped_column(
        pg_enum(AttendeeRole, "attendee_role"), default=AttendeeRole.REQUIRED, server_default=text("'required'")
    )
    checked_in_at: Mapped[datetime | None]
    checked_in_by: Mapped[uuid.UUID | None]


class ReminderSent(Base):
    """One reminder to one person: the primary key makes sending it twice impossible, even from two
    processes (INSERT .. ON CONFLICT DO NOTHING decides who sends)."""

    __tablename__ = "calendar_reminders_sent"

    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("calendar_events.id", ondelete="CASCADE"), primary_key=True)
    occurrence_starts_at: Mapped[datetime] = mapped_column(primary_key=True)
    """The occurrence's original start (a single event's start), part of its stable id."""
    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    minutes: Mapped[int] = mapped_column(Integer, primary_key=True)
    sent_at: Mapped[datetime]


class FeedToken(IdMixin, Base):
    """A calendar subscription URL's secret; only its SHA-256 is kept. A user's own feed, or a team's.

    A calendar app fetches the feed without signing in, so a user's feed shows what its owner could see
    when they made it (`team_ids`, `child_ids`, `roles`, `is_staff` are that snapshot, narrowed as the
    owner loses access: `service.feeds`); a team's feed shows the team's public and team events only,
    never private or role-restricted ones.
    """

    __tablename__ = "calendar_feed_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    organization_id: Mapped[uuid.UUID]
    user_id: Mapped[uuid.UUID] = mapped_column(index=True)
    """Whose feed, or who made the team's feed."""
    team_id: Mapped[uuid.UUID | None]
    team_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid))
    child_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid), server_default=text("'{}'"), default=list)
    """A parent's children (players): their teams are looked up when the feed is fetched, so the feed
    follows a child who moves team."""
    roles: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    is_staff: Mapped[bool]
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class UnavailabilityReason(StrEnum):
    INJURY = "injury"
    REST_ORDER = "rest_order"


class PlayerUnavailability(Base):
    """Days a player is out, copied from the medical service's injury and rest-order events.

    Only the reason and the dates: no diagnosis, body part or note ever reaches the calendar. One row per
    medical record (`source_id`, an injury or restriction id), so a later event about the same record
    replaces its dates; `source_occurred_at` keeps an older, late event from overwriting a newer one.
    The days are `[starts_on, available_from)`; `available_from` null means until further notice.
    """

    __tablename__ = "player_unavailability"
    __table_args__ = (Index("ix_player_unavailability_player_id_starts_on", "player_id", "starts_on"),)

    source_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID]
    player_id: Mapped[uuid.UUID]
    reason: Mapped[UnavailabilityReason] = mapped_column(pg_enum(UnavailabilityReason, "unavailability_reason"))
    starts_on: Mapped[date]
    available_from: Mapped[date | None]
    source_occurred_at: Mapped[datetime]
