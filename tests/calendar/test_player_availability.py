"""Injuries and rest orders recorded at the medical service make players unavailable in the calendar: the
medical service publishes `injury.*` and `restriction.changed`, the calendar keeps only the reason and the
dates, and coaches read them on their team's events and with `playerAvailability`."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from shared.auth.principal import Principal
from shared.demo import demo_club
from shared.events import Event
from subgraphs.calendar.demo import load_demo
from tests.conftest import ServiceFactory
from tests.support.event_flow import (
    MEDICAL_EVENTS,
    USER_EVENTS,
    FlowClub,
    carried,
    make_flow_club,
    processed,
    roster_known,
)
from tests.support.services import RunningService
from tests.support.statements import count_statements
from tests.support.waiting import eventually

TODAY = date.today()  # noqa: DTZ011 (the medical service's calendar day)

RECORD_INJURY = """
mutation Record($input: RecordInjuryInput!) { recordInjury(input: $input) { id } }
"""
RESOLVE_INJURY = """
mutation Resolve($id: ID!, $resolvedOn: Date) { resolveInjury(id: $id, resolvedOn: $resolvedOn) { id status } }
"""
ADD_RESTRICTION = """
mutation Restrict($input: AddRestrictionInput!) { addRestriction(input: $input) { id } }
"""
LIFT_RESTRICTION = "mutation Lift($id: ID!) { liftRestriction(id: $id) { id } }"
SCHEDULE = """
mutation Schedule($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { event { id } } }
"""
AVAILABILITY = """
query Availability($teamId: ID!, $from: Date!, $to: Date!) {
  playerAvailability(teamId: $teamId, from: $from, to: $to) {
    player { id } firstName lastName reason startsOn availableFrom team { id }
  }
}
"""
EVENT_AVAILABILITY = """
query Event($id: ID!) {
  calendarEvent(id: $id) { id unavailablePlayers { player { id } reason startsOn availableFrom } }
}
"""
WEEK_AVAILABILITY = """
query Week($from: DateTime!, $to: DateTime!) {
  calendarEvents(from: $from, to: $to) { id unavailablePlayers { player { id } reason } }
}
"""

DIAGNOSIS = "Grade II medial collateral ligament sprain"
NOTES = "Knee-on-knee hit in the neutral zone; valgus stress test positive."


@pytest.fixture
async def services(service: ServiceFactory) -> AsyncIterator[tuple[RunningService, RunningService, RunningService]]:
    user, medical, calendar = await service("user"), await service("medical"), await service("calendar")
    async with carried(user, [medical, calendar], USER_EVENTS), carried(medical, [calendar], MEDICAL_EVENTS):
        yield user, medical, calendar


@pytest.fixture
async def club(services: tuple[RunningService, RunningService, RunningService]) -> FlowClub:
    user, medical, calendar = services
    made = await make_flow_club(user)
    await roster_known(medical, made)
    await roster_known(calendar, made)
    return made


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


async def _game(calendar: RunningService, club: FlowClub, day: date, *, team_id: uuid.UUID | None = None) -> str:
    event = {
        "kind": "GAME",
        "title": "Lynx vs Wolves",
        "startsAt": _noon(day).isoformat(),
        "endsAt": (_noon(day) + timedelta(hours=2)).isoformat(),
        "teamId": str(team_id or club.senior.id),
        "location": "Main Rink",
    }
    created = await calendar.graphql.execute(SCHEDULE, {"input": event}, as_=club.coach.principal)
    event_id: str = created.ok()["createCalendarEvent"]["event"]["id"]
    return event_id


async def _availability(
    calendar: RunningService, club: FlowClub, first: date, last: date, *, team_id: uuid.UUID | None = None
) -> list[dict[str, Any]]:
    variables = {"teamId": str(team_id or club.senior.id), "from": str(first), "to": str(last)}
    response = await calendar.graphql.execute(AVAILABILITY, variables, as_=club.coach.principal)
    found: list[dict[str, Any]] = response.ok()["playerAvailability"]
    return found


async def _unavailable_at(calendar: RunningService, event_id: str, club: FlowClub, *, as_: str = "coach") -> list[Any]:
    response = await calendar.graphql.execute(EVENT_AVAILABILITY, {"id": event_id}, as_=club.everyone[as_].principal)
    found: list[Any] = response.ok()["calendarEvent"]["unavailablePlayers"]
    return found


async def test_an_injury_makes_the_player_unavailable_until_it_is_resolved(
    services: tuple[RunningService, RunningService, RunningService], club: FlowClub
) -> None:
    _, medical, calendar = services
    # given a game of the senior team in three days, and one of the junior team
    game = await _game(calendar, club, TODAY + timedelta(days=3))
    junior_game = await _game(calendar, club, TODAY + timedelta(days=3), team_id=club.junior.id)
    # when the medical staff record the senior player's knee injury, expected back in ten days
    injury = {
        "playerId": str(club.player_entry.id),
        "bodyPart": "KNEE",
        "diagnosis": DIAGNOSIS,
        "severity": "MODERATE",
        "occurredOn": str(TODAY - timedelta(days=2)),
        "expectedReturnOn": str(TODAY + timedelta(days=10)),
        "notes": NOTES,
    }
    recorded = await medical.graphql.execute(RECORD_INJURY, {"input": injury}, as_=club.medic.principal)
    injury_id = recorded.ok()["recordInjury"]["id"]

    # then the coach sees the player out for those days, with the reason and nothing medical
    async def out() -> list[dict[str, Any]] | None:
        return await _availability(calendar, club, TODAY, TODAY + timedelta(days=30)) or None

    [entry] = await eventually(out)
    assert entry == {
        "player": {"id": str(club.player_entry.id)},
        "firstName": "Oskar",
        "lastName": "Lindqvist",
        "reason": "INJURY",
        "startsOn": str(TODAY - timedelta(days=2)),
        "availableFrom": str(TODAY + timedelta(days=10)),
        "team": {"id": str(club.senior.id)},
    }
    # and the game lists him among its unavailable players; the junior game lists nobody
    on_game = await _unavailable_at(calendar, game, club)
    assert on_game == [
        {
            "player": {"id": str(club.player_entry.id)},
            "reason": "INJURY",
            "startsOn": str(TODAY - timedelta(days=2)),
            "availableFrom": str(TODAY + timedelta(days=10)),
        }
    ]
    assert await _unavailable_at(calendar, junior_game, club) == []
    # and no diagnosis, body part or note reaches the calendar's answers
    seen = json.dumps([entry, on_game]).lower()
    assert not any(word in seen for word in ("ligament", "knee", "valgus", "moderate"))
    # and a player sees only himself: the injured player his entry, his teammate nobody
    assert len(await _unavailable_at(calendar, game, club, as_="player")) == 1
    assert await _unavailable_at(calendar, game, club, as_="teammate") == []
    # and the days after the expected return are free
    assert await _availability(calendar, club, TODAY + timedelta(days=10), TODAY + timedelta(days=20)) == []

    # when the injury is resolved today
    resolved = await medical.graphql.execute(
        RESOLVE_INJURY, {"id": injury_id, "resolvedOn": str(TODAY)}, as_=club.medic.principal
    )
    assert resolved.ok()["resolveInjury"]["status"] == "RESOLVED"

    # then the unavailability ends today: nothing from today on, the past days still recorded
    async def back() -> bool:
        return await _availability(calendar, club, TODAY, TODAY + timedelta(days=30)) == []

    await eventually(back)
    assert await _unavailable_at(calendar, game, club) == []
    [past] = await _availability(calendar, club, TODAY - timedelta(days=5), TODAY - timedelta(days=1))
    assert (past["startsOn"], past["availableFrom"]) == (str(TODAY - timedelta(days=2)), str(TODAY))


async def test_a_rest_order_keeps_the_player_out_until_lifted_while_lighter_restrictions_do_not(
    services: tuple[RunningService, RunningService, RunningService], club: FlowClub
) -> None:
    _, medical, calendar = services
    # given a no-contact restriction on the teammate (he still plays, carefully)
    no_contact = {"playerId": str(club.teammate_entry.id), "kind": "NO_CONTACT", "startsOn": str(TODAY)}
    (await medical.graphql.execute(ADD_RESTRICTION, {"input": no_contact}, as_=club.medic.principal)).ok()
    # when the player gets a rest order for today through the next three days
    rest = {
        "playerId": str(club.player_entry.id),
        "kind": "REST",
        "startsOn": str(TODAY),
        "endsOn": str(TODAY + timedelta(days=3)),
        "reason": "Concussion protocol, stage 1",
    }
    added = await medical.graphql.execute(ADD_RESTRICTION, {"input": rest}, as_=club.medic.principal)
    rest_id = added.ok()["addRestriction"]["id"]

    # then only the rest order shows: the player is out through its last day
    async def out() -> list[dict[str, Any]] | None:
        return await _availability(calendar, club, TODAY, TODAY + timedelta(days=14)) or None

    [entry] = await eventually(out)
    assert entry["player"] == {"id": str(club.player_entry.id)}
    assert (entry["reason"], entry["startsOn"], entry["availableFrom"]) == (
        "REST_ORDER",
        str(TODAY),
        str(TODAY + timedelta(days=4)),
    )
    assert "concussion" not in json.dumps(entry).lower()

    # when the medical staff lift it today
    (await medical.graphql.execute(LIFT_RESTRICTION, {"id": rest_id}, as_=club.medic.principal)).ok()

    # then he is available again from today
    async def back() -> bool:
        return await _availability(calendar, club, TODAY, TODAY + timedelta(days=14)) == []

    await eventually(back)


def _injury_event(club: FlowClub, injury_id: uuid.UUID, type: str, *, at: datetime, **data: object) -> Event:
    """An injury event as the medical service writes it (`subgraphs/medical/events.py`)."""
    return Event(
        type=type,
        producer="medical",
        organization_id=club.organization_id,
        occurred_at=at,
        data={
            "injury_id": str(injury_id),
            "player_id": str(club.player_entry.id),
            "status": "active",
            "occurred_on": str(TODAY - timedelta(days=1)),
            "expected_return_on": str(TODAY + timedelta(days=7)),
            "resolved_on": None,
            "medical_status": "injured",
            **data,
        },
    )


async def test_redelivered_and_late_events_do_not_undo_a_newer_state(
    services: tuple[RunningService, RunningService, RunningService], club: FlowClub
) -> None:
    _, _, calendar = services
    injury_id, now = uuid.uuid4(), datetime.now(UTC)
    created = _injury_event(club, injury_id, "injury.created", at=now - timedelta(minutes=5))
    extended = _injury_event(
        club, injury_id, "injury.updated", at=now - timedelta(minutes=3), expected_return_on=str(TODAY + timedelta(20))
    )
    resolved = _injury_event(
        club,
        injury_id,
        "injury.resolved",
        at=now,
        status="resolved",
        resolved_on=str(TODAY),
        medical_status="available",
    )
    # when the bus delivers the resolution first, then the older events, and everything twice
    for event in (resolved, created, extended, resolved, created):
        await calendar.runtime.bus.publish(event)
    for event in (resolved, created, extended):
        await eventually(lambda event=event: processed(calendar, event.id))  # type: ignore[misc]
    # then the newest state stands: one record, ended today
    assert await _availability(calendar, club, TODAY, TODAY + timedelta(days=30)) == []
    [entry] = await _availability(calendar, club, TODAY - timedelta(days=3), TODAY + timedelta(days=30))
    assert (entry["startsOn"], entry["availableFrom"]) == (str(TODAY - timedelta(days=1)), str(TODAY))


async def test_availability_is_for_staff_and_checks_its_input(
    services: tuple[RunningService, RunningService, RunningService], club: FlowClub
) -> None:
    _, _, calendar = services
    variables = {"teamId": str(club.senior.id), "from": str(TODAY), "to": str(TODAY + timedelta(days=7))}
    # a player may not read the team's availability
    response = await calendar.graphql.execute(AVAILABILITY, variables, as_=club.player.principal)
    assert response.codes == ["FORBIDDEN"]
    # a range ending before it starts, and a malformed team id, are input errors naming the field
    backwards = {**variables, "to": str(TODAY - timedelta(days=1))}
    assert (await calendar.graphql.execute(AVAILABILITY, backwards, as_=club.coach.principal)).error("BAD_USER_INPUT")[
        "extensions"
    ]["field"] == "to"
    malformed = {**variables, "teamId": "not-a-team"}
    assert (await calendar.graphql.execute(AVAILABILITY, malformed, as_=club.coach.principal)).error("BAD_USER_INPUT")[
        "extensions"
    ]["field"] == "teamId"


async def test_unavailable_players_of_many_events_load_in_one_statement(
    services: tuple[RunningService, RunningService, RunningService], club: FlowClub
) -> None:
    _, _, calendar = services
    # given both players injured, and six games of the senior team this week
    for player_id, days in ((club.player_entry.id, 10), (club.teammate_entry.id, 2)):
        event = Event(
            type="injury.created",
            producer="medical",
            organization_id=club.organization_id,
            data={
                "injury_id": str(uuid.uuid4()),
                "player_id": str(player_id),
                "status": "active",
                "occurred_on": str(TODAY),
                "expected_return_on": str(TODAY + timedelta(days=days)),
                "resolved_on": None,
                "medical_status": "injured",
            },
        )
        await calendar.runtime.bus.publish(event)
        await eventually(lambda event=event: processed(calendar, event.id))  # type: ignore[misc]
    for day in range(1, 7):
        await _game(calendar, club, TODAY + timedelta(days=day))
    window = {"from": _noon(TODAY).isoformat(), "to": _noon(TODAY + timedelta(days=7)).isoformat()}
    # when the coach reads the week with each game's unavailable players
    with count_statements(calendar.engine) as log:
        games = (await calendar.graphql.execute(WEEK_AVAILABILITY, window, as_=club.coach.principal)).ok()
    # then both are out for the first game, only the longer injury after two days
    counts = [len(game["unavailablePlayers"]) for game in games["calendarEvents"]]
    assert counts == [2, 1, 1, 1, 1, 1]
    # and one statement read the events, one the unavailabilities of them all
    assert log.count == 2, [statement[:80] for statement in log.statements]


async def test_the_demo_club_shows_its_injured_players_out(
    services: tuple[RunningService, RunningService, RunningService],
) -> None:
    _, _, calendar = services
    # given the demo club's calendar, with the medical demo's injuries
    club = demo_club()
    async with calendar.runtime.sessions() as session, session.begin():
        assert await load_demo(session, club) is True
    senior, junior = club.teams
    coach = club.person("coach@lynx.example")
    as_coach = Principal(
        user_id=coach.id, organization_id=club.organization_id, roles=frozenset(coach.roles), team_ids=frozenset()
    )
    month = {"from": str(club.today), "to": str(club.today + timedelta(days=30))}
    # when the senior coach reads each team's coming month
    out: dict[str, list[dict[str, Any]]] = {}
    for team in (senior, junior):
        response = await calendar.graphql.execute(AVAILABILITY, {"teamId": str(team.id), **month}, as_=as_coach)
        out[team.name] = response.ok()["playerAvailability"]
    # then a senior forward is out for months, an U18 player for nine more days, the healed ankle is past
    [knee] = out[senior.name]
    assert (knee["reason"], knee["availableFrom"]) == ("INJURY", str(club.today + timedelta(days=240)))
    [shoulder] = out[junior.name]
    assert shoulder["player"] == {"id": str(club.parents[0].child_ids[0])}
    assert shoulder["availableFrom"] == str(club.today + timedelta(days=9))
