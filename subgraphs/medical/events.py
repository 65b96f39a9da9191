"""Events the medical service publishes and consumes.

Published payloads carry ids, dates, statuses and restriction kinds, never a diagnosis, note, treatment
or reason: other services (training, communication, statistics) only need to know whether and how a
player is held back, which is what coaches may see too.

Consumed: the user service's player events, which keep the roster copy (`shared.roster`).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from shared.events import record_event
from subgraphs.medical.models import AvailabilityChange, Injury, MedicalStatus, Restriction

PRODUCER = "medical"

INJURY_CREATED = "injury.created"
INJURY_UPDATED = "injury.updated"
INJURY_RESOLVED = "injury.resolved"
RESTRICTION_CHANGED = "restriction.changed"
AVAILABILITY_CHANGED = "availability.changed"


async def injury_changed(session: AsyncSession, type: str, injury: Injury, *, medical_status: MedicalStatus) -> None:
    await record_event(
        session,
        producer=PRODUCER,
        type=type,
        data={
            "injury_id": injury.id,
            "player_id": injury.player_id,
            "status": injury.status.value,
            "occurred_on": injury.occurred_on,
            "expected_return_on": injury.expected_return_on,
            "resolved_on": injury.resolved_on,
            "medical_status": medical_status.value,
        },
        organization_id=injury.organization_id,
    )


async def restriction_changed(
    session: AsyncSession, restriction: Restriction, *, change: str, medical_status: MedicalStatus
) -> None:
    """`change` is `added` or `lifted`."""
    await record_event(
        session,
        producer=PRODUCER,
        type=RESTRICTION_CHANGED,
        data={
            "restriction_id": restriction.id,
            "player_id": restriction.player_id,
            "injury_id": restriction.injury_id,
            "change": change,
            "kind": restriction.kind.value,
            "severity": restriction.severity.value,
            "body_part": restriction.body_part.value if restriction.body_part else None,
            "max_intensity_percent": restriction.max_intensity_percent,
            "starts_on": restriction.starts_on,
            "ends_on": restriction.ends_on,
            "lifted": restriction.lifted_at is not None,
            "medical_status": medical_status.value,
        },
        organization_id=restriction.organization_id,
    )


async def availability_changed(session: AsyncSession, change: AvailabilityChange) -> None:
    """The status only: the note behind it is health data."""
    await record_event(
        session,
        producer=PRODUCER,
        type=AVAILABILITY_CHANGED,
        data={
            "player_id": change.player_id,
            "status": change.status.value,
            "previous_status": change.previous_status.value if change.previous_status else None,
            "changed_at": change.changed_at,
        },
        organization_id=change.organization_id,
    )
