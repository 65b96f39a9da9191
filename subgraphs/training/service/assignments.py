"""Assignments: workouts given to players and teams, and players completing or skipping them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.database import utcnow
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound, not_found
from shared.roster import roster_entries, team_roster
from subgraphs.training import assignment_repository, content, events, planning_copy, repository
from subgraphs.training.execution.performance import ExerciseDraft, set_rows
from subgraphs.training.models import (
    AssignmentConflictChoice,
    AssignmentStatus,
    PerformedSet,
    PlayerWorkout,
    Workout,
    WorkoutAssignment,
    WorkoutCompliance,
)
from subgraphs.training.permissions import (
    can_assign_to_team,
    can_complete_player_workout,
    can_view_player_workout,
    can_write_training,
    is_club_staff,
    own_players,
)
from subgraphs.training.restrictions import overrides
from subgraphs.training.restrictions import service as restrictions
from subgraphs.training.service import schedule
from subgraphs.training.service.common import MAX_LISTED_DAYS, organization_of, today

MAX_ASSIGNMENT_DAYS = 42


class AssignmentClashError(Conflict):
    """Players already hold open workouts in the new assignment's days, and the caller chose nothing."""


class AssignmentPosition(StrEnum):
    FORWARD = "forward"
    CENTER = "center"
    LEFT_WING = "left_wing"
    RIGHT_WING = "right_wing"
    DEFENSE = "defense"
    GOALIE = "goalie"


class AssignmentLineType(StrEnum):
    EVEN_STRENGTH = "even_strength"
    POWER_PLAY = "power_play"
    PENALTY_KILL = "penalty_kill"
    EXTRA_ATTACKER = "extra_attacker"


MAX_LINE_UNIT = 4

POSITION_GROUPS: dict[AssignmentPosition, tuple[str, ...]] = {
    AssignmentPosition.FORWARD: ("center", "left_wing", "right_wing"),
    AssignmentPosition.CENTER: ("center",),
    AssignmentPosition.LEFT_WING: ("left_wing",),
    AssignmentPosition.RIGHT_WING: ("right_wing",),
    AssignmentPosition.DEFENSE: ("defense",),
    AssignmentPosition.GOALIE: ("goalie",),
}
"""A position an assignment may target, and the roster positions it covers."""


async def assign_workout(
    session: AsyncSession,
    actor: Principal,
    *,
    workout_id: uuid.UUID,
    starts_on: date,
    ends_on: date | None = None,
    team_id: uuid.UUID | None = None,
    position: AssignmentPosition | None = None,
    line: tuple[AssignmentLineType, int] | None = None,
    player_ids: Sequence[uuid.UUID] = (),
    load_modifiers: Sequence[tuple[uuid.UUID, int]] = (),
    note: str | None = None,
    override_reason: str | None = None,
    recurrence: schedule.Recurrence | None = None,
    on_conflict: AssignmentConflictChoice | None = None,
) -> WorkoutAssignment:
    """Gives a workout to named players and/or a team's active roster (or its players at one position, or one
    line of its latest lineup) as it is now, for one period or for each occurrence of a recurrence; returns
    the first occurrence.

    Players who already hold an open workout in an occurrence's days clash: without `on_conflict` the
    assignment is refused with CONFLICT listing the clashes; SKIP leaves those players out of that
    occurrence, REPLACE skips their other workout, KEEP_BOTH gives them both.

    Each player's workout is adapted to their medical restrictions (`restrictions.compliance`). One that no
    adaptation makes safe is refused with RESTRICTION_CONFLICT, unless the trainer gives `override_reason`:
    then the assignment records who asked, when and why, and the medical staff must approve the player's
    override before the workout may be done (`restrictions.overrides`).
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
    if position is not None and team_id is None:
        raise InvalidInput("a position is one of a team's: give teamId too", field="teamId")
    if line is not None and team_id is None:
        raise InvalidInput("a line is one of a team's: give teamId too", field="teamId")
    if line is not None and position is not None:
        raise InvalidInput("assign to a position or to a line, not both", field="line")
    if line is not None:
        validation.integer(line[1], field="line.unit", minimum=1, maximum=MAX_LINE_UNIT)
    periods = schedule.occurrences(starts_on, ends_on, recurrence)

    teams: dict[uuid.UUID, uuid.UUID | None] = {}
    """player -> the team they are on now (None when the roster does not know them yet)."""
    if team_id is not None:
        if not can_assign_to_team(actor, organization, team_id):
            raise Forbidden("you can only assign workouts to your own teams")
        roster = await team_roster(session, team_id)
        if any(row.organization_id != organization for row in roster):
            raise NotFound(f"Team {team_id} does not exist", field="teamId", details={"entity": "Team"})
        active = [row.player_id for row in roster if row.is_active]
        if position is not None:
            at_position = set(await assignment_repository.team_players_at(session, team_id, POSITION_GROUPS[position]))
            active = [player for player in active if player in at_position]
        if line is not None:
            on_line = await planning_copy.line_players(session, team_id, line[0].value, line[1])
            if not on_line:
                raise InvalidInput(
                    f"the team's latest {line[0].name} lineup has no unit {line[1]} (set it in a game plan)",
                    field="line",
                )
            active = [player for player in on_line if player in set(active)]
        teams.update((player, team_id) for player in active)
        if not teams and not player_ids:
            if position is not None:
                raise InvalidInput("the team has no active players at that position", field="position")
            if line is not None:
                raise InvalidInput("the line has no active players", field="line")
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
        override_reason = overrides.check_reason(override_reason, field="overrideRestriction.reason")
    note = validation.optional_text(note, field="note", max_length=1000)

    # From here to the commit neither the players' restrictions nor their other workouts change unseen.
    await restrictions.lock_players(session, list(teams))
    clashes = await assignment_repository.open_workouts_overlapping(
        session, list(teams), periods[0][0], max(end for _, end in periods)
    )
    clashing = [
        (start, row, name)
        for start, end in periods
        for row, name in clashes
        if row.starts_on <= end and row.ends_on >= start
    ]
    if clashing and on_conflict is None:
        raise _clash_refusal(clashing)

    series_id = uuid.uuid4() if len(periods) > 1 else None
    duration = content.from_document(workout.content).duration_seconds
    created: list[WorkoutAssignment] = []
    for start, end in periods:
        here = {row.player_id: row for occurrence, row, _ in clashing if occurrence == start}
        players = dict(teams)
        if on_conflict is AssignmentConflictChoice.SKIP:
            players = {player: team for player, team in teams.items() if player not in here}
        elif on_conflict is AssignmentConflictChoice.REPLACE:
            await assignment_repository.replace_player_workouts(
                session,
                [row.id for row in here.values()],
                reason=f"Replaced by {workout.name} ({start})",
                at=utcnow(),
            )
        if not players:
            continue
        created.append(
            await _assign_period(
                session,
                actor,
                workout,
                players,
                starts_on=start,
                ends_on=end,
                team_id=team_id,
                position=position,
                line=line,
                series_id=series_id,
                modifiers=modifiers,
                note=note,
                override_reason=override_reason,
                duration_seconds=duration,
            )
        )
    if not created:
        raise Conflict("every player already has a workout on those days; nothing was assigned", field="onConflict")
    return created[0]


def _clash_refusal(clashing: Sequence[tuple[date, PlayerWorkout, str]]) -> AssignmentClashError:
    details = [
        {
            "playerId": str(row.player_id),
            "playerWorkoutId": str(row.id),
            "workoutId": str(row.workout_id),
            "workoutName": name,
            "startsOn": row.starts_on.isoformat(),
            "endsOn": row.ends_on.isoformat(),
            "occurrenceStartsOn": start.isoformat(),
        }
        for start, row, name in clashing
    ]
    players = len({row.player_id for _, row, _ in clashing})
    return AssignmentClashError(
        f"{players} player(s) already have a workout on those days (first: {clashing[0][2]}); choose "
        "onConflict: SKIP, REPLACE or KEEP_BOTH",
        field="onConflict",
        details={"clashes": details},
    )


async def _assign_period(
    session: AsyncSession,
    actor: Principal,
    workout: Workout,
    players: dict[uuid.UUID, uuid.UUID | None],
    *,
    starts_on: date,
    ends_on: date,
    team_id: uuid.UUID | None,
    position: AssignmentPosition | None,
    line: tuple[AssignmentLineType, int] | None,
    series_id: uuid.UUID | None,
    modifiers: dict[uuid.UUID, int],
    note: str | None,
    override_reason: str | None,
    duration_seconds: int,
) -> WorkoutAssignment:
    assignment = WorkoutAssignment(
        id=uuid.uuid4(),
        organization_id=workout.organization_id,
        workout_id=workout.id,
        team_id=team_id,
        target_position=position,
        target_line_type=None if line is None else line[0].value,
        target_line_unit=None if line is None else line[1],
        series_id=series_id,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note,
        assigned_by=actor.user_id,
    )
    rows = [
        PlayerWorkout(
            id=uuid.uuid4(),
            assignment_id=assignment.id,
            organization_id=workout.organization_id,
            player_id=player_id,
            team_id=player_team,
            workout_id=workout.id,
            starts_on=starts_on,
            ends_on=ends_on,
            load_modifier_percent=modifiers.get(player_id, 100),
            status=AssignmentStatus.ASSIGNED,
        )
        for player_id, player_team in players.items()
    ]
    conflicts, assessments = await restrictions.assess_assignment(session, workout, rows)
    unadaptable = {
        row.player_id: assessments[row.id]
        for row in rows
        if assessments[row.id].compliance is WorkoutCompliance.NOT_COMPLIANT
    }
    if unadaptable and override_reason is None:
        raise restrictions.refusal(conflicts, unadaptable)
    if unadaptable and override_reason is not None:
        assignment.override_reason = override_reason
        assignment.override_by = actor.user_id
        assignment.override_at = utcnow()
    await repository.add(session, assignment)
    await repository.add(session, *rows)
    if conflicts:
        await restrictions.record_conflicts(session, conflicts, rows)
    if unadaptable and override_reason is not None:
        requests = overrides.new_requests(actor, [row for row in rows if row.player_id in unadaptable], override_reason)
        await repository.add(session, *requests)
    await events.workout_assigned(session, assignment, workout, rows, duration_seconds=duration_seconds)
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
    """Marks the workout done, with what was actually done when reported (`execution.performance`). Not a
    workout the player is exempt from, nor one awaiting (or refused) the medical staff's approval."""
    row = await _player_workout_for(session, actor, player_workout_id)
    await restrictions.lock_players(session, [row.player_id])
    await session.refresh(row)
    await overrides.check_doable(session, row)
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


async def assignments_of_series(session: AsyncSession, series_id: uuid.UUID) -> list[WorkoutAssignment]:
    """The occurrences of one recurring assignment; whoever sees one occurrence may see them all."""
    return await assignment_repository.assignments_of_series(session, series_id)
