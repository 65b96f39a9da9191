"""Recording a game's sheet (the rules are in game_sheet.py): one transaction replaces the game's stat
lines, goals, penalties and team numbers, sets its score and makes it final."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import Principal
from shared.database import utcnow
from subgraphs.statistics import events, sheet_repository
from subgraphs.statistics.game_sheet import CheckedSheet, GameSheet, check_sheet
from subgraphs.statistics.models import (
    Game,
    GameGoal,
    GamePenalty,
    GameStatus,
    GameTeamStats,
    GoalieGameStats,
    PlayerGameStats,
)
from subgraphs.statistics.service import check_started, game_to_change

IdFactory = Callable[[str, object], uuid.UUID]
"""(kind of row, what names it within the game) -> the row's id."""


def _random_id(kind: str, key: object) -> uuid.UUID:
    return uuid.uuid4()


async def record_game_sheet(session: AsyncSession, actor: Principal, game_id: uuid.UUID, sheet: GameSheet) -> Game:
    """Replace the game's sheet; the first sheet of a scheduled game finalizes it (`game.completed`)."""
    game = await game_to_change(session, actor, game_id)
    check_started(game, field="gameId")
    checked = check_sheet(sheet)
    await sheet_repository.clear_sheet(session, game.id)
    write_sheet(session, game, checked)
    newly_final = game.status is not GameStatus.FINAL
    game.goals_for, game.goals_against, game.decided_in = checked.goals_for, checked.goals_against, checked.decided_in
    game.status = GameStatus.FINAL
    game.finalized_at = game.finalized_at or utcnow()
    game.sheet_recorded_at = utcnow()
    await session.flush()
    if newly_final:
        await events.game_completed(session, game)
    return game


def write_sheet(session: AsyncSession, game: Game, checked: CheckedSheet, *, ids: IdFactory = _random_id) -> None:
    """Add the rows of a checked sheet to the session: the game's stat lines, goals, penalties and team
    numbers. `ids` names the rows (the demo's are stable across loads)."""
    organization = game.organization_id
    for line in checked.skaters:
        entry = line.entry
        session.add(
            PlayerGameStats(
                id=ids("skater-line", entry.player_id),
                organization_id=organization,
                game_id=game.id,
                player_id=entry.player_id,
                jersey_number=entry.jersey_number,
                goals=line.goals,
                assists=line.assists,
                plus_minus=line.plus_minus,
                penalty_minutes=line.penalty_minutes,
                shots=entry.shots,
                time_on_ice_seconds=entry.time_on_ice_seconds,
                missed_shots=entry.missed_shots,
                blocked_attempts=entry.blocked_attempts,
                blocks=entry.blocks,
                hits=entry.hits,
                faceoff_wins=entry.faceoff_wins,
                faceoff_losses=entry.faceoff_losses,
                power_play_goals=line.power_play_goals,
                shorthanded_goals=line.shorthanded_goals,
            )
        )
    for goalie in checked.goalies:
        session.add(
            GoalieGameStats(
                id=ids("goalie-line", goalie.player_id),
                organization_id=organization,
                game_id=game.id,
                player_id=goalie.player_id,
                jersey_number=goalie.jersey_number,
                shots_against=goalie.shots_against,
                saves=goalie.saves,
                goals_against=goalie.shots_against - goalie.saves,
                time_on_ice_seconds=goalie.time_on_ice_seconds,
            )
        )
    for goal in checked.goals:
        session.add(
            GameGoal(
                id=ids("goal", goal.sequence),
                organization_id=organization,
                game_id=game.id,
                sequence=goal.sequence,
                side=goal.side,
                period=goal.period,
                period_seconds=goal.period_seconds,
                strength=goal.strength,
                scorer_id=goal.scorer_id,
                primary_assist_id=goal.primary_assist_id,
                secondary_assist_id=goal.secondary_assist_id,
                on_ice=goal.on_ice,
            )
        )
    for penalty in checked.penalties:
        session.add(
            GamePenalty(
                id=ids("penalty", penalty.sequence),
                organization_id=organization,
                game_id=game.id,
                sequence=penalty.sequence,
                side=penalty.side,
                player_id=penalty.player_id,
                minutes=penalty.minutes,
                infraction=penalty.infraction,
                period=penalty.period,
                period_seconds=penalty.period_seconds,
            )
        )
    team = checked.team
    session.add(
        GameTeamStats(
            game_id=game.id,
            organization_id=organization,
            shots_for=team.shots_for,
            shots_against=team.shots_against,
            missed_for=team.missed_for,
            missed_against=team.missed_against,
            blocked_for=team.blocked_for,
            blocked_against=team.blocked_against,
            power_play_goals=team.power_play_goals,
            power_play_opportunities=team.power_play_opportunities,
            power_play_goals_against=team.power_play_goals_against,
            times_shorthanded=team.times_shorthanded,
            faceoff_wins=team.faceoff_wins,
            faceoff_losses=team.faceoff_losses,
            penalty_minutes=team.penalty_minutes,
        )
    )
