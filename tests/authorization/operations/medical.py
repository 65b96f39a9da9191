"""The medical service's operations: health records, availability and restrictions."""

from __future__ import annotations

from datetime import timedelta

from tests.authorization.cases import Case, Operation, Variables, today, unique
from tests.authorization.operations.common import entity
from tests.authorization.table import Caller

RECORD_INJURY = """
mutation Record($input: RecordInjuryInput!) { recordInjury(input: $input) { id diagnosis } }
"""
ADD_RESTRICTION = """
mutation Restrict($input: AddRestrictionInput!) { addRestriction(input: $input) { id kind } }
"""


def _injury_input(case: Case) -> Variables:
    return {
        "playerId": case.player_id,
        "bodyPart": "WRIST",
        "diagnosis": "Distal radius contusion",
        "severity": "MILD",
        "occurredOn": (today() - timedelta(days=2)).isoformat(),
        "notes": "Slash across the glove; no fracture on palpation.",
    }


async def _fresh_injury(case: Case) -> str:
    data = await case.setup("medical", RECORD_INJURY, {"input": _injury_input(case)}, as_=Caller.MEDICAL_STAFF)
    return str(data["recordInjury"]["id"])


async def _injury(case: Case) -> Variables:
    return {"id": case.found("injury")}


async def _player(case: Case) -> Variables:
    return {"playerId": case.player_id}


async def _players(case: Case) -> Variables:
    return {"playerIds": [case.player_id]}


async def _record(case: Case) -> Variables:
    return {"input": _injury_input(case)}


async def _update(case: Case) -> Variables:
    return {"id": await _fresh_injury(case), "input": {"severity": "MODERATE", "notes": "Swelling increased."}}


async def _resolve(case: Case) -> Variables:
    return {"id": await _fresh_injury(case)}


async def _treat(case: Case) -> Variables:
    return {
        "input": {
            "injuryId": await _fresh_injury(case),
            "treatedOn": today().isoformat(),
            "kind": "CRYOTHERAPY",
            "notes": "Ice 15 minutes.",
        }
    }


def _restriction_input(case: Case) -> Variables:
    return {"playerId": case.player_id, "kind": "NO_CONTACT", "bodyPart": "WRIST", "reason": "Protect the wrist."}


async def _restrict(case: Case) -> Variables:
    return {"input": _restriction_input(case)}


async def _lift(case: Case) -> Variables:
    data = await case.setup("medical", ADD_RESTRICTION, {"input": _restriction_input(case)}, as_=Caller.MEDICAL_STAFF)
    return {"id": data["addRestriction"]["id"]}


START_RETURN_TO_PLAY = """
mutation Start($injuryId: ID!) { startReturnToPlay(injuryId: $injuryId) { id phase } }
"""


async def _team(case: Case) -> Variables:
    return {"teamId": case.team_id}


async def _check_ins(case: Case) -> Variables:
    return {"playerId": case.player_id, "from": (today() - timedelta(days=13)).isoformat(), "to": today().isoformat()}


async def _set_availability(case: Case) -> Variables:
    # a note makes every case a change, even when another case set the same status first
    return {"input": {"playerId": case.player_id, "status": "LOAD_MANAGEMENT", "note": unique("Back-to-back games")}}


async def _fresh_injury_id(case: Case) -> Variables:
    return {"injuryId": await _fresh_injury(case)}


async def _started(case: Case) -> Variables:
    data = await case.setup(
        "medical", START_RETURN_TO_PLAY, {"injuryId": await _fresh_injury(case)}, as_=Caller.MEDICAL_STAFF
    )
    return {"id": data["startReturnToPlay"]["id"], "phase": "LIGHT_ACTIVITY"}


async def _wellness(case: Case) -> Variables:
    answers = {"sleepHours": 7.5, "sleepQuality": 7, "energy": 6, "stress": 4, "soreness": 3, "mood": 7}
    return {"input": {"playerId": case.player_id, **answers, "notes": "Slept well."}}


async def _document(case: Case) -> Variables:
    return {
        "input": {
            "injuryId": await _fresh_injury(case),
            "kind": "IMAGING",
            "fileName": "x-ray-wrist.pdf",
            "contentType": "application/pdf",
            "sizeBytes": 120_000,
        }
    }


async def _report(case: Case) -> Variables:
    return {"input": {"injuryId": await _fresh_injury(case), "body": "No fracture on X-ray."}}


OPERATIONS = {
    "Query.injury": Operation("query Injury($id: ID!) { injury(id: $id) { id diagnosis notes } }", _injury),
    "Query.injuries(playerId)": Operation(
        "query Injuries($playerId: ID!) { injuries(playerId: $playerId) { id diagnosis } }", _player
    ),
    "Query.injuries": Operation("query ClubInjuries { injuries { id diagnosis } }"),
    "Query.teamAvailability": Operation(
        "query Availability($playerIds: [ID!]!) { teamAvailability(playerIds: $playerIds) "
        "{ status restrictions { kind endsOn } } }",
        _players,
    ),
    "Query.availabilityBoard": Operation(
        "query Board($teamId: ID!) { availabilityBoard(teamId: $teamId) { status restrictions { kind } } }", _team
    ),
    "Query.availabilityHistory": Operation(
        "query History($playerId: ID!) { availabilityHistory(playerId: $playerId) { status changedAt } }", _player
    ),
    "Query.wellnessCheckIns": Operation(
        "query CheckIns($playerId: ID!, $from: Date!, $to: Date!) "
        "{ wellnessCheckIns(playerId: $playerId, from: $from, to: $to) { day sleepHours notes } }",
        _check_ins,
    ),
    "Query.teamWellness": Operation(
        "query TeamWellness($teamId: ID!) { teamWellness(teamId: $teamId) { responses alerts { metric } } }", _team
    ),
    "Query.healthDataAccessLog": Operation(
        "query AccessLog { healthDataAccessLog(limit: 5) { occurredAt source action fields } }"
    ),
    "Query.playerHealthExport": Operation(
        "query Export($playerId: ID!) { playerHealthExport(playerId: $playerId) }", _player
    ),
    "Mutation.recordInjury": Operation(RECORD_INJURY, _record),
    "Mutation.updateInjury": Operation(
        "mutation Update($id: ID!, $input: UpdateInjuryInput!) { updateInjury(id: $id, input: $input) "
        "{ id severity } }",
        _update,
    ),
    "Mutation.resolveInjury": Operation(
        "mutation Resolve($id: ID!) { resolveInjury(id: $id) { id status resolvedOn } }", _resolve
    ),
    "Mutation.addTreatment": Operation(
        "mutation Treat($input: AddTreatmentInput!) { addTreatment(input: $input) { id kind } }", _treat
    ),
    "Mutation.addRestriction": Operation(ADD_RESTRICTION, _restrict),
    "Mutation.liftRestriction": Operation(
        "mutation Lift($id: ID!) { liftRestriction(id: $id) { id liftedAt } }", _lift
    ),
    "Mutation.setAvailability": Operation(
        "mutation SetAvailability($input: SetAvailabilityInput!) { setAvailability(input: $input) { status } }",
        _set_availability,
    ),
    "Mutation.startReturnToPlay": Operation(START_RETURN_TO_PLAY, _fresh_injury_id),
    "Mutation.advanceReturnToPlay": Operation(
        "mutation Advance($id: ID!, $phase: ReturnToPlayPhase!) { advanceReturnToPlay(id: $id, phase: $phase) "
        "{ id phase } }",
        _started,
    ),
    "Mutation.recordWellnessCheckIn": Operation(
        "mutation CheckIn($input: WellnessCheckInInput!) { recordWellnessCheckIn(input: $input) { id day } }",
        _wellness,
    ),
    "Mutation.addInjuryDocument": Operation(
        "mutation Doc($input: AddInjuryDocumentInput!) { addInjuryDocument(input: $input) { id fileName } }",
        _document,
    ),
    "Mutation.addInjuryReport": Operation(
        "mutation Report($input: AddInjuryReportInput!) { addInjuryReport(input: $input) { id body } }", _report
    ),
    "Player.medicalStatus": entity("Player", "medicalStatus"),
    "Player.activeRestrictions": entity("Player", "activeRestrictions { kind endsOn maxIntensityPercent }"),
    "MedicalRestriction.reason": entity("Player", "activeRestrictions { reason }"),
    "MedicalRestriction.injuryId": entity("Player", "activeRestrictions { injuryId }"),
    "Player.injuries": entity("Player", "injuries { id diagnosis notes treatments { notes } }"),
}
