"""Per-request DataLoaders of the training service: one SQL statement per batch."""

from __future__ import annotations

import uuid
from datetime import date

from strawberry.dataloader import DataLoader

from shared.graphql import Ctx
from shared.graphql.loaders import many_per_key, one_per_key
from shared.roster import RosterEntry, roster_entries
from subgraphs.training import planning_copy, repository
from subgraphs.training.execution import repository as execution_repository
from subgraphs.training.facilities import repository as facilities_repository
from subgraphs.training.models import (
    AssignmentStatus,
    Exercise,
    FacilityMachine,
    PerformedSet,
    PlayerRestriction,
    PlayerWorkout,
    RestrictionConflict,
    RestrictionOverrideRequest,
    Workout,
    WorkoutAssignment,
    WorkoutTemplate,
)
from subgraphs.training.restrictions import repository as restrictions_repository


def exercises(info: Ctx) -> DataLoader[uuid.UUID, Exercise | None]:
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[Exercise | None]:
        return one_per_key(await repository.exercises_by_ids(session, ids), ids, lambda row: row.id)

    return info.context.loader("training.exercises", load)


def workouts(info: Ctx) -> DataLoader[uuid.UUID, Workout | None]:
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[Workout | None]:
        return one_per_key(await repository.workouts_by_ids(session, ids), ids, lambda row: row.id)

    return info.context.loader("training.workouts", load)


def templates(info: Ctx) -> DataLoader[uuid.UUID, WorkoutTemplate | None]:
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[WorkoutTemplate | None]:
        return one_per_key(await repository.templates_by_ids(session, ids), ids, lambda row: row.id)

    return info.context.loader("training.templates", load)


def assignments(info: Ctx) -> DataLoader[uuid.UUID, WorkoutAssignment | None]:
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[WorkoutAssignment | None]:
        return one_per_key(await repository.assignments_by_ids(session, ids), ids, lambda row: row.id)

    return info.context.loader("training.assignments", load)


def players_of_assignment(info: Ctx) -> DataLoader[uuid.UUID, list[PlayerWorkout]]:
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[list[PlayerWorkout]]:
        rows = await repository.player_workouts_of_assignments(session, ids)
        return many_per_key(rows, ids, lambda row: row.assignment_id)

    return info.context.loader("training.players_of_assignment", load)


def workouts_of_player(
    info: Ctx,
    *,
    organization_id: uuid.UUID | None,
    start: date | None,
    end: date | None,
    status: AssignmentStatus | None,
) -> DataLoader[uuid.UUID, list[PlayerWorkout]]:
    """One loader per argument combination: `assignedWorkouts(from, to)` on 100 players is one statement."""
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[list[PlayerWorkout]]:
        rows = await repository.player_workouts_of_players(
            session, ids, organization_id=organization_id, start=start, end=end, status=status
        )
        return many_per_key(rows, ids, lambda row: row.player_id)

    return info.context.loader(("training.workouts_of_player", organization_id, start, end, status), load)


def restriction_conflicts(info: Ctx) -> DataLoader[uuid.UUID, list[tuple[RestrictionConflict, PlayerRestriction]]]:
    """By player workout: its conflict flags, each with the restriction that raised it."""
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[list[tuple[RestrictionConflict, PlayerRestriction]]]:
        rows = await restrictions_repository.conflicts_of_player_workouts(session, ids)
        return many_per_key(rows, ids, lambda row: row[0].player_workout_id)

    return info.context.loader("training.restriction_conflicts", load)


def restrictions_of_player(
    info: Ctx, *, organization_id: uuid.UUID | None, on_or_after: date
) -> DataLoader[uuid.UUID, list[PlayerRestriction]]:
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[list[PlayerRestriction]]:
        rows = await restrictions_repository.restrictions_in_force(
            session, ids, organization_id=organization_id, on_or_after=on_or_after
        )
        return many_per_key(rows, ids, lambda row: row.player_id)

    return info.context.loader(("training.restrictions_of_player", organization_id, on_or_after), load)


def roster(info: Ctx) -> DataLoader[uuid.UUID, RosterEntry | None]:
    """The roster copy's entry of each player: their club and team now."""
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[RosterEntry | None]:
        return one_per_key(await roster_entries(session, ids), ids, lambda row: row.player_id)

    return info.context.loader("training.roster", load)


def performed_sets(info: Ctx) -> DataLoader[uuid.UUID, list[PerformedSet]]:
    """By player workout: the sets reported when it was completed."""
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[list[PerformedSet]]:
        rows = await execution_repository.sets_of_player_workouts(session, ids)
        return many_per_key(rows, ids, lambda row: row.player_workout_id)

    return info.context.loader("training.performed_sets", load)


def history_of_player(
    info: Ctx, *, organization_id: uuid.UUID | None, start: date | None, end: date | None
) -> DataLoader[uuid.UUID, list[PlayerWorkout]]:
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[list[PlayerWorkout]]:
        rows = await execution_repository.completed_workouts_of_players(
            session, ids, organization_id=organization_id, start=start, end=end
        )
        return many_per_key(rows, ids, lambda row: row.player_id)

    return info.context.loader(("training.history_of_player", organization_id, start, end), load)


def exercise_sets_of_player(
    info: Ctx, *, organization_id: uuid.UUID | None, exercise_id: uuid.UUID
) -> DataLoader[uuid.UUID, list[tuple[PerformedSet, PlayerWorkout]]]:
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[list[tuple[PerformedSet, PlayerWorkout]]]:
        rows = await execution_repository.sets_of_exercise(
            session, ids, exercise_id=exercise_id, organization_id=organization_id
        )
        return many_per_key(rows, ids, lambda row: row[0].player_id)

    return info.context.loader(("training.exercise_sets_of_player", organization_id, exercise_id), load)


def facility_machines(info: Ctx) -> DataLoader[uuid.UUID, list[FacilityMachine]]:
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[list[FacilityMachine]]:
        rows = await facilities_repository.machines_of_facilities(session, ids)
        return many_per_key(rows, ids, lambda row: row.facility_id)

    return info.context.loader("training.facility_machines", load)


def override_requests(info: Ctx) -> DataLoader[uuid.UUID, RestrictionOverrideRequest | None]:
    """By player workout: its restriction override request, if one was made."""
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[RestrictionOverrideRequest | None]:
        rows = await restrictions_repository.override_requests_of(session, ids)
        return one_per_key(rows, ids, lambda row: row.player_workout_id)

    return info.context.loader("training.override_requests", load)


def player_workouts(info: Ctx) -> DataLoader[uuid.UUID, PlayerWorkout | None]:
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[PlayerWorkout | None]:
        return one_per_key(await repository.player_workouts_by_ids(session, ids), ids, lambda row: row.id)

    return info.context.loader("training.player_workouts", load)


def training_blocks(info: Ctx) -> DataLoader[tuple[uuid.UUID, date], planning_copy.TrainingBlock | None]:
    """By (club, day): the season's training block in force that day, as planning announced it."""
    session = info.context.session

    async def load(keys: list[tuple[uuid.UUID, date]]) -> list[planning_copy.TrainingBlock | None]:
        found = await planning_copy.blocks_on(
            session, sorted({club for club, _ in keys}), sorted({day for _, day in keys})
        )
        by_key = {(club, day): block for club, day, block in found}
        return [by_key.get(key) for key in keys]

    return info.context.loader("training.training_blocks", load)
