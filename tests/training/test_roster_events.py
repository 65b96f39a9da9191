"""The roster copy follows the user service's player events, delivered by the real bus of the backend,
and team assignments are expanded from it."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from shared.database.kernel import processed_events
from shared.events import Event
from shared.roster import RosterEntry, roster_entries
from tests.support.services import RunningService
from tests.training.factories import TODAY, Club, make_exercise, make_strength_workout

ASSIGN = """
mutation Assign($input: AssignWorkoutInput!) { assignWorkout(input: $input) { players { player { id } } } }
"""


async def _roster(training: RunningService, player_id: uuid.UUID) -> RosterEntry | None:
    async with training.runtime.sessions() as session:
        return next(iter(await roster_entries(session, [player_id])), None)


async def _processed(training: RunningService, event_id: uuid.UUID) -> bool:
    async with training.runtime.sessions() as session:
        found = await session.execute(
            select(processed_events.c.event_id).where(processed_events.c.event_id == event_id)
        )
        return found.first() is not None


async def _until(condition: Callable[[], Awaitable[bool]]) -> None:
    """Poll briefly (up to 5 s) until the event handler has applied an event: delivery through the
    broker is asynchronous, and nothing in the service signals that a consumer is done."""
    for _ in range(250):
        if await condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the event was never applied")


def _event(type: str, club: Club, player_id: uuid.UUID, *, at: datetime, **data: object) -> Event:
    return Event(
        type=type,
        producer="user",
        organization_id=club.organization_id,
        occurred_at=at,
        data={
            "player_id": str(player_id),
            "team_id": str(club.senior_id),
            "user_id": None,
            "first_name": "Viktor",
            "last_name": "Holm",
            "birth_date": "2001-03-09",
            "jersey_number": 17,
            "position": "defense",
            "is_active": True,
            **data,
        },
    )


async def test_player_events_decide_who_a_team_assignment_reaches(training: RunningService, club: Club) -> None:
    squat = await make_exercise(training, by=club.trainer)
    workout = await make_strength_workout(training, by=club.trainer, exercise=squat)
    newcomer, leaver = uuid.uuid4(), club.senior_players[0]
    now = datetime.now(UTC)
    # when the user service adds a player to the senior team and removes another
    added = _event("player.added", club, newcomer, at=now)
    removed = _event("player.removed", club, leaver, at=now, is_active=False, jersey_number=None)
    await training.runtime.bus.publish(added)
    await training.runtime.bus.publish(removed)
    await _until(lambda: _processed(training, added.id))
    await _until(lambda: _processed(training, removed.id))
    row = await _roster(training, newcomer)
    assert row is not None
    assert (row.organization_id, row.team_id, row.last_name, row.is_active) == (
        club.organization_id,
        club.senior_id,
        "Holm",
        True,
    )
    # then a team assignment reaches the newcomer and not the leaver
    variables = {"input": {"workoutId": str(workout.id), "startsOn": str(TODAY), "teamId": str(club.senior_id)}}
    data = (await training.graphql.execute(ASSIGN, variables, as_=club.trainer)).ok()
    reached = {row["player"]["id"] for row in data["assignWorkout"]["players"]}
    assert reached == {str(newcomer), *(str(player) for player in club.senior_players[1:])}


async def test_a_late_older_event_does_not_undo_a_newer_one(training: RunningService, club: Club) -> None:
    player_id, now = uuid.uuid4(), datetime.now(UTC)
    moved = _event("player.updated", club, player_id, at=now, team_id=str(club.junior_id))
    stale = _event("player.added", club, player_id, at=now - timedelta(minutes=10))
    await training.runtime.bus.publish(moved)
    await _until(lambda: _processed(training, moved.id))
    await training.runtime.bus.publish(stale)
    await _until(lambda: _processed(training, stale.id))
    row = await _roster(training, player_id)
    assert row is not None
    assert row.team_id == club.junior_id
    # while a newer one still applies
    await training.runtime.bus.publish(_event("player.updated", club, player_id, at=now + timedelta(seconds=1)))
    await _until(lambda: _team_is(training, player_id, club.senior_id))


async def _team_is(training: RunningService, player_id: uuid.UUID, team_id: uuid.UUID) -> bool:
    row = await _roster(training, player_id)
    return row is not None and row.team_id == team_id
