"""SQL of a player's complete health record, for an export."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.medical.models import (
    AvailabilityChange,
    Injury,
    InjuryDocument,
    InjuryReport,
    Restriction,
    ReturnToPlayProtocol,
    ReturnToPlayStep,
    Treatment,
    WellnessCheckIn,
)


@dataclass(frozen=True, slots=True)
class PlayerRecords:
    injuries: list[Injury]
    treatments: list[Treatment]
    documents: list[InjuryDocument]
    reports: list[InjuryReport]
    protocols: list[ReturnToPlayProtocol]
    steps: list[ReturnToPlayStep]
    restrictions: list[Restriction]
    availability: list[AvailabilityChange]
    wellness: list[WellnessCheckIn]


async def player_records(session: AsyncSession, player_id: uuid.UUID, organization_id: uuid.UUID) -> PlayerRecords:
    injuries = list(
        await session.scalars(
            select(Injury)
            .where(Injury.player_id == player_id, Injury.organization_id == organization_id)
            .order_by(Injury.occurred_on, Injury.created_at)
        )
    )
    injury_ids = [injury.id for injury in injuries]
    protocols = list(
        await session.scalars(
            select(ReturnToPlayProtocol)
            .where(ReturnToPlayProtocol.injury_id.in_(injury_ids))
            .order_by(ReturnToPlayProtocol.created_at)
        )
    )
    return PlayerRecords(
        injuries=injuries,
        treatments=list(
            await session.scalars(
                select(Treatment).where(Treatment.injury_id.in_(injury_ids)).order_by(Treatment.treated_on)
            )
        ),
        documents=list(
            await session.scalars(
                select(InjuryDocument)
                .where(InjuryDocument.injury_id.in_(injury_ids))
                .order_by(InjuryDocument.uploaded_at)
            )
        ),
        reports=list(
            await session.scalars(
                select(InjuryReport).where(InjuryReport.injury_id.in_(injury_ids)).order_by(InjuryReport.written_on)
            )
        ),
        protocols=protocols,
        steps=list(
            await session.scalars(
                select(ReturnToPlayStep)
                .where(ReturnToPlayStep.protocol_id.in_([protocol.id for protocol in protocols]))
                .order_by(ReturnToPlayStep.cleared_at)
            )
        ),
        restrictions=list(
            await session.scalars(
                select(Restriction)
                .where(Restriction.player_id == player_id, Restriction.organization_id == organization_id)
                .order_by(Restriction.starts_on, Restriction.created_at)
            )
        ),
        availability=list(
            await session.scalars(
                select(AvailabilityChange)
                .where(
                    AvailabilityChange.player_id == player_id,
                    AvailabilityChange.organization_id == organization_id,
                )
                .order_by(AvailabilityChange.changed_at)
            )
        ),
        wellness=list(
            await session.scalars(
                select(WellnessCheckIn)
                .where(WellnessCheckIn.player_id == player_id, WellnessCheckIn.organization_id == organization_id)
                .order_by(WellnessCheckIn.day)
            )
        ),
    )
