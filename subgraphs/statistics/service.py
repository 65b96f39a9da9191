"""Domain rules of games and stat lines. No GraphQL here: plain values in, models out.

Every write that depends on a game's totals first locks the game row (`repository.game_for_update`):
a score change and new stat lines of the same game then run one after another, so "the skaters'
goals never exceed the team's goals" holds under concurrent writes too.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.database import utcnow
from shared.database.integrity import flush
from shared.errors import Conflict, Forbidden, InvalidInput, not_found
from subgraphs.statistics import events, repository
from subgraphs.statistics.models import (
    Game,
    GameDecision,
    GameStatus,
    GameTotals,
    GoalieGameStats,
    Leader,
    PlayerGameStats,
    Standing,
    TeamRecord,
)
from subgraphs.statistics.permissions import (
    can_record_games,
    can_record_stats,
    can_view_game,
    readable_organization,
)

MAX_GOALS = 99
MAX_COUNT = 200
"""Upper bound of shots, penalty minutes and shots against in one game: far above any real game."""
MAX_TIME_ON_ICE_SECONDS = 4 * 3600
"""Longer than the longest multi-overtime game ever played."""
MAX_LEADERS = 100

_DUPLICATE_PLAYER = Conflict("the player already has a stat line in this game", field="playerId")
_DUPLICATE_GOALIE = Conflict("the goalie already has a stat line in this game", field="playerId")


def _acting_organization(actor: Principal, organization_id: uuid.UUID | None) -> uuid.UUID:
    """The club a new game belongs to: the caller's own, or one a platform administrator names."""
    if organization_id is not None and organization_id != actor.organization_id:
        if not actor.is_platform_admin:
            raise Forbidden("you can only record games of your own organization")
        return organization_id
    return actor.require_organization()


# Games -------------------------------------------------------------------------------------------------


async def get_game(session: AsyncSession, actor: Principal, game_id: uuid.UUID) -> Game:
    found = await repository.games_by_ids(session, [game_id])
    if not found or not can_view_game(actor, found[0]):
        raise not_found("Game", game_id)
    return found[0]


async def list_games(
    session: AsyncSession,
    actor: Principal,
    *,
    season_id: uuid.UUID,
    team_id: uuid.UUID | None = None,
    status: GameStatus | None = None,
) -> list[Game]:
    return await repository.games(
        session,
        organization_id=readable_organization(actor),
        season_id=season_id,
        team_id=team_id,
        status=status,
    )


def _start(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput("startsAt must carry a time zone offset", field="startsAt")
    return value


def _score(goals_for: int, goals_against: int, decided_in: GameDecision | None) -> tuple[int, int]:
    scored = validation.integer(goals_for, field="goalsFor", minimum=0, maximum=MAX_GOALS)
    conceded = validation.integer(goals_against, field="goalsAgainst", minimum=0, maximum=MAX_GOALS)
    if decided_in is not None and abs(scored - conceded) != 1:
        raise InvalidInput("a game decided in overtime or a shootout is won by exactly one goal", field="decidedIn")
    return scored, conceded


def _check_score_covers_lines(game: Game, totals: GameTotals) -> None:
    """The game's score must account for every stat line already recorded against it."""
    if totals.skater_goals > game.goals_for or totals.most_points > game.goals_for:
        raise InvalidInput(
            f"the recorded stat lines hold {totals.skater_goals} goals, more than goalsFor allows",
            field="goalsFor",
        )
    if totals.skater_assists > 2 * game.goals_for or totals.best_plus_minus > game.goals_for:
        raise InvalidInput("the recorded assists or plus/minus exceed what goalsFor allows", field="goalsFor")
    if totals.goalie_goals_against > game.goals_against or -totals.worst_plus_minus > game.goals_against:
        raise InvalidInput(
            "the recorded goalie and plus/minus lines exceed what goalsAgainst allows", field="goalsAgainst"
        )


def _check_no_sheet(game: Game, *, field: str) -> None:
    """A game with a recorded sheet takes its lines and score from the sheet: single edits would drift."""
    if game.sheet_recorded_at is not None:
        raise Conflict("the game has a recorded sheet: correct it with recordGameSheet", field=field)


def check_started(game: Game, *, field: str) -> None:
    if game.starts_at > utcnow():
        raise InvalidInput("a game that has not started yet cannot be final", field=field)


async def record_game(
    session: AsyncSession,
    actor: Principal,
    *,
    season_id: uuid.UUID,
    team_id: uuid.UUID,
    opponent_name: str,
    is_home: bool,
    starts_at: datetime,
    status: GameStatus = GameStatus.SCHEDULED,
    goals_for: int = 0,
    goals_against: int = 0,
    decided_in: GameDecision | None = None,
    organization_id: uuid.UUID | None = None,
) -> Game:
    organization = _acting_organization(actor, organization_id)
    if not can_record_games(actor, organization, team_id):
        raise Forbidden("only the team's coaches and the club's administrators record games")
    scored, conceded = _score(goals_for, goals_against, decided_in)
    game = Game(
        organization_id=organization,
        season_id=season_id,
        team_id=team_id,
        opponent_name=validation.text(opponent_name, field="opponentName", max_length=120),
        is_home=is_home,
        starts_at=_start(starts_at),
        status=status,
        goals_for=scored,
        goals_against=conceded,
        decided_in=decided_in,
    )
    if status is GameStatus.FINAL:
        check_started(game, field="status")
        game.finalized_at = utcnow()
    session.add(game)
    await session.flush()
    if status is GameStatus.FINAL:
        await events.game_completed(session, game)
    return game


async def game_to_change(session: AsyncSession, actor: Principal, game_id: uuid.UUID) -> Game:
    """The game, locked for this transaction, if the caller may change it or its stat lines."""
    game = await repository.game_for_update(session, game_id)
    if game is None or not can_view_game(actor, game):
        raise not_found("Game", game_id)
    if not can_record_stats(actor, game):
        raise Forbidden("only the team's coaches and the club's administrators change games and stats")
    return game


async def update_game(session: AsyncSession, actor: Principal, game_id: uuid.UUID, changes: Mapping[str, Any]) -> Game:
    game = await game_to_change(session, actor, game_id)
    if "opponent_name" in changes:
        game.opponent_name = validation.text(
            validation.required(changes, "opponent_name"), field="opponentName", max_length=120
        )
    if "is_home" in changes:
        game.is_home = bool(validation.required(changes, "is_home"))
    if "starts_at" in changes:
        game.starts_at = _start(validation.required(changes, "starts_at"))
        if game.status is GameStatus.FINAL:
            check_started(game, field="startsAt")
    if {"goals_for", "goals_against", "decided_in"} & changes.keys():
        _check_no_sheet(game, field="goalsFor")
        decided_in = changes.get("decided_in", game.decided_in)
        game.goals_for, game.goals_against = _score(
            validation.required(changes, "goals_for") if "goals_for" in changes else game.goals_for,
            validation.required(changes, "goals_against") if "goals_against" in changes else game.goals_against,
            decided_in,
        )
        game.decided_in = decided_in
        _check_score_covers_lines(game, await repository.game_totals(session, game.id))
    await session.flush()
    return game


async def finalize_game(
    session: AsyncSession,
    actor: Principal,
    game_id: uuid.UUID,
    *,
    goals_for: int,
    goals_against: int,
    decided_in: GameDecision | None = None,
) -> Game:
    """Record the final score; the game then counts in season statistics and `game.completed` goes out."""
    game = await game_to_change(session, actor, game_id)
    if game.status is GameStatus.FINAL:
        raise Conflict("the game is already final; correct its score with updateGame", field="id")
    check_started(game, field="id")
    game.goals_for, game.goals_against = _score(goals_for, goals_against, decided_in)
    game.decided_in = decided_in
    _check_score_covers_lines(game, await repository.game_totals(session, game.id))
    game.status = GameStatus.FINAL
    game.finalized_at = utcnow()
    await session.flush()
    await events.game_completed(session, game)
    return game


async def remove_game(session: AsyncSession, actor: Principal, game_id: uuid.UUID) -> bool:
    """Drop a scheduled game that will not be played; a final game is history and stays."""
    game = await game_to_change(session, actor, game_id)
    if game.status is GameStatus.FINAL:
        raise Conflict("a final game cannot be removed", field="id")
    await repository.delete_game(session, game.id)
    return True


# Skater lines ------------------------------------------------------------------------------------------


_SKATER_FIELDS = ("goals", "assists", "plus_minus", "penalty_minutes", "shots", "time_on_ice_seconds")


def _skater_values(values: Mapping[str, Any]) -> dict[str, int]:
    checked = {
        "goals": validation.integer(values["goals"], field="goals", minimum=0, maximum=MAX_GOALS),
        "assists": validation.integer(values["assists"], field="assists", minimum=0, maximum=2 * MAX_GOALS),
        "plus_minus": validation.integer(
            values["plus_minus"], field="plusMinus", minimum=-MAX_GOALS, maximum=MAX_GOALS
        ),
        "penalty_minutes": validation.integer(
            values["penalty_minutes"], field="penaltyMinutes", minimum=0, maximum=MAX_COUNT
        ),
        "shots": validation.integer(values["shots"], field="shots", minimum=0, maximum=MAX_COUNT),
        "time_on_ice_seconds": validation.integer(
            values["time_on_ice_seconds"],
            field="timeOnIceSeconds",
            minimum=0,
            maximum=MAX_TIME_ON_ICE_SECONDS,
        ),
    }
    if checked["goals"] > checked["shots"]:
        raise InvalidInput("every goal is also a shot on goal: goals cannot exceed shots", field="goals")
    return checked


def _check_skater_line(game: Game, others: GameTotals, line: Mapping[str, int]) -> None:
    scored = game.goals_for
    if others.skater_goals + line["goals"] > scored:
        raise InvalidInput(
            f"the team scored {scored} goals, and its skaters would have {others.skater_goals + line['goals']}",
            field="goals",
        )
    if line["goals"] + line["assists"] > scored:
        raise InvalidInput(f"a player cannot have more points than the team's {scored} goals", field="assists")
    if others.skater_assists + line["assists"] > 2 * scored:
        raise InvalidInput(f"{scored} goals allow at most {2 * scored} assists for the whole team", field="assists")
    if not -game.goals_against <= line["plus_minus"] <= scored:
        raise InvalidInput(
            f"plus/minus must lie between -{game.goals_against} and {scored} for this score",
            field="plusMinus",
        )


async def record_player_stats(
    session: AsyncSession,
    actor: Principal,
    *,
    game_id: uuid.UUID,
    player_id: uuid.UUID,
    goals: int = 0,
    assists: int = 0,
    plus_minus: int = 0,
    penalty_minutes: int = 0,
    shots: int = 0,
    time_on_ice_seconds: int = 0,
) -> PlayerGameStats:
    game = await game_to_change(session, actor, game_id)
    _check_no_sheet(game, field="gameId")
    values = _skater_values(
        {
            "goals": goals,
            "assists": assists,
            "plus_minus": plus_minus,
            "penalty_minutes": penalty_minutes,
            "shots": shots,
            "time_on_ice_seconds": time_on_ice_seconds,
        }
    )
    _check_skater_line(game, await repository.game_totals(session, game.id), values)
    line = PlayerGameStats(organization_id=game.organization_id, game_id=game.id, player_id=player_id, **values)
    session.add(line)
    await flush(session, violations={"uq_player_game_stats_game_id_player_id": _DUPLICATE_PLAYER})
    return line


async def _player_line(session: AsyncSession, actor: Principal, line_id: uuid.UUID) -> tuple[PlayerGameStats, Game]:
    found = await repository.player_lines_by_ids(session, [line_id])
    if not found or not actor.in_organization(found[0].organization_id):
        raise not_found("PlayerGameStats", line_id)
    game = await game_to_change(session, actor, found[0].game_id)
    _check_no_sheet(game, field="id")
    # Re-read under the game's lock: a concurrent correction or removal may have just committed.
    line = await repository.player_line_for_update(session, line_id)
    if line is None:
        raise not_found("PlayerGameStats", line_id)
    return line, game


async def update_player_stats(
    session: AsyncSession, actor: Principal, line_id: uuid.UUID, changes: Mapping[str, Any]
) -> PlayerGameStats:
    line, game = await _player_line(session, actor, line_id)
    merged = {name: getattr(line, name) for name in _SKATER_FIELDS}
    merged.update({name: validation.required(changes, name) for name in _SKATER_FIELDS if name in changes})
    values = _skater_values(merged)
    _check_skater_line(game, await repository.game_totals(session, game.id, except_player_line=line.id), values)
    for name, value in values.items():
        setattr(line, name, value)
    await session.flush()
    return line


async def remove_player_stats(session: AsyncSession, actor: Principal, line_id: uuid.UUID) -> bool:
    line, _ = await _player_line(session, actor, line_id)
    await repository.delete_player_line(session, line.id)
    return True


# Goalie lines ------------------------------------------------------------------------------------------


_GOALIE_FIELDS = ("shots_against", "saves", "goals_against", "time_on_ice_seconds")


def _goalie_values(values: Mapping[str, Any]) -> dict[str, int]:
    checked = {
        "shots_against": validation.integer(
            values["shots_against"], field="shotsAgainst", minimum=0, maximum=MAX_COUNT
        ),
        "saves": validation.integer(values["saves"], field="saves", minimum=0, maximum=MAX_COUNT),
        "goals_against": validation.integer(
            values["goals_against"], field="goalsAgainst", minimum=0, maximum=MAX_GOALS
        ),
        "time_on_ice_seconds": validation.integer(
            values["time_on_ice_seconds"],
            field="timeOnIceSeconds",
            minimum=0,
            maximum=MAX_TIME_ON_ICE_SECONDS,
        ),
    }
    if checked["saves"] > checked["shots_against"]:
        raise InvalidInput("saves cannot exceed shots against", field="saves")
    if checked["goals_against"] != checked["shots_against"] - checked["saves"]:
        raise InvalidInput(
            f"goals against must equal shots against minus saves ({checked['shots_against']} - {checked['saves']})",
            field="goalsAgainst",
        )
    return checked


def _check_goalie_line(game: Game, others: GameTotals, line: Mapping[str, int]) -> None:
    if others.goalie_goals_against + line["goals_against"] > game.goals_against:
        raise InvalidInput(
            f"the team conceded {game.goals_against} goals, and its goalies would be charged "
            f"{others.goalie_goals_against + line['goals_against']}",
            field="goalsAgainst",
        )


async def record_goalie_stats(
    session: AsyncSession,
    actor: Principal,
    *,
    game_id: uuid.UUID,
    player_id: uuid.UUID,
    shots_against: int,
    saves: int,
    goals_against: int,
    time_on_ice_seconds: int,
) -> GoalieGameStats:
    game = await game_to_change(session, actor, game_id)
    _check_no_sheet(game, field="gameId")
    values = _goalie_values(
        {
            "shots_against": shots_against,
            "saves": saves,
            "goals_against": goals_against,
            "time_on_ice_seconds": time_on_ice_seconds,
        }
    )
    _check_goalie_line(game, await repository.game_totals(session, game.id), values)
    line = GoalieGameStats(organization_id=game.organization_id, game_id=game.id, player_id=player_id, **values)
    session.add(line)
    await flush(session, violations={"uq_goalie_game_stats_game_id_player_id": _DUPLICATE_GOALIE})
    return line


async def _goalie_line(session: AsyncSession, actor: Principal, line_id: uuid.UUID) -> tuple[GoalieGameStats, Game]:
    found = await repository.goalie_lines_by_ids(session, [line_id])
    if not found or not actor.in_organization(found[0].organization_id):
        raise not_found("GoalieGameStats", line_id)
    game = await game_to_change(session, actor, found[0].game_id)
    _check_no_sheet(game, field="id")
    line = await repository.goalie_line_for_update(session, line_id)  # re-read under the game's lock
    if line is None:
        raise not_found("GoalieGameStats", line_id)
    return line, game


async def update_goalie_stats(
    session: AsyncSession, actor: Principal, line_id: uuid.UUID, changes: Mapping[str, Any]
) -> GoalieGameStats:
    line, game = await _goalie_line(session, actor, line_id)
    merged = {name: getattr(line, name) for name in _GOALIE_FIELDS}
    merged.update({name: validation.required(changes, name) for name in _GOALIE_FIELDS if name in changes})
    if "goals_against" not in changes and {"shots_against", "saves"} & changes.keys():
        # Goals against follow from the other two; a caller changing those need not restate them.
        merged["goals_against"] = merged["shots_against"] - merged["saves"]
    values = _goalie_values(merged)
    _check_goalie_line(game, await repository.game_totals(session, game.id, except_goalie_line=line.id), values)
    for name, value in values.items():
        setattr(line, name, value)
    await session.flush()
    return line


async def remove_goalie_stats(session: AsyncSession, actor: Principal, line_id: uuid.UUID) -> bool:
    line, _ = await _goalie_line(session, actor, line_id)
    await repository.delete_goalie_line(session, line.id)
    return True


# Season reads ------------------------------------------------------------------------------------------


async def season_leaders(
    session: AsyncSession, actor: Principal, *, season_id: uuid.UUID, team_id: uuid.UUID, first: int = 10
) -> list[Leader]:
    return await repository.points_leaders(
        session,
        organization_id=readable_organization(actor),
        season_id=season_id,
        team_id=team_id,
        first=validation.integer(first, field="first", minimum=1, maximum=MAX_LEADERS),
    )


async def team_record(
    session: AsyncSession, actor: Principal, *, season_id: uuid.UUID, team_id: uuid.UUID
) -> TeamRecord:
    return await repository.team_record(
        session, organization_id=readable_organization(actor), season_id=season_id, team_id=team_id
    )


async def standings(session: AsyncSession, actor: Principal, *, season_id: uuid.UUID) -> list[Standing]:
    return await repository.standings(session, organization_id=readable_organization(actor), season_id=season_id)
