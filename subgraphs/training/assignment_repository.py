"""SQL for giving out assignments: players by position, clashes with other open assignments, positions copy."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.roster import roster_players
from subgraphs.training.models import AssignmentStatus, PlayerPosition, PlayerWorkout, Workout, WorkoutAssignment


async def team_players_at(session: AsyncSession, team_id: uuid.UUID, positions: Sequence[str]) -> list[uuid.UUID]:
    """The team's active players whose position (from the user service's events) is one of `positions`."""
    rows = await session.scalars(
        select(roster_players.c.player_id)
        .join(PlayerPosition, PlayerPosition.player_id == roster_players.c.player_id)
        .where(
            roster_players.c.team_id == team_id,
            roster_players.c.is_active.is_(True),
            PlayerPosition.position.in_(positions),
        )
        .order_by(roster_players.c.player_id)
    )
    return list(rows)


async def open_workouts_overlapping(
    session: AsyncSession, player_ids: Sequence[uuid.UUID], start: date, end: date
) -> list[tuple[PlayerWorkout, str]]:
    """The players' assigned (not done, not skipped) workouts overlapping [start, end], with the workout's name."""
    if not player_ids:
        return []
    rows = await session.execute(
        select(PlayerWorkout, Workout.name)
        .join(Workout, Workout.id == PlayerWorkout.workout_id)
        .where(
            PlayerWorkout.player_id.in_(player_ids),
            PlayerWorkout.status == AssignmentStatus.ASSIGNED,
            PlayerWorkout.starts_on <= end,
            PlayerWorkout.ends_on >= start,
        )
        .order_by(PlayerWorkout.starts_on, PlayerWorkout.id)
    )
    return [(row, name) for row, name in rows]


async def replace_player_workouts(
    session: AsyncSession, player_workout_ids: Sequence[uuid.UUID], *, reason: str, at: datetime
) -> None:
    """Skip the workouts a new assignment replaces (only those still merely assigned)."""
    if not player_workout_ids:
        return
    await session.execute(
        update(PlayerWorkout)
        .where(PlayerWorkout.id.in_(player_workout_ids), PlayerWorkout.status == AssignmentStatus.ASSIGNED)
        .values(status=AssignmentStatus.SKIPPED, skipped_reason=reason, updated_at=at)
        .execution_options(synchronize_session=False)
    )


async def upsert_position(session: AsyncSession, *, player_id: uuid.UUID, position: str, occurred_at: datetime) -> None:
    """Unless an event newer than `occurred_at` already wrote the player's position."""
    statement = insert(PlayerPosition).values(player_id=player_id, position=position, source_occurred_at=occurred_at)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[PlayerPosition.player_id],
            set_={"position": statement.excluded.position, "source_occurred_at": statement.excluded.source_occurred_at},
            where=PlayerPosition.source_occurred_at <= statement.excluded.source_occurred_at,
        )
    )


async def assignments_of_series(session: AsyncSession, series_id: uuid.UUID) -> list[WorkoutAssignment]:
    return list(
        await session.scalars(
            select(WorkoutAssignment)
            .where(WorkoutAssignment.series_id == series_id)
            .order_by(WorkoutAssignment.starts_on, WorkoutAssignment.id)
        )
    )
