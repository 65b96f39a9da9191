"""The demo club's health records load once and read back through GraphQL as the demo's people."""

from __future__ import annotations

from shared.auth.principal import Principal, Role
from shared.demo import DEMO_DOMAIN, DemoClub, DemoPerson, demo_club, demo_id
from subgraphs.medical.demo import load_demo
from tests.support.principals import principal
from tests.support.services import RunningService

SQUAD = """
query Squad($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Player { id medicalStatus activeRestrictions { kind bodyPart maxIntensityPercent reason } }
  }
}
"""

INJURIES = """
query Injuries($status: InjuryStatus) {
  injuries(status: $status) { diagnosis severity status bodyPart treatments { kind } }
}
"""

CHILD = """
query Child($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Player { injuries { diagnosis status } } }
}
"""


def _as(club: DemoClub, person: DemoPerson) -> Principal:
    return principal(
        *person.roles,
        organization_id=club.organization_id,
        user_id=person.id,
        teams=person.team_ids,
    )


async def test_the_demo_loads_once_and_reads_back(medical: RunningService) -> None:
    club = demo_club()
    async with medical.runtime.sessions() as session, session.begin():
        assert await load_demo(session, club) is True
    async with medical.runtime.sessions() as session, session.begin():
        assert await load_demo(session, club) is False
    # the medic sees the three injuries, newest first
    medic = _as(club, club.staff_with(Role.MEDICAL_STAFF)[0])
    injuries = (await medical.graphql.execute(INJURIES, {}, as_=medic)).ok()["injuries"]
    assert [(row["bodyPart"], row["severity"], row["status"]) for row in injuries] == [
        ("KNEE", "SEVERE", "ACTIVE"),
        ("SHOULDER", "MODERATE", "RECOVERING"),
        ("ANKLE", "MILD", "RESOLVED"),
    ]
    assert all(row["treatments"] for row in injuries)
    # the senior coach sees who is out and who is limited, without reasons
    coach = _as(club, club.person(f"coach@{DEMO_DOMAIN}"))
    representations = [{"__typename": "Player", "id": str(player.id)} for player in club.players]
    squad = (await medical.graphql.execute(SQUAD, {"representations": representations}, as_=coach)).ok()
    statuses = [entity["medicalStatus"] for entity in squad["_entities"]]
    assert (statuses.count("INJURED"), statuses.count("LIMITED")) == (1, 1)
    assert statuses.count("AVAILABLE") == len(club.players) - 2
    [limited] = [entity for entity in squad["_entities"] if entity["medicalStatus"] == "LIMITED"]
    assert limited["activeRestrictions"] == [
        {"kind": "NO_CONTACT", "bodyPart": "SHOULDER", "maxIntensityPercent": 80, "reason": None}
    ]
    # the demo parent sees their minor child's shoulder injury
    parent = club.parents[0]
    as_parent = principal(
        Role.PARENT,
        organization_id=club.organization_id,
        user_id=parent.user.id,
        children=parent.child_ids,
        minor_children=parent.child_ids,
    )
    child = [{"__typename": "Player", "id": str(parent.child_ids[0])}]
    data = (await medical.graphql.execute(CHILD, {"representations": child}, as_=as_parent)).ok()
    assert data["_entities"][0]["injuries"] == [
        {"diagnosis": "Acromioclavicular joint sprain, grade II, left shoulder", "status": "RECOVERING"}
    ]


BOARD = """
query Board($teamId: ID!) { availabilityBoard(teamId: $teamId) { status returnToPlayPhase } }
"""

TEAM_WELLNESS = """
query Wellness($teamId: ID!) { teamWellness(teamId: $teamId) { players responses alerts { metric rule } } }
"""

ANKLE = """
query Ankle($id: ID!) { injury(id: $id) { returnToPlay { phase completedAt steps { phase } } documents { kind } } }
"""


async def test_the_demo_shows_availability_wellness_and_a_return_to_play(medical: RunningService) -> None:
    club = demo_club()
    async with medical.runtime.sessions() as session, session.begin():
        assert await load_demo(session, club) is True
    coach = _as(club, club.person(f"coach@{DEMO_DOMAIN}"))
    senior = {"teamId": str(club.teams[0].id)}
    board = (await medical.graphql.execute(BOARD, senior, as_=coach)).ok()["availabilityBoard"]
    statuses = [row["status"] for row in board]
    assert (statuses.count("INJURED"), statuses.count("ILL"), statuses.count("LOAD_MANAGEMENT")) == (1, 1, 1)
    summary = (await medical.graphql.execute(TEAM_WELLNESS, senior, as_=coach)).ok()["teamWellness"]
    assert summary["responses"] == summary["players"] == len(club.roster(club.teams[0].id))
    rules = {(alert["metric"], alert["rule"]) for alert in summary["alerts"]}
    assert {("SLEEP_HOURS", "THRESHOLD"), ("SORENESS", "THRESHOLD"), ("PAIN", "PAIN_REPORTED")} <= rules
    medic = _as(club, club.staff_with(Role.MEDICAL_STAFF)[0])
    ankle = (await medical.graphql.execute(ANKLE, {"id": str(demo_id("medical", "injury", "ankle"))}, as_=medic)).ok()
    [protocol] = ankle["injury"]["returnToPlay"]
    assert protocol["phase"] == "GAME_CLEARANCE"
    assert len(protocol["steps"]) == 6
