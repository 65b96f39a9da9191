"""The medical service's tables. Every record carries the organization of the staff member who wrote it."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ARRAY, CheckConstraint, ForeignKey, Index, SmallInteger, String, Text, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.database import TYPE_ANNOTATION_MAP, IdMixin, TimestampMixin, new_metadata, pg_enum
from shared.database.kernel import include_kernel_tables
from shared.roster import include_roster_table


class Base(DeclarativeBase):
    metadata = new_metadata()
    type_annotation_map = TYPE_ANNOTATION_MAP


include_kernel_tables(Base.metadata)
# Which club a player belongs to, so that callers of another club get nothing, and writes cannot attach a
# record to another club's player.
include_roster_table(Base.metadata)


class BodyPart(StrEnum):
    HEAD = "head"
    NECK = "neck"
    SHOULDER = "shoulder"
    ARM = "arm"
    ELBOW = "elbow"
    WRIST = "wrist"
    HAND = "hand"
    BACK = "back"
    CHEST = "chest"
    ABDOMEN = "abdomen"
    HIP = "hip"
    GROIN = "groin"
    THIGH = "thigh"
    KNEE = "knee"
    LOWER_LEG = "lower_leg"
    ANKLE = "ankle"
    FOOT = "foot"
    OTHER = "other"


class InjurySeverity(StrEnum):
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


class InjuryStatus(StrEnum):
    ACTIVE = "active"
    RECOVERING = "recovering"
    RESOLVED = "resolved"


class TreatmentKind(StrEnum):
    ASSESSMENT = "assessment"
    PHYSIOTHERAPY = "physiotherapy"
    MANUAL_THERAPY = "manual_therapy"
    CRYOTHERAPY = "cryotherapy"
    TAPING = "taping"
    MEDICATION = "medication"
    IMAGING = "imaging"
    SURGERY = "surgery"
    REHABILITATION = "rehabilitation"
    OTHER = "other"


class RestrictionKind(StrEnum):
    NO_CONTACT = "no_contact"
    NO_SKATING = "no_skating"
    NO_LOWER_BODY_LOAD = "no_lower_body_load"
    NO_UPPER_BODY_LOAD = "no_upper_body_load"
    LIMITED_INTENSITY = "limited_intensity"
    NO_GAME_PLAY = "no_game_play"
    REST = "rest"


class MedicalStatus(StrEnum):
    """Derived, never stored: see `service.medical_status`."""

    AVAILABLE = "available"
    LIMITED = "limited"
    INJURED = "injured"


class Injury(IdMixin, TimestampMixin, Base):
    __tablename__ = "injuries"
    __table_args__ = (
        CheckConstraint("expected_return_on IS NULL OR expected_return_on >= occurred_on", name="return_after_injury"),
        CheckConstraint("resolved_on IS NULL OR resolved_on >= occurred_on", name="resolved_after_injury"),
        CheckConstraint("(status = 'resolved') = (resolved_on IS NOT NULL)", name="resolved_has_date"),
        Index("ix_injuries_player_status", "player_id", "status"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(index=True)
    player_id: Mapped[uuid.UUID]
    body_part: Mapped[BodyPart] = mapped_column(pg_enum(BodyPart, "body_part"))
    diagnosis: Mapped[str] = mapped_column(String(300))
    severity: Mapped[InjurySeverity] = mapped_column(pg_enum(InjurySeverity, "injury_severity"))
    status: Mapped[InjuryStatus] = mapped_column(pg_enum(InjuryStatus, "injury_status"))
    occurred_on: Mapped[date]
    expected_return_on: Mapped[date | None]
    resolved_on: Mapped[date | None]
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[uuid.UUID | None]


class Treatment(IdMixin, TimestampMixin, Base):
    __tablename__ = "injury_treatments"

    injury_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("injuries.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[uuid.UUID]
    treated_on: Mapped[date]
    kind: Mapped[TreatmentKind] = mapped_column(pg_enum(TreatmentKind, "treatment_kind"))
    provider: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[uuid.UUID | None]


class Restriction(IdMixin, TimestampMixin, Base):
    """What a player may not do from `starts_on` through `ends_on` (open-ended when null)."""

    __tablename__ = "restrictions"
    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
        CheckConstraint(
            "max_intensity_percent IS NULL OR max_intensity_percent BETWEEN 0 AND 100",
            name="intensity_percent",
        ),
        Index("ix_restrictions_player_period", "player_id", "starts_on", "ends_on"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(index=True)
    player_id: Mapped[uuid.UUID]
    kind: Mapped[RestrictionKind] = mapped_column(pg_enum(RestrictionKind, "restriction_kind"))
    body_part: Mapped[BodyPart | None] = mapped_column(pg_enum(BodyPart, "body_part"))
    max_intensity_percent: Mapped[int | None] = mapped_column(SmallInteger)
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    injury_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("injuries.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    lifted_at: Mapped[datetime | None]
    lifted_by: Mapped[uuid.UUID | None]
    recorded_by: Mapped[uuid.UUID | None]


class HealthDataAccess(Base):
    """Who was shown whose health records, and when: written by the reads themselves."""

    __tablename__ = "health_data_access"

    # Generated by the database: rows are written by INSERT ... SELECT, where a Python default would
    # give every row the same id.
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, server_default=func.gen_random_uuid())
    occurred_at: Mapped[datetime] = mapped_column(server_default=func.now(), index=True)
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    actor_roles: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    organization_id: Mapped[uuid.UUID | None]
    player_id: Mapped[uuid.UUID] = mapped_column(index=True)
    injury_id: Mapped[uuid.UUID | None]
    source: Mapped[str] = mapped_column(String(80))
    """The field that showed the records, e.g. `Player.injuries`."""
    request_id: Mapped[str | None] = mapped_column(String(64))
