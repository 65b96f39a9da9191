"""A player's complete health record as one JSON document, on the player's (or a minor's parent's)
request or for medical staff handing it on: everything this service holds about the player, decrypted,
and the export itself in the access log."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import Principal
from shared.database import utcnow
from shared.errors import Forbidden, NotFound
from shared.roster import roster_entries
from subgraphs.medical import repository, service
from subgraphs.medical.models import AccessAction
from subgraphs.medical.permissions import can_view_health_records, subject_organization
from subgraphs.medical.repository.export import player_records

FORMAT = "hockey-hub.medical.player-export/1"
SECTIONS = ("injuries", "restrictions", "availability", "wellnessCheckIns")


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _row(record: object, names: Iterable[str]) -> dict[str, Any]:
    return {name: _plain(getattr(record, name)) for name in names}


async def export_player(session: AsyncSession, actor: Principal, player_id: uuid.UUID) -> dict[str, Any]:
    entries = await roster_entries(session, [player_id])
    roster = entries[0].organization_id if entries else None
    if roster is not None and not actor.in_organization(roster):
        raise NotFound(f"Player {player_id} does not exist", field="playerId", details={"entity": "Player"})
    organization = subject_organization(actor, roster)
    if organization is None or not can_view_health_records(actor, player_id=player_id, organization_id=organization):
        raise Forbidden("a player's health record is exported for the player, a minor's parents or medical staff")
    records = await player_records(session, player_id, organization)
    by_injury: dict[uuid.UUID, dict[str, list[dict[str, Any]]]] = {
        injury.id: {"treatments": [], "documents": [], "reports": [], "returnToPlay": []} for injury in records.injuries
    }
    for treatment in records.treatments:
        by_injury[treatment.injury_id]["treatments"].append(
            _row(treatment, ("id", "treated_on", "kind", "provider", "notes", "recorded_by"))
        )
    for document in records.documents:
        by_injury[document.injury_id]["documents"].append(
            _row(document, ("id", "kind", "file_name", "content_type", "size_bytes", "uploaded_at", "uploaded_by"))
        )
    for report in records.reports:
        by_injury[report.injury_id]["reports"].append(
            _row(report, ("id", "written_on", "body", "written_at", "written_by"))
        )
    steps: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for step in records.steps:
        steps.setdefault(step.protocol_id, []).append(_row(step, ("phase", "cleared_at", "cleared_by", "notes")))
    for protocol in records.protocols:
        by_injury[protocol.injury_id]["returnToPlay"].append(
            {**_row(protocol, ("id", "phase", "created_at", "completed_at")), "steps": steps.get(protocol.id, [])}
        )
    export: dict[str, Any] = {
        "format": FORMAT,
        "playerId": str(player_id),
        "organizationId": str(organization),
        "exportedAt": utcnow().isoformat(),
        "exportedBy": str(actor.user_id) if actor.user_id else None,
        "injuries": [
            {
                **_row(
                    injury,
                    (
                        "id",
                        "body_part",
                        "diagnosis",
                        "severity",
                        "status",
                        "occurred_on",
                        "expected_return_on",
                        "resolved_on",
                        "notes",
                        "created_at",
                        "recorded_by",
                    ),
                ),
                **by_injury[injury.id],
            }
            for injury in records.injuries
        ],
        "restrictions": [
            _row(
                restriction,
                (
                    "id",
                    "kind",
                    "severity",
                    "body_part",
                    "max_intensity_percent",
                    "starts_on",
                    "ends_on",
                    "injury_id",
                    "reason",
                    "lifted_at",
                    "recorded_by",
                ),
            )
            for restriction in records.restrictions
        ],
        "availability": [
            _row(change, ("status", "previous_status", "changed_at", "changed_by", "note"))
            for change in records.availability
        ],
        "wellnessCheckIns": [
            _row(
                check_in,
                (
                    "day",
                    "sleep_hours",
                    "sleep_quality",
                    "energy",
                    "stress",
                    "soreness",
                    "mood",
                    "resting_heart_rate",
                    "hrv_ms",
                    "pain_areas",
                    "notes",
                ),
            )
            for check_in in records.wellness
        ],
    }
    await repository.log_access(
        session,
        service.access_log(actor, "playerHealthExport", SECTIONS, action=AccessAction.EXPORT),
        player_id=player_id,
        organization_id=organization,
    )
    return export
