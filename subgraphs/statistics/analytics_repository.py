"""The SQL of team numbers, stat leaders and line performance: sums over final games of a season.

`organization_id` arguments scope a read to one club; None reads every club (platform administrators).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Numeric, func, select
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.statistics.game_sheet import TeamNumbers
from subgraphs.statistics.models import (
    Game,
    GameGoal,
    GameSide,
    GameStatus,
    GameTeamStats,
    GoalieGameStats,
    GoalStrength,
    LeaderCategory,
    PlayerGameStats,
    StatLeader,
)
from subgraphs.statistics.repository import SECONDS_PER_GAME


def _season_games(
    organization_id: uuid.UUID | None, season_id: uuid.UUID, team_id: uuid.UUID
) -> list[ColumnElement[bool]]:
    scope = (
        Game.organization_id == organization_id if organization_id is not None else Game.organization_id.is_not(None)
    )
    return [Game.status == GameStatus.FINAL, Game.season_id == season_id, Game.team_id == team_id, scope]


_NUMBERS = TeamNumbers.__slots__


async def team_numbers(
    session: AsyncSession, *, organization_id: uuid.UUID | None, season_id: uuid.UUID, team_id: uuid.UUID
) -> tuple[int, TeamNumbers]:
    """(games with a sheet, their summed team numbers): one statement."""
    columns = [func.coalesce(func.sum(getattr(GameTeamStats, name)), 0) for name in _NUMBERS]
    query = (
        select(func.count(GameTeamStats.game_id), *columns)
        .join(Game, Game.id == GameTeamStats.game_id)
        .where(*_season_games(organization_id, season_id, team_id))
    )
    games, *sums = (await session.execute(query)).one()
    return int(games), TeamNumbers(**{name: int(value) for name, value in zip(_NUMBERS, sums, strict=True)})


async def team_goaltending(
    session: AsyncSession, *, organization_id: uuid.UUID | None, season_id: uuid.UUID, team_id: uuid.UUID
) -> tuple[int, int, int, int]:
    """(shots against, saves, goals against, seconds) of every goalie line of the team's final games."""
    line = GoalieGameStats
    query = (
        select(
            func.coalesce(func.sum(line.shots_against), 0),
            func.coalesce(func.sum(line.saves), 0),
            func.coalesce(func.sum(line.goals_against), 0),
            func.coalesce(func.sum(line.time_on_ice_seconds), 0),
        )
        .join(Game, Game.id == line.game_id)
        .where(*_season_games(organization_id, season_id, team_id))
    )
    shots, saves, goals, seconds = (await session.execute(query)).one()
    return int(shots), int(saves), int(goals), int(seconds)


def _skater_value(category: LeaderCategory) -> Any:
    line = PlayerGameStats
    match category:
        case LeaderCategory.POINTS:
            return func.sum(line.goals + line.assists)
        case LeaderCategory.GOALS:
            return func.sum(line.goals)
        case LeaderCategory.ASSISTS:
            return func.sum(line.assists)
        case LeaderCategory.PLUS_MINUS:
            return func.sum(line.plus_minus)
        case LeaderCategory.PENALTY_MINUTES:
            return func.sum(line.penalty_minutes)
        case LeaderCategory.POWER_PLAY_GOALS:
            return func.sum(line.power_play_goals)
        case LeaderCategory.SHOTS:
            return func.sum(line.shots)
        case LeaderCategory.HITS:
            return func.sum(line.hits)
        case LeaderCategory.BLOCKS:
            return func.sum(line.blocks)
    raise AssertionError(category)


GOALIE_CATEGORIES = frozenset({LeaderCategory.SAVE_PERCENTAGE, LeaderCategory.GOALS_AGAINST_AVERAGE})


async def stat_leaders(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID | None,
    season_id: uuid.UUID,
    team_id: uuid.UUID,
    category: LeaderCategory,
    minimum_games: int,
    first: int,
) -> list[StatLeader]:
    """The team's best in one category over a season's final games, best first; one statement.

    Goalie categories rank goalies with shots against (save percentage, highest first) or ice time (goals
    against average, lowest first); players level share a rank, and fewer games played breaks the tie in
    the order only.
    """
    if category in GOALIE_CATEGORIES:
        goalie = GoalieGameStats
        if category is LeaderCategory.SAVE_PERCENTAGE:
            value: Any = func.round(
                func.sum(goalie.saves).cast(Numeric) / func.nullif(func.sum(goalie.shots_against), 0), 3
            )
            best = value.desc()
        else:
            value = func.round(
                func.sum(goalie.goals_against).cast(Numeric)
                * SECONDS_PER_GAME
                / func.nullif(func.sum(goalie.time_on_ice_seconds), 0),
                2,
            )
            best = value.asc()
        player: Any = goalie.player_id
        games_played = func.count(goalie.id)
        source: Any = goalie
        having = value.is_not(None)
    else:
        value = _skater_value(category)
        best = value.desc()
        player = PlayerGameStats.player_id
        games_played = func.count(PlayerGameStats.id)
        source = PlayerGameStats
        having = games_played > 0
    query = (
        select(func.rank().over(order_by=best), player, games_played, value)
        .select_from(source)
        .join(Game, Game.id == source.game_id)
        .where(*_season_games(organization_id, season_id, team_id))
        .group_by(player)
        .having(having, games_played >= minimum_games)
        .order_by(best, games_played, player)
        .limit(first)
    )
    return [
        StatLeader(rank=int(rank), player_id=player_id, games_played=int(gp), value=Decimal(value))
        for rank, player_id, gp, value in await session.execute(query)
    ]


async def line_goals(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID | None,
    season_id: uuid.UUID,
    team_id: uuid.UUID,
    player_ids: Sequence[uuid.UUID],
) -> tuple[int, int, int, int]:
    """(goals for, goals against, even-strength goals for, even-strength goals against) of the goals of the
    team's final games with all these players on the ice."""
    together = GameGoal.on_ice.contains(array(list(player_ids)))
    ours, theirs = GameGoal.side == GameSide.TEAM, GameGoal.side == GameSide.OPPONENT
    even = GameGoal.strength == GoalStrength.EVEN
    query = (
        select(
            func.count(GameGoal.id).filter(ours),
            func.count(GameGoal.id).filter(theirs),
            func.count(GameGoal.id).filter(ours, even),
            func.count(GameGoal.id).filter(theirs, even),
        )
        .join(Game, Game.id == GameGoal.game_id)
        .where(*_season_games(organization_id, season_id, team_id), together)
    )
    goals_for, goals_against, even_for, even_against = (await session.execute(query)).one()
    return int(goals_for), int(goals_against), int(even_for), int(even_against)


async def games_together(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID | None,
    season_id: uuid.UUID,
    team_id: uuid.UUID,
    player_ids: Sequence[uuid.UUID],
) -> int:
    """The team's final games in which every one of these players has a skater line."""
    line = PlayerGameStats
    shared = (
        select(line.game_id)
        .join(Game, Game.id == line.game_id)
        .where(*_season_games(organization_id, season_id, team_id), line.player_id.in_(list(player_ids)))
        .group_by(line.game_id)
        .having(func.count(func.distinct(line.player_id)) == len(set(player_ids)))
        .subquery()
    )
    return int((await session.execute(select(func.count()).select_from(shared))).scalar_one())
