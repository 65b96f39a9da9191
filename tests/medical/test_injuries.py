"""Injuries and treatments through GraphQL over HTTP: recording, correcting, resolving, and who may write."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest

from shared.auth.principal import Role
from tests.medical.factories import TODAY, Club, add_to_roster, make_injury, make_restriction, outbox
from tests.support.principals import platform_admin, principal
from tests.support.services import RunningService
from tests.support.statements import count_statements

RECORD = """
mutation Record($input: RecordInjuryInput!) {
  recordInjury(input: $input) {
    id bodyPart diagnosis severity status occurredOn expectedReturnOn resolvedOn notes player { id }
  }
}
"""

UPDATE = """
mutation Update($id: ID!, $input: UpdateInjuryInput!) {
  updateInjury(id: $id, input: $input) { id status severity diagnosis resolvedOn expectedReturnOn notes }
}
"""

RESOLVE = """
mutation Resolve($id: ID!, $resolvedOn: Date, $lift: Boolean! = false) {
  resolveInjury(id: $id, resolvedOn: $resolvedOn, liftRestrictions: $lift) { id status resolvedOn }
}
"""

TREAT = """
mutation Treat($input: AddTreatmentInput!) {
  addTreatment(input: $input) { id treatedOn kind provider notes }
}
"""

INJURIES = """
query Injuries($status: InjuryStatus, $playerId: ID) {
  injuries(status: $status, playerId: $playerId) { id diagnosis status treatments { kind } player { id } }
}
"""

LIMITED_INJURIES = """
query Limited($limit: Int!) { injuries(limit: $limit) { id } }
"""

STATUS = """
query Status($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Player { medicalStatus activeRestrictions { kind } } }
}
"""


def _new_injury(player_id: uuid.UUID, **overrides: object) -> dict[str, object]:
    return {
        "playerId": str(player_id),
        "bodyPart": "SHOULDER",
        "diagnosis": "AC joint separation, type II",
        "severity": "MODERATE",
        "occurredOn": str(TODAY - timedelta(days=3)),
        "expectedReturnOn": str(TODAY + timedelta(days=25)),
        "notes": "Boarded in the corner; tender over the AC joint.",
        **overrides,
    }


async def _status(medical: RunningService, club: Club, player_id: uuid.UUID) -> str:
    data = (
        await medical.graphql.execute(
            STATUS, {"representations": [{"__typename": "Player", "id": str(player_id)}]}, as_=club.medic
        )
    ).ok()
    status: str = data["_entities"][0]["medicalStatus"]
    return status


async def test_medical_staff_record_an_injury_and_the_event_carries_no_diagnosis(
    medical: RunningService, club: Club
) -> None:
    # when medical staff record an injury
    data = (await medical.graphql.execute(RECORD, {"input": _new_injury(club.adult_player_id)}, as_=club.medic)).ok()
    injury = data["recordInjury"]
    # then it is stored as given, active, and the player is injured
    assert (injury["bodyPart"], injury["severity"], injury["status"]) == ("SHOULDER", "MODERATE", "ACTIVE")
    assert injury["player"] == {"id": str(club.adult_player_id)}
    assert await _status(medical, club, club.adult_player_id) == "INJURED"
    # and injury.created leaves with ids, dates and status only
    [event] = await outbox(medical)
    assert event["type"] == "injury.created"
    assert event["data"] == {
        "injury_id": injury["id"],
        "player_id": str(club.adult_player_id),
        "status": "active",
        "occurred_on": injury["occurredOn"],
        "expected_return_on": injury["expectedReturnOn"],
        "resolved_on": None,
        "medical_status": "injured",
    }
    assert "AC joint" not in json.dumps(event)
    assert "Boarded" not in json.dumps(event)


async def test_an_injury_moves_to_recovering_and_is_resolved(medical: RunningService, club: Club) -> None:
    injury = await make_injury(medical, by=club.medic, player_id=club.adult_player_id)
    restriction = await make_restriction(medical, by=club.medic, player_id=club.adult_player_id, injury=injury)
    # when the player starts rehabilitation
    updated = (
        await medical.graphql.execute(
            UPDATE, {"id": str(injury.id), "input": {"status": "RECOVERING", "notes": None}}, as_=club.medic
        )
    ).ok()["updateInjury"]
    assert (updated["status"], updated["notes"]) == ("RECOVERING", None)
    assert await _status(medical, club, club.adult_player_id) == "LIMITED"
    # and is cleared, with the restriction tied to the injury lifted too
    resolved = (await medical.graphql.execute(RESOLVE, {"id": str(injury.id), "lift": True}, as_=club.medic)).ok()[
        "resolveInjury"
    ]
    assert (resolved["status"], resolved["resolvedOn"]) == ("RESOLVED", str(TODAY))
    assert await _status(medical, club, club.adult_player_id) == "AVAILABLE"
    types = [(event["type"], event["data"].get("change")) for event in await outbox(medical)]
    assert types == [
        ("injury.created", None),
        ("restriction.changed", "added"),
        ("injury.updated", None),
        ("injury.resolved", None),
        ("restriction.changed", "lifted"),
    ]
    lifted = (await outbox(medical))[-1]["data"]
    assert lifted["restriction_id"] == str(restriction.id)
    assert "reason" not in lifted
    # then resolving it again is a conflict
    again = await medical.graphql.execute(RESOLVE, {"id": str(injury.id)}, as_=club.medic)
    assert again.error("CONFLICT")["extensions"]["field"] == "id"


async def test_a_resolved_injury_can_be_reopened(medical: RunningService, club: Club) -> None:
    injury = await make_injury(medical, by=club.medic, player_id=club.adult_player_id)
    yesterday = str(TODAY - timedelta(days=1))
    (await medical.graphql.execute(RESOLVE, {"id": str(injury.id), "resolvedOn": yesterday}, as_=club.medic)).ok()
    reopened = (
        await medical.graphql.execute(UPDATE, {"id": str(injury.id), "input": {"status": "ACTIVE"}}, as_=club.medic)
    ).ok()["updateInjury"]
    assert (reopened["status"], reopened["resolvedOn"]) == ("ACTIVE", None)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"diagnosis": "   "}, "diagnosis"),
        ({"diagnosis": "x" * 301}, "diagnosis"),
        ({"occurredOn": str(TODAY + timedelta(days=1))}, "occurredOn"),
        ({"expectedReturnOn": str(TODAY - timedelta(days=30))}, "expectedReturnOn"),
        ({"status": "RESOLVED"}, "status"),
        ({"playerId": "not-an-id"}, "playerId"),
        ({"bodyPart": "TAIL"}, None),
    ],
)
async def test_invalid_injuries_are_bad_user_input_naming_the_field(
    medical: RunningService, club: Club, overrides: dict[str, object], field: str | None
) -> None:
    response = await medical.graphql.execute(
        RECORD, {"input": _new_injury(club.adult_player_id, **overrides)}, as_=club.medic
    )
    error = response.error("BAD_USER_INPUT")
    if field is not None:
        assert error["extensions"]["field"] == field
    assert await outbox(medical) == []


async def test_invalid_updates_and_resolutions_name_the_field(medical: RunningService, club: Club) -> None:
    injury = await make_injury(medical, by=club.medic, player_id=club.adult_player_id, days_ago=5)
    cases: list[tuple[str, dict[str, object], str]] = [
        (UPDATE, {"input": {"diagnosis": None}}, "diagnosis"),
        (UPDATE, {"input": {"occurredOn": str(TODAY + timedelta(days=2))}}, "occurredOn"),
        (UPDATE, {"input": {"expectedReturnOn": str(TODAY - timedelta(days=10))}}, "expectedReturnOn"),
        (RESOLVE, {"resolvedOn": str(TODAY - timedelta(days=9))}, "resolvedOn"),
        (RESOLVE, {"resolvedOn": str(TODAY + timedelta(days=1))}, "resolvedOn"),
    ]
    for operation, variables, field in cases:
        response = await medical.graphql.execute(operation, {"id": str(injury.id), **variables}, as_=club.medic)
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field, variables


async def test_treatments_are_recorded_for_an_injury(medical: RunningService, club: Club) -> None:
    injury = await make_injury(medical, by=club.medic, player_id=club.adult_player_id, days_ago=4)
    treatment = {
        "injuryId": str(injury.id),
        "treatedOn": str(TODAY - timedelta(days=2)),
        "kind": "IMAGING",
        "provider": "Capio Artro Clinic",
        "notes": "MRI: grade 2 MCL, menisci intact.",
    }
    added = (await medical.graphql.execute(TREAT, {"input": treatment}, as_=club.medic)).ok()["addTreatment"]
    assert (added["kind"], added["provider"]) == ("IMAGING", "Capio Artro Clinic")
    listed = (await medical.graphql.execute(INJURIES, {"playerId": str(club.adult_player_id)}, as_=club.medic)).ok()
    assert listed["injuries"][0]["treatments"] == [{"kind": "IMAGING"}]
    # a treatment before the injury, or for an unknown injury, is refused
    early = await medical.graphql.execute(
        TREAT, {"input": {**treatment, "treatedOn": str(TODAY - timedelta(days=10))}}, as_=club.medic
    )
    assert early.error("BAD_USER_INPUT")["extensions"]["field"] == "treatedOn"
    unknown = await medical.graphql.execute(
        TREAT, {"input": {**treatment, "injuryId": str(uuid.uuid4())}}, as_=club.medic
    )
    assert unknown.codes == ["NOT_FOUND"]


async def test_only_medical_staff_write_health_data(medical: RunningService, club: Club) -> None:
    injury = await make_injury(medical, by=club.medic, player_id=club.adult_player_id)
    writers_not = [
        club.staff(Role.COACH),
        club.staff(Role.PHYSICAL_TRAINER),
        club.staff(Role.CLUB_ADMIN),
        club.player(club.adult_player_id),
        club.parent(club.minor_player_id, minor=True),
    ]
    for caller in writers_not:
        record = await medical.graphql.execute(RECORD, {"input": _new_injury(club.adult_player_id)}, as_=caller)
        assert record.codes == ["FORBIDDEN"], caller.roles
        resolve = await medical.graphql.execute(RESOLVE, {"id": str(injury.id)}, as_=caller)
        assert resolve.codes == ["FORBIDDEN"], caller.roles
    # nor the platform administrator: running the platform needs no health records (minimum necessary)
    admin = platform_admin()
    record = await medical.graphql.execute(RECORD, {"input": _new_injury(club.adult_player_id)}, as_=admin)
    assert record.codes == ["FORBIDDEN"]
    read = await medical.graphql.execute(
        "query Injury($id: ID!) { injury(id: $id) { diagnosis } }", {"id": str(injury.id)}, as_=admin
    )
    assert read.codes == ["FORBIDDEN"]
    assert injury.diagnosis not in json.dumps(read.body)


async def test_another_clubs_records_and_players_do_not_exist_for_a_writer(medical: RunningService, club: Club) -> None:
    injury = await make_injury(medical, by=club.medic, player_id=club.adult_player_id)
    other_medic = principal(Role.MEDICAL_STAFF, organization_id=uuid.uuid4())
    update = await medical.graphql.execute(
        UPDATE, {"id": str(injury.id), "input": {"severity": "MILD"}}, as_=other_medic
    )
    assert update.codes == ["NOT_FOUND"]
    # a player the roster places in another club cannot get a record from this one
    record = await medical.graphql.execute(RECORD, {"input": _new_injury(club.adult_player_id)}, as_=other_medic)
    assert record.error("NOT_FOUND")["extensions"]["field"] == "playerId"


async def test_a_player_the_roster_does_not_know_yet_can_be_recorded(medical: RunningService, club: Club) -> None:
    # given a player just added in the user service, whose event has not arrived here yet
    newcomer = uuid.uuid4()
    data = (await medical.graphql.execute(RECORD, {"input": _new_injury(newcomer)}, as_=club.medic)).ok()
    # then the record belongs to the writer's club, and the club's staff see it
    assert data["recordInjury"]["player"]["id"] == str(newcomer)
    assert await _status(medical, club, newcomer) == "INJURED"
    outsider = principal(Role.MEDICAL_STAFF, organization_id=uuid.uuid4())
    response = await medical.graphql.execute(INJURIES, {"playerId": str(newcomer)}, as_=outsider)
    assert response.ok()["injuries"] == []
    # and once the roster learns of the player, the rules follow the player's club: for another club
    # the player does not exist
    await add_to_roster(medical, player_id=newcomer, organization_id=club.organization_id)
    response = await medical.graphql.execute(INJURIES, {"playerId": str(newcomer)}, as_=outsider)
    assert response.codes == ["NOT_FOUND"]


async def test_the_club_list_is_for_medical_staff_and_pins_its_statements(medical: RunningService, club: Club) -> None:
    for days_ago in range(6):
        player_id = club.adult_player_id if days_ago % 2 else club.minor_player_id
        await make_injury(medical, by=club.medic, player_id=player_id, days_ago=days_ago)
    with count_statements(medical.engine) as log:
        data = (await medical.graphql.execute(INJURIES, {"status": "ACTIVE"}, as_=club.medic)).ok()
    assert len(data["injuries"]) == 6
    # the page with its access log rows, then the treatments of all six
    assert log.count == 2, [statement[:80] for statement in log.statements]
    coach = await medical.graphql.execute(INJURIES, {}, as_=club.staff(Role.COACH))
    assert coach.codes == ["FORBIDDEN"]
    for limit in (0, 501):
        response = await medical.graphql.execute(LIMITED_INJURIES, {"limit": limit}, as_=club.medic)
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == "limit"
