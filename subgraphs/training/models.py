"""The training service's tables.

A workout's structure (exercises with their sets, an interval program, blocks, drills) is one JSONB
document (`content`): it is always written and read whole, validated by `content.py`, and its shape
depends on the workout's kind. Everything that is queried on its own (library, assignments) is relational.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ARRAY,
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.database import TYPE_ANNOTATION_MAP, IdMixin, TimestampMixin, new_metadata, pg_enum
from shared.database.kernel import include_kernel_tables
from shared.roster import include_roster_table


class Base(DeclarativeBase):
    metadata = new_metadata()
    type_annotation_map = TYPE_ANNOTATION_MAP


include_kernel_tables(Base.metadata)
# Team assignments are expanded from the roster copy.
include_roster_table(Base.metadata)


class ExerciseCategory(StrEnum):
    STRENGTH = "strength"
    CONDITIONING = "conditioning"
    MOBILITY = "mobility"
    AGILITY = "agility"
    PLYOMETRICS = "plyometrics"
    RECOVERY = "recovery"
    SKILL = "skill"


class MuscleGroup(StrEnum):
    CHEST = "chest"
    BACK = "back"
    SHOULDERS = "shoulders"
    BICEPS = "biceps"
    TRICEPS = "triceps"
    FOREARMS = "forearms"
    CORE = "core"
    GLUTES = "glutes"
    HIP_FLEXORS = "hip_flexors"
    ADDUCTORS = "adductors"
    QUADRICEPS = "quadriceps"
    HAMSTRINGS = "hamstrings"
    CALVES = "calves"
    FULL_BODY = "full_body"


class ExerciseUnit(StrEnum):
    REPS = "reps"
    SECONDS = "seconds"
    METERS = "meters"
    WATTS = "watts"
    KILOGRAMS = "kilograms"


class WorkoutKind(StrEnum):
    STRENGTH = "strength"
    CONDITIONING = "conditioning"
    HYBRID = "hybrid"
    AGILITY = "agility"


class ConditioningEquipment(StrEnum):
    ROWER = "rower"
    BIKE = "bike"
    SKI_ERG = "ski_erg"
    TREADMILL = "treadmill"
    RUNNING = "running"


class TemplateVisibility(StrEnum):
    PRIVATE = "private"
    TEAM = "team"
    ORGANIZATION = "organization"


class AssignmentStatus(StrEnum):
    ASSIGNED = "assigned"
    COMPLETED = "completed"
    SKIPPED = "skipped"


class Exercise(IdMixin, TimestampMixin, Base):
    """An entry of a club's exercise library."""

    __tablename__ = "exercises"

    organization_id: Mapped[uuid.UUID] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(120))
    category: Mapped[ExerciseCategory] = mapped_column(pg_enum(ExerciseCategory, "exercise_category"))
    muscle_groups: Mapped[list[MuscleGroup]] = mapped_column(ARRAY(pg_enum(MuscleGroup, "muscle_group")), default=list)
    equipment: Mapped[list[str]] = mapped_column(ARRAY(String(60)), default=list)
    unit: Mapped[ExerciseUnit] = mapped_column(pg_enum(ExerciseUnit, "exercise_unit"))
    description: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[uuid.UUID | None]


# Case-insensitive: "Back Squat" and "back squat" are the same exercise of a club.
Index("uq_exercises_organization_name", Exercise.organization_id, func.lower(Exercise.name), unique=True)


class Workout(IdMixin, TimestampMixin, Base):
    __tablename__ = "workouts"

    organization_id: Mapped[uuid.UUID] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[WorkoutKind] = mapped_column(pg_enum(WorkoutKind, "workout_kind"))
    description: Mapped[str | None] = mapped_column(Text)
    content: Mapped[dict[str, Any]] = mapped_column(JSONB)
    template_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("workout_templates.id", ondelete="SET NULL"))
    """The template the workout was created from, if any."""
    created_by: Mapped[uuid.UUID | None]


class WorkoutTemplate(IdMixin, TimestampMixin, Base):
    """A reusable copy of a workout's structure, shared privately, with a team, or with the club."""

    __tablename__ = "workout_templates"
    __table_args__ = (
        CheckConstraint("(visibility = 'team') = (team_id IS NOT NULL)", name="team_visibility_has_team"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[WorkoutKind] = mapped_column(pg_enum(WorkoutKind, "workout_kind"))
    description: Mapped[str | None] = mapped_column(Text)
    content: Mapped[dict[str, Any]] = mapped_column(JSONB)
    visibility: Mapped[TemplateVisibility] = mapped_column(pg_enum(TemplateVisibility, "template_visibility"))
    team_id: Mapped[uuid.UUID | None]
    source_workout_id: Mapped[uuid.UUID | None]
    """The workout it was saved from; the template is a copy and outlives changes to it."""
    created_by: Mapped[uuid.UUID | None]


class WorkoutAssignment(IdMixin, TimestampMixin, Base):
    """A workout given to players (and/or a team's roster at that time) for a day or a date range."""

    __tablename__ = "workout_assignments"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        CheckConstraint("(override_reason IS NULL) = (override_at IS NULL)", name="override_has_time"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(index=True)
    workout_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workouts.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    note: Mapped[str | None] = mapped_column(Text)
    assigned_by: Mapped[uuid.UUID | None]
    override_reason: Mapped[str | None] = mapped_column(String(500))
    """Why the trainer assigned it despite the players' medical restrictions (see `restrictions/`)."""
    override_by: Mapped[uuid.UUID | None]
    override_at: Mapped[datetime | None]


class PlayerWorkout(IdMixin, TimestampMixin, Base):
    """One player's part of an assignment: their load, and whether and how they did it."""

    __tablename__ = "player_workouts"
    __table_args__ = (
        UniqueConstraint("assignment_id", "player_id"),
        CheckConstraint("load_modifier_percent BETWEEN 10 AND 200", name="load_modifier_range"),
        CheckConstraint("rpe IS NULL OR rpe BETWEEN 1 AND 10", name="rpe_range"),
        CheckConstraint("minutes IS NULL OR minutes BETWEEN 1 AND 600", name="minutes_range"),
        CheckConstraint("(status = 'completed') = (completed_on IS NOT NULL)", name="completed_has_date"),
        Index("ix_player_workouts_player_period", "player_id", "starts_on", "ends_on"),
    )

    assignment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workout_assignments.id", ondelete="CASCADE"), index=True
    )
    organization_id: Mapped[uuid.UUID]
    player_id: Mapped[uuid.UUID]
    team_id: Mapped[uuid.UUID | None]
    """The player's team when the workout was assigned."""
    workout_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workouts.id", ondelete="CASCADE"))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    load_modifier_percent: Mapped[int] = mapped_column(SmallInteger, default=100)
    status: Mapped[AssignmentStatus] = mapped_column(
        pg_enum(AssignmentStatus, "assignment_status"), default=AssignmentStatus.ASSIGNED
    )
    completed_on: Mapped[date | None]
    completed_at: Mapped[datetime | None]
    rpe: Mapped[int | None] = mapped_column(SmallInteger)
    minutes: Mapped[int | None] = mapped_column(SmallInteger)
    skipped_reason: Mapped[str | None] = mapped_column(String(500))


class PerformedSet(IdMixin, Base):
    """One set (or bout) a player actually did of an exercise when completing an assigned workout.

    Relational rather than part of the workout's document: progression reads one exercise of one player
    across many sessions. Which of the measures are required depends on the exercise's unit
    (`service.execution`).
    """

    __tablename__ = "performed_sets"
    __table_args__ = (
        UniqueConstraint("player_workout_id", "exercise_index", "set_number"),
        CheckConstraint("set_number >= 1", name="set_number_positive"),
        CheckConstraint("reps IS NULL OR reps BETWEEN 1 AND 1000", name="reps_range"),
        CheckConstraint("load_kg IS NULL OR load_kg BETWEEN 0 AND 1000", name="load_range"),
        CheckConstraint("seconds IS NULL OR seconds BETWEEN 1 AND 36000", name="seconds_range"),
        CheckConstraint("meters IS NULL OR meters BETWEEN 1 AND 100000", name="meters_range"),
        CheckConstraint("heart_rate_avg IS NULL OR heart_rate_avg BETWEEN 20 AND 250", name="heart_rate_avg_range"),
        CheckConstraint("heart_rate_max IS NULL OR heart_rate_max BETWEEN 20 AND 250", name="heart_rate_max_range"),
        Index("ix_performed_sets_player_exercise", "player_id", "exercise_id"),
    )

    player_workout_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("player_workouts.id", ondelete="CASCADE"), index=True
    )
    organization_id: Mapped[uuid.UUID]
    player_id: Mapped[uuid.UUID]
    exercise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("exercises.id", ondelete="CASCADE"))
    exercise_index: Mapped[int] = mapped_column(SmallInteger)
    """The exercise's position in what the player reported (the same exercise may come twice)."""
    set_number: Mapped[int] = mapped_column(SmallInteger)
    reps: Mapped[int | None] = mapped_column(SmallInteger)
    load_kg: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    seconds: Mapped[int | None]
    meters: Mapped[int | None]
    heart_rate_avg: Mapped[int | None] = mapped_column(SmallInteger)
    heart_rate_max: Mapped[int | None] = mapped_column(SmallInteger)


class Facility(IdMixin, TimestampMixin, Base):
    """A place of a club with conditioning machines that teams reserve (a gym, a rink's dryland room)."""

    __tablename__ = "facilities"

    organization_id: Mapped[uuid.UUID] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(120))
    created_by: Mapped[uuid.UUID | None]


Index("uq_facilities_organization_name", Facility.organization_id, func.lower(Facility.name), unique=True)


class FacilityMachine(Base):
    """How many machines of one kind a facility has. Reserving locks this row: reservations of one kind of
    machine in one facility are serialized, so two bookings can never both take the last machines."""

    __tablename__ = "facility_machines"
    __table_args__ = (CheckConstraint("count BETWEEN 1 AND 200", name="count_range"),)

    facility_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("facilities.id", ondelete="CASCADE"), primary_key=True)
    equipment: Mapped[ConditioningEquipment] = mapped_column(
        pg_enum(ConditioningEquipment, "conditioning_equipment"), primary_key=True
    )
    count: Mapped[int] = mapped_column(SmallInteger)


class EquipmentReservation(IdMixin, TimestampMixin, Base):
    """Some machines of one kind of a facility, held for [starts_at, ends_at); kept when cancelled."""

    __tablename__ = "equipment_reservations"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("count >= 1", name="count_positive"),
        Index("ix_equipment_reservations_facility_time", "facility_id", "equipment", "starts_at", "ends_at"),
    )

    organization_id: Mapped[uuid.UUID]
    facility_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("facilities.id", ondelete="CASCADE"))
    equipment: Mapped[ConditioningEquipment] = mapped_column(pg_enum(ConditioningEquipment, "conditioning_equipment"))
    count: Mapped[int] = mapped_column(SmallInteger)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    workout_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("workouts.id", ondelete="SET NULL"))
    reserved_by: Mapped[uuid.UUID | None]
    cancelled_at: Mapped[datetime | None]
    cancelled_by: Mapped[uuid.UUID | None]


class LiveSessionStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


class LiveParticipantStatus(StrEnum):
    ACTIVE = "active"
    LEFT = "left"
    COMPLETED = "completed"


class LiveSession(IdMixin, TimestampMixin, Base):
    """A workout done together now, led by a trainer: the players report progress as they go.

    `version` grows by one with every change (start, progress, join, leave, end), under the row's lock, so
    changes of one session are serialized and a screen can tell a newer state from an older one.
    """

    __tablename__ = "live_sessions"
    __table_args__ = (
        CheckConstraint("(status = 'ended') = (ended_at IS NOT NULL)", name="ended_has_time"),
        Index("ix_live_sessions_team_status", "team_id", "status"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(index=True)
    team_id: Mapped[uuid.UUID]
    workout_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workouts.id", ondelete="CASCADE"), index=True)
    assignment_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("workout_assignments.id", ondelete="SET NULL"), index=True
    )
    """The assignment it was started for, if any: ending the session completes the players' part of it."""
    status: Mapped[LiveSessionStatus] = mapped_column(
        pg_enum(LiveSessionStatus, "live_session_status"), default=LiveSessionStatus.ACTIVE
    )
    version: Mapped[int] = mapped_column(default=1)
    started_by: Mapped[uuid.UUID | None]
    started_at: Mapped[datetime]
    ended_by: Mapped[uuid.UUID | None]
    ended_at: Mapped[datetime | None]


class LiveSessionPlayer(IdMixin, Base):
    """One player in a live session, with the latest progress reported for them."""

    __tablename__ = "live_session_players"
    __table_args__ = (
        UniqueConstraint("session_id", "player_id"),
        CheckConstraint("completion_percent BETWEEN 0 AND 100", name="completion_percent_range"),
        CheckConstraint("heart_rate IS NULL OR heart_rate BETWEEN 20 AND 250", name="heart_rate_range"),
        CheckConstraint("set_number IS NULL OR set_number >= 1", name="set_number_positive"),
        CheckConstraint("interval_number IS NULL OR interval_number >= 1", name="interval_number_positive"),
        CheckConstraint("(status = 'left') = (left_at IS NOT NULL)", name="left_has_time"),
        CheckConstraint("(status = 'completed') = (completed_at IS NOT NULL)", name="completed_has_time"),
        Index("ix_live_session_players_player", "player_id"),
    )

    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("live_sessions.id", ondelete="CASCADE"))
    player_id: Mapped[uuid.UUID]
    status: Mapped[LiveParticipantStatus] = mapped_column(
        pg_enum(LiveParticipantStatus, "live_participant_status"), default=LiveParticipantStatus.ACTIVE
    )
    joined_at: Mapped[datetime]
    left_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    exercise_id: Mapped[uuid.UUID | None]
    """The library exercise of the workout the player is doing now."""
    set_number: Mapped[int | None] = mapped_column(SmallInteger)
    interval_number: Mapped[int | None] = mapped_column(SmallInteger)
    heart_rate: Mapped[int | None] = mapped_column(SmallInteger)
    completion_percent: Mapped[int] = mapped_column(SmallInteger, default=0)
    reported_at: Mapped[datetime | None]
    reported_by: Mapped[uuid.UUID | None]
    player_workout_id: Mapped[uuid.UUID | None]
    """The player's part of the session's assignment, completed when the session ends."""


class RestrictionKind(StrEnum):
    """What a player may not do, as the medical service restricts it, plus UNAVAILABLE (an active injury)."""

    NO_CONTACT = "no_contact"
    NO_SKATING = "no_skating"
    NO_LOWER_BODY_LOAD = "no_lower_body_load"
    NO_UPPER_BODY_LOAD = "no_upper_body_load"
    LIMITED_INTENSITY = "limited_intensity"
    NO_GAME_PLAY = "no_game_play"
    REST = "rest"
    UNAVAILABLE = "unavailable"


class RestrictionSource(StrEnum):
    RESTRICTION = "restriction"
    INJURY = "injury"


class PlayerRestriction(Base):
    """A player's restriction as a trainer may see it, copied from the medical service's events.

    The id is the medical record's (a restriction, or an injury for UNAVAILABLE), so every event about it
    lands on one row. Rows stay when lifted (`in_force` false): `source_occurred_at`, the time of the event
    that last wrote the row, is what keeps an older event arriving late from undoing a newer one. No
    diagnosis, note or reason is ever stored here.
    """

    __tablename__ = "player_restrictions"
    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
        CheckConstraint(
            "max_intensity_percent IS NULL OR max_intensity_percent BETWEEN 0 AND 100", name="intensity_percent"
        ),
        Index("ix_player_restrictions_player_in_force", "player_id", "in_force"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID]
    player_id: Mapped[uuid.UUID]
    source: Mapped[RestrictionSource] = mapped_column(pg_enum(RestrictionSource, "restriction_source"))
    kind: Mapped[RestrictionKind] = mapped_column(pg_enum(RestrictionKind, "restriction_kind"))
    body_part: Mapped[str | None] = mapped_column(String(40))
    max_intensity_percent: Mapped[int | None] = mapped_column(SmallInteger)
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    expected_return_on: Mapped[date | None]
    """UNAVAILABLE only: when the medical staff expect the player back (an estimate, not an end)."""
    in_force: Mapped[bool]
    source_occurred_at: Mapped[datetime]


class RestrictionConflict(Base):
    """A player's open workout that a restriction in force forbids: the flag the trainer sees."""

    __tablename__ = "restriction_conflicts"
    __table_args__ = (UniqueConstraint("player_workout_id", "restriction_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, server_default=func.gen_random_uuid())
    player_workout_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("player_workouts.id", ondelete="CASCADE"))
    restriction_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("player_restrictions.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(500))
    overridden: Mapped[bool] = mapped_column(default=False)
    """True when the trainer assigned the workout knowing of this conflict (the assignment's override)."""
    flagged_at: Mapped[datetime] = mapped_column(server_default=func.now())
