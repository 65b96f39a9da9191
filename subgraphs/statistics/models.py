"""The statistics service's tables: games, and per-game stat lines of skaters and goalies.

Season aggregates are not stored: they are computed from these lines in SQL (repository.py), so a
corrected line changes every total at once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.database import TYPE_ANNOTATION_MAP, IdMixin, TimestampMixin, new_metadata, pg_enum
from shared.database.kernel import include_kernel_tables


class Base(DeclarativeBase):
    metadata = new_metadata()
    type_annotation_map = TYPE_ANNOTATION_MAP


include_kernel_tables(Base.metadata)


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
    season_id: uuid.UUID
    player_id: uuid.UUID
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


@dataclass(frozen=True, slots=True)
class GoalieSeason:
    season_id: uuid.UUID
    player_id: uuid.UUID
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
class GameTotals:
    """What the lines of one game add up to, against which its score is checked."""

    skater_goals: int
    skater_assists: int
    most_points: int
    best_plus_minus: int
    worst_plus_minus: int
    goalie_goals_against: int
