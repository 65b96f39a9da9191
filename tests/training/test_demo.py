"""The demo club's training loads once and reads back through GraphQL as the demo's people."""

from __future__ import annotations

from datetime import timedelta

from shared.auth.principal import Principal, Role
from shared.demo import DEMO_DOMAIN, DemoClub, DemoPerson, demo_club
from subgraphs.training.demo import load_demo
from tests.support.principals import principal
from tests.support.services import RunningService

LIBRARY = """
query Library {
  exercises { name category defaults { sets reps loadKg } progression { incrementAmount } alternatives { name } }
}
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


DRILLS = """
query Drills($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Player { drillHistory(drill: "Pro agility 5-10-5") { targetSeconds attempts { seconds } } }
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
    squat = next(row for row in library if row["name"] == "Back Squat")
    assert squat["defaults"] == {"sets": 4, "reps": 5, "loadKg": 80}
    assert squat["progression"] == {"incrementAmount": 2.5}
    assert squat["alternatives"] == [{"name": "Trap Bar Deadlift"}, {"name": "Bulgarian Split Squat"}]
    # one workout of each kind, and three templates
    data = (await training.graphql.execute(WORKOUTS, {}, as_=trainer)).ok()
    assert sorted(row["kind"] for row in data["workouts"]) == [
        "AGILITY",
        "CONDITIONING",
        "FLEXIBILITY",
        "HYBRID",
        "RECOVERY",
        "STRENGTH",
    ]
    assert all(row["totalDurationSeconds"] > 0 for row in data["workouts"])
    assert [row["visibility"] for row in data["workoutTemplates"]] == ["ORGANIZATION", "ORGANIZATION", "TEAM"]
    senior_coach = _as(club, club.person(f"coach@{DEMO_DOMAIN}"))
    templates = (await training.graphql.execute(WORKOUTS, {}, as_=senior_coach)).ok()["workoutTemplates"]
    assert [row["visibility"] for row in templates] == ["ORGANIZATION"] * 2  # the U18 template is not theirs
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
    # completed agility sessions carry each drill's timed attempts
    representations = [{"__typename": "Player", "id": str(one.id)} for one in club.roster(club.teams[1].id)]
    drills = (await training.graphql.execute(DRILLS, {"representations": representations}, as_=trainer)).ok()
    sessions = [row for one in drills["_entities"] for row in one["drillHistory"]]
    assert sessions
    assert all(len(row["attempts"]) == 6 and row["targetSeconds"] == 4.7 for row in sessions)
