"""Who sees what of a player's health: one test per role, through `_entities` and the root queries.

Given an adult player and a minor, each with an active knee injury, a treatment and a restriction
linked to it, every caller asks for the same fields; the expectations are the access rules.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from shared.auth.principal import Principal, Role
from tests.medical.factories import Club, access_log, make_injury, make_restriction, make_treatment
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.support.statements import count_statements

HEALTH = """
query Health($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Player {
      id
      medicalStatus
      activeRestrictions { kind bodyPart endsOn maxIntensityPercent reason injuryId }
      injuries { id diagnosis notes severity treatments { kind notes } }
    }
  }
}
"""

INJURY = """
query Injury($id: ID!) { injury(id: $id) { id diagnosis notes player { id } } }
"""

PLAYER_INJURIES = """
query PlayerInjuries($playerId: ID!) { injuries(playerId: $playerId) { id diagnosis } }
"""

TEAM_AVAILABILITY = """
query Availability($playerIds: [ID!]!) {
  teamAvailability(playerIds: $playerIds) {
    player { id } status restrictions { kind bodyPart maxIntensityPercent endsOn reason injuryId }
  }
}
"""

DIAGNOSIS = "MCL sprain, grade 2"
NOTES = "Valgus stress test positive; no ACL laxity."
REASON = "Protect the healing MCL."


@dataclass(frozen=True)
class Case:
    caller: Callable[[Club], Principal]
    subject: str
    """`adult` or `minor`: whose health the caller asks about."""
    health_records: bool
    availability: bool
    direct: str | None
    """The code of a direct `injury(id)` query; None when it succeeds."""
    direct_list: str | None
    """The code of `injuries(playerId)`; None when it succeeds."""


CASES = {
    "medical staff": Case(lambda c: c.medic, "adult", True, True, None, None),
    "coach": Case(lambda c: c.staff(Role.COACH), "adult", False, True, "FORBIDDEN", "FORBIDDEN"),
    "assistant coach": Case(lambda c: c.staff(Role.ASSISTANT_COACH), "adult", False, True, "FORBIDDEN", "FORBIDDEN"),
    "physical trainer": Case(lambda c: c.staff(Role.PHYSICAL_TRAINER), "adult", False, True, "FORBIDDEN", "FORBIDDEN"),
    "the player themselves": Case(lambda c: c.player(c.adult_player_id), "adult", True, True, None, None),
    "another player": Case(lambda c: c.player(c.minor_player_id), "adult", False, False, "FORBIDDEN", "FORBIDDEN"),
    "parent of a minor": Case(lambda c: c.parent(c.minor_player_id, minor=True), "minor", True, True, None, None),
    "parent of an adult child": Case(
        lambda c: c.parent(c.adult_player_id, minor=False), "adult", False, False, "FORBIDDEN", "FORBIDDEN"
    ),
    "club administrator": Case(lambda c: c.staff(Role.CLUB_ADMIN), "adult", False, False, "FORBIDDEN", "FORBIDDEN"),
    "equipment manager": Case(
        lambda c: c.staff(Role.EQUIPMENT_MANAGER), "adult", False, False, "FORBIDDEN", "FORBIDDEN"
    ),
    "medical staff of another organization": Case(
        lambda c: principal(Role.MEDICAL_STAFF, organization_id=uuid.uuid4()),
        "adult",
        False,
        False,
        "NOT_FOUND",
        "NOT_FOUND",
    ),
    # without the health:read scope the answer does not depend on the record: FORBIDDEN for any id
    "coach of another organization": Case(
        lambda c: principal(Role.COACH, organization_id=uuid.uuid4()),
        "adult",
        False,
        False,
        "FORBIDDEN",
        "FORBIDDEN",
    ),
}


@dataclass
class Records:
    injuries: dict[str, uuid.UUID]


@pytest.fixture
async def records(medical: RunningService, club: Club) -> Records:
    injuries: dict[str, uuid.UUID] = {}
    for subject, player_id in (("adult", club.adult_player_id), ("minor", club.minor_player_id)):
        injury = await make_injury(medical, by=club.medic, player_id=player_id)
        await make_treatment(medical, by=club.medic, injury=injury)
        await make_restriction(medical, by=club.medic, player_id=player_id, injury=injury)
        injuries[subject] = injury.id
    return Records(injuries)


@pytest.mark.parametrize("role", list(CASES))
async def test_each_role_sees_exactly_its_share_of_a_players_health(
    medical: RunningService, club: Club, records: Records, role: str
) -> None:
    case = CASES[role]
    caller = case.caller(club)
    player_id = club.adult_player_id if case.subject == "adult" else club.minor_player_id
    # when the caller asks for the player's status, restrictions and injuries
    response = await medical.graphql.execute(
        HEALTH, {"representations": [{"__typename": "Player", "id": str(player_id)}]}, as_=caller
    )
    entity = response.data["_entities"][0]
    # then availability is there for those who may see it, and nothing otherwise
    assert entity["id"] == str(player_id)
    if case.availability:
        assert entity["medicalStatus"] == "INJURED"
        [restriction] = entity["activeRestrictions"]
        assert (restriction["kind"], restriction["bodyPart"], restriction["maxIntensityPercent"]) == (
            "NO_CONTACT",
            "KNEE",
            70,
        )
        assert restriction["endsOn"] is not None
    else:
        assert entity["medicalStatus"] is None
        assert entity["activeRestrictions"] == []
    # and health records only for medical staff, the player and a minor's parent
    if case.health_records:
        assert not response.errors
        [injury] = entity["injuries"]
        assert (injury["diagnosis"], injury["notes"]) == (DIAGNOSIS, NOTES)
        assert injury["treatments"][0]["notes"] == "Quad activation, bike 20 min."
        assert entity["activeRestrictions"][0]["reason"] == REASON
        assert entity["activeRestrictions"][0]["injuryId"] == str(records.injuries[case.subject])
    else:
        error = response.error("FORBIDDEN")
        assert error["path"] == ["_entities", 0, "injuries"]
        assert entity["injuries"] is None
        for restriction in entity["activeRestrictions"]:
            assert restriction["reason"] is None
            assert restriction["injuryId"] is None
        body = json.dumps(response.body)
        assert DIAGNOSIS not in body
        assert NOTES not in body
        assert REASON not in body
    # and the direct queries answer the same way
    one = await medical.graphql.execute(INJURY, {"id": str(records.injuries[case.subject])}, as_=caller)
    listed = await medical.graphql.execute(PLAYER_INJURIES, {"playerId": str(player_id)}, as_=caller)
    if case.direct is None:
        assert one.ok()["injury"]["diagnosis"] == DIAGNOSIS
        assert one.data["injury"]["player"]["id"] == str(player_id)
    else:
        assert one.codes == [case.direct]
        assert one.data is None
    if case.direct_list is None:
        assert [row["diagnosis"] for row in listed.ok()["injuries"]] == [DIAGNOSIS]
    else:
        assert listed.codes == [case.direct_list]
        assert DIAGNOSIS not in json.dumps(listed.body)


async def test_reads_of_health_records_are_logged_and_other_reads_are_not(
    medical: RunningService, club: Club, records: Records
) -> None:
    representations = [{"__typename": "Player", "id": str(club.adult_player_id)}]
    # given a coach's read of availability, and a forbidden read of injuries
    await medical.graphql.execute(HEALTH, {"representations": representations}, as_=club.staff(Role.COACH))
    assert await access_log(medical) == []
    # when medical staff read the player's injuries, then one injury directly
    medic = club.medic
    (await medical.graphql.execute(HEALTH, {"representations": representations}, as_=medic)).ok()
    (await medical.graphql.execute(INJURY, {"id": str(records.injuries["adult"])}, as_=medic)).ok()
    # then the reads are in the access log, with who read whose records (the restriction's reason too)
    entries = await access_log(medical)
    assert sorted((entry.source, entry.player_id, entry.injury_id) for entry in entries) == [
        ("MedicalRestriction.reason", club.adult_player_id, records.injuries["adult"]),
        ("Player.injuries", club.adult_player_id, None),
        ("injury", club.adult_player_id, records.injuries["adult"]),
    ]
    assert {entry.actor_user_id for entry in entries} == {medic.user_id}
    assert all(entry.actor_roles == ["medical_staff"] for entry in entries)
    assert all(entry.organization_id == club.organization_id for entry in entries)


async def test_coaching_staff_see_team_availability_without_diagnoses(
    medical: RunningService, club: Club, records: Records
) -> None:
    healthy = uuid.uuid4()
    ids = [str(club.minor_player_id), str(healthy), str(club.adult_player_id)]
    with count_statements(medical.engine) as log:
        response = await medical.graphql.execute(TEAM_AVAILABILITY, {"playerIds": ids}, as_=club.staff(Role.COACH))
    rows = response.ok()["teamAvailability"]
    assert log.count == 2  # status flags and restrictions, for all the players at once
    assert [row["player"]["id"] for row in rows] == ids
    assert [row["status"] for row in rows] == ["INJURED", "AVAILABLE", "INJURED"]
    assert rows[0]["restrictions"] == [
        {
            "kind": "NO_CONTACT",
            "bodyPart": "KNEE",
            "maxIntensityPercent": 70,
            "endsOn": rows[0]["restrictions"][0]["endsOn"],
            "reason": None,
            "injuryId": None,
        }
    ]


async def test_team_availability_is_not_for_players_parents_or_other_clubs(
    medical: RunningService, club: Club, records: Records
) -> None:
    ids = [str(club.adult_player_id)]
    for caller in (club.player(club.adult_player_id), club.parent(club.minor_player_id, minor=True)):
        response = await medical.graphql.execute(TEAM_AVAILABILITY, {"playerIds": ids}, as_=caller)
        assert response.codes == ["FORBIDDEN"]
    # a coach of another club learns nothing about this club's players
    outsider = principal(Role.COACH, organization_id=uuid.uuid4())
    data = (await medical.graphql.execute(TEAM_AVAILABILITY, {"playerIds": ids}, as_=outsider)).ok()
    assert data["teamAvailability"] == []


async def test_team_availability_checks_its_input(medical: RunningService, club: Club) -> None:
    coach = club.staff(Role.COACH)
    empty = await medical.graphql.execute(TEAM_AVAILABILITY, {"playerIds": []}, as_=coach)
    assert empty.error("BAD_USER_INPUT")["extensions"]["field"] == "playerIds"
    malformed = await medical.graphql.execute(TEAM_AVAILABILITY, {"playerIds": ["nope"]}, as_=coach)
    assert malformed.error("BAD_USER_INPUT")["extensions"]["field"] == "playerIds"


async def test_anonymous_callers_are_unauthenticated(medical: RunningService, club: Club) -> None:
    response = await medical.graphql.execute(PLAYER_INJURIES, {"playerId": str(club.adult_player_id)})
    assert response.codes == ["UNAUTHENTICATED"]


async def test_a_parent_loses_access_when_the_child_comes_of_age(
    medical: RunningService, club: Club, records: Records
) -> None:
    child = club.minor_player_id
    representations = [{"__typename": "Player", "id": str(child)}]
    # while the child is a minor, the parent's token lists them among its minor children
    parent = principal(Role.PARENT, organization_id=club.organization_id, children=[child], minor_children=[child])
    before = await medical.graphql.execute(HEALTH, {"representations": representations}, as_=parent)
    assert before.ok()["_entities"][0]["injuries"][0]["diagnosis"] == DIAGNOSIS
    # from the 18th birthday on, tokens list the child but no longer as a minor: no health records, no
    # availability, no export
    grown = principal(
        Role.PARENT, organization_id=club.organization_id, user_id=parent.user_id, children=[child], minor_children=[]
    )
    after = await medical.graphql.execute(HEALTH, {"representations": representations}, as_=grown)
    assert after.error("FORBIDDEN")["path"] == ["_entities", 0, "injuries"]
    assert after.data["_entities"][0]["medicalStatus"] is None
    assert DIAGNOSIS not in json.dumps(after.body)
    export = await medical.graphql.execute(
        "query Export($playerId: ID!) { playerHealthExport(playerId: $playerId) }", {"playerId": str(child)}, as_=grown
    )
    assert export.codes == ["FORBIDDEN"]
