"""The audit trail of health-data mutations names the fields given and copies none of their values."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from shared.database.kernel import audit_entries
from shared.graphql.transactions import MutationTransaction
from subgraphs.medical.resolvers import Mutation
from tests.medical.factories import TODAY, Club
from tests.support.services import RunningService

RECORD = """
mutation Record($input: RecordInjuryInput!) { recordInjury(input: $input) { id } }
"""

UPDATE = """
mutation Update($id: ID!, $input: UpdateInjuryInput!) { updateInjury(id: $id, input: $input) { id } }
"""

TREAT = """
mutation Treat($input: AddTreatmentInput!) { addTreatment(input: $input) { id } }
"""

RESTRICT = """
mutation Restrict($input: AddRestrictionInput!) { addRestriction(input: $input) { id } }
"""

DIAGNOSIS = "Anterior cruciate ligament rupture, right knee"
CORRECTED = "Partial ACL tear, right knee"
NOTES = "Pivot shift test positive; MRI booked."
PROVIDER = "Dr. Sofia Berg, Lakeside Sports Clinic"
REASON = "Protect the reconstructed ligament"


async def _audit(medical: RunningService) -> list[Any]:
    async with medical.runtime.sessions() as session:
        return list(await session.execute(select(audit_entries).order_by(audit_entries.c.occurred_at)))


async def test_medical_mutations_audit_field_names_not_health_data(medical: RunningService, club: Club) -> None:
    # given medical staff recording, correcting and treating an injury, and restricting the player
    medic = club.medic
    recorded = (
        await medical.graphql.execute(
            RECORD,
            {
                "input": {
                    "playerId": str(club.adult_player_id),
                    "bodyPart": "KNEE",
                    "diagnosis": DIAGNOSIS,
                    "severity": "SEVERE",
                    "occurredOn": str(TODAY - timedelta(days=2)),
                    "notes": NOTES,
                }
            },
            as_=medic,
        )
    ).ok()
    injury_id = recorded["recordInjury"]["id"]
    (
        await medical.graphql.execute(
            UPDATE, {"id": injury_id, "input": {"diagnosis": CORRECTED, "notes": None}}, as_=medic
        )
    ).ok()
    (
        await medical.graphql.execute(
            TREAT,
            {"input": {"injuryId": injury_id, "treatedOn": str(TODAY), "kind": "IMAGING", "provider": PROVIDER}},
            as_=medic,
        )
    ).ok()
    (
        await medical.graphql.execute(
            RESTRICT,
            {
                "input": {
                    "playerId": str(club.adult_player_id),
                    "kind": "NO_CONTACT",
                    "injuryId": injury_id,
                    "reason": REASON,
                }
            },
            as_=medic,
        )
    ).ok()

    # then each mutation has its audit entry, naming the fields it was given
    entries = await _audit(medical)
    assert [(entry.action, entry.actor_user_id) for entry in entries] == [
        ("recordInjury", medic.user_id),
        ("updateInjury", medic.user_id),
        ("addTreatment", medic.user_id),
        ("addRestriction", medic.user_id),
    ]
    assert entries[0].entity_type == "Injury"
    assert entries[0].entity_id == injury_id
    assert [entry.details["input_fields"] for entry in entries] == [
        [
            "input.player_id",
            "input.body_part",
            "input.diagnosis",
            "input.severity",
            "input.occurred_on",
            "input.status",
            "input.expected_return_on",
            "input.notes",
        ],
        ["id", "input.diagnosis", "input.notes"],  # only what the correction set (an explicit null included)
        ["input.injury_id", "input.treated_on", "input.kind", "input.provider", "input.notes"],
        [
            "input.player_id",
            "input.kind",
            "input.severity",
            "input.body_part",
            "input.max_intensity_percent",
            "input.starts_on",
            "input.ends_on",
            "input.injury_id",
            "input.reason",
        ],
    ]
    assert [entry.details["operation"] for entry in entries] == ["Record", "Update", "Treat", "Restrict"]
    # and none of their values: no diagnosis, note, provider or reason, not even the input itself
    trail = json.dumps([entry.details for entry in entries])
    for health_data in (DIAGNOSIS, CORRECTED, NOTES, PROVIDER, REASON, "KNEE", "knee", "SEVERE", "severe"):
        assert health_data not in trail
    assert all("input" not in entry.details for entry in entries)


def test_every_medical_mutation_keeps_its_input_values_out_of_the_trail() -> None:
    fields = Mutation.__strawberry_definition__.fields  # type: ignore[attr-defined]
    assert fields, "the medical schema has mutations"
    for field in fields:
        audits = [extension for extension in field.extensions if isinstance(extension, MutationTransaction)]
        assert [extension.audit_input for extension in audits] == [False], field.name
