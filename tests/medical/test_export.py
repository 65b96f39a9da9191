"""A player's health record exported on request, complete and logged; injury documents and reports."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest

from shared.auth.principal import Principal, Role
from subgraphs.medical.models import AccessAction
from tests.medical.factories import TODAY, Club, access_log, make_injury, make_restriction, make_treatment
from tests.support.principals import platform_admin, principal
from tests.support.services import RunningService

EXPORT = "query Export($playerId: ID!) { playerHealthExport(playerId: $playerId) }"

DOCUMENT = """
mutation Doc($input: AddInjuryDocumentInput!) {
  addInjuryDocument(input: $input) { id kind fileName contentType sizeBytes uploadedBy }
}
"""
REPORT = """
mutation Report($input: AddInjuryReportInput!) { addInjuryReport(input: $input) { id writtenOn body writtenBy } }
"""
INJURY = """
query Injury($id: ID!) {
  injury(id: $id) { documents { fileName sizeBytes kind } reports { writtenOn body } }
}
"""


async def test_a_player_exports_everything_held_about_them(medical: RunningService, club: Club) -> None:
    # given an injury with a treatment, a restriction, a document and a report
    medic = club.medic
    injury = await make_injury(medical, by=medic, player_id=club.adult_player_id)
    await make_treatment(medical, by=medic, injury=injury)
    await make_restriction(medical, by=medic, player_id=club.adult_player_id, injury=injury)
    document = {
        "injuryId": str(injury.id),
        "kind": "IMAGING",
        "fileName": "mri-knee.pdf",
        "contentType": "Application/PDF",
        "sizeBytes": 5_000_000_000,
    }
    added = (await medical.graphql.execute(DOCUMENT, {"input": document}, as_=medic)).ok()["addInjuryDocument"]
    assert (added["contentType"], added["sizeBytes"], added["uploadedBy"]) == (
        "application/pdf",
        5_000_000_000,
        str(medic.user_id),
    )
    report = {"injuryId": str(injury.id), "body": "Effusion reduced.", "writtenOn": str(TODAY)}
    assert (await medical.graphql.execute(REPORT, {"input": report}, as_=medic)).ok()
    # the injury shows them to medical staff
    shown = (await medical.graphql.execute(INJURY, {"id": str(injury.id)}, as_=medic)).ok()["injury"]
    assert shown["documents"] == [{"fileName": "mri-knee.pdf", "sizeBytes": 5_000_000_000, "kind": "IMAGING"}]
    assert shown["reports"] == [{"writtenOn": str(TODAY), "body": "Effusion reduced."}]
    # when the player asks for their record
    player = club.player(club.adult_player_id)
    exported = (await medical.graphql.execute(EXPORT, {"playerId": str(club.adult_player_id)}, as_=player)).ok()
    record = exported["playerHealthExport"]
    # then it holds everything, decrypted
    assert record["format"] == "hockey-hub.medical.player-export/1"
    assert record["playerId"] == str(club.adult_player_id)
    [exported_injury] = record["injuries"]
    assert (exported_injury["diagnosis"], exported_injury["notes"]) == (injury.diagnosis, injury.notes)
    assert exported_injury["treatments"][0]["notes"] == "Quad activation, bike 20 min."
    assert exported_injury["documents"][0]["file_name"] == "mri-knee.pdf"
    assert exported_injury["reports"][0]["body"] == "Effusion reduced."
    assert record["restrictions"][0]["reason"] == "Protect the healing MCL."
    assert record["wellnessCheckIns"] == []
    # nothing of another player
    assert str(club.minor_player_id) not in json.dumps(record)
    # and the export is in the access log
    [entry] = await access_log(medical, AccessAction.EXPORT)
    assert (entry.actor_user_id, entry.player_id, entry.source) == (
        player.user_id,
        club.adult_player_id,
        "playerHealthExport",
    )


def _callers(club: Club) -> dict[str, tuple[Principal, uuid.UUID, str | None]]:
    """Caller -> (whose record, the error code or None when the export is theirs to have)."""
    return {
        "medical staff": (club.medic, club.adult_player_id, None),
        "the player": (club.player(club.adult_player_id), club.adult_player_id, None),
        "parent of a minor": (club.parent(club.minor_player_id, minor=True), club.minor_player_id, None),
        "parent of an adult": (club.parent(club.adult_player_id, minor=False), club.adult_player_id, "FORBIDDEN"),
        "another player": (club.player(club.minor_player_id), club.adult_player_id, "FORBIDDEN"),
        "coach": (club.staff(Role.COACH), club.adult_player_id, "FORBIDDEN"),
        "club administrator": (club.staff(Role.CLUB_ADMIN), club.adult_player_id, "FORBIDDEN"),
        "platform administrator": (platform_admin(), club.adult_player_id, "FORBIDDEN"),
        "medical staff of another club": (
            principal(Role.MEDICAL_STAFF, organization_id=uuid.uuid4()),
            club.adult_player_id,
            "NOT_FOUND",
        ),
    }


@pytest.mark.parametrize(
    "caller",
    [
        "medical staff",
        "the player",
        "parent of a minor",
        "parent of an adult",
        "another player",
        "coach",
        "club administrator",
        "platform administrator",
        "medical staff of another club",
    ],
)
async def test_who_may_export_a_record(medical: RunningService, club: Club, caller: str) -> None:
    who, player_id, code = _callers(club)[caller]
    injury = await make_injury(medical, by=club.medic, player_id=player_id, days_ago=3)
    response = await medical.graphql.execute(EXPORT, {"playerId": str(player_id)}, as_=who)
    if code is None:
        assert response.ok()["playerHealthExport"]["injuries"][0]["diagnosis"] == injury.diagnosis
    else:
        assert response.codes == [code]
        assert injury.diagnosis not in json.dumps(response.body)


async def test_documents_and_reports_check_their_input(medical: RunningService, club: Club) -> None:
    injury = await make_injury(medical, by=club.medic, player_id=club.adult_player_id, days_ago=5)
    base = {"injuryId": str(injury.id), "kind": "OTHER", "fileName": "a.pdf", "contentType": "application/pdf"}
    for field, value in (("contentType", "pdf"), ("fileName", "  "), ("sizeBytes", -1), ("sizeBytes", 1.5)):
        response = await medical.graphql.execute(
            DOCUMENT, {"input": {"sizeBytes": 10, **base, field: value}}, as_=club.medic
        )
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field, (field, value)
    early = {"injuryId": str(injury.id), "body": "x", "writtenOn": str(TODAY - timedelta(days=9))}
    response = await medical.graphql.execute(REPORT, {"input": early}, as_=club.medic)
    assert response.error("BAD_USER_INPUT")["extensions"]["field"] == "writtenOn"
    coach = await medical.graphql.execute(
        REPORT, {"input": {"injuryId": str(injury.id), "body": "x"}}, as_=club.staff(Role.COACH)
    )
    assert coach.codes == ["FORBIDDEN"]
