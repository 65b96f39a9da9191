"""The SQL of game sheets: replacing a game's sheet rows, and reading its goals, penalties and team numbers."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.statistics.models import GameGoal, GamePenalty, GameTeamStats, GoalieGameStats, PlayerGameStats


async def clear_sheet(session: AsyncSession, game_id: uuid.UUID) -> None:
    """Everything a sheet writes for a game, before its replacement is written."""
    for table in (PlayerGameStats, GoalieGameStats, GameGoal, GamePenalty):
        await session.execute(delete(table).where(table.game_id == game_id))
    await session.execute(delete(GameTeamStats).where(GameTeamStats.game_id == game_id))


async def goals_of_games(session: AsyncSession, game_ids: Sequence[uuid.UUID]) -> list[GameGoal]:
    query = select(GameGoal).where(GameGoal.game_id.in_(game_ids))
    return list(await session.scalars(query.order_by(GameGoal.game_id, GameGoal.sequence)))


async def penalties_of_games(session: AsyncSession, game_ids: Sequence[uuid.UUID]) -> list[GamePenalty]:
    query = select(GamePenalty).where(GamePenalty.game_id.in_(game_ids))
    return list(await session.scalars(query.order_by(GamePenalty.game_id, GamePenalty.sequence)))


async def team_stats_of_games(session: AsyncSession, game_ids: Sequence[uuid.UUID]) -> list[GameTeamStats]:
    return list(await session.scalars(select(GameTeamStats).where(GameTeamStats.game_id.in_(game_ids))))
