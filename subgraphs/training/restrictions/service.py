"""Medical restrictions against training: flagging players' open workouts, adapting them to the players'
restrictions (`compliance`), and refusing assignments nobody may adapt unless an override is requested.

Flags and compliance are recomputed for the whole player whenever their restrictions change
(`reflag_player`): the result depends only on the restrictions in force and the open workouts, so a
redelivered or reordered event can not leave a stale flag behind, and a lifted restriction or resolved
injury takes its flags and adaptations with it.
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
from subgraphs.training.models import PlayerRestriction, PlayerWorkout, Workout, WorkoutCompliance
from subgraphs.training.restrictions import compliance, repository, rules
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


_EMPTY_LIBRARY = compliance.Library(exercises={}, alternatives={})
"""Enough for a player under no restriction: nothing needs adapting, so nothing is looked up."""


async def _library(session: AsyncSession, organization_id: uuid.UUID) -> compliance.Library:
    exercises, pairs = await repository.club_library(session, organization_id)
    alternatives: dict[uuid.UUID, list[uuid.UUID]] = {}
    for exercise_id, alternative_id in pairs:
        alternatives.setdefault(exercise_id, []).append(alternative_id)
    return compliance.Library(exercises={row.id: row for row in exercises}, alternatives=alternatives)


def _adapt_row(row: PlayerWorkout, assessment: compliance.Assessment) -> bool:
    """Write the assessment onto the (unsaved or loaded) row; True when anything changed."""
    values = {
        "compliance": assessment.compliance,
        "load_factor": assessment.load_factor,
        "rest_factor": assessment.rest_factor,
        "adaptation": assessment.to_document(),
    }
    changed = any(getattr(row, name) != value for name, value in values.items())
    for name, value in values.items():
        setattr(row, name, value)
    return changed


async def reflag_player(
    session: AsyncSession, player_id: uuid.UUID, *, libraries: dict[uuid.UUID, compliance.Library] | None = None
) -> None:
    """Flag exactly those open workouts of the player that a restriction in force forbids (among those not over
    yet, and those already flagged: see `repository.open_player_workouts`), and adapt them anew. `libraries`
    keeps the club's library read once across several players."""
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
    library = _EMPTY_LIBRARY
    if restrictions:
        cache = libraries if libraries is not None else {}
        organization = rows[0].organization_id
        library = cache.get(organization) or cache.setdefault(organization, await _library(session, organization))
    for row in rows:
        if _adapt_row(row, compliance.assess(restrictions, plans[row.id], library, today=day)):
            await session.flush()


async def reflag_workout(session: AsyncSession, workout_id: uuid.UUID) -> None:
    """After a workout's structure changed: reflag every player who still has it open."""
    players = await repository.players_with_open_workout(session, workout_id)
    await repository.lock_players(session, players)  # all at once, in the one order (see `lock_players`)
    libraries: dict[uuid.UUID, compliance.Library] = {}
    for player_id in players:
        await reflag_player(session, player_id, libraries=libraries)


async def lock_players(session: AsyncSession, player_ids: Sequence[uuid.UUID]) -> None:
    """From here to the commit no restriction of these players can change unseen (`repository.lock_players`)."""
    await repository.lock_players(session, player_ids)


async def assess_assignment(
    session: AsyncSession, workout: Workout, players: Sequence[PlayerWorkout]
) -> tuple[list[FoundConflict], dict[uuid.UUID, compliance.Assessment]]:
    """What the restrictions in force forbid of a new assignment's player workouts (not yet written), and each
    player workout's compliance, by its id, already written onto the rows. Lock the players first."""
    player_ids = [row.player_id for row in players]
    restrictions = await repository.restrictions_in_force(session, player_ids)
    if not restrictions:
        return [], {row.id: compliance.Assessment(WorkoutCompliance.COMPLIANT) for row in players}
    plans = await _planned(session, {workout.id: workout}, players)
    day = today()
    by_player: dict[uuid.UUID, list[PlayerRestriction]] = {}
    for restriction in restrictions:
        by_player.setdefault(restriction.player_id, []).append(restriction)
    found = [
        FoundConflict(row.player_id, restriction, reason)
        for row in players
        for restriction in by_player.get(row.player_id, [])
        if (reason := rules.conflict(restriction, plans[row.id], today=day)) is not None
    ]
    library = await _library(session, workout.organization_id)
    assessments = {
        row.id: compliance.assess(by_player.get(row.player_id, []), plans[row.id], library, today=day)
        for row in players
    }
    for row in players:
        _adapt_row(row, assessments[row.id])
    return found, assessments


def refusal(
    found: Sequence[FoundConflict], unadaptable: Mapping[uuid.UUID, compliance.Assessment]
) -> RestrictionConflictError:
    """The error for an assignment some players cannot do even adapted (`unadaptable`, by player): it names
    each restriction and what could not be adapted, never a diagnosis."""
    details: list[dict[str, Any]] = [
        {
            "playerId": str(one.player_id),
            "restriction": one.restriction.kind.name,
            "severity": one.restriction.severity.name,
            "startsOn": one.restriction.starts_on.isoformat(),
            "endsOn": one.restriction.ends_on.isoformat() if one.restriction.ends_on else None,
            "reason": one.reason,
        }
        for one in found
        if one.player_id in unadaptable
    ]
    players = [
        {"playerId": str(player_id), "reasons": list(assessment.reasons)}
        for player_id, assessment in unadaptable.items()
    ]
    first = next(iter(unadaptable.values())).reasons[-1]
    more = f" (and {len(unadaptable) - 1} more players)" if len(unadaptable) > 1 else ""
    return RestrictionConflictError(
        f"the workout cannot be adapted to a medical restriction: {first}{more}; give overrideRestriction to "
        "request the medical staff's approval",
        field="overrideRestriction",
        details={"conflicts": details, "notCompliant": players},
    )


async def record_conflicts(
    session: AsyncSession, found: Sequence[FoundConflict], rows: Sequence[PlayerWorkout]
) -> None:
    """Flag a new assignment's conflicts; they count as accepted once the medical staff approve an override."""
    workout_of = {row.player_id: row.id for row in rows}
    await repository.add_conflicts(
        session, [(workout_of[one.player_id], one.restriction.id, one.reason) for one in found], overridden=False
    )
