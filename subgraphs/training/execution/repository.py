"""Reads and writes of performed sets and drill attempts, and of completed workouts as history."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.training.models import AssignmentStatus, PerformedDrillAttempt, PerformedSet, PlayerWorkout


async def sets_of_player_workouts(session: AsyncSession, player_workout_ids: Sequence[uuid.UUID]) -> list[PerformedSet]:
    if not player_workout_ids:
        return []
    rows = await session.scalars(
        select(PerformedSet)
        .where(PerformedSet.player_workout_id.in_(player_workout_ids))
        .order_by(PerformedSet.exercise_index, PerformedSet.set_number)
    )
    return list(rows)


async def completed_workouts_of_players(
    session: AsyncSession,
    player_ids: Sequence[uuid.UUID],
    *,
    organization_id: uuid.UUID | None,
    start: date | None,
    end: date | None,
) -> list[PlayerWorkout]:
    """Completed workouts by the day they were done, oldest first."""
    statement = select(PlayerWorkout).where(
        PlayerWorkout.player_id.in_(player_ids),
        PlayerWorkout.status == AssignmentStatus.COMPLETED,
        PlayerWorkout.organization_id == organization_id if organization_id is not None else literal(True),
    )
    if start is not None:
        statement = statement.where(PlayerWorkout.completed_on >= start)
    if end is not None:
        statement = statement.where(PlayerWorkout.completed_on <= end)
    return list(await session.scalars(statement.order_by(PlayerWorkout.completed_on, PlayerWorkout.completed_at)))


async def sets_of_exercise(
    session: AsyncSession,
    player_ids: Sequence[uuid.UUID],
    *,
    exercise_id: uuid.UUID,
    organization_id: uuid.UUID | None,
) -> list[tuple[PerformedSet, PlayerWorkout]]:
    """Every set the players did of one exercise, with its completed workout, by day done."""
    statement = (
        select(PerformedSet, PlayerWorkout)
        .join(PlayerWorkout, PlayerWorkout.id == PerformedSet.player_workout_id)
        .where(PerformedSet.player_id.in_(player_ids), PerformedSet.exercise_id == exercise_id)
    )
    if organization_id is not None:
        statement = statement.where(PerformedSet.organization_id == organization_id)
    rows = await session.execute(
        statement.order_by(PlayerWorkout.completed_on, PlayerWorkout.completed_at, PerformedSet.set_number)
    )
    return [(row[0], row[1]) for row in rows]


async def drill_attempts(
    session: AsyncSession,
    player_ids: Sequence[uuid.UUID],
    *,
    drill_name: str,
    organization_id: uuid.UUID | None,
) -> list[tuple[PerformedDrillAttempt, PlayerWorkout]]:
    statement = (
        select(PerformedDrillAttempt, PlayerWorkout)
        .join(PlayerWorkout, PlayerWorkout.id == PerformedDrillAttempt.player_workout_id)
        .where(
            PerformedDrillAttempt.player_id.in_(player_ids),
            func.lower(PerformedDrillAttempt.drill_name) == drill_name.lower(),
        )
    )
    if organization_id is not None:
        statement = statement.where(PerformedDrillAttempt.organization_id == organization_id)
    rows = await session.execute(
        statement.order_by(
            PlayerWorkout.completed_on,
            PlayerWorkout.completed_at,
            PerformedDrillAttempt.drill_index,
            PerformedDrillAttempt.attempt_number,
        )
    )
    return [(row[0], row[1]) for row in rows]
