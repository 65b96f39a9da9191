"""Keyword-only async factories for the statistics service, writing through its service layer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from shared.auth.principal import Principal, Role
from shared.database import utcnow
from shared.database.kernel import outbox_events
from subgraphs.statistics import service as stats_service
from subgraphs.statistics.models import Game, GameDecision, GameStatus, GoalieGameStats, PlayerGameStats
from tests.support.principals import platform_admin, principal
from tests.support.services import RunningService

ADMIN = platform_admin()


@dataclass(frozen=True)
class Club:
    """One club with two teams; people are principals, since their accounts live in the user service."""

    organization_id: uuid.UUID
    team_id: uuid.UUID
    other_team_id: uuid.UUID
    season_id: uuid.UUID
    admin: Principal
    coach: Principal
    """Head coach of `team_id` only."""
    player: Principal
    player_id: uuid.UUID


def make_club() -> Club:
    organization_id, team_id, other_team_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    player_id = uuid.uuid4()
    return Club(
        organization_id=organization_id,
        team_id=team_id,
        other_team_id=other_team_id,
        season_id=uuid.uuid4(),
        admin=principal(Role.CLUB_ADMIN, organization_id=organization_id, teams=(team_id, other_team_id)),
        coach=principal(Role.COACH, organization_id=organization_id, teams=(team_id,)),
        player=principal(Role.PLAYER, organization_id=organization_id, teams=(team_id,), player_id=player_id),
        player_id=player_id,
    )


async def make_game(
    stats: RunningService,
    *,
    club: Club,
    team_id: uuid.UUID | None = None,
    season_id: uuid.UUID | None = None,
    starts_at: datetime | None = None,
    opponent: str = "Northside Wolves",
    status: GameStatus = GameStatus.SCHEDULED,
    goals_for: int = 0,
    goals_against: int = 0,
    decided_in: GameDecision | None = None,
) -> Game:
    async with stats.runtime.sessions() as session, session.begin():
        return await stats_service.record_game(
            session,
            ADMIN,
            season_id=season_id or club.season_id,
            team_id=team_id or club.team_id,
            opponent_name=opponent,
            is_home=True,
            starts_at=starts_at or utcnow() - timedelta(days=1),
            status=status,
            goals_for=goals_for,
            goals_against=goals_against,
            decided_in=decided_in,
            organization_id=club.organization_id,
        )


async def make_skater_line(
    stats: RunningService,
    *,
    game: Game,
    player_id: uuid.UUID,
    goals: int = 0,
    assists: int = 0,
    plus_minus: int = 0,
    penalty_minutes: int = 0,
    shots: int = 0,
    time_on_ice_seconds: int = 0,
) -> PlayerGameStats:
    async with stats.runtime.sessions() as session, session.begin():
        return await stats_service.record_player_stats(
            session,
            ADMIN,
            game_id=game.id,
            player_id=player_id,
            goals=goals,
            assists=assists,
            plus_minus=plus_minus,
            penalty_minutes=penalty_minutes,
            shots=shots,
            time_on_ice_seconds=time_on_ice_seconds,
        )


async def make_goalie_line(
    stats: RunningService,
    *,
    game: Game,
    player_id: uuid.UUID,
    shots_against: int,
    saves: int,
    time_on_ice_seconds: int,
) -> GoalieGameStats:
    async with stats.runtime.sessions() as session, session.begin():
        return await stats_service.record_goalie_stats(
            session,
            ADMIN,
            game_id=game.id,
            player_id=player_id,
            shots_against=shots_against,
            saves=saves,
            goals_against=shots_against - saves,
            time_on_ice_seconds=time_on_ice_seconds,
        )


async def outbox(stats: RunningService, event_type: str) -> list[dict[str, object]]:
    """The data of the events of this type the service wrote to its outbox, oldest first."""
    async with stats.engine.connect() as connection:
        rows = await connection.execute(
            select(outbox_events.c.data).where(outbox_events.c.type == event_type).order_by(outbox_events.c.seq)
        )
        return [dict(row.data) for row in rows]
