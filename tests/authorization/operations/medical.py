"""The medical service's operations: health records, availability and restrictions."""

from __future__ import annotations

from datetime import timedelta

from tests.authorization.cases import Case, Operation, Variables, today
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
    "Player.medicalStatus": entity("Player", "medicalStatus"),
    "Player.activeRestrictions": entity("Player", "activeRestrictions { kind endsOn maxIntensityPercent }"),
    "MedicalRestriction.reason": entity("Player", "activeRestrictions { reason }"),
    "MedicalRestriction.injuryId": entity("Player", "activeRestrictions { injuryId }"),
    "Player.injuries": entity("Player", "injuries { id diagnosis notes treatments { notes } }"),
}
