"""The planning service's tables: seasons, phases and their training blocks, the drill library, practice
plans with timed sections, attendance and evaluations, game plans with lineups, development goals.

Three exclusion constraints, written by hand in the migration (autogenerate cannot express them), keep the
calendar of a club unambiguous: its seasons never overlap (`SEASON_OVERLAP`), nor do the phases of one
season (`PHASE_OVERLAP`), nor do the blocks of one phase (`BLOCK_OVERLAP`). Dates are inclusive: a
phase ending on 15 September and one starting that day overlap.
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
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
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
# Lineups, attendance and evaluations only name players the roster copy has on the team.
include_roster_table(Base.metadata)

SEASON_OVERLAP = "ex_seasons_no_overlap"
PHASE_OVERLAP = "ex_season_phases_no_overlap"
BLOCK_OVERLAP = "ex_phase_blocks_no_overlap"
LINEUP_PLAYER_ONCE = "uq_lineup_slots_game_plan_id_line_type_player_id"

MEASURE = Numeric(12, 3)
"""Goal values: exact decimals (a 4.35 s sprint, a 54.5 % faceoff rate), not binary floats."""


class SeasonPhaseKind(StrEnum):
    PRE_SEASON = "pre_season"
    REGULAR_SEASON = "regular_season"
    PLAYOFFS = "playoffs"
    OFF_SEASON = "off_season"


class PracticePlanStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class DrillCategory(StrEnum):
    SKATING = "skating"
    PASSING = "passing"
    SHOOTING = "shooting"
    CHECKING = "checking"
    POSITIONING = "positioning"
    GOALIE = "goalie"
    TEAM_SYSTEMS = "team_systems"
    SMALL_AREA_GAMES = "small_area_games"


class BlockIntensity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    PEAK = "peak"
    RECOVERY = "recovery"


class DrillDifficulty(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"
    ELITE = "elite"


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    LATE = "late"
    ABSENT = "absent"
    EXCUSED = "excused"
    INJURED = "injured"


class LineType(StrEnum):
    EVEN_STRENGTH = "even_strength"
    POWER_PLAY = "power_play"
    PENALTY_KILL = "penalty_kill"
    EXTRA_ATTACKER = "extra_attacker"


class LineupGroup(StrEnum):
    FORWARDS = "forwards"
    DEFENCE = "defence"
    GOALIES = "goalies"


class TrainingDay(StrEnum):
    """What a day of a block's typical week holds (kept in JSONB, so no database type)."""

    PRACTICE = "practice"
    GAME = "game"
    OFF_ICE = "off_ice"
    RECOVERY = "recovery"
    REST = "rest"
    TRAVEL = "travel"


class RinkMarkerKind(StrEnum):
    PLAYER = "player"
    GOALIE = "goalie"
    COACH = "coach"
    PUCK = "puck"
    CONE = "cone"
    NET = "net"


class RinkArrowKind(StrEnum):
    SKATE = "skate"
    SKATE_BACKWARD = "skate_backward"
    PASS = "pass"
    SHOT = "shot"
    STICKHANDLE = "stickhandle"


class GoalStatus(StrEnum):
    ACTIVE = "active"
    ACHIEVED = "achieved"
    MISSED = "missed"
    CANCELLED = "cancelled"


class Season(IdMixin, TimestampMixin, Base):
    __tablename__ = "seasons"
    __table_args__ = (
        UniqueConstraint("organization_id", "name"),
        CheckConstraint("end_date > start_date", name="ends_after_start"),
    )

    organization_id: Mapped[uuid.UUID]
    """Leading column of the unique (organization, name) index, so no index of its own."""
    name: Mapped[str] = mapped_column(String(80))
    start_date: Mapped[date]
    end_date: Mapped[date]


class SeasonPhase(IdMixin, TimestampMixin, Base):
    """A period of a season with one purpose: pre-season, regular season, playoffs, off-season."""

    __tablename__ = "season_phases"
    __table_args__ = (CheckConstraint("end_date >= start_date", name="ends_after_start"),)

    season_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(index=True)
    kind: Mapped[SeasonPhaseKind] = mapped_column(pg_enum(SeasonPhaseKind, "season_phase_kind"))
    name: Mapped[str | None] = mapped_column(String(80))
    focus: Mapped[str | None] = mapped_column(String(500))
    start_date: Mapped[date]
    end_date: Mapped[date]


class PhaseBlock(IdMixin, TimestampMixin, Base):
    """A few weeks of a phase at one intensity, e.g. a three-week strength block then a recovery week."""

    __tablename__ = "phase_blocks"
    __table_args__ = (CheckConstraint("end_date >= start_date", name="ends_after_start"),)

    phase_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("season_phases.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[uuid.UUID]
    name: Mapped[str] = mapped_column(String(80))
    intensity: Mapped[BlockIntensity] = mapped_column(pg_enum(BlockIntensity, "block_intensity"))
    focus_areas: Mapped[list[str]] = mapped_column(ARRAY(String(80)))
    start_date: Mapped[date]
    end_date: Mapped[date]
    weekly_structure: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    """The typical week: `{"weekday": 1-7, "activity": ..., "note": ...}`, Monday first."""


class Drill(IdMixin, TimestampMixin, Base):
    """A drill of the club's library; practices are built from these."""

    __tablename__ = "drills"
    __table_args__ = (
        UniqueConstraint("organization_id", "name"),
        CheckConstraint("players_needed BETWEEN 1 AND 60", name="players_range"),
        CheckConstraint("duration_minutes BETWEEN 1 AND 120", name="duration_range"),
    )

    organization_id: Mapped[uuid.UUID]
    """Leading column of the unique (organization, name) index, so no index of its own."""
    name: Mapped[str] = mapped_column(String(120))
    category: Mapped[DrillCategory] = mapped_column(pg_enum(DrillCategory, "drill_category"))
    difficulty: Mapped[DrillDifficulty] = mapped_column(pg_enum(DrillDifficulty, "drill_difficulty"))
    players_needed: Mapped[int] = mapped_column(SmallInteger)
    duration_minutes: Mapped[int] = mapped_column(SmallInteger)
    description: Mapped[str | None] = mapped_column(Text)
    equipment: Mapped[list[str]] = mapped_column(ARRAY(String(80)))
    coaching_points: Mapped[list[str]] = mapped_column(ARRAY(String(300)))
    diagram: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    """Markers and arrows on a 200 x 85 ft rink, validated by the service."""
    created_by_user_id: Mapped[uuid.UUID | None]


class DrillRating(IdMixin, TimestampMixin, Base):
    """One coach's stars for a drill; rating again replaces them."""

    __tablename__ = "drill_ratings"
    __table_args__ = (
        UniqueConstraint("drill_id", "user_id"),
        CheckConstraint("stars BETWEEN 1 AND 5", name="stars_range"),
    )

    drill_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("drills.id", ondelete="CASCADE"))
    """Leading column of the unique (drill, user) index, so no index of its own."""
    user_id: Mapped[uuid.UUID]
    stars: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(String(500))


class PracticePlan(IdMixin, TimestampMixin, Base):
    __tablename__ = "practice_plans"
    __table_args__ = (
        CheckConstraint("duration_minutes BETWEEN 1 AND 480", name="duration_range"),
        Index("ix_practice_plans_team_id_practice_date", "team_id", "practice_date"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(index=True)
    team_id: Mapped[uuid.UUID]
    """A team of the user service; a reference, not a foreign key (another database)."""
    title: Mapped[str] = mapped_column(String(200))
    practice_date: Mapped[date]
    duration_minutes: Mapped[int] = mapped_column(SmallInteger)
    focus: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[PracticePlanStatus] = mapped_column(
        pg_enum(PracticePlanStatus, "practice_plan_status"), default=PracticePlanStatus.PLANNED
    )
    created_by_user_id: Mapped[uuid.UUID | None]


class PracticeDrill(IdMixin, TimestampMixin, Base):
    """One timed block of a practice, in order."""

    __tablename__ = "practice_drills"
    __table_args__ = (
        UniqueConstraint("practice_plan_id", "position"),
        CheckConstraint("minutes BETWEEN 1 AND 480", name="minutes_range"),
    )

    practice_plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("practice_plans.id", ondelete="CASCADE"))
    """Leading column of the unique (plan, position) index, so no index of its own."""
    position: Mapped[int] = mapped_column(SmallInteger)
    name: Mapped[str] = mapped_column(String(120))
    minutes: Mapped[int] = mapped_column(SmallInteger)
    description: Mapped[str | None] = mapped_column(Text)
    category: Mapped[DrillCategory | None] = mapped_column(pg_enum(DrillCategory, "drill_category"))
    drill_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("drills.id", ondelete="SET NULL"), index=True)
    """The library drill it was built from; the name and category are copied, so history survives."""
    section: Mapped[str | None] = mapped_column(String(60))
    """The part of the practice it belongs to, e.g. Warm-up, Skills, Systems, Cool-down."""


class PracticeParticipant(IdMixin, TimestampMixin, Base):
    """A player's attendance at a practice and the coach's evaluation of them."""

    __tablename__ = "practice_participants"
    __table_args__ = (
        UniqueConstraint("practice_plan_id", "player_id"),
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating_range"),
    )

    practice_plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("practice_plans.id", ondelete="CASCADE"))
    """Leading column of the unique (plan, player) index, so no index of its own."""
    player_id: Mapped[uuid.UUID]
    attendance: Mapped[AttendanceStatus] = mapped_column(pg_enum(AttendanceStatus, "attendance_status"))
    attendance_note: Mapped[str | None] = mapped_column(String(300))
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    evaluation: Mapped[str | None] = mapped_column(String(1000))
    evaluated_by_user_id: Mapped[uuid.UUID | None]


class GamePlan(IdMixin, TimestampMixin, Base):
    """The coach's plan for one game of a team: lineups, matchups, notes per period, the review after."""

    __tablename__ = "game_plans"
    __table_args__ = (UniqueConstraint("team_id", "game_id"),)

    organization_id: Mapped[uuid.UUID] = mapped_column(index=True)
    team_id: Mapped[uuid.UUID]
    """Leading column of the unique (team, game) index, so no index of its own."""
    game_id: Mapped[uuid.UUID]
    """The game (a calendar event of the team); a reference, not a foreign key."""
    game_date: Mapped[date]
    opponent: Mapped[str] = mapped_column(String(120))
    objectives: Mapped[str | None] = mapped_column(Text)
    period_notes: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    """`{"period": 1-4, "note": ...}`; period 4 is overtime."""
    matchups: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    """`{"line_type": ..., "unit": n, "opponent": ..., "note": ...}`: whom our units face."""
    review: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_by_user_id: Mapped[uuid.UUID | None]
    created_by_user_id: Mapped[uuid.UUID | None]


class LineupSlot(IdMixin, Base):
    """One player's place in a lineup: line type, group (forwards, defence, goalies), unit and position."""

    __tablename__ = "lineup_slots"
    __table_args__ = (
        UniqueConstraint("game_plan_id", "line_type", "player_id"),
        UniqueConstraint("game_plan_id", "line_type", "group", "unit", "position"),
    )

    game_plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("game_plans.id", ondelete="CASCADE"))
    line_type: Mapped[LineType] = mapped_column(pg_enum(LineType, "line_type"))
    group: Mapped[LineupGroup] = mapped_column(pg_enum(LineupGroup, "lineup_group"))
    unit: Mapped[int] = mapped_column(SmallInteger)
    position: Mapped[int] = mapped_column(SmallInteger)
    player_id: Mapped[uuid.UUID]


class DevelopmentGoal(IdMixin, TimestampMixin, Base):
    """A measurable target for a team or one player, e.g. faceoff win rate 55 % by March."""

    __tablename__ = "development_goals"
    __table_args__ = (CheckConstraint("(team_id IS NULL) <> (player_id IS NULL)", name="team_or_player"),)

    organization_id: Mapped[uuid.UUID] = mapped_column(index=True)
    team_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    player_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    """A player of the user service (the `Player` entity); a reference, not a foreign key."""
    title: Mapped[str] = mapped_column(String(200))
    metric: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str | None] = mapped_column(String(30))
    start_value: Mapped[Decimal] = mapped_column(MEASURE)
    """Where the goal started; progress is measured from here, so goals that go down work too."""
    target_value: Mapped[Decimal] = mapped_column(MEASURE)
    current_value: Mapped[Decimal] = mapped_column(MEASURE)
    due_date: Mapped[date | None]
    status: Mapped[GoalStatus] = mapped_column(pg_enum(GoalStatus, "goal_status"), default=GoalStatus.ACTIVE)
    created_by_user_id: Mapped[uuid.UUID | None]


class GoalProgressUpdate(IdMixin, TimestampMixin, Base):
    """A measurement towards a goal; the goal's current value is the latest one."""

    __tablename__ = "goal_progress_updates"

    goal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("development_goals.id", ondelete="CASCADE"), index=True)
    value: Mapped[Decimal] = mapped_column(MEASURE)
    note: Mapped[str | None] = mapped_column(String(500))
    recorded_on: Mapped[date]
    recorded_by_user_id: Mapped[uuid.UUID | None]
