"""The planning service's tables: seasons and their phases, practice plans with drills, development goals.

Two exclusion constraints, written by hand in the migration (autogenerate cannot express them), keep the
calendar of a club unambiguous: its seasons never overlap (`SEASON_OVERLAP`), nor do the phases of one
season (`PHASE_OVERLAP`). Dates are inclusive: a phase ending on 15 September and one starting that day
overlap.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.database import TYPE_ANNOTATION_MAP, IdMixin, TimestampMixin, new_metadata, pg_enum
from shared.database.kernel import include_kernel_tables


class Base(DeclarativeBase):
    metadata = new_metadata()
    type_annotation_map = TYPE_ANNOTATION_MAP


include_kernel_tables(Base.metadata)

SEASON_OVERLAP = "ex_seasons_no_overlap"
PHASE_OVERLAP = "ex_season_phases_no_overlap"

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
