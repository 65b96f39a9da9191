"""The demo club's training loads once and reads back through GraphQL as the demo's people."""

from __future__ import annotations

from datetime import timedelta

from shared.auth.principal import Principal, Role
from shared.demo import DEMO_DOMAIN, DemoClub, DemoPerson, demo_club
from subgraphs.training.demo import load_demo
from tests.support.principals import principal
from tests.support.services import RunningService

LIBRARY = """
query Library { exercises { name category } }
"""

WORKOUTS = """
query Workouts { workouts { name kind totalDurationSeconds volumeKg } workoutTemplates { name visibility } }
"""

ASSIGNMENTS = """
query Assignments($from: Date!, $to: Date!) {
  workoutAssignments(from: $from, to: $to) { startsOn team { id } players { status rpe minutes load } }
}
"""

MINE = """
query Mine($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Player { assignedWorkouts(status: COMPLETED) { completedOn rpe load workout { kind } } }
  }
}
"""


def _as(club: DemoClub, person: DemoPerson, **extra: object) -> Principal:
    return principal(
        *person.roles,
        organization_id=club.organization_id,
        user_id=person.id,
        teams=person.team_ids,
        **extra,  # type: ignore[arg-type]
    )


async def test_the_demo_loads_once_and_reads_back(training: RunningService) -> None:
    club = demo_club()
    async with training.runtime.sessions() as session, session.begin():
        assert await load_demo(session, club) is True
    async with training.runtime.sessions() as session, session.begin():
        assert await load_demo(session, club) is False
    trainer = _as(club, club.person(f"trainer@{DEMO_DOMAIN}"))
    # a library of real exercises, in every category
    library = (await training.graphql.execute(LIBRARY, {}, as_=trainer)).ok()["exercises"]
    assert len(library) >= 25
    assert {row["category"] for row in library} == {
        "STRENGTH",
        "CONDITIONING",
        "MOBILITY",
        "AGILITY",
        "PLYOMETRICS",
        "RECOVERY",
        "SKILL",
    }
    # one workout of each kind, and two templates
    data = (await training.graphql.execute(WORKOUTS, {}, as_=trainer)).ok()
    assert sorted(row["kind"] for row in data["workouts"]) == [
        "AGILITY",
        "CONDITIONING",
        "HYBRID",
        "STRENGTH",
    ]
    assert all(row["totalDurationSeconds"] > 0 for row in data["workouts"])
    assert [row["visibility"] for row in data["workoutTemplates"]] == ["ORGANIZATION", "TEAM"]
    senior_coach = _as(club, club.person(f"coach@{DEMO_DOMAIN}"))
    templates = (await training.graphql.execute(WORKOUTS, {}, as_=senior_coach)).ok()["workoutTemplates"]
    assert [row["visibility"] for row in templates] == ["ORGANIZATION"]  # the U18 template is not theirs
    # both teams have assignments over the last two and the next two weeks; past ones mostly done
    window = {"from": str(club.today - timedelta(days=14)), "to": str(club.today + timedelta(days=14))}
    assignments = (await training.graphql.execute(ASSIGNMENTS, window, as_=trainer)).ok()["workoutAssignments"]
    assert {row["team"]["id"] for row in assignments} == {str(team.id) for team in club.teams}
    assert min(row["startsOn"] for row in assignments) < str(club.today - timedelta(days=7))
    assert max(row["startsOn"] for row in assignments) > str(club.today + timedelta(days=7))
    done = [player for row in assignments for player in row["players"] if player["status"] == "COMPLETED"]
    assert len(done) > 100
    assert all(1 <= player["rpe"] <= 10 and player["load"] == player["rpe"] * player["minutes"] for player in done)
    assert all(
        player["status"] == "ASSIGNED"
        for row in assignments
        if row["startsOn"] >= str(club.today)
        for player in row["players"]
    )
    # a player sees their own completed workouts
    player = club.roster(club.teams[1].id)[3]
    as_player = principal(Role.PLAYER, organization_id=club.organization_id, player_id=player.id)
    mine = (
        await training.graphql.execute(
            MINE, {"representations": [{"__typename": "Player", "id": str(player.id)}]}, as_=as_player
        )
    ).ok()["_entities"][0]["assignedWorkouts"]
    assert mine
    assert all(row["rpe"] is not None for row in mine)
