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

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
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
"""Exclusion constraint: two non-cancelled events on one resource never overlap in time."""


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


class CalendarEvent(IdMixin, TimestampMixin, Base):
    __tablename__ = "calendar_events"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
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


class EventAttendee(TimestampMixin, Base):
    """A user invited to an event, with their answer."""

    __tablename__ = "calendar_event_attendees"

    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("calendar_events.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, index=True)
    status: Mapped[RsvpStatus] = mapped_column(pg_enum(RsvpStatus, "rsvp_status"), default=RsvpStatus.PENDING)
    responded_at: Mapped[datetime | None]


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
