"""Live sessions: a trainer leads a workout now, the players (or their devices) report their progress,
and everyone who follows the session sees each change as it is committed.

The state is in the database: a screen that reconnects reads it (`get_live_session`) and subscribes again.
Changes are announced after their transaction commits (`broadcast`); `watch_live_session` yields the
committed state first and then once per newer version, reading it with a short session each time, so a
subscription holds no database connection while it waits.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.database import utcnow
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound, not_found
from shared.pubsub import PubSub
from shared.roster import roster_entries, team_roster
from subgraphs.training import content, events
from subgraphs.training import repository as training_repository
from subgraphs.training.live import broadcast
from subgraphs.training.live import repository as live_repository
from subgraphs.training.live.permissions import (
    can_follow_live_session,
    can_lead_live_session,
    can_report_live_progress,
)
from subgraphs.training.models import (
    AssignmentStatus,
    LiveParticipantStatus,
    LiveSession,
    LiveSessionPlayer,
    LiveSessionStatus,
    Workout,
)
from subgraphs.training.restrictions import overrides
from subgraphs.training.service.common import today

MAX_PLAYERS = 60

PROGRESS_FIELDS = ("exercise_id", "set_number", "interval_number", "heart_rate", "completion_percent")


@dataclass(frozen=True, slots=True)
class LiveSessionState:
    """A live session as committed: the session, its workout and its players with their latest progress."""

    session: LiveSession
    workout: Workout
    players: tuple[LiveSessionPlayer, ...]

    @property
    def version(self) -> int:
        return self.session.version

    @property
    def ended(self) -> bool:
        return self.session.status is LiveSessionStatus.ENDED


async def _state(session: AsyncSession, live: LiveSession) -> LiveSessionState:
    workout = await training_repository.workout(session, live.workout_id)
    assert workout is not None  # a live session goes with its workout
    players = await live_repository.players_of(session, live.id)
    return LiveSessionState(live, workout, tuple(players))


async def _followed(session: AsyncSession, actor: Principal, session_id: uuid.UUID) -> LiveSessionState:
    live = await live_repository.live_session(session, session_id)
    if live is None or not actor.in_organization(live.organization_id):
        raise not_found("LiveSession", session_id)
    state = await _state(session, live)
    if not can_follow_live_session(actor, live, {row.player_id for row in state.players}):
        raise Forbidden("a live session is for its team's trainers and coaches and the players taking part")
    return state


async def get_live_session(session: AsyncSession, actor: Principal, session_id: uuid.UUID) -> LiveSessionState:
    """The latest committed state, for those who follow the session."""
    return await _followed(session, actor, session_id)


async def watch_live_session(
    sessions: Callable[[], AsyncSession], pubsub: PubSub, actor: Principal, session_id: uuid.UUID
) -> AsyncGenerator[LiveSessionState, None]:
    """The current state, then each newer committed state, until the session has ended.

    The channel is subscribed before the first read, so no change committed after that read is missed.
    """
    async with broadcast.changes(pubsub, session_id) as versions:
        async with sessions() as session:
            state = await _followed(session, actor, session_id)
        yield state
        if state.ended:
            return
        async for version in versions:
            if version <= state.version:
                continue  # already shown: announcements may arrive late or twice
            async with sessions() as session:
                live = await live_repository.live_session(session, session_id)
                if live is None:
                    raise not_found("LiveSession", session_id)
                if live.version <= state.version:
                    continue
                state = await _state(session, live)
            yield state
            if state.ended:
                return


# Changes -----------------------------------------------------------------------------------------------


async def _chosen_players(
    session: AsyncSession, organization_id: uuid.UUID, team_id: uuid.UUID, player_ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    """The named players (active in the club), or else the team's active roster."""
    if not player_ids:
        roster = await team_roster(session, team_id)
        if any(row.organization_id != organization_id for row in roster):
            raise NotFound(f"Team {team_id} does not exist", field="teamId", details={"entity": "Team"})
        chosen = [row.player_id for row in roster if row.is_active]
        if not chosen:
            raise InvalidInput("the team has no active players; name the players", field="playerIds")
        return chosen
    named = list(dict.fromkeys(player_ids))
    for row in await roster_entries(session, named):
        if row.organization_id != organization_id:
            raise NotFound(f"Player {row.player_id} does not exist", field="playerIds", details={"entity": "Player"})
        if not row.is_active:
            raise InvalidInput(f"player {row.player_id} has left the roster", field="playerIds")
    return named  # players the roster copy does not know yet: their event is on the way


async def start_live_session(
    session: AsyncSession,
    actor: Principal,
    pubsub: PubSub,
    *,
    workout_id: uuid.UUID | None = None,
    assignment_id: uuid.UUID | None = None,
    team_id: uuid.UUID | None = None,
    player_ids: Sequence[uuid.UUID] = (),
) -> LiveSessionState:
    """Start a session for a workout (with the team's active players, or those named) or for an assignment
    (with its players who have not done or skipped it; ending the session then completes their part)."""
    if (workout_id is None) == (assignment_id is None):
        raise InvalidInput("start a live session for a workout or for an assignment", field="workoutId")
    part_of: dict[uuid.UUID, uuid.UUID] = {}
    """player -> their part of the assignment."""
    if assignment_id is not None:
        assignment = await training_repository.assignment(session, assignment_id)
        if assignment is None or not actor.in_organization(assignment.organization_id):
            raise NotFound(
                f"WorkoutAssignment {assignment_id} does not exist",
                field="assignmentId",
                details={"entity": "WorkoutAssignment"},
            )
        workout_id = assignment.workout_id
        team_id = team_id or assignment.team_id
        rows = await training_repository.player_workouts_of_assignments(session, [assignment.id])
        # Players exempt by a restriction, or awaiting the medical staff's approval, sit the session out.
        allowed = await overrides.doable(session, rows)
        part_of = {
            row.player_id: row.id for row in rows if row.status is AssignmentStatus.ASSIGNED and row.id in allowed
        }
    assert workout_id is not None
    workout = await training_repository.workout(session, workout_id)
    if workout is None or not actor.in_organization(workout.organization_id):
        raise NotFound(f"Workout {workout_id} does not exist", field="workoutId", details={"entity": "Workout"})
    organization = workout.organization_id
    if team_id is None:
        raise InvalidInput("name the team whose session it is", field="teamId")
    if not can_lead_live_session(actor, organization, team_id):
        raise Forbidden("only the team's physical trainers and coaches lead its live sessions")

    if assignment_id is not None:
        chosen = list(dict.fromkeys(player_ids)) or list(part_of)
        outside = [player for player in chosen if player not in part_of]
        if outside:
            raise InvalidInput(f"player {outside[0]} has no open part in the assignment", field="playerIds")
        if not chosen:
            raise InvalidInput("every player of the assignment has done or skipped it", field="assignmentId")
    else:
        chosen = await _chosen_players(session, organization, team_id, player_ids)
    if len(chosen) > MAX_PLAYERS:
        raise InvalidInput(f"a live session takes at most {MAX_PLAYERS} players", field="playerIds")

    now = utcnow()
    live = LiveSession(
        organization_id=organization,
        team_id=team_id,
        workout_id=workout.id,
        assignment_id=assignment_id,
        status=LiveSessionStatus.ACTIVE,
        version=1,
        started_by=actor.user_id,
        started_at=now,
    )
    live.id = uuid.uuid4()
    players = [
        LiveSessionPlayer(
            session_id=live.id,
            player_id=player,
            status=LiveParticipantStatus.ACTIVE,
            joined_at=now,
            completion_percent=0,
            player_workout_id=part_of.get(player),
        )
        for player in chosen
    ]
    await live_repository.add(session, live, players)
    broadcast.announce_after_commit(session, pubsub, live.id, live.version)
    return LiveSessionState(live, workout, tuple(players))


async def _led(session: AsyncSession, actor: Principal, session_id: uuid.UUID) -> LiveSession:
    live = await live_repository.live_session(session, session_id)
    if live is None or not actor.in_organization(live.organization_id):
        raise not_found("LiveSession", session_id)
    return live


async def _next_version(session: AsyncSession, live: LiveSession) -> LiveSession:
    bumped = await live_repository.bump(session, live.id, at=utcnow())
    if bumped is None:
        raise Conflict("the live session has ended", field="id")
    return bumped


def _progress(values: Mapping[str, Any], workout: Workout) -> dict[str, Any]:
    progress: dict[str, Any] = {}
    if values.get("exercise_id") is not None:
        exercise_id = values["exercise_id"]
        prescribed = {exercise for _, exercise in content.exercise_references(content.from_document(workout.content))}
        if exercise_id not in prescribed:
            raise InvalidInput("the exercise is not part of the session's workout", field="exerciseId")
    limits = {"set_number": (1, 100), "interval_number": (1, 100), "heart_rate": (20, 250)}
    for name, (low, high) in limits.items():
        if values.get(name) is not None:
            validation.integer(values[name], field=validation.camel(name), minimum=low, maximum=high)
    if "completion_percent" in values:
        validation.integer(
            validation.required(values, "completion_percent"), field="completionPercent", minimum=0, maximum=100
        )
    for name in PROGRESS_FIELDS:
        if name in values:
            progress[name] = values[name]
    if not progress:
        raise InvalidInput("report at least one of the progress fields", field="completionPercent")
    return progress


async def report_live_progress(
    session: AsyncSession,
    actor: Principal,
    pubsub: PubSub,
    session_id: uuid.UUID,
    *,
    player_id: uuid.UUID | None = None,
    progress: Mapping[str, Any],
) -> tuple[LiveSessionPlayer, LiveSession]:
    """Record a player's latest progress (fields not given keep their value; null clears one).

    A player reports their own (`player_id` defaults to the caller's); the leaders anyone's."""
    live = await _led(session, actor, session_id)
    if player_id is None:
        if actor.player_id is None:
            raise InvalidInput("name the player whose progress it is", field="playerId")
        player_id = actor.player_id
    if not can_report_live_progress(actor, live, player_id):
        raise Forbidden("players report their own progress; the session's trainers and coaches anyone's")
    workout = await training_repository.workout(session, live.workout_id)
    assert workout is not None
    checked = _progress(progress, workout)
    live = await _next_version(session, live)
    reported = await live_repository.report(session, live.id, player_id, checked, at=utcnow(), by=actor.user_id)
    if reported is None:
        raise Conflict("the player is not taking part in the live session", field="playerId")
    broadcast.announce_after_commit(session, pubsub, live.id, live.version)
    return reported, live


async def join_live_session(
    session: AsyncSession,
    actor: Principal,
    pubsub: PubSub,
    session_id: uuid.UUID,
    *,
    player_id: uuid.UUID | None = None,
) -> LiveSessionState:
    """A leader adds a player of the club; a player joins on their own when they are on the session's team
    (or took part before and left)."""
    live = await _led(session, actor, session_id)
    player_id = player_id or actor.player_id
    if player_id is None:
        raise InvalidInput("name the player who joins", field="playerId")
    leader = can_lead_live_session(actor, live.organization_id, live.team_id)
    if not leader and not actor.is_player(player_id):
        raise Forbidden("players join on their own; the session's trainers add anyone")
    entries = {row.player_id: row for row in await roster_entries(session, [player_id])}
    entry = entries.get(player_id)
    if entry is not None and (entry.organization_id != live.organization_id or not entry.is_active):
        raise NotFound(f"Player {player_id} does not exist", field="playerId", details={"entity": "Player"})
    if not leader:
        before = await live_repository.participant(session, live.id, player_id)
        on_team = entry is not None and entry.team_id == live.team_id
        if before is None and not on_team:
            raise Forbidden("only the session's team's players join it on their own")
    part: uuid.UUID | None = None
    if live.assignment_id is not None:
        rows = [
            row
            for row in await training_repository.player_workouts_of_assignments(session, [live.assignment_id])
            if row.player_id == player_id
        ]
        part = rows[0].id if rows else None
        if rows and part not in await overrides.doable(session, rows):
            raise Conflict(
                "a medical restriction exempts the player from this workout, or awaits the medical staff's approval",
                field="playerId",
            )
    live = await _next_version(session, live)
    joined = await live_repository.join(session, live.id, player_id, at=utcnow(), player_workout_id=part)
    if joined is None:
        raise Conflict("the player is taking part already", field="playerId")
    broadcast.announce_after_commit(session, pubsub, live.id, live.version)
    return await _state(session, live)


async def leave_live_session(
    session: AsyncSession,
    actor: Principal,
    pubsub: PubSub,
    session_id: uuid.UUID,
    *,
    player_id: uuid.UUID | None = None,
) -> LiveSessionState:
    """A player leaves (their progress stays as it was); a leader may take anyone out."""
    live = await _led(session, actor, session_id)
    player_id = player_id or actor.player_id
    if player_id is None:
        raise InvalidInput("name the player who leaves", field="playerId")
    if not can_report_live_progress(actor, live, player_id):
        raise Forbidden("players leave on their own; the session's trainers take anyone out")
    live = await _next_version(session, live)
    if await live_repository.leave(session, live.id, player_id, at=utcnow()) is None:
        raise Conflict("the player is not taking part in the live session", field="playerId")
    broadcast.announce_after_commit(session, pubsub, live.id, live.version)
    return await _state(session, live)


async def end_live_session(
    session: AsyncSession, actor: Principal, pubsub: PubSub, session_id: uuid.UUID
) -> LiveSessionState:
    """End the session: everyone still taking part has completed the workout (`workout.completed` each,
    with how long they took part and how far they got); their part of the assignment, if any, is done."""
    live = await _led(session, actor, session_id)
    if not can_lead_live_session(actor, live.organization_id, live.team_id):
        raise Forbidden("only the team's physical trainers and coaches end its live sessions")
    now = utcnow()
    ended = await live_repository.end(session, live.id, at=now, by=actor.user_id)
    if ended is None:
        raise Conflict("the live session has ended already", field="id")
    workout = await training_repository.workout(session, ended.workout_id)
    assert workout is not None
    for row in await live_repository.complete_taking_part(session, ended.id, at=now):
        duration_seconds = max(0, int((now - row.joined_at).total_seconds()))
        minutes = min(600, max(1, round(duration_seconds / 60)))
        part = None
        if row.player_workout_id is not None:
            part = await training_repository.complete_player_workout(
                session, row.player_workout_id, completed_on=today(), completed_at=now, rpe=None, minutes=minutes
            )
            if part is None:
                continue  # completed on its own meanwhile: its workout.completed is out already
        await events.live_workout_completed(
            session,
            ended,
            row,
            workout=workout,
            player_workout=part,
            completed_on=today(),
            duration_seconds=duration_seconds,
            minutes=minutes,
        )
    broadcast.announce_after_commit(session, pubsub, ended.id, ended.version)
    return await _state(session, ended)
