"""The roster copy planning checks lineups against follows the user service's player events, delivered
by the backend's real bus (RabbitMQ, or the in-process bus in the embedded mode)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from hockey_hub.services import subgraph
from shared.events import Event
from shared.roster import ROSTER_EVENT_HANDLERS, RosterEntry, roster_entries
from tests.planning.factories import Club, make_game_plan
from tests.support.services import RunningService
from tests.support.waiting import eventually

LINEUP = """
mutation Lineup($id: ID!, $input: LineupInput!) { setGameLineup(id: $id, input: $input) { lineups { goalies { id } } } }
"""


def _player_event(type: str, player_id: uuid.UUID, club: Club, *, at: datetime) -> Event:
    """A player event as the user service writes it (`subgraphs/user/events.py`)."""
    return Event(
        type=type,
        producer="user",
        organization_id=club.organization_id,
        occurred_at=at,
        data={
            "player_id": str(player_id),
            "team_id": str(club.senior),
            "first_name": "Oskar",
            "last_name": "Lindqvist",
            "position": "goalie",
            "is_active": True,
        },
    )


async def _entry(planning: RunningService, player_id: uuid.UUID) -> RosterEntry | None:
    async with planning.runtime.sessions() as session:
        return next(iter(await roster_entries(session, [player_id])), None)


def test_planning_keeps_the_roster_copy() -> None:
    handlers = subgraph("planning").event_handlers
    assert all(handlers[type] is handler for type, handler in ROSTER_EVENT_HANDLERS.items())


async def test_a_goalie_added_at_the_user_service_can_be_dressed(planning: RunningService, club: Club) -> None:
    # given a game plan, and a goalie the roster copy has never heard of
    plan = await make_game_plan(planning, club=club)
    goalie = uuid.uuid4()
    lineup = {"id": str(plan.id), "input": {"lineType": "EVEN_STRENGTH", "goalies": [str(goalie)]}}
    refused = await planning.graphql.execute(LINEUP, lineup, as_=club.coach)
    assert refused.error("BAD_USER_INPUT")["extensions"]["playerIds"] == [str(goalie)]
    # when the user service announces him on the senior team
    now = datetime.now(UTC)
    await planning.runtime.bus.publish(_player_event("player.added", goalie, club, at=now))

    async def on_roster() -> bool:
        entry = await _entry(planning, goalie)
        return entry is not None and entry.is_active

    await eventually(on_roster, within=10)
    # then the coach can dress him
    dressed = await planning.graphql.execute(LINEUP, lineup, as_=club.coach)
    assert dressed.ok()["setGameLineup"]["lineups"] == [{"goalies": [{"id": str(goalie)}]}]
    # and once he is removed from the roster, he cannot be put in a lineup again
    await planning.runtime.bus.publish(_player_event("player.removed", goalie, club, at=now + timedelta(seconds=1)))

    async def off_roster() -> bool:
        entry = await _entry(planning, goalie)
        return entry is not None and not entry.is_active

    await eventually(off_roster, within=10)
    again = await planning.graphql.execute(LINEUP, lineup, as_=club.coach)
    assert again.error("BAD_USER_INPUT")["extensions"]["field"] == "lineup"
