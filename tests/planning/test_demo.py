"""The demo club's plans: loaded into the test database, read back through GraphQL as demo people."""

from __future__ import annotations

from datetime import timedelta

from shared.auth.principal import Principal
from shared.demo import DemoClub, DemoPerson, demo_club
from subgraphs.planning.demo import load_demo
from tests.support.services import RunningService

SEASONS = "{ seasons { id name startDate endDate isCurrent phases { kind startDate endDate } } }"
CURRENT = "{ currentSeasonPhase { kind season { name } } }"
PLANS = """
query Plans($from: Date, $to: Date) {
  practicePlans(from: $from, to: $to) {
    date status durationMinutes plannedMinutes team { id } drills { name category }
  }
}
"""
GOALS = "{ developmentGoals { title progressPercent status team { id } player { id } progress { value } } }"


def _principal(club: DemoClub, person: DemoPerson) -> Principal:
    player = next((p for p in club.players if p.user.id == person.id), None)
    parent = next((p for p in club.parents if p.user.id == person.id), None)
    return Principal(
        user_id=person.id,
        organization_id=club.organization_id,
        roles=frozenset(person.roles),
        team_ids=frozenset(person.team_ids),
        player_id=player.id if player else None,
        children=frozenset(parent.child_ids if parent else ()),
        minor_children=frozenset(parent.child_ids if parent else ()),
    )


async def test_the_demo_plans_read_back_for_staff_players_and_parents(planning: RunningService) -> None:
    # given the demo loaded (once: a second load changes nothing)
    club = demo_club()
    async with planning.runtime.sessions() as session, session.begin():
        assert await load_demo(session, club) is True
    async with planning.runtime.sessions() as session, session.begin():
        assert await load_demo(session, club) is False
    coach = _principal(club, club.person("coach@lynx.example"))
    # when the coach reads the season
    [season] = (await planning.graphql.execute(SEASONS, as_=coach)).ok()["seasons"]
    # then it is the demo season with its four phases covering it end to end
    assert (season["id"], season["name"], season["isCurrent"]) == (
        str(club.season_id),
        club.season_name,
        True,
    )
    phases = season["phases"]
    assert [p["kind"] for p in phases] == ["PRE_SEASON", "REGULAR_SEASON", "PLAYOFFS", "OFF_SEASON"]
    assert phases[0]["startDate"] == club.season_start.isoformat()
    assert phases[-1]["endDate"] == club.season_end.isoformat()
    assert phases[1]["endDate"].endswith(("-02-28", "-02-29"))
    current = (await planning.graphql.execute(CURRENT, as_=coach)).ok()["currentSeasonPhase"]
    assert current["season"] == {"name": club.season_name}
    # and two weeks of practice plans for both teams, past ones completed, every plan's drills fitting
    window = {
        "from": (club.today - timedelta(days=7)).isoformat(),
        "to": (club.today + timedelta(days=7)).isoformat(),
    }
    plans = (await planning.graphql.execute(PLANS, window, as_=coach)).ok()["practicePlans"]
    assert {p["team"]["id"] for p in plans} == {str(team.id) for team in club.teams}
    assert len(plans) >= 14
    assert all(p["drills"] and p["plannedMinutes"] <= p["durationMinutes"] for p in plans)
    today = club.today.isoformat()
    assert all(p["status"] == ("COMPLETED" if p["date"] < today else "PLANNED") for p in plans)
    # and the goals: staff see all seven, the faceoff centre his own and his team's, a parent their child's
    goals = (await planning.graphql.execute(GOALS, as_=coach)).ok()["developmentGoals"]
    assert len(goals) == 7
    assert all(goal["progress"] for goal in goals)
    assert {goal["status"] for goal in goals} == {"ACTIVE", "ACHIEVED"}
    assert all(0 < goal["progressPercent"] <= 100 for goal in goals)
    senior, junior = club.teams
    centre = next(p for p in club.roster(senior.id) if p.position == "center")
    mine = (await planning.graphql.execute(GOALS, as_=_principal(club, centre.user))).ok()["developmentGoals"]
    assert sorted(goal["title"] for goal in mine) == [
        "Fewer goals against",
        "Power-play efficiency",
        "Win more faceoffs",
    ]
    goalie = next(p for p in club.roster(junior.id) if p.position == "goalie")
    parent = next(p for p in club.parents if goalie.id in p.child_ids)
    theirs = (await planning.graphql.execute(GOALS, as_=_principal(club, parent.user))).ok()["developmentGoals"]
    assert [goal["title"] for goal in theirs] == ["Save percentage"]
