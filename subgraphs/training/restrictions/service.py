"""Medical restrictions against training: flagging players' open workouts, refusing conflicting assignments.

Flags are recomputed for the whole player whenever their restrictions change (`reflag_player`): the result
depends only on the restrictions in force and the open workouts, so a redelivered or reordered event can
not leave a stale flag behind, and a lifted restriction or resolved injury takes its flags with it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.errors import Conflict
from subgraphs.training import content
from subgraphs.training import repository as training_repository
from subgraphs.training.models import PlayerRestriction, PlayerWorkout, Workout
from subgraphs.training.restrictions import repository, rules
from subgraphs.training.service.common import today

OVERRIDE_REASON_LENGTH = 500


class RestrictionConflictError(Conflict):
    """An assignment that a player's medical restriction forbids, made without an override."""

    code = "RESTRICTION_CONFLICT"


@dataclass(frozen=True, slots=True)
class FoundConflict:
    player_id: uuid.UUID
    restriction: PlayerRestriction
    reason: str


async def _planned(
    session: AsyncSession, workouts: Mapping[uuid.UUID, Workout], rows: Sequence[PlayerWorkout]
) -> dict[uuid.UUID, rules.PlannedWorkout]:
    """Each player workout as the rules see it, by its id; one statement (the exercises) whatever the count."""
    structures = {workout.id: content.from_document(workout.content) for workout in workouts.values()}
    exercise_ids = {one.exercise_id for structure in structures.values() for _, one in structure.prescriptions()}
    exercises = {row.id: row for row in await training_repository.exercises_by_ids(session, list(exercise_ids))}
    return {
        row.id: rules.PlannedWorkout(
            structure=structures[row.workout_id],
            exercises=exercises,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            load_modifier_percent=row.load_modifier_percent,
        )
        for row in rows
    }


async def reflag_player(session: AsyncSession, player_id: uuid.UUID) -> None:
    """Flag exactly those open workouts of the player that a restriction in force forbids (among those not over
    yet, and those already flagged: see `repository.open_player_workouts`)."""
    await repository.lock_players(session, [player_id])
    day = today()
    rows = await repository.open_player_workouts(session, player_id, today=day)
    if not rows:
        return
    restrictions = await repository.restrictions_in_force(session, [player_id])
    workouts = {
        row.id: row
        for row in await training_repository.workouts_by_ids(session, list({row.workout_id for row in rows}))
    }
    plans = await _planned(session, workouts, rows)
    found = [
        (row.id, restriction.id, reason)
        for row in rows
        for restriction in restrictions
        if (reason := rules.conflict(restriction, plans[row.id], today=day)) is not None
    ]
    await repository.replace_conflicts(session, [row.id for row in rows], found)


async def reflag_workout(session: AsyncSession, workout_id: uuid.UUID) -> None:
    """After a workout's structure changed: reflag every player who still has it open."""
    players = await repository.players_with_open_workout(session, workout_id)
    await repository.lock_players(session, players)  # all at once, in the one order (see `lock_players`)
    for player_id in players:
        await reflag_player(session, player_id)


async def conflicts_of_assignment(
    session: AsyncSession, workout: Workout, players: Sequence[PlayerWorkout]
) -> list[FoundConflict]:
    """What the restrictions in force forbid of a new assignment's player workouts (not yet written).

    Locks the players first (see `repository.lock_players`): from here to the commit no restriction of
    theirs can change unseen.
    """
    player_ids = [row.player_id for row in players]
    await repository.lock_players(session, player_ids)
    restrictions = await repository.restrictions_in_force(session, player_ids)
    if not restrictions:
        return []
    plans = await _planned(session, {workout.id: workout}, players)
    day = today()
    by_player: dict[uuid.UUID, list[PlayerRestriction]] = {}
    for restriction in restrictions:
        by_player.setdefault(restriction.player_id, []).append(restriction)
    return [
        FoundConflict(row.player_id, restriction, reason)
        for row in players
        for restriction in by_player.get(row.player_id, [])
        if (reason := rules.conflict(restriction, plans[row.id], today=day)) is not None
    ]


def refusal(found: Sequence[FoundConflict]) -> RestrictionConflictError:
    """The error for an assignment that conflicts: it names each restriction, never a diagnosis."""
    details: list[dict[str, Any]] = [
        {
            "playerId": str(one.player_id),
            "restriction": one.restriction.kind.name,
            "startsOn": one.restriction.starts_on.isoformat(),
            "endsOn": one.restriction.ends_on.isoformat() if one.restriction.ends_on else None,
            "reason": one.reason,
        }
        for one in found
    ]
    first = found[0].reason
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    return RestrictionConflictError(
        f"the workout conflicts with a medical restriction: {first}{more}; give overrideRestriction to "
        "assign it anyway",
        field="overrideRestriction",
        details={"conflicts": details},
    )


async def record_conflicts(
    session: AsyncSession, found: Sequence[FoundConflict], rows: Sequence[PlayerWorkout]
) -> None:
    """Flag an overridden assignment's conflicts as accepted by its override."""
    workout_of = {row.player_id: row.id for row in rows}
    await repository.add_conflicts(
        session,
        [(workout_of[one.player_id], one.restriction.id, one.reason) for one in found],
        overridden=True,
    )
