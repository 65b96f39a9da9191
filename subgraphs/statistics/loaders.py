"""Per-request DataLoaders of the statistics service: one SQL statement per batch.

Season aggregates and game logs are read within one club (`organization_id`, None for platform
administrators), which the caller's principal fixes for the whole request.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from typing import TypeVar, cast

from strawberry.dataloader import DataLoader

from shared.graphql import Ctx
from shared.graphql.loaders import many_per_key, one_per_key
from subgraphs.statistics import repository, sheet_repository, workload, workload_repository
from subgraphs.statistics.models import (
    Game,
    GameGoal,
    GamePenalty,
    GameTeamStats,
    GoalieGameStats,
    GoalieSeason,
    PlayerGameStats,
    SeasonPlayer,
    SkaterSeason,
    TrainingDay,
    Workload,
)

L = TypeVar("L", PlayerGameStats, GoalieGameStats)


def games(info: Ctx) -> DataLoader[uuid.UUID, Game | None]:
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[Game | None]:
        return one_per_key(await repository.games_by_ids(session, ids), ids, lambda row: row.id)

    return info.context.loader("statistics.games", load)


def player_lines_of_game(info: Ctx) -> DataLoader[uuid.UUID, list[PlayerGameStats]]:
    session = info.context.session

    async def load(game_ids: list[uuid.UUID]) -> list[list[PlayerGameStats]]:
        rows = await repository.player_lines_of_games(session, game_ids)
        return many_per_key(rows, game_ids, lambda row: row.game_id)

    return info.context.loader("statistics.player_lines_of_game", load)


def goalie_lines_of_game(info: Ctx) -> DataLoader[uuid.UUID, list[GoalieGameStats]]:
    session = info.context.session

    async def load(game_ids: list[uuid.UUID]) -> list[list[GoalieGameStats]]:
        rows = await repository.goalie_lines_of_games(session, game_ids)
        return many_per_key(rows, game_ids, lambda row: row.game_id)

    return info.context.loader("statistics.goalie_lines_of_game", load)


def _season_key(row: SkaterSeason | GoalieSeason) -> SeasonPlayer:
    return cast(uuid.UUID, row.season_id), row.player_id


def skater_seasons(info: Ctx, organization_id: uuid.UUID | None) -> DataLoader[SeasonPlayer, SkaterSeason | None]:
    session = info.context.session

    async def load(keys: list[SeasonPlayer]) -> list[SkaterSeason | None]:
        rows = await repository.skater_seasons(session, keys, organization_id=organization_id)
        return one_per_key(rows, keys, _season_key)

    return info.context.loader(("statistics.skater_seasons", organization_id), load)


def goalie_seasons(info: Ctx, organization_id: uuid.UUID | None) -> DataLoader[SeasonPlayer, GoalieSeason | None]:
    session = info.context.session

    async def load(keys: list[SeasonPlayer]) -> list[GoalieSeason | None]:
        rows = await repository.goalie_seasons(session, keys, organization_id=organization_id)
        return one_per_key(rows, keys, _season_key)

    return info.context.loader(("statistics.goalie_seasons", organization_id), load)


def player_game_logs(
    info: Ctx, organization_id: uuid.UUID | None, last: int | None
) -> DataLoader[SeasonPlayer, list[tuple[PlayerGameStats, Game]]]:
    """One loader per `last`: a batch of players asking for the same number of games is one statement."""
    session = info.context.session

    async def load(keys: list[SeasonPlayer]) -> list[list[tuple[PlayerGameStats, Game]]]:
        rows = await repository.player_game_logs(session, keys, organization_id=organization_id, last=last)
        return _logs_per_key(rows, keys)

    return info.context.loader(("statistics.player_game_logs", organization_id, last), load)


def goalie_game_logs(
    info: Ctx, organization_id: uuid.UUID | None, last: int | None
) -> DataLoader[SeasonPlayer, list[tuple[GoalieGameStats, Game]]]:
    session = info.context.session

    async def load(keys: list[SeasonPlayer]) -> list[list[tuple[GoalieGameStats, Game]]]:
        rows = await repository.goalie_game_logs(session, keys, organization_id=organization_id, last=last)
        return _logs_per_key(rows, keys)

    return info.context.loader(("statistics.goalie_game_logs", organization_id, last), load)


def _logs_per_key(rows: list[tuple[L, Game]], keys: list[SeasonPlayer]) -> list[list[tuple[L, Game]]]:
    groups: dict[SeasonPlayer, list[tuple[L, Game]]] = defaultdict(list)
    for line, game in rows:
        groups[(game.season_id, line.player_id)].append((line, game))
    return [groups.get(key, []) for key in keys]


def training_days(
    info: Ctx, organization_id: uuid.UUID | None, start: date, end: date
) -> DataLoader[uuid.UUID, list[TrainingDay]]:
    """Players' days with training in [start, end]: one loader, and one statement, per range asked for."""
    session = info.context.session

    async def load(player_ids: list[uuid.UUID]) -> list[list[TrainingDay]]:
        rows = await workload_repository.training_days(
            session, player_ids, organization_id=organization_id, start=start, end=end
        )
        return many_per_key(rows, player_ids, lambda row: row.player_id)

    return info.context.loader(("statistics.training_days", organization_id, start, end), load)


def workloads(info: Ctx, organization_id: uuid.UUID | None, as_of: date) -> DataLoader[uuid.UUID, Workload]:
    session = info.context.session

    async def load(player_ids: list[uuid.UUID]) -> list[Workload]:
        return await workload.workloads(session, player_ids, organization_id=organization_id, as_of=as_of)

    return info.context.loader(("statistics.workloads", organization_id, as_of), load)


def goals_of_game(info: Ctx) -> DataLoader[uuid.UUID, list[GameGoal]]:
    session = info.context.session

    async def load(game_ids: list[uuid.UUID]) -> list[list[GameGoal]]:
        rows = await sheet_repository.goals_of_games(session, game_ids)
        return many_per_key(rows, game_ids, lambda row: row.game_id)

    return info.context.loader("statistics.goals_of_game", load)


def penalties_of_game(info: Ctx) -> DataLoader[uuid.UUID, list[GamePenalty]]:
    session = info.context.session

    async def load(game_ids: list[uuid.UUID]) -> list[list[GamePenalty]]:
        rows = await sheet_repository.penalties_of_games(session, game_ids)
        return many_per_key(rows, game_ids, lambda row: row.game_id)

    return info.context.loader("statistics.penalties_of_game", load)


def team_stats_of_game(info: Ctx) -> DataLoader[uuid.UUID, GameTeamStats | None]:
    session = info.context.session

    async def load(game_ids: list[uuid.UUID]) -> list[GameTeamStats | None]:
        rows = await sheet_repository.team_stats_of_games(session, game_ids)
        return one_per_key(rows, game_ids, lambda row: row.game_id)

    return info.context.loader("statistics.team_stats_of_game", load)


def skater_careers(info: Ctx, organization_id: uuid.UUID | None) -> DataLoader[uuid.UUID, SkaterSeason | None]:
    session = info.context.session

    async def load(player_ids: list[uuid.UUID]) -> list[SkaterSeason | None]:
        rows = await repository.skater_seasons(session, None, organization_id=organization_id, player_ids=player_ids)
        return one_per_key(rows, player_ids, lambda row: row.player_id)

    return info.context.loader(("statistics.skater_careers", organization_id), load)


def goalie_careers(info: Ctx, organization_id: uuid.UUID | None) -> DataLoader[uuid.UUID, GoalieSeason | None]:
    session = info.context.session

    async def load(player_ids: list[uuid.UUID]) -> list[GoalieSeason | None]:
        rows = await repository.goalie_seasons(session, None, organization_id=organization_id, player_ids=player_ids)
        return one_per_key(rows, player_ids, lambda row: row.player_id)

    return info.context.loader(("statistics.goalie_careers", organization_id), load)
