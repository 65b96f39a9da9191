"""Per-request DataLoaders of the planning service: one SQL statement per batch."""

from __future__ import annotations

import uuid

from strawberry.dataloader import DataLoader

from shared.graphql import Ctx
from shared.graphql.loaders import many_per_key, one_per_key
from subgraphs.planning import repository
from subgraphs.planning.models import (
    DevelopmentGoal,
    Drill,
    DrillRating,
    GoalProgressUpdate,
    LineupSlot,
    PhaseBlock,
    PracticeDrill,
    PracticeParticipant,
    PracticePlan,
    Season,
    SeasonPhase,
)


def seasons(info: Ctx) -> DataLoader[uuid.UUID, Season | None]:
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[Season | None]:
        return one_per_key(await repository.seasons_by_ids(session, ids), ids, lambda row: row.id)

    return info.context.loader("planning.seasons", load)


def phases_of_season(info: Ctx) -> DataLoader[uuid.UUID, list[SeasonPhase]]:
    session = info.context.session

    async def load(season_ids: list[uuid.UUID]) -> list[list[SeasonPhase]]:
        rows = await repository.phases_of_seasons(session, season_ids)
        return many_per_key(rows, season_ids, lambda row: row.season_id)

    return info.context.loader("planning.phases_of_season", load)


def practice_plans(info: Ctx) -> DataLoader[uuid.UUID, PracticePlan | None]:
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[PracticePlan | None]:
        return one_per_key(await repository.practice_plans_by_ids(session, ids), ids, lambda row: row.id)

    return info.context.loader("planning.practice_plans", load)


def drills_of_plan(info: Ctx) -> DataLoader[uuid.UUID, list[PracticeDrill]]:
    session = info.context.session

    async def load(plan_ids: list[uuid.UUID]) -> list[list[PracticeDrill]]:
        rows = await repository.drills_of_plans(session, plan_ids)
        return many_per_key(rows, plan_ids, lambda row: row.practice_plan_id)

    return info.context.loader("planning.drills_of_plan", load)


def goals_of_player(info: Ctx) -> DataLoader[uuid.UUID, list[DevelopmentGoal]]:
    session = info.context.session

    async def load(player_ids: list[uuid.UUID]) -> list[list[DevelopmentGoal]]:
        rows = await repository.goals_of_players(session, player_ids)
        return many_per_key(rows, player_ids, lambda row: row.player_id)  # type: ignore[arg-type, return-value]

    return info.context.loader("planning.goals_of_player", load)


def progress_of_goal(info: Ctx) -> DataLoader[uuid.UUID, list[GoalProgressUpdate]]:
    session = info.context.session

    async def load(goal_ids: list[uuid.UUID]) -> list[list[GoalProgressUpdate]]:
        rows = await repository.progress_of_goals(session, goal_ids)
        return many_per_key(rows, goal_ids, lambda row: row.goal_id)

    return info.context.loader("planning.progress_of_goal", load)


def blocks_of_phase(info: Ctx) -> DataLoader[uuid.UUID, list[PhaseBlock]]:
    session = info.context.session

    async def load(phase_ids: list[uuid.UUID]) -> list[list[PhaseBlock]]:
        rows = await repository.blocks_of_phases(session, phase_ids)
        return many_per_key(rows, phase_ids, lambda row: row.phase_id)

    return info.context.loader("planning.blocks_of_phase", load)


def drills(info: Ctx) -> DataLoader[uuid.UUID, Drill | None]:
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[Drill | None]:
        return one_per_key(await repository.drills_by_ids(session, ids), ids, lambda row: row.id)

    return info.context.loader("planning.drills", load)


def rating_of_drill(info: Ctx) -> DataLoader[uuid.UUID, tuple[float, int] | None]:
    """(average stars, number of ratings), None for a drill nobody rated."""
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[tuple[float, int] | None]:
        found = {
            drill_id: (average, count) for drill_id, average, count in await repository.rating_summaries(session, ids)
        }
        return [found.get(drill_id) for drill_id in ids]

    return info.context.loader("planning.rating_of_drill", load)


def ratings_of_drill(info: Ctx) -> DataLoader[uuid.UUID, list[DrillRating]]:
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[list[DrillRating]]:
        return many_per_key(await repository.ratings_of_drills(session, ids), ids, lambda row: row.drill_id)

    return info.context.loader("planning.ratings_of_drill", load)


def participants_of_plan(info: Ctx) -> DataLoader[uuid.UUID, list[PracticeParticipant]]:
    session = info.context.session

    async def load(plan_ids: list[uuid.UUID]) -> list[list[PracticeParticipant]]:
        rows = await repository.participants_of_plans(session, plan_ids)
        return many_per_key(rows, plan_ids, lambda row: row.practice_plan_id)

    return info.context.loader("planning.participants_of_plan", load)


def slots_of_game_plan(info: Ctx) -> DataLoader[uuid.UUID, list[LineupSlot]]:
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[list[LineupSlot]]:
        return many_per_key(await repository.slots_of_game_plans(session, ids), ids, lambda row: row.game_plan_id)

    return info.context.loader("planning.slots_of_game_plan", load)
