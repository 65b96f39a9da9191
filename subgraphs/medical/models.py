"""The medical service's tables. Every record carries the organization of the staff member who wrote it."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    ARRAY,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    SmallInteger,
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.database import TYPE_ANNOTATION_MAP, IdMixin, TimestampMixin, new_metadata, pg_enum, utcnow
from shared.database.kernel import include_kernel_tables
from shared.roster import include_roster_table
from subgraphs.medical.encryption import EncryptedText


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


class RestrictionSeverity(StrEnum):
    """How much of the restricted activity a player may still do: training scales the load and rest of
    their workouts by it, and COMPLETE exempts them (see the training service's compliance rules)."""

    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"
    COMPLETE = "complete"


class MedicalStatus(StrEnum):
    """Derived, never stored: see `service.medical_status`."""

    AVAILABLE = "available"
    LIMITED = "limited"
    INJURED = "injured"


class AvailabilityStatus(StrEnum):
    """Set by medical staff, with history; coaches see it, never why."""

    AVAILABLE = "available"
    LIMITED = "limited"
    LOAD_MANAGEMENT = "load_management"
    INJURED = "injured"
    ILL = "ill"


class ReturnToPlayPhase(StrEnum):
    """The graduated return to play, in order; each phase implies its restrictions
    (`return_to_play.PHASE_RESTRICTIONS`)."""

    REST = "rest"
    LIGHT_ACTIVITY = "light_activity"
    SPORT_SPECIFIC = "sport_specific"
    NON_CONTACT_TRAINING = "non_contact_training"
    FULL_CONTACT_PRACTICE = "full_contact_practice"
    GAME_CLEARANCE = "game_clearance"


class AccessAction(StrEnum):
    READ = "read"
    WRITE = "write"
    EXPORT = "export"


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
    diagnosis: Mapped[str] = mapped_column(EncryptedText)
    severity: Mapped[InjurySeverity] = mapped_column(pg_enum(InjurySeverity, "injury_severity"))
    status: Mapped[InjuryStatus] = mapped_column(pg_enum(InjuryStatus, "injury_status"))
    occurred_on: Mapped[date]
    expected_return_on: Mapped[date | None]
    resolved_on: Mapped[date | None]
    notes: Mapped[str | None] = mapped_column(EncryptedText)
    recorded_by: Mapped[uuid.UUID | None]


class Treatment(IdMixin, TimestampMixin, Base):
    __tablename__ = "injury_treatments"

    injury_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("injuries.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[uuid.UUID]
    treated_on: Mapped[date]
    kind: Mapped[TreatmentKind] = mapped_column(pg_enum(TreatmentKind, "treatment_kind"))
    provider: Mapped[str | None] = mapped_column(EncryptedText)
    notes: Mapped[str | None] = mapped_column(EncryptedText)
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
    severity: Mapped[RestrictionSeverity] = mapped_column(pg_enum(RestrictionSeverity, "restriction_severity"))
    body_part: Mapped[BodyPart | None] = mapped_column(pg_enum(BodyPart, "body_part"))
    max_intensity_percent: Mapped[int | None] = mapped_column(SmallInteger)
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    injury_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("injuries.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str | None] = mapped_column(EncryptedText)
    return_to_play_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("return_to_play_protocols.id", ondelete="SET NULL"), index=True
    )
    """Set on the restrictions a return-to-play phase implies: the next phase lifts them."""
    lifted_at: Mapped[datetime | None]
    lifted_by: Mapped[uuid.UUID | None]
    recorded_by: Mapped[uuid.UUID | None]


class HealthDataAccess(Base):
    """Who was shown or changed whose health records, which fields, and when: written by the reads and
    writes themselves. Append-only: no API changes it, and a trigger (migration 0003) refuses UPDATE and
    DELETE."""

    __tablename__ = "health_data_access"

    # Generated by the database: rows are written by INSERT ... SELECT, where a Python default would
    # give every row the same id.
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, server_default=func.gen_random_uuid())
    occurred_at: Mapped[datetime] = mapped_column(server_default=func.now(), index=True)
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    actor_roles: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    organization_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    """The club whose records they are (the caller's own, unless a platform administrator)."""
    player_id: Mapped[uuid.UUID] = mapped_column(index=True)
    injury_id: Mapped[uuid.UUID | None]
    source: Mapped[str] = mapped_column(String(80))
    """The field that showed or changed the records, e.g. `Player.injuries` or `recordInjury`."""
    action: Mapped[AccessAction] = mapped_column(
        pg_enum(AccessAction, "health_data_action"), server_default=AccessAction.READ.value
    )
    fields: Mapped[list[str]] = mapped_column(ARRAY(String(60)), server_default=text("'{}'"))
    """The health-data fields read or written, as the API names them."""
    request_id: Mapped[str | None] = mapped_column(String(64))


class AvailabilityChange(IdMixin, Base):
    """One change of a player's availability; the newest is the current status."""

    __tablename__ = "availability_changes"
    __table_args__ = (Index("ix_availability_changes_player_changed", "player_id", "changed_at"),)

    organization_id: Mapped[uuid.UUID] = mapped_column(index=True)
    player_id: Mapped[uuid.UUID]
    status: Mapped[AvailabilityStatus] = mapped_column(pg_enum(AvailabilityStatus, "availability_status"))
    previous_status: Mapped[AvailabilityStatus | None] = mapped_column(
        pg_enum(AvailabilityStatus, "availability_status")
    )
    changed_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow)
    changed_by: Mapped[uuid.UUID | None]
    note: Mapped[str | None] = mapped_column(EncryptedText)
    """Why (e.g. the illness): health data, for medical eyes only."""


class ReturnToPlayProtocol(IdMixin, TimestampMixin, Base):
    """A player's way back from one injury, one phase at a time."""

    __tablename__ = "return_to_play_protocols"
    __table_args__ = (
        # One protocol in progress per injury; a finished one can be followed by a new one (a setback).
        Index(
            "uq_return_to_play_protocols_open_injury",
            "injury_id",
            unique=True,
            postgresql_where=text("completed_at IS NULL"),
        ),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(index=True)
    player_id: Mapped[uuid.UUID] = mapped_column(index=True)
    injury_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("injuries.id", ondelete="CASCADE"))
    phase: Mapped[ReturnToPlayPhase] = mapped_column(pg_enum(ReturnToPlayPhase, "return_to_play_phase"))
    completed_at: Mapped[datetime | None]
    started_by: Mapped[uuid.UUID | None]


class ReturnToPlayStep(IdMixin, Base):
    """A phase entered: who cleared the player for it, and when."""

    __tablename__ = "return_to_play_steps"
    __table_args__ = (UniqueConstraint("protocol_id", "phase"),)

    protocol_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("return_to_play_protocols.id", ondelete="CASCADE"))
    phase: Mapped[ReturnToPlayPhase] = mapped_column(pg_enum(ReturnToPlayPhase, "return_to_play_phase"))
    cleared_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow)
    cleared_by: Mapped[uuid.UUID | None]
    notes: Mapped[str | None] = mapped_column(EncryptedText)


class WellnessCheckIn(IdMixin, TimestampMixin, Base):
    """A player's morning check-in, one per day (a second one that day replaces the first)."""

    __tablename__ = "wellness_check_ins"
    __table_args__ = (
        UniqueConstraint("player_id", "day"),
        CheckConstraint("sleep_hours BETWEEN 0 AND 24", name="sleep_hours"),
        CheckConstraint(
            "sleep_quality BETWEEN 1 AND 10 AND energy BETWEEN 1 AND 10 AND stress BETWEEN 1 AND 10 "
            "AND soreness BETWEEN 1 AND 10 AND mood BETWEEN 1 AND 10",
            name="scales",
        ),
        CheckConstraint("resting_heart_rate IS NULL OR resting_heart_rate BETWEEN 20 AND 250", name="heart_rate"),
        CheckConstraint("hrv_ms IS NULL OR hrv_ms BETWEEN 1 AND 500", name="hrv"),
        Index("ix_wellness_check_ins_team_day", "team_id", "day"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(index=True)
    player_id: Mapped[uuid.UUID]
    team_id: Mapped[uuid.UUID | None]
    """The player's team on the day, from the roster copy, for team summaries."""
    day: Mapped[date]
    sleep_hours: Mapped[float] = mapped_column(Numeric(3, 1, asdecimal=False))
    sleep_quality: Mapped[int] = mapped_column(SmallInteger)
    energy: Mapped[int] = mapped_column(SmallInteger)
    stress: Mapped[int] = mapped_column(SmallInteger)
    soreness: Mapped[int] = mapped_column(SmallInteger)
    mood: Mapped[int] = mapped_column(SmallInteger)
    resting_heart_rate: Mapped[int | None] = mapped_column(SmallInteger)
    hrv_ms: Mapped[int | None] = mapped_column(SmallInteger)
    pain_areas: Mapped[list[BodyPart]] = mapped_column(
        ARRAY(pg_enum(BodyPart, "body_part")), server_default=text("'{}'")
    )
    notes: Mapped[str | None] = mapped_column(EncryptedText)
    """The player's own words: health data, never in summaries or alerts."""
    recorded_by: Mapped[uuid.UUID | None]


class DocumentKind(StrEnum):
    IMAGING = "imaging"
    MEDICAL_REPORT = "medical_report"
    REFERRAL = "referral"
    CLEARANCE = "clearance"
    OTHER = "other"


class InjuryDocument(IdMixin, Base):
    """A document about an injury, as metadata: the file itself lives outside Hockey Hub."""

    __tablename__ = "injury_documents"
    __table_args__ = (CheckConstraint("size_bytes >= 0", name="size"),)

    injury_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("injuries.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[uuid.UUID]
    kind: Mapped[DocumentKind] = mapped_column(pg_enum(DocumentKind, "document_kind"))
    file_name: Mapped[str] = mapped_column(EncryptedText)
    """Encrypted: names like `mri-left-acl-tear.pdf` are diagnoses."""
    content_type: Mapped[str] = mapped_column(String(120))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    uploaded_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow)
    uploaded_by: Mapped[uuid.UUID | None]


class InjuryReport(IdMixin, Base):
    """A medical report entry on an injury (examination findings, progress)."""

    __tablename__ = "injury_reports"

    injury_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("injuries.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[uuid.UUID]
    written_on: Mapped[date]
    body: Mapped[str] = mapped_column(EncryptedText)
    written_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow)
    written_by: Mapped[uuid.UUID | None]
