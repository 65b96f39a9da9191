"""Events the training service publishes (`workout.assigned`, `workout.completed`) and consumes (the user
service's player events, which keep the roster copy in `shared.roster` that team assignments are expanded
from)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from shared.events import record_event
from subgraphs.training.execution.performance import summary
from subgraphs.training.models import (
    LiveSession,
    LiveSessionPlayer,
    PerformedSet,
    PlayerWorkout,
    Workout,
    WorkoutAssignment,
)

PRODUCER = "training"

WORKOUT_ASSIGNED = "workout.assigned"
WORKOUT_COMPLETED = "workout.completed"


async def workout_assigned(
    session: AsyncSession,
    assignment: WorkoutAssignment,
    workout: Workout,
    players: Sequence[PlayerWorkout],
    *,
    duration_seconds: int,
) -> None:
    await record_event(
        session,
        producer=PRODUCER,
        type=WORKOUT_ASSIGNED,
        data={
            "assignment_id": assignment.id,
            "workout_id": workout.id,
            "workout_kind": workout.kind.value,
            "team_id": assignment.team_id,
            "starts_on": assignment.starts_on,
            "ends_on": assignment.ends_on,
            "duration_seconds": duration_seconds,
            "players": [
                {"player_id": row.player_id, "load_modifier_percent": row.load_modifier_percent} for row in players
            ],
        },
        organization_id=assignment.organization_id,
    )


async def workout_completed(
    session: AsyncSession,
    row: PlayerWorkout,
    *,
    workout: Workout,
    performance: Sequence[PerformedSet] | None = None,
) -> None:
    """Session load is minutes x RPE (Foster's session-RPE), when the player reported both. When what was
    actually done was reported, `performance` sums it up: total volume (kg), sets, and per exercise its
    sets, reps, volume and best estimated one-rep max."""
    load = row.minutes * row.rpe if row.minutes is not None and row.rpe is not None else None
    extra: dict[str, object] = {} if performance is None else {"performance": summary(performance)}
    await record_event(
        session,
        producer=PRODUCER,
        type=WORKOUT_COMPLETED,
        data={
            "player_workout_id": row.id,
            "assignment_id": row.assignment_id,
            "player_id": row.player_id,
            "team_id": row.team_id,
            "workout_id": row.workout_id,
            "workout_kind": workout.kind.value,
            "date": row.completed_on,
            "minutes": row.minutes,
            "rpe": row.rpe,
            "load": load,
            **extra,
        },
        organization_id=row.organization_id,
    )


async def live_workout_completed(
    session: AsyncSession,
    live: LiveSession,
    row: LiveSessionPlayer,
    *,
    workout: Workout,
    player_workout: PlayerWorkout | None,
    completed_on: date,
    duration_seconds: int,
    minutes: int,
) -> None:
    """A player completed a workout in a live session: the keys of `workout_completed` (the assignment's
    ones null when the session was not started for an assignment; no RPE, so no load), plus when, how
    long they took part and how far they got."""
    assert row.completed_at is not None
    await record_event(
        session,
        producer=PRODUCER,
        type=WORKOUT_COMPLETED,
        data={
            "player_workout_id": player_workout.id if player_workout is not None else None,
            "assignment_id": live.assignment_id,
            "player_id": row.player_id,
            "team_id": live.team_id,
            "workout_id": workout.id,
            "workout_kind": workout.kind.value,
            "date": completed_on,
            "minutes": minutes,
            "rpe": None,
            "load": None,
            "live_session_id": live.id,
            "completed_at": row.completed_at,
            "duration_seconds": duration_seconds,
            "completion_percent": row.completion_percent,
        },
        organization_id=live.organization_id,
    )
