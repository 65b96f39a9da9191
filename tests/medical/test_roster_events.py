"""The roster copy follows the user service's player events, delivered by the real bus of the backend."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from shared.auth.principal import Role
from shared.database.kernel import processed_events
from shared.events import Event
from shared.roster import RosterEntry, roster_entries
from tests.medical.factories import Club, make_injury
from tests.support.principals import principal
from tests.support.services import RunningService

STATUS = """
query Status($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Player { medicalStatus } }
}
"""


async def _roster_row(medical: RunningService, player_id: uuid.UUID) -> RosterEntry | None:
    async with medical.runtime.sessions() as session:
        return next(iter(await roster_entries(session, [player_id])), None)


async def _processed(medical: RunningService, event_id: uuid.UUID) -> bool:
    async with medical.runtime.sessions() as session:
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


def _player_event(
    type: str, player_id: uuid.UUID, organization_id: uuid.UUID, *, at: datetime, **data: object
) -> Event:
    return Event(
        type=type,
        producer="user",
        organization_id=organization_id,
        occurred_at=at,
        data={
            "player_id": str(player_id),
            "team_id": str(uuid.uuid4()),
            "first_name": "Oskar",
            "last_name": "Lindqvist",
            "is_active": True,
            **data,
        },
    )


async def test_player_events_keep_the_roster_copy(medical: RunningService, club: Club) -> None:
    player_id, organization_id, team_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    now = datetime.now(UTC)

    async def row() -> RosterEntry:
        found = await _roster_row(medical, player_id)
        assert found is not None
        return found

    # when the user service announces a new player
    await medical.runtime.bus.publish(_player_event("player.added", player_id, organization_id, at=now))
    await _until(lambda: _roster_row_exists(medical, player_id))
    # then the roster knows the player's club
    assert ((await row()).organization_id, (await row()).is_active) == (organization_id, True)
    # a move to another team is applied
    moved = _player_event(
        "player.updated", player_id, organization_id, at=now + timedelta(seconds=1), team_id=str(team_id)
    )
    await medical.runtime.bus.publish(moved)
    await _until(lambda: _processed(medical, moved.id))
    assert (await row()).team_id == team_id
    # an older update that arrives late does not overwrite the newer state
    stale = _player_event("player.updated", player_id, organization_id, at=now - timedelta(minutes=5), is_active=False)
    await medical.runtime.bus.publish(stale)
    await _until(lambda: _processed(medical, stale.id))
    assert ((await row()).team_id, (await row()).is_active) == (team_id, True)
    # and a removal marks the player inactive
    removed = _player_event("player.removed", player_id, organization_id, at=now + timedelta(seconds=2))
    await medical.runtime.bus.publish(removed)
    await _until(lambda: _processed(medical, removed.id))
    assert (await row()).is_active is False


async def _roster_row_exists(medical: RunningService, player_id: uuid.UUID) -> bool:
    return await _roster_row(medical, player_id) is not None


async def test_a_player_moved_into_the_roster_by_an_event_is_hidden_from_other_clubs(
    medical: RunningService, club: Club
) -> None:
    # given an injury recorded before the roster knew the player
    player_id = uuid.uuid4()
    await make_injury(medical, by=club.medic, player_id=player_id)
    outsider = principal(Role.COACH, organization_id=uuid.uuid4())
    representations = [{"__typename": "Player", "id": str(player_id)}]
    before = (await medical.graphql.execute(STATUS, {"representations": representations}, as_=outsider)).ok()
    assert before["_entities"][0]["medicalStatus"] == "AVAILABLE"  # their own club holds no records of them
    # when the player's event arrives
    await medical.runtime.bus.publish(
        Event(
            type="player.added",
            producer="user",
            organization_id=club.organization_id,
            data={"player_id": player_id, "team_id": None, "is_active": True},
            occurred_at=datetime.now(UTC),
        )
    )
    await _until(lambda: _roster_row_exists(medical, player_id))
    # then another club's coach gets nothing, and the club's own coach sees the injury
    after = (await medical.graphql.execute(STATUS, {"representations": representations}, as_=outsider)).ok()
    assert after["_entities"][0]["medicalStatus"] is None
    own = await medical.graphql.execute(STATUS, {"representations": representations}, as_=club.staff(Role.COACH))
    assert own.ok()["_entities"][0]["medicalStatus"] == "INJURED"
