"""The demo club's calendar: loaded into the test database, read back through GraphQL as demo people."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, time, timedelta

from shared.auth.principal import Principal
from shared.demo import DemoClub, DemoPerson, demo_club
from subgraphs.calendar.demo import load_demo
from tests.support.services import RunningService

EVENTS = """
query Events($from: DateTime!, $to: DateTime!, $teamId: ID) {
  calendarEvents(from: $from, to: $to, teamId: $teamId) {
    kind title startsAt team { id } resource { name } myRsvp
    attendees { status }
  }
}
"""

RESOURCES = "{ calendarResources { name kind bufferMinutes requiresApproval openingHours { weekday } } }"
SERIES = """
query Events($from: DateTime!, $to: DateTime!, $includeCancelled: Boolean!) {
  calendarEvents(from: $from, to: $to, includeCancelled: $includeCancelled) {
    id title status recurrenceRule seriesId reminderMinutes
  }
}
"""
CONFLICTS = """
query Conflicts($from: DateTime!, $to: DateTime!) { calendarConflicts(from: $from, to: $to) { kind } }
"""
SETTINGS = "{ calendarSettings { timeZone } }"


def _principal(club: DemoClub, person: DemoPerson) -> Principal:
    player = next((p for p in club.players if p.user.id == person.id), None)
    return Principal(
        user_id=person.id,
        organization_id=club.organization_id,
        roles=frozenset(person.roles),
        team_ids=frozenset(person.team_ids),
        player_id=player.id if player else None,
    )


def _month(club: DemoClub) -> dict[str, str]:
    start = datetime.combine(club.today - timedelta(days=15), time(), UTC)
    return {"from": start.isoformat(), "to": (start + timedelta(days=33)).isoformat()}


async def test_the_demo_month_reads_back_for_staff_and_players(calendar: RunningService) -> None:
    # given the demo loaded (once: a second load changes nothing)
    club = demo_club()
    async with calendar.runtime.sessions() as session, session.begin():
        assert await load_demo(session, club) is True
    async with calendar.runtime.sessions() as session, session.begin():
        assert await load_demo(session, club) is False
    senior, junior = club.teams
    coach = _principal(club, club.person("coach@lynx.example"))
    # when the senior coach reads the month
    resources = (await calendar.graphql.execute(RESOURCES, as_=coach)).ok()["calendarResources"]
    rows = (await calendar.graphql.execute(EVENTS, _month(club), as_=coach)).ok()["calendarEvents"]
    # then the club's five resources and both teams' month are there
    assert [r["name"] for r in resources] == ["Gym", "Main Rink", "Practice Rink", "Team Bus", "Video Room"]
    by_team = Counter(row["team"]["id"] for row in rows)
    assert set(by_team) == {str(senior.id), str(junior.id)}
    senior_kinds = Counter(row["kind"] for row in rows if row["team"]["id"] == str(senior.id))
    # two games a week, practices most weekdays, a weekly video meeting, gym sessions, one medical day
    assert 8 <= senior_kinds["GAME"] <= 10
    assert senior_kinds["PRACTICE"] >= 18
    assert 4 <= senior_kinds["MEETING"] <= 5
    assert senior_kinds["TRAINING"] >= 6
    assert senior_kinds["MEDICAL"] == 1
    assert all(row["attendees"] for row in rows)
    statuses = Counter(a["status"] for row in rows for a in row["attendees"])
    assert statuses["ACCEPTED"] > statuses["DECLINED"] > 0
    assert statuses["PENDING"] > 0
    assert statuses["TENTATIVE"] > 0
    # and a senior player sees only their team's month, with their own answers
    player = _principal(club, club.roster(senior.id)[0].user)
    mine = (await calendar.graphql.execute(EVENTS, _month(club), as_=player)).ok()["calendarEvents"]
    assert {row["team"]["id"] for row in mine} == {str(senior.id)}
    assert len(mine) == by_team[str(senior.id)]
    assert all(row["myRsvp"] is not None for row in mine)

    # and the calendar's rules show: the club's zone, the rink's buffer, the gym's hours, the bus's approval
    assert (await calendar.graphql.execute(SETTINGS, as_=coach)).ok()["calendarSettings"] == {
        "timeZone": "Europe/Stockholm"
    }
    rules = {r["name"]: (r["bufferMinutes"], r["requiresApproval"], bool(r["openingHours"])) for r in resources}
    assert rules["Main Rink"] == (15, False, False)
    assert rules["Gym"] == (0, False, True)
    assert rules["Team Bus"] == (0, True, False)
    # and the weekly morning skate is one series of four with one occurrence cancelled
    skates = [
        row
        for row in (await calendar.graphql.execute(SERIES, {**_month(club), "includeCancelled": True}, as_=coach)).ok()[
            "calendarEvents"
        ]
        if row["title"].startswith("Morning skate")
    ]
    assert len(skates) == 4
    assert len({row["seriesId"] for row in skates}) == 1
    assert {row["recurrenceRule"] for row in skates} == {"FREQ=WEEKLY;BYDAY=WE;COUNT=4", None}
    assert [row["status"] for row in skates].count("CANCELLED") == 1
    assert {tuple(row["reminderMinutes"]) for row in skates} == {(90,)}
    # and no resource is double-booked, its buffer counted
    clashes = (await calendar.graphql.execute(CONFLICTS, _month(club), as_=coach)).ok()["calendarConflicts"]
    assert "RESOURCE" not in {clash["kind"] for clash in clashes}
