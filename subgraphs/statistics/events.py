"""Events the statistics service publishes."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from shared.events import record_event
from subgraphs.statistics.models import Game

PRODUCER = "statistics"

GAME_COMPLETED = "game.completed"
"""A game became FINAL; the data carries its final score."""


async def game_completed(session: AsyncSession, game: Game) -> None:
    await record_event(
        session,
        producer=PRODUCER,
        type=GAME_COMPLETED,
        data={
            "game_id": game.id,
            "season_id": game.season_id,
            "team_id": game.team_id,
            "opponent_name": game.opponent_name,
            "is_home": game.is_home,
            "starts_at": game.starts_at,
            "goals_for": game.goals_for,
            "goals_against": game.goals_against,
            "decided_in": game.decided_in.value if game.decided_in else None,
        },
        organization_id=game.organization_id,
    )
