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


class ExerciseOrder(StrEnum):
    """How the library is listed."""

    CATEGORY = "category"
    NAME = "name"
    NEWEST = "newest"


class WorkoutKind(StrEnum):
    STRENGTH = "strength"
    CONDITIONING = "conditioning"
    HYBRID = "hybrid"
    AGILITY = "agility"
    RECOVERY = "recovery"
    FLEXIBILITY = "flexibility"


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


class TemplateOrder(StrEnum):
    """How templates are listed."""

    NAME = "name"
    MOST_USED = "most_used"
    RECENTLY_USED = "recently_used"


class AssignmentStatus(StrEnum):
    ASSIGNED = "assigned"
    COMPLETED = "completed"
    SKIPPED = "skipped"


class WorkoutCompliance(StrEnum):
    """How a player's workout stands against their medical restrictions (`restrictions.compliance`)."""

    COMPLIANT = "compliant"
    PARTIALLY_COMPLIANT = "partially_compliant"
    """Adapted: load and rest scaled by the restriction's severity, unsafe exercises swapped."""
    EXEMPT = "exempt"
    """A COMPLETE restriction, a rest order or an injury: the player does not do it."""
    NOT_COMPLIANT = "not_compliant"
    """No safe adaptation: only with an override approved by the medical staff."""


class OverrideStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class AssignmentConflictChoice(StrEnum):
    """What to do where a new assignment overlaps a player's other open assignment."""

    SKIP = "skip"
    REPLACE = "replace"
    KEEP_BOTH = "keep_both"


class Exercise(IdMixin, TimestampMixin, Base):
    """An entry of a club's exercise library, with what a prescription of it starts from (`default_*`, only
    the measures its unit allows) and how it progresses (one structured rule, and free text)."""

    __tablename__ = "exercises"
    __table_args__ = (
        CheckConstraint("default_sets IS NULL OR default_sets BETWEEN 1 AND 20", name="default_sets_range"),
        CheckConstraint("default_reps IS NULL OR default_reps BETWEEN 1 AND 200", name="default_reps_range"),
        CheckConstraint("default_load_kg IS NULL OR default_load_kg BETWEEN 0 AND 500", name="default_load_range"),
        CheckConstraint("default_seconds IS NULL OR default_seconds BETWEEN 1 AND 3600", name="default_seconds_range"),
        CheckConstraint("default_meters IS NULL OR default_meters BETWEEN 1 AND 100000", name="default_meters_range"),
        CheckConstraint("default_watts IS NULL OR default_watts BETWEEN 1 AND 2500", name="default_watts_range"),
        CheckConstraint(
            "default_rest_seconds IS NULL OR default_rest_seconds BETWEEN 0 AND 900", name="default_rest_range"
        ),
        CheckConstraint(
            "(progression_increment IS NULL) = (progression_unit IS NULL)", name="progression_increment_has_unit"
        ),
        CheckConstraint(
            "progression_increment IS NULL OR progression_increment > 0", name="progression_increment_positive"
        ),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(120))
    category: Mapped[ExerciseCategory] = mapped_column(pg_enum(ExerciseCategory, "exercise_category"))
    muscle_groups: Mapped[list[MuscleGroup]] = mapped_column(ARRAY(pg_enum(MuscleGroup, "muscle_group")), default=list)
    equipment: Mapped[list[str]] = mapped_column(ARRAY(String(60)), default=list)
    unit: Mapped[ExerciseUnit] = mapped_column(pg_enum(ExerciseUnit, "exercise_unit"))
    description: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[uuid.UUID | None]
    default_sets: Mapped[int | None] = mapped_column(SmallInteger)
    default_reps: Mapped[int | None] = mapped_column(SmallInteger)
    default_load_kg: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    default_seconds: Mapped[int | None]
    default_meters: Mapped[int | None]
    default_watts: Mapped[int | None] = mapped_column(SmallInteger)
    default_rest_seconds: Mapped[int | None] = mapped_column(SmallInteger)
    progression_increment: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    progression_unit: Mapped[ExerciseUnit | None] = mapped_column(pg_enum(ExerciseUnit, "exercise_unit"))
    """What the increment is counted in: e.g. 2.5 KILOGRAMS, 1 REPS, 10 SECONDS."""
    progression_condition: Mapped[str | None] = mapped_column(String(300))
    """When to progress, e.g. "all sets done at RPE 8 or less"."""
    progression_notes: Mapped[str | None] = mapped_column(Text)


# Case-insensitive: "Back Squat" and "back squat" are the same exercise of a club.
Index("uq_exercises_organization_name", Exercise.organization_id, func.lower(Exercise.name), unique=True)


class ExerciseAlternative(Base):
    """A library exercise a trainer may swap in for another (e.g. for a medical substitution), in order of
    preference. Relational, so both ends are the club's exercises and vanish with them."""

    __tablename__ = "exercise_alternatives"
    __table_args__ = (
        CheckConstraint("exercise_id <> alternative_id", name="not_itself"),
        CheckConstraint("position >= 0", name="position_not_negative"),
    )

    exercise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("exercises.id", ondelete="CASCADE"), primary_key=True)
    alternative_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("exercises.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(SmallInteger)


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
        CheckConstraint("usage_count >= 0", name="usage_count_not_negative"),
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
    usage_count: Mapped[int] = mapped_column(default=0, server_default="0")
    """Workouts created from it, counted by an atomic increment."""
    last_used_at: Mapped[datetime | None]


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
    series_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    """Shared by the assignments one recurring request created, one per occurrence."""
    target_position: Mapped[str | None] = mapped_column(String(20))
    """The position it was given to (expanded to the team's players in it at that time)."""
    target_line_type: Mapped[str | None] = mapped_column(String(20))
    target_line_unit: Mapped[int | None] = mapped_column(SmallInteger)
    """The line it was given to: a unit of one line type of the team's latest lineup (`planning_copy`)."""


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
    compliance: Mapped[WorkoutCompliance] = mapped_column(
        pg_enum(WorkoutCompliance, "workout_compliance"), default=WorkoutCompliance.COMPLIANT
    )
    load_factor: Mapped[Decimal] = mapped_column(Numeric(3, 2), default=Decimal("1.00"))
    """What the player's prescribed loads are multiplied by, from their restrictions' severity."""
    rest_factor: Mapped[Decimal] = mapped_column(Numeric(3, 2), default=Decimal("1.00"))
    adaptation: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    """The player's adapted prescription (`restrictions.compliance.Adaptation.to_document`): swapped
    exercises and equipment, capped heart-rate zones, and the reasons."""


class RestrictionOverrideRequest(IdMixin, Base):
    """A trainer's request to have a player do a workout their restrictions forbid, and the medical staff's
    decision. Never deleted or rewritten after the decision: it is the record of who allowed what."""

    __tablename__ = "restriction_override_requests"
    __table_args__ = (
        CheckConstraint("(status = 'pending') = (decided_at IS NULL)", name="decided_has_time"),
        Index("ix_restriction_override_requests_org_status", "organization_id", "status"),
    )

    player_workout_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("player_workouts.id", ondelete="CASCADE"), unique=True
    )
    organization_id: Mapped[uuid.UUID]
    player_id: Mapped[uuid.UUID]
    reason: Mapped[str] = mapped_column(String(500))
    requested_by: Mapped[uuid.UUID | None]
    requested_at: Mapped[datetime]
    status: Mapped[OverrideStatus] = mapped_column(
        pg_enum(OverrideStatus, "override_status"), default=OverrideStatus.PENDING
    )
    decided_by: Mapped[uuid.UUID | None]
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(String(500))


class PlannedPhase(Base):
    """A season phase as planning announced it (`planning.phase.changed`): the time of the event that last
    wrote it keeps an older event arriving late from undoing a newer one."""

    __tablename__ = "planned_phases"

    phase_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID]
    kind: Mapped[str] = mapped_column(String(20))
    removed: Mapped[bool]
    source_occurred_at: Mapped[datetime]


class PlannedBlock(Base):
    """A training block of a phase, with the intensity training scales players' load targets by."""

    __tablename__ = "planned_blocks"
    __table_args__ = (Index("ix_planned_blocks_organization_dates", "organization_id", "start_date", "end_date"),)

    block_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    phase_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("planned_phases.phase_id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[uuid.UUID]
    name: Mapped[str] = mapped_column(String(80))
    intensity: Mapped[str] = mapped_column(String(20))
    start_date: Mapped[date]
    end_date: Mapped[date]


class TeamLineup(Base):
    """A team's latest lineup of one line type, from planning's `lineup.set`: the lines an assignment to a
    line expands through. The lineup of the latest game wins; of one game, the latest change."""

    __tablename__ = "team_lineups"

    team_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    line_type: Mapped[str] = mapped_column(String(20), primary_key=True)
    organization_id: Mapped[uuid.UUID]
    game_plan_id: Mapped[uuid.UUID]
    game_date: Mapped[date]
    slots: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    """`{"group": ..., "unit": n, "position": n, "player_id": ...}` as planning set them."""
    source_occurred_at: Mapped[datetime]


class PlayerPosition(Base):
    """Each player's position, copied from the user service's player events: assignments to a position
    expand through it. Kept apart from the shared roster copy, which no other service needs it in."""

    __tablename__ = "player_positions"

    player_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    position: Mapped[str] = mapped_column(String(20))
    source_occurred_at: Mapped[datetime]


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


class PerformedDrillAttempt(IdMixin, Base):
    """One timed attempt of an agility drill a player reported when completing an assigned workout.

    The drill's name and its prescription (target time, errors allowed) are copied: a drill lives in the
    workout's document, which may change later, and history is read per drill name across workouts.
    """

    __tablename__ = "performed_drill_attempts"
    __table_args__ = (
        UniqueConstraint("player_workout_id", "drill_index", "attempt_number"),
        CheckConstraint("drill_index >= 0", name="drill_index_not_negative"),
        CheckConstraint("attempt_number >= 1", name="attempt_number_positive"),
        CheckConstraint("seconds > 0 AND seconds <= 600", name="seconds_range"),
        CheckConstraint("errors BETWEEN 0 AND 100", name="errors_range"),
        Index("ix_performed_drill_attempts_player_drill", "player_id", "drill_name"),
    )

    player_workout_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("player_workouts.id", ondelete="CASCADE"), index=True
    )
    organization_id: Mapped[uuid.UUID]
    player_id: Mapped[uuid.UUID]
    drill_index: Mapped[int] = mapped_column(SmallInteger)
    """The drill's position in the workout's drills."""
    drill_name: Mapped[str] = mapped_column(String(120))
    target_seconds: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    allowed_errors: Mapped[int | None] = mapped_column(SmallInteger)
    attempt_number: Mapped[int] = mapped_column(SmallInteger)
    seconds: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    errors: Mapped[int] = mapped_column(SmallInteger)


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


class RestrictionSeverity(StrEnum):
    """How strictly a restriction holds, from the medical staff; see `restrictions.compliance`."""

    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"
    COMPLETE = "complete"


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
    severity: Mapped[RestrictionSeverity] = mapped_column(pg_enum(RestrictionSeverity, "restriction_severity"))
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
    """True once the medical staff approved an override of it (`restrictions.overrides`)."""
    flagged_at: Mapped[datetime] = mapped_column(server_default=func.now())
