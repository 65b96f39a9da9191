"""The statistics service's tables: games, per-game stat lines of skaters and goalies, game sheets (goals,
penalties, the team's numbers of a game), the training loads of completed workouts (from the training
service's `workout.completed`), and stored reports.

Season aggregates, standings and workload ratios are not stored: they are computed from these rows in SQL
(repository.py, analytics_repository.py), so a corrected line or score changes every total at once, and no
event can count twice. A game's team numbers are stored with its sheet (GameTeamStats says why).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy import Uuid as SqlUuid
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.database import TYPE_ANNOTATION_MAP, IdMixin, TimestampMixin, new_metadata, pg_enum
from shared.database.kernel import include_kernel_tables
from shared.roster import include_roster_table


class Base(DeclarativeBase):
    metadata = new_metadata()
    type_annotation_map = TYPE_ANNOTATION_MAP


include_kernel_tables(Base.metadata)
# The user service's roster: which players a team has, for the team's workload view.
include_roster_table(Base.metadata)


class GameStatus(StrEnum):
    SCHEDULED = "scheduled"
    FINAL = "final"


class GameDecision(StrEnum):
    """How a game that was level after regulation was decided; regulation results have none."""

    OVERTIME = "overtime"
    SHOOTOUT = "shootout"


class Game(IdMixin, TimestampMixin, Base):
    """One game of a team. `team_id` and `season_id` are ids of the user and planning services."""

    __tablename__ = "games"
    __table_args__ = (
        CheckConstraint("goals_for >= 0 AND goals_against >= 0", name="score_not_negative"),
        # Overtime and shootouts end at the first deciding goal: the winner leads by exactly one.
        CheckConstraint("decided_in IS NULL OR abs(goals_for - goals_against) = 1", name="extra_time_decided_by_one"),
        Index("ix_games_organization_id_season_id_starts_at", "organization_id", "season_id", "starts_at"),
        Index("ix_games_team_id_season_id", "team_id", "season_id"),
    )

    organization_id: Mapped[uuid.UUID]
    season_id: Mapped[uuid.UUID]
    team_id: Mapped[uuid.UUID]
    opponent_name: Mapped[str] = mapped_column(String(120))
    is_home: Mapped[bool]
    starts_at: Mapped[datetime]
    status: Mapped[GameStatus] = mapped_column(pg_enum(GameStatus, "game_status"), default=GameStatus.SCHEDULED)
    goals_for: Mapped[int] = mapped_column(SmallInteger, default=0)
    goals_against: Mapped[int] = mapped_column(SmallInteger, default=0)
    decided_in: Mapped[GameDecision | None] = mapped_column(pg_enum(GameDecision, "game_decision"))
    finalized_at: Mapped[datetime | None]
    sheet_recorded_at: Mapped[datetime | None]
    """Set once the game's full sheet is recorded (game_sheet.py): its stat lines then come from the sheet."""


def _count() -> Mapped[int]:
    # NOT NULL with a server default: lines recorded before these columns existed read as zero.
    return mapped_column(SmallInteger, default=0, server_default=text("0"))


class PlayerGameStats(IdMixin, TimestampMixin, Base):
    """A skater's line in one game (goalies may have one too, for their assists and penalties)."""

    __tablename__ = "player_game_stats"
    __table_args__ = (
        UniqueConstraint("game_id", "player_id"),
        CheckConstraint(
            "goals >= 0 AND assists >= 0 AND penalty_minutes >= 0 AND shots >= 0 AND time_on_ice_seconds >= 0",
            name="counts_not_negative",
        ),
        CheckConstraint("goals <= shots", name="goals_within_shots"),
        CheckConstraint(
            "missed_shots >= 0 AND blocked_attempts >= 0 AND blocks >= 0 AND hits >= 0 "
            "AND faceoff_wins >= 0 AND faceoff_losses >= 0",
            name="sheet_counts_not_negative",
        ),
        CheckConstraint(
            "power_play_goals >= 0 AND shorthanded_goals >= 0 AND power_play_goals + shorthanded_goals <= goals",
            name="special_team_goals_within_goals",
        ),
        Index("ix_player_game_stats_player_id_game_id", "player_id", "game_id"),
    )

    organization_id: Mapped[uuid.UUID]
    game_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("games.id", ondelete="CASCADE"))
    player_id: Mapped[uuid.UUID]
    goals: Mapped[int] = mapped_column(SmallInteger, default=0)
    assists: Mapped[int] = mapped_column(SmallInteger, default=0)
    plus_minus: Mapped[int] = mapped_column(SmallInteger, default=0)
    penalty_minutes: Mapped[int] = mapped_column(SmallInteger, default=0)
    shots: Mapped[int] = mapped_column(SmallInteger, default=0)
    time_on_ice_seconds: Mapped[int] = mapped_column(Integer, default=0)
    jersey_number: Mapped[int | None] = mapped_column(SmallInteger)
    missed_shots: Mapped[int] = _count()
    """Shot attempts that missed the net (Fenwick counts them, shots on goal do not)."""
    blocked_attempts: Mapped[int] = _count()
    """The player's shot attempts an opponent blocked (Corsi counts them, Fenwick does not)."""
    blocks: Mapped[int] = _count()
    """Opponents' shot attempts the player blocked."""
    hits: Mapped[int] = _count()
    faceoff_wins: Mapped[int] = _count()
    faceoff_losses: Mapped[int] = _count()
    power_play_goals: Mapped[int] = _count()
    shorthanded_goals: Mapped[int] = _count()


class GoalieGameStats(IdMixin, TimestampMixin, Base):
    """A goalie's line in one game; goals against are always shots against minus saves."""

    __tablename__ = "goalie_game_stats"
    __table_args__ = (
        UniqueConstraint("game_id", "player_id"),
        CheckConstraint("shots_against >= 0 AND saves >= 0 AND time_on_ice_seconds >= 0", name="counts_not_negative"),
        CheckConstraint("saves <= shots_against", name="saves_within_shots"),
        CheckConstraint("goals_against = shots_against - saves", name="goals_against_consistent"),
        Index("ix_goalie_game_stats_player_id_game_id", "player_id", "game_id"),
    )

    organization_id: Mapped[uuid.UUID]
    game_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("games.id", ondelete="CASCADE"))
    player_id: Mapped[uuid.UUID]
    shots_against: Mapped[int] = mapped_column(SmallInteger, default=0)
    saves: Mapped[int] = mapped_column(SmallInteger, default=0)
    goals_against: Mapped[int] = mapped_column(SmallInteger, default=0)
    time_on_ice_seconds: Mapped[int] = mapped_column(Integer, default=0)
    jersey_number: Mapped[int | None] = mapped_column(SmallInteger)


class GameSide(StrEnum):
    """Who scored a goal or took a penalty: the club's team, or its opponent (whose players are not tracked)."""

    TEAM = "team"
    OPPONENT = "opponent"


class GoalStrength(StrEnum):
    """The scoring team's situation when the goal went in."""

    EVEN = "even"
    POWER_PLAY = "power_play"
    SHORTHANDED = "shorthanded"
    EMPTY_NET = "empty_net"


class GameGoal(IdMixin, Base):
    """One goal of a game's sheet. Scorer and assists are the club's players, so they are set only for the
    team's own goals; `on_ice` (optional) holds the team's skaters on the ice, for plus/minus and lines."""

    __tablename__ = "game_goals"
    __table_args__ = (
        UniqueConstraint("game_id", "sequence"),
        CheckConstraint("period BETWEEN 1 AND 4 AND period_seconds >= 0", name="time_in_game"),
        CheckConstraint("side = 'team' OR scorer_id IS NULL", name="opponent_scorer_untracked"),
    )

    organization_id: Mapped[uuid.UUID]
    game_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("games.id", ondelete="CASCADE"))
    sequence: Mapped[int] = mapped_column(SmallInteger)
    side: Mapped[GameSide] = mapped_column(pg_enum(GameSide, "game_side"))
    period: Mapped[int] = mapped_column(SmallInteger)
    period_seconds: Mapped[int] = mapped_column(SmallInteger)
    """Time elapsed in the period when the goal went in."""
    strength: Mapped[GoalStrength] = mapped_column(pg_enum(GoalStrength, "goal_strength"))
    scorer_id: Mapped[uuid.UUID | None]
    primary_assist_id: Mapped[uuid.UUID | None]
    secondary_assist_id: Mapped[uuid.UUID | None]
    on_ice: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(SqlUuid()), default=list, server_default=text("'{}'"))


class GamePenalty(IdMixin, Base):
    """One penalty of a game's sheet; `player_id` is set for the team's own penalties only."""

    __tablename__ = "game_penalties"
    __table_args__ = (
        UniqueConstraint("game_id", "sequence"),
        CheckConstraint("period BETWEEN 1 AND 4 AND period_seconds >= 0", name="time_in_game"),
        CheckConstraint("minutes > 0", name="minutes_positive"),
    )

    organization_id: Mapped[uuid.UUID]
    game_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("games.id", ondelete="CASCADE"))
    sequence: Mapped[int] = mapped_column(SmallInteger)
    side: Mapped[GameSide] = mapped_column(pg_enum(GameSide, "game_side"))
    player_id: Mapped[uuid.UUID | None]
    minutes: Mapped[int] = mapped_column(SmallInteger)
    infraction: Mapped[str] = mapped_column(String(60))
    period: Mapped[int] = mapped_column(SmallInteger)
    period_seconds: Mapped[int] = mapped_column(SmallInteger)


class GameTeamStats(TimestampMixin, Base):
    """The team-level numbers of a game's sheet: shot attempts both ways and special teams.

    Stored beside the sheet (and replaced with it) because power-play opportunities follow from the order
    of penalties (game_sheet.py), which SQL sums cannot redo; every other team total is summed from these.
    """

    __tablename__ = "game_team_stats"
    __table_args__ = (
        CheckConstraint(
            "shots_for >= 0 AND shots_against >= 0 AND missed_for >= 0 AND missed_against >= 0 "
            "AND blocked_for >= 0 AND blocked_against >= 0",
            name="attempts_not_negative",
        ),
    )

    game_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("games.id", ondelete="CASCADE"), primary_key=True)
    organization_id: Mapped[uuid.UUID]
    shots_for: Mapped[int] = mapped_column(SmallInteger)
    shots_against: Mapped[int] = mapped_column(SmallInteger)
    missed_for: Mapped[int] = mapped_column(SmallInteger)
    missed_against: Mapped[int] = mapped_column(SmallInteger)
    blocked_for: Mapped[int] = mapped_column(SmallInteger)
    """The team's attempts the opponent blocked."""
    blocked_against: Mapped[int] = mapped_column(SmallInteger)
    """The opponent's attempts the team blocked."""
    power_play_goals: Mapped[int] = mapped_column(SmallInteger)
    power_play_opportunities: Mapped[int] = mapped_column(SmallInteger)
    power_play_goals_against: Mapped[int] = mapped_column(SmallInteger)
    times_shorthanded: Mapped[int] = mapped_column(SmallInteger)
    faceoff_wins: Mapped[int] = mapped_column(SmallInteger)
    faceoff_losses: Mapped[int] = mapped_column(SmallInteger)
    penalty_minutes: Mapped[int] = mapped_column(SmallInteger)


class ReportKind(StrEnum):
    PLAYER = "player"
    TEAM = "team"


class ReportFormat(StrEnum):
    PDF = "pdf"
    CSV = "csv"


class StoredReport(IdMixin, TimestampMixin, Base):
    """A generated report kept for download: on demand (`generateStatisticsReport`) or by the weekly schedule.

    A scheduled report is one per team, season, format and week (`week_of`, its Monday): the schedule
    replaces it on each run in that week, so several processes running the schedule store it once.
    """

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("kind", "subject_id", "season_id", "format", "week_of"),
        Index("ix_reports_organization_id_created_at", "organization_id", "created_at"),
    )

    organization_id: Mapped[uuid.UUID]
    kind: Mapped[ReportKind] = mapped_column(pg_enum(ReportKind, "report_kind"))
    format: Mapped[ReportFormat] = mapped_column(pg_enum(ReportFormat, "report_format"))
    subject_id: Mapped[uuid.UUID]
    """The player or team the report is about."""
    season_id: Mapped[uuid.UUID]
    week_of: Mapped[date | None]
    """The Monday of a scheduled report's week; None for reports generated on demand."""
    includes_training_load: Mapped[bool] = mapped_column(default=False)
    requested_by: Mapped[uuid.UUID | None]
    """Who asked for it; None for scheduled reports."""
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    size_bytes: Mapped[int] = mapped_column(Integer)


class LoadSource(StrEnum):
    """How a session's training load was worked out (training_load.py)."""

    SESSION_RPE = "session_rpe"
    """The player reported RPE: RPE x minutes."""
    ESTIMATED = "estimated"
    """No RPE (e.g. a live session): minutes x the typical intensity of the workout's kind."""


class TrainingLoad(IdMixin, TimestampMixin, Base):
    """One completed workout of a player and its load in arbitrary units (AU), from one `workout.completed`.

    `event_id` is unique: a redelivered event, even one that got past the processed-events table, cannot
    add the session twice.
    """

    __tablename__ = "training_loads"
    __table_args__ = (
        UniqueConstraint("event_id"),
        CheckConstraint("minutes > 0", name="minutes_positive"),
        CheckConstraint("rpe IS NULL OR rpe BETWEEN 1 AND 10", name="rpe_in_scale"),
        CheckConstraint("load >= 0", name="load_not_negative"),
        Index("ix_training_loads_player_id_completed_on", "player_id", "completed_on"),
    )

    organization_id: Mapped[uuid.UUID]
    player_id: Mapped[uuid.UUID]
    team_id: Mapped[uuid.UUID | None]
    event_id: Mapped[uuid.UUID]
    workout_id: Mapped[uuid.UUID | None]
    workout_kind: Mapped[str] = mapped_column(String(40))
    completed_on: Mapped[date]
    minutes: Mapped[int] = mapped_column(SmallInteger)
    rpe: Mapped[int | None] = mapped_column(SmallInteger)
    load: Mapped[int] = mapped_column(Integer)
    source: Mapped[LoadSource] = mapped_column(pg_enum(LoadSource, "load_source"))


class GameOutcome(StrEnum):
    WIN = "win"
    LOSS = "loss"
    OVERTIME_LOSS = "overtime_loss"
    """Lost in overtime or a shootout: worth a standings point."""
    TIE = "tie"


def outcome_of(game: Game) -> GameOutcome | None:
    if game.status is not GameStatus.FINAL:
        return None
    if game.goals_for > game.goals_against:
        return GameOutcome.WIN
    if game.goals_for == game.goals_against:
        return GameOutcome.TIE
    return GameOutcome.LOSS if game.decided_in is None else GameOutcome.OVERTIME_LOSS


# Computed rows: what the aggregate queries of repository.py return (nothing of this is stored). ----------

SeasonPlayer = tuple[uuid.UUID, uuid.UUID]
"""(season id, player id): the key of a player's season aggregates."""


@dataclass(frozen=True, slots=True)
class SkaterSeason:
    season_id: uuid.UUID | None
    """None for career totals."""
    player_id: uuid.UUID
    seasons: int
    games_played: int
    goals: int
    assists: int
    points: int
    points_per_game: Decimal
    plus_minus: int
    penalty_minutes: int
    shots: int
    shooting_percentage: Decimal | None
    """Goals per 100 shots; None without shots."""
    average_time_on_ice_seconds: int
    power_play_goals: int
    shorthanded_goals: int
    shot_attempts: int
    hits: int
    blocks: int
    faceoff_wins: int
    faceoff_losses: int


@dataclass(frozen=True, slots=True)
class GoalieSeason:
    season_id: uuid.UUID | None
    """None for career totals."""
    player_id: uuid.UUID
    seasons: int
    games_played: int
    shots_against: int
    saves: int
    goals_against: int
    time_on_ice_seconds: int
    save_percentage: Decimal | None
    """Saves / shots against; None without shots against."""
    goals_against_average: Decimal | None
    """Goals against per 60 minutes; None without ice time."""
    shutouts: int


@dataclass(frozen=True, slots=True)
class Leader:
    rank: int
    player_id: uuid.UUID
    games_played: int
    goals: int
    assists: int
    points: int
    points_per_game: Decimal


class LeaderCategory(StrEnum):
    """What a team's leaders are ranked by (analytics_repository.py)."""

    POINTS = "points"
    GOALS = "goals"
    ASSISTS = "assists"
    PLUS_MINUS = "plus_minus"
    PENALTY_MINUTES = "penalty_minutes"
    POWER_PLAY_GOALS = "power_play_goals"
    SHOTS = "shots"
    HITS = "hits"
    BLOCKS = "blocks"
    SAVE_PERCENTAGE = "save_percentage"
    GOALS_AGAINST_AVERAGE = "goals_against_average"


@dataclass(frozen=True, slots=True)
class StatLeader:
    rank: int
    player_id: uuid.UUID
    games_played: int
    value: Decimal


@dataclass(frozen=True, slots=True)
class TeamRecord:
    games_played: int
    wins: int
    losses: int
    overtime_losses: int
    ties: int
    goals_for: int
    goals_against: int


@dataclass(frozen=True, slots=True)
class Standing:
    """A team's place in the club's standings of a season."""

    rank: int
    team_id: uuid.UUID
    record: TeamRecord


@dataclass(frozen=True, slots=True)
class TrainingDay:
    player_id: uuid.UUID
    day: date
    load: int
    sessions: int


@dataclass(frozen=True, slots=True)
class LoadWindows:
    """A player's summed load over the acute (7-day) and chronic (28-day) windows ending on one day."""

    player_id: uuid.UUID
    acute: int
    chronic: int
    acute_squares: int = 0
    """Sum of the squared daily loads of the acute window (for monotony)."""


class WorkloadFlag(StrEnum):
    """Where a player's acute:chronic workload ratio lies (workload.py has the thresholds)."""

    SPIKE = "spike"
    UNDER_TRAINING = "under_training"
    IN_RANGE = "in_range"
    NO_BASELINE = "no_baseline"
    """No load in the last 28 days: there is nothing to compare with."""


@dataclass(frozen=True, slots=True)
class Workload:
    """A player's acute:chronic workload ratio on one day."""

    player_id: uuid.UUID
    as_of: date
    acute_load: int
    """Load of the 7 days ending on `as_of`."""
    chronic_load: Decimal
    """Average weekly load of the 28 days ending on `as_of` (their sum / 4)."""
    ratio: Decimal | None
    """acute / chronic, to two decimals; None without chronic load."""
    flag: WorkloadFlag
    monotony: Decimal | None = None
    """Mean daily load / its standard deviation over the acute week, to two decimals; None without variation."""
    strain: Decimal | None = None
    """Acute (weekly) load x monotony, to two decimals."""
    in_target_band: bool = False
    """The ratio lies in the 0.8-1.3 band trainers aim for."""


@dataclass(frozen=True, slots=True)
class GameTotals:
    """What the lines of one game add up to, against which its score is checked."""

    skater_goals: int
    skater_assists: int
    most_points: int
    best_plus_minus: int
    worst_plus_minus: int
    goalie_goals_against: int
