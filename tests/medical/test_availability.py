"""Availability statuses with their history, and the team board coaches plan with: status, restrictions,
return-to-play phase and expected return, never a diagnosis or a note."""

from __future__ import annotations

import json
import uuid
from typing import Any

from shared.auth.principal import Role
from tests.medical.factories import Club, access_log, add_to_roster, make_injury, make_restriction, outbox
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.support.statements import count_statements

SET = """
mutation Set($input: SetAvailabilityInput!) {
  setAvailability(input: $input) { status previousStatus changedBy note player { id } }
}
"""

HISTORY = """
query History($playerId: ID!) {
  availabilityHistory(playerId: $playerId) { status previousStatus changedAt changedBy note }
}
"""

BOARD = """
query Board($teamId: ID!) {
  availabilityBoard(teamId: $teamId) {
    player { id } status statusSince medicalStatus returnToPlayPhase expectedReturnOn
    restrictions { kind severity bodyPart maxIntensityPercent reason injuryId }
  }
}
"""

ILLNESS = "Influenza A, febrile"


async def _set(
    medical: RunningService, club: Club, player_id: uuid.UUID, status: str, note: str | None = None
) -> dict[str, Any]:
    variables = {"input": {"playerId": str(player_id), "status": status, "note": note}}
    return (await medical.graphql.execute(SET, variables, as_=club.medic)).ok()["setAvailability"]  # type: ignore[no-any-return]


async def test_statuses_are_kept_with_who_set_them_and_what_they_replaced(medical: RunningService, club: Club) -> None:
    medic = club.medic
    player = str(club.adult_player_id)
    first = (
        await medical.graphql.execute(SET, {"input": {"playerId": player, "status": "ILL", "note": ILLNESS}}, as_=medic)
    ).ok()["setAvailability"]
    assert (first["status"], first["previousStatus"], first["changedBy"]) == ("ILL", None, str(medic.user_id))
    assert first["note"] == ILLNESS
    second = await _set(medical, club, club.adult_player_id, "LOAD_MANAGEMENT")
    assert (second["status"], second["previousStatus"]) == ("LOAD_MANAGEMENT", "ILL")
    # setting the status the player already has is a conflict, not a second entry
    again = await medical.graphql.execute(SET, {"input": {"playerId": player, "status": "LOAD_MANAGEMENT"}}, as_=medic)
    assert again.error("CONFLICT")["extensions"]["field"] == "status"
    # the history, newest first: a coach sees the statuses, not why
    coach = club.staff(Role.COACH)
    history = (await medical.graphql.execute(HISTORY, {"playerId": player}, as_=coach)).ok()["availabilityHistory"]
    assert [(row["status"], row["previousStatus"]) for row in history] == [("LOAD_MANAGEMENT", "ILL"), ("ILL", None)]
    assert [row["note"] for row in history] == [None, None]
    # the player sees why
    themselves = club.player(club.adult_player_id)
    own = (await medical.graphql.execute(HISTORY, {"playerId": player}, as_=themselves)).ok()
    assert own["availabilityHistory"][1]["note"] == ILLNESS
    # which is a read of health data, logged (as the medic's, whose mutation answered with the note; the
    # coach's read of the statuses alone is not)
    reads = await access_log(medical)
    assert {(read.actor_user_id, read.source, tuple(read.fields)) for read in reads} == {
        (medic.user_id, "AvailabilityChange.note", ("note",)),
        (themselves.user_id, "AvailabilityChange.note", ("note",)),
    }
    # and other services hear the status, never the note
    changes = [event for event in await outbox(medical) if event["type"] == "availability.changed"]
    assert [event["data"]["status"] for event in changes] == ["ill", "load_management"]
    assert ILLNESS not in json.dumps(changes)


async def test_only_medical_staff_set_a_status_and_others_do_not_see_it(medical: RunningService, club: Club) -> None:
    player = str(club.adult_player_id)
    for caller in (club.staff(Role.COACH), club.player(club.adult_player_id), club.staff(Role.CLUB_ADMIN)):
        response = await medical.graphql.execute(SET, {"input": {"playerId": player, "status": "ILL"}}, as_=caller)
        assert response.codes == ["FORBIDDEN"]
    await _set(medical, club, club.adult_player_id, "ILL")
    for caller in (club.staff(Role.EQUIPMENT_MANAGER), club.parent(club.adult_player_id, minor=False)):
        assert (await medical.graphql.execute(HISTORY, {"playerId": player}, as_=caller)).codes == ["FORBIDDEN"]
    outsider = principal(Role.COACH, organization_id=uuid.uuid4())
    assert (await medical.graphql.execute(HISTORY, {"playerId": player}, as_=outsider)).codes == ["NOT_FOUND"]


async def test_the_board_shows_status_and_restrictions_without_diagnoses(medical: RunningService, club: Club) -> None:
    # given an injured player with a restriction, an ill one, and a healthy teammate
    healthy = uuid.uuid4()
    await add_to_roster(medical, player_id=healthy, organization_id=club.organization_id, team_id=club.team_id)
    injury = await make_injury(medical, by=club.medic, player_id=club.adult_player_id)
    await make_restriction(medical, by=club.medic, player_id=club.adult_player_id, injury=injury)
    await _set(medical, club, club.minor_player_id, "ILL", note=ILLNESS)
    # when the team's coach opens the board
    coach = club.staff(Role.COACH)
    with count_statements(medical.engine) as log:
        response = await medical.graphql.execute(BOARD, {"teamId": str(club.team_id)}, as_=coach)
    board = {row["player"]["id"]: row for row in response.ok()["availabilityBoard"]}
    # one statement each: roster, statuses, records' last change, status flags, restrictions, outlook
    assert log.count == 6, log.statements
    # then each player has a status, the injured one its restriction and expected return
    injured = board[str(club.adult_player_id)]
    assert (injured["status"], injured["statusSince"], injured["medicalStatus"]) == ("INJURED", None, "INJURED")
    assert injured["expectedReturnOn"] == str(injury.expected_return_on)
    [restriction] = injured["restrictions"]
    assert (restriction["kind"], restriction["bodyPart"], restriction["reason"], restriction["injuryId"]) == (
        "NO_CONTACT",
        "KNEE",
        None,
        None,
    )
    assert board[str(club.minor_player_id)]["status"] == "ILL"
    assert board[str(club.minor_player_id)]["statusSince"] is not None
    assert board[str(healthy)]["status"] == "AVAILABLE"
    # and no diagnosis, note or reason anywhere
    body = json.dumps(response.body)
    for health_data in (injury.diagnosis, injury.notes or "", ILLNESS, "Protect the healing MCL."):
        assert health_data not in body


async def test_a_status_set_before_the_records_changed_gives_way_to_them(medical: RunningService, club: Club) -> None:
    await _set(medical, club, club.adult_player_id, "AVAILABLE")
    # when the player is injured after being cleared
    await make_injury(medical, by=club.medic, player_id=club.adult_player_id)
    board = (await medical.graphql.execute(BOARD, {"teamId": str(club.team_id)}, as_=club.medic)).ok()
    row = next(row for row in board["availabilityBoard"] if row["player"]["id"] == str(club.adult_player_id))
    # then the board follows the records until medical staff set a status again
    assert (row["status"], row["statusSince"]) == ("INJURED", None)
    await _set(medical, club, club.adult_player_id, "LIMITED")
    board = (await medical.graphql.execute(BOARD, {"teamId": str(club.team_id)}, as_=club.medic)).ok()
    row = next(row for row in board["availabilityBoard"] if row["player"]["id"] == str(club.adult_player_id))
    assert row["status"] == "LIMITED"


async def test_the_board_is_for_the_teams_coaches_trainers_and_medical_staff(
    medical: RunningService, club: Club
) -> None:
    team = {"teamId": str(club.team_id)}
    other_team_coach = principal(Role.COACH, organization_id=club.organization_id, teams=[uuid.uuid4()])
    for caller in (
        other_team_coach,
        club.player(club.adult_player_id),
        club.parent(club.minor_player_id, minor=True),
        club.staff(Role.CLUB_ADMIN),
    ):
        assert (await medical.graphql.execute(BOARD, team, as_=caller)).codes == ["FORBIDDEN"]
    trainer = principal(Role.PHYSICAL_TRAINER, organization_id=club.organization_id)
    assert len((await medical.graphql.execute(BOARD, team, as_=trainer)).ok()["availabilityBoard"]) == 2
    # another club's trainer sees nobody of this club's team
    outsider = principal(Role.PHYSICAL_TRAINER, organization_id=uuid.uuid4())
    assert (await medical.graphql.execute(BOARD, team, as_=outsider)).ok()["availabilityBoard"] == []
