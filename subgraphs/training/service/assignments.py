"""Assignments: workouts given to players and teams, and players completing or skipping them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.database import utcnow
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound, not_found
from shared.roster import roster_entries, team_roster
from subgraphs.training import content, events, repository
from subgraphs.training.execution.performance import ExerciseDraft, set_rows
from subgraphs.training.models import AssignmentStatus, PerformedSet, PlayerWorkout, WorkoutAssignment
from subgraphs.training.permissions import (
    can_assign_to_team,
    can_complete_player_workout,
    can_view_player_workout,
    can_write_training,
    is_club_staff,
    own_players,
)
from subgraphs.training.restrictions import service as restrictions
from subgraphs.training.service.common import MAX_LISTED_DAYS, organization_of, today

MAX_ASSIGNMENT_DAYS = 42


async def assign_workout(
    session: AsyncSession,
    actor: Principal,
    *,
    workout_id: uuid.UUID,
    starts_on: date,
    ends_on: date | None = None,
    team_id: uuid.UUID | None = None,
    player_ids: Sequence[uuid.UUID] = (),
    load_modifiers: Sequence[tuple[uuid.UUID, int]] = (),
    note: str | None = None,
    override_reason: str | None = None,
) -> WorkoutAssignment:
    """Gives a workout to named players and/or to a team's active roster as it is now.

    A workout that a player's medical restriction forbids (`restrictions.rules`) is refused with
    RESTRICTION_CONFLICT, unless the trainer gives `override_reason`: then the assignment records who
    overrode, when and why, and the conflicts are flagged as overridden.
    """
    workout = await repository.workout(session, workout_id)
    if workout is None or not actor.in_organization(workout.organization_id):
        raise NotFound(f"Workout {workout_id} does not exist", field="workoutId", details={"entity": "Workout"})
    organization = workout.organization_id
    if not can_write_training(actor, organization):
        raise Forbidden("only physical trainers, coaches and club administrators assign workouts")
    ends_on = ends_on or starts_on
    validation.date_range(starts_on, ends_on, field="endsOn")
    if (ends_on - starts_on).days >= MAX_ASSIGNMENT_DAYS:
        raise InvalidInput(f"an assignment spans at most {MAX_ASSIGNMENT_DAYS} days", field="endsOn")
    if starts_on < today() - timedelta(days=MAX_LISTED_DAYS):
        raise InvalidInput("startsOn is more than a year ago", field="startsOn")
    if team_id is None and not player_ids:
        raise InvalidInput("assign the workout to a team, to players, or both", field="playerIds")

    teams: dict[uuid.UUID, uuid.UUID | None] = {}
    """player -> the team they are on now (None when the roster does not know them yet)."""
    if team_id is not None:
        if not can_assign_to_team(actor, organization, team_id):
            raise Forbidden("you can only assign workouts to your own teams")
        roster = await team_roster(session, team_id)
        if any(row.organization_id != organization for row in roster):
            raise NotFound(f"Team {team_id} does not exist", field="teamId", details={"entity": "Team"})
        teams.update((row.player_id, team_id) for row in roster if row.is_active)
        if not teams and not player_ids:
            raise InvalidInput("the team has no active players", field="teamId")
    named = list(dict.fromkeys(player_ids))
    for row in await roster_entries(session, named):
        if row.organization_id != organization:
            raise NotFound(f"Player {row.player_id} does not exist", field="playerIds", details={"entity": "Player"})
        if not row.is_active:
            raise InvalidInput(f"player {row.player_id} has left the roster", field="playerIds")
        teams.setdefault(row.player_id, row.team_id)
    for player_id in named:
        teams.setdefault(player_id, None)  # not on the roster copy yet: its event is on the way

    modifiers: dict[uuid.UUID, int] = {}
    for index, (player_id, percent) in enumerate(load_modifiers):
        path = f"loadModifiers[{index}]"
        if player_id not in teams:
            raise InvalidInput("the player is not part of this assignment", field=f"{path}.playerId")
        modifiers[player_id] = validation.integer(percent, field=f"{path}.percent", minimum=10, maximum=200)

    if override_reason is not None:
        override_reason = validation.text(
            override_reason, field="overrideRestriction.reason", max_length=restrictions.OVERRIDE_REASON_LENGTH
        )

    assignment = WorkoutAssignment(
        id=uuid.uuid4(),
        organization_id=organization,
        workout_id=workout.id,
        team_id=team_id,
        starts_on=starts_on,
        ends_on=ends_on,
        note=validation.optional_text(note, field="note", max_length=1000),
        assigned_by=actor.user_id,
    )
    players = [
        PlayerWorkout(
            id=uuid.uuid4(),
            assignment_id=assignment.id,
            organization_id=organization,
            player_id=player_id,
            team_id=player_team,
            workout_id=workout.id,
            starts_on=starts_on,
            ends_on=ends_on,
            load_modifier_percent=modifiers.get(player_id, 100),
            status=AssignmentStatus.ASSIGNED,
        )
        for player_id, player_team in teams.items()
    ]
    conflicts = await restrictions.conflicts_of_assignment(session, workout, players)
    if conflicts and override_reason is None:
        raise restrictions.refusal(conflicts)
    if conflicts and override_reason is not None:
        assignment.override_reason = override_reason
        assignment.override_by = actor.user_id
        assignment.override_at = utcnow()
    await repository.add(session, assignment)
    await repository.add(session, *players)
    if conflicts:
        await restrictions.record_conflicts(session, conflicts, players)
    duration = content.from_document(workout.content).duration_seconds
    await events.workout_assigned(session, assignment, workout, players, duration_seconds=duration)
    return assignment


async def list_assignments(
    session: AsyncSession,
    actor: Principal,
    *,
    team_id: uuid.UUID | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[WorkoutAssignment]:
    """Staff see the club's assignments; players and parents those that include them or their children."""
    organization = organization_of(actor)
    if start is not None and end is not None:
        validation.date_range(start, end, field="to")
        if (end - start).days > MAX_LISTED_DAYS:
            raise InvalidInput(f"ask for at most {MAX_LISTED_DAYS} days at once", field="to")
    players: list[uuid.UUID] | None = None
    if not is_club_staff(actor, organization):
        players = sorted(own_players(actor))
        if not players:
            raise Forbidden("assignments are for the club's staff, its players and their parents")
    return await repository.list_assignments(
        session, organization_id=organization, team_id=team_id, start=start, end=end, player_ids=players
    )


async def _player_workout_for(session: AsyncSession, actor: Principal, player_workout_id: uuid.UUID) -> PlayerWorkout:
    row = await repository.player_workout(session, player_workout_id)
    if row is None or not can_view_player_workout(actor, row):
        raise not_found("PlayerWorkout", player_workout_id)
    if not can_complete_player_workout(actor, row):
        raise Forbidden("players mark their own workouts; staff may on their behalf")
    return row


async def complete_player_workout(
    session: AsyncSession,
    actor: Principal,
    player_workout_id: uuid.UUID,
    *,
    rpe: int | None = None,
    minutes: int | None = None,
    completed_on: date | None = None,
    performance: Sequence[ExerciseDraft] | None = None,
) -> PlayerWorkout:
    """Marks the workout done, with what was actually done when reported (`execution.performance`)."""
    row = await _player_workout_for(session, actor, player_workout_id)
    if rpe is not None:
        validation.integer(rpe, field="rpe", minimum=1, maximum=10)
    if minutes is not None:
        validation.integer(minutes, field="minutes", minimum=1, maximum=600)
    completed_on = validation.past_date(completed_on or today(), field="completedOn", earliest=date(2000, 1, 1))
    sets: list[PerformedSet] = []
    if performance is not None:
        named = list(dict.fromkeys(draft.exercise_id for draft in performance))
        library = {exercise.id: exercise for exercise in await repository.exercises_by_ids(session, named)}
        sets = set_rows(performance, exercises=library, row=row)
    done = await repository.complete_player_workout(
        session, player_workout_id, completed_on=completed_on, completed_at=utcnow(), rpe=rpe, minutes=minutes
    )
    if done is None:
        raise Conflict("the workout is already marked completed", field="id")
    await repository.add(session, *sets)
    workout = await repository.workout(session, done.workout_id)
    assert workout is not None  # player workouts cascade with their workout
    await events.workout_completed(
        session, done, workout=workout, performance=sets if performance is not None else None
    )
    return done


async def skip_player_workout(
    session: AsyncSession, actor: Principal, player_workout_id: uuid.UUID, *, reason: str | None = None
) -> PlayerWorkout:
    await _player_workout_for(session, actor, player_workout_id)
    reason = validation.optional_text(reason, field="reason", max_length=500)
    skipped = await repository.skip_player_workout(session, player_workout_id, reason=reason, at=utcnow())
    if skipped is None:
        raise Conflict("only an assigned workout that is not done yet can be skipped", field="id")
    return skipped
