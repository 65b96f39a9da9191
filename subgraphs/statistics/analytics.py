"""Team numbers, stat leaders and line performance over a season's final games. No GraphQL here.

Like the other season reads, these are open to the whole club (readable_organization).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.errors import InvalidInput
from subgraphs.statistics import analytics_repository, repository
from subgraphs.statistics.game_sheet import MAX_ON_ICE, TeamNumbers
from subgraphs.statistics.models import LeaderCategory, StatLeader, TeamRecord
from subgraphs.statistics.permissions import readable_organization

MAX_LEADERS = 100
SECONDS_PER_GAME = repository.SECONDS_PER_GAME


@dataclass(frozen=True, slots=True)
class TeamSeason:
    record: TeamRecord
    games_with_sheet: int
    numbers: TeamNumbers
    shots_against: int
    saves: int
    goals_against: int
    goalie_seconds: int


@dataclass(frozen=True, slots=True)
class LinePerformance:
    player_ids: list[uuid.UUID]
    games_together: int
    goals_for: int
    goals_against: int
    even_strength_goals_for: int
    even_strength_goals_against: int


async def team_season(
    session: AsyncSession, actor: Principal, *, season_id: uuid.UUID, team_id: uuid.UUID
) -> TeamSeason:
    scope = readable_organization(actor)
    record = await repository.team_record(session, organization_id=scope, season_id=season_id, team_id=team_id)
    games, numbers = await analytics_repository.team_numbers(
        session, organization_id=scope, season_id=season_id, team_id=team_id
    )
    shots, saves, goals, seconds = await analytics_repository.team_goaltending(
        session, organization_id=scope, season_id=season_id, team_id=team_id
    )
    return TeamSeason(
        record=record,
        games_with_sheet=games,
        numbers=numbers,
        shots_against=shots,
        saves=saves,
        goals_against=goals,
        goalie_seconds=seconds,
    )


async def stat_leaders(
    session: AsyncSession,
    actor: Principal,
    *,
    season_id: uuid.UUID,
    team_id: uuid.UUID,
    category: LeaderCategory,
    minimum_games: int = 1,
    first: int = 10,
) -> list[StatLeader]:
    return await analytics_repository.stat_leaders(
        session,
        organization_id=readable_organization(actor),
        season_id=season_id,
        team_id=team_id,
        category=category,
        minimum_games=validation.integer(minimum_games, field="minimumGames", minimum=1, maximum=200),
        first=validation.integer(first, field="first", minimum=1, maximum=MAX_LEADERS),
    )


async def line_performance(
    session: AsyncSession,
    actor: Principal,
    *,
    season_id: uuid.UUID,
    team_id: uuid.UUID,
    player_ids: list[uuid.UUID],
) -> LinePerformance:
    """Goals for and against with all these skaters on the ice (from goals whose sheet lists who was)."""
    if not 1 <= len(player_ids) <= MAX_ON_ICE:
        raise InvalidInput(f"a line is 1 to {MAX_ON_ICE} players", field="playerIds")
    if len(set(player_ids)) != len(player_ids):
        raise InvalidInput("a player is listed twice", field="playerIds")
    scope = readable_organization(actor)
    goals_for, goals_against, even_for, even_against = await analytics_repository.line_goals(
        session, organization_id=scope, season_id=season_id, team_id=team_id, player_ids=player_ids
    )
    games = await analytics_repository.games_together(
        session, organization_id=scope, season_id=season_id, team_id=team_id, player_ids=player_ids
    )
    return LinePerformance(
        player_ids=player_ids,
        games_together=games,
        goals_for=goals_for,
        goals_against=goals_against,
        even_strength_goals_for=even_for,
        even_strength_goals_against=even_against,
    )
