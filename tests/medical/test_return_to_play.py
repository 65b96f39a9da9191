"""Return to play: six phases in order, one step at a time, each cleared by someone; each phase's
restrictions published as `restriction.changed`, as training consumes them."""

from __future__ import annotations

import uuid
from typing import Any

from shared.auth.principal import Role
from tests.medical.factories import Club, make_injury, outbox
from tests.support.services import RunningService

START = """
mutation Start($injuryId: ID!, $notes: String) {
  startReturnToPlay(injuryId: $injuryId, notes: $notes) { id phase nextPhase completedAt }
}
"""

ADVANCE = """
mutation Advance($id: ID!, $phase: ReturnToPlayPhase!) {
  advanceReturnToPlay(id: $id, phase: $phase) { id phase nextPhase completedAt }
}
"""

INJURY = """
query Injury($id: ID!) {
  injury(id: $id) { status resolvedOn returnToPlay { phase completedAt steps { phase clearedBy clearedAt notes } } }
}
"""

ACTIVE = """
query Active($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Player { medicalStatus activeRestrictions { kind severity maxIntensityPercent bodyPart } }
  }
}
"""

PHASES = [
    "LIGHT_ACTIVITY",
    "SPORT_SPECIFIC",
    "NON_CONTACT_TRAINING",
    "FULL_CONTACT_PRACTICE",
    "GAME_CLEARANCE",
]

EXPECTED: dict[str, list[tuple[str, str, int | None]]] = {
    "REST": [("REST", "COMPLETE", None)],
    "LIGHT_ACTIVITY": [("LIMITED_INTENSITY", "SEVERE", 40), ("NO_CONTACT", "SEVERE", None)],
    "SPORT_SPECIFIC": [("LIMITED_INTENSITY", "MODERATE", 60), ("NO_CONTACT", "SEVERE", None)],
    "NON_CONTACT_TRAINING": [("NO_CONTACT", "MODERATE", None)],
    "FULL_CONTACT_PRACTICE": [("NO_GAME_PLAY", "MILD", None)],
    "GAME_CLEARANCE": [],
}


async def _restrictions(medical: RunningService, club: Club) -> list[tuple[str, str, int | None]]:
    representations = [{"__typename": "Player", "id": str(club.adult_player_id)}]
    data = (await medical.graphql.execute(ACTIVE, {"representations": representations}, as_=club.medic)).ok()
    rows = data["_entities"][0]["activeRestrictions"]
    assert all(row["bodyPart"] == "KNEE" for row in rows)
    return sorted((row["kind"], row["severity"], row["maxIntensityPercent"]) for row in rows)


async def test_a_player_returns_phase_by_phase_and_training_hears_each_change(
    medical: RunningService, club: Club
) -> None:
    medic = club.medic
    injury = await make_injury(medical, by=medic, player_id=club.adult_player_id)
    # when medical staff start the return to play
    started = (
        await medical.graphql.execute(START, {"injuryId": str(injury.id), "notes": "Pain-free at rest."}, as_=medic)
    ).ok()["startReturnToPlay"]
    assert (started["phase"], started["nextPhase"]) == ("REST", "LIGHT_ACTIVITY")
    assert await _restrictions(medical, club) == sorted(EXPECTED["REST"])
    # and clear the player phase by phase
    for phase in PHASES:
        advanced = (await medical.graphql.execute(ADVANCE, {"id": started["id"], "phase": phase}, as_=medic)).ok()[
            "advanceReturnToPlay"
        ]
        assert advanced["phase"] == phase
        # then each phase holds exactly its own restrictions
        assert await _restrictions(medical, club) == sorted(EXPECTED[phase]), phase
    assert advanced["completedAt"] is not None
    assert advanced["nextPhase"] is None
    # the steps say who cleared each phase, and the injury is resolved by the game clearance
    data = (await medical.graphql.execute(INJURY, {"id": str(injury.id)}, as_=medic)).ok()["injury"]
    assert data["status"] == "RESOLVED"
    [protocol] = data["returnToPlay"]
    assert [step["phase"] for step in protocol["steps"]] == ["REST", *PHASES]
    assert {step["clearedBy"] for step in protocol["steps"]} == {str(medic.user_id)}
    assert protocol["steps"][0]["notes"] == "Pain-free at rest."
    # and every change went out as restriction.changed, in the contract training consumes
    changes = [event["data"] for event in await outbox(medical) if event["type"] == "restriction.changed"]
    added = [(change["kind"], change["severity"]) for change in changes if change["change"] == "added"]
    lifted = [change["kind"] for change in changes if change["change"] == "lifted"]
    assert len(added) == 7
    assert len(lifted) == 7  # everything added was lifted again by the end
    assert set(changes[0]) == {
        "restriction_id",
        "player_id",
        "injury_id",
        "change",
        "kind",
        "severity",
        "body_part",
        "max_intensity_percent",
        "starts_on",
        "ends_on",
        "lifted",
        "medical_status",
    }
    assert changes[-1]["medical_status"] == "available"
    assert [event["type"] for event in await outbox(medical)][-2:] == ["injury.resolved", "availability.changed"]


async def test_one_step_at_a_time(medical: RunningService, club: Club) -> None:
    injury = await make_injury(medical, by=club.medic, player_id=club.adult_player_id)
    started = (await medical.graphql.execute(START, {"injuryId": str(injury.id)}, as_=club.medic)).ok()
    protocol = started["startReturnToPlay"]["id"]
    # a skipped phase is refused, naming the next one
    skip = await medical.graphql.execute(ADVANCE, {"id": protocol, "phase": "SPORT_SPECIFIC"}, as_=club.medic)
    assert skip.error("BAD_USER_INPUT")["extensions"]["field"] == "phase"
    assert "LIGHT_ACTIVITY" in skip.errors[0]["message"]
    # a repeated (or stale) step is a conflict, not a second step
    (await medical.graphql.execute(ADVANCE, {"id": protocol, "phase": "LIGHT_ACTIVITY"}, as_=club.medic)).ok()
    again = await medical.graphql.execute(ADVANCE, {"id": protocol, "phase": "LIGHT_ACTIVITY"}, as_=club.medic)
    assert again.error("CONFLICT")["extensions"]["field"] == "phase"
    # one protocol at a time per injury
    second = await medical.graphql.execute(START, {"injuryId": str(injury.id)}, as_=club.medic)
    assert second.error("CONFLICT")["extensions"]["field"] == "injuryId"
    unknown = await medical.graphql.execute(ADVANCE, {"id": str(uuid.uuid4()), "phase": "REST"}, as_=club.medic)
    assert unknown.codes == ["NOT_FOUND"]


async def test_only_medical_staff_clear_a_phase(medical: RunningService, club: Club) -> None:
    injury = await make_injury(medical, by=club.medic, player_id=club.adult_player_id)
    callers: list[Any] = [
        club.staff(Role.COACH),
        club.staff(Role.PHYSICAL_TRAINER),
        club.player(club.adult_player_id),
    ]
    for caller in callers:
        response = await medical.graphql.execute(START, {"injuryId": str(injury.id)}, as_=caller)
        assert response.codes == ["FORBIDDEN"]
    protocol = (await medical.graphql.execute(START, {"injuryId": str(injury.id)}, as_=club.medic)).ok()
    for caller in callers:
        response = await medical.graphql.execute(
            ADVANCE, {"id": protocol["startReturnToPlay"]["id"], "phase": "LIGHT_ACTIVITY"}, as_=caller
        )
        assert response.codes == ["FORBIDDEN"]


RESOLVE = "mutation Resolve($id: ID!) { resolveInjury(id: $id) { status } }"


async def test_resolving_the_injury_ends_its_return_to_play_where_it_stands(
    medical: RunningService, club: Club
) -> None:
    injury = await make_injury(medical, by=club.medic, player_id=club.adult_player_id)
    started = (await medical.graphql.execute(START, {"injuryId": str(injury.id)}, as_=club.medic)).ok()
    protocol = started["startReturnToPlay"]["id"]
    (await medical.graphql.execute(ADVANCE, {"id": protocol, "phase": "LIGHT_ACTIVITY"}, as_=club.medic)).ok()
    assert await _restrictions(medical, club) == sorted(EXPECTED["LIGHT_ACTIVITY"])
    # when the physician resolves the injury during light activity
    (await medical.graphql.execute(RESOLVE, {"id": str(injury.id)}, as_=club.medic)).ok()
    # then the protocol ends in that phase, and the restrictions it implied are lifted (and published so)
    data = (await medical.graphql.execute(INJURY, {"id": str(injury.id)}, as_=club.medic)).ok()["injury"]
    [ended] = data["returnToPlay"]
    assert (ended["phase"], ended["completedAt"] is not None) == ("LIGHT_ACTIVITY", True)
    assert await _restrictions(medical, club) == []
    changes = [event["data"] for event in await outbox(medical) if event["type"] == "restriction.changed"]
    assert sorted(change["kind"] for change in changes if change["change"] == "lifted") == [
        "limited_intensity",
        "no_contact",
        "rest",
    ]
    # and it cannot be advanced any further
    late = await medical.graphql.execute(ADVANCE, {"id": protocol, "phase": "SPORT_SPECIFIC"}, as_=club.medic)
    assert late.error("CONFLICT")["extensions"]["field"] == "id"
