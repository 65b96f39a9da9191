"""SQL of return-to-play protocols, their steps and the restrictions their phases imply."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.medical.models import (
    Injury,
    InjuryStatus,
    Restriction,
    ReturnToPlayPhase,
    ReturnToPlayProtocol,
    ReturnToPlayStep,
)
from subgraphs.medical.repository.injuries import Scope


@dataclass(frozen=True, slots=True)
class Outlook:
    """When a player with open injuries should be back, and the return-to-play phase they are in."""

    player_id: uuid.UUID
    expected_return_on: date | None
    phase: ReturnToPlayPhase | None


async def protocol(
    session: AsyncSession, protocol_id: uuid.UUID, *, for_update: bool = False
) -> ReturnToPlayProtocol | None:
    statement = select(ReturnToPlayProtocol).where(ReturnToPlayProtocol.id == protocol_id)
    if for_update:
        statement = statement.with_for_update()
    return (await session.scalars(statement)).first()


async def protocols_of_injuries(session: AsyncSession, injury_ids: Sequence[uuid.UUID]) -> list[ReturnToPlayProtocol]:
    """Newest first."""
    return list(
        await session.scalars(
            select(ReturnToPlayProtocol)
            .where(ReturnToPlayProtocol.injury_id.in_(injury_ids))
            .order_by(ReturnToPlayProtocol.created_at.desc(), ReturnToPlayProtocol.id)
        )
    )


async def steps_of_protocols(session: AsyncSession, protocol_ids: Sequence[uuid.UUID]) -> list[ReturnToPlayStep]:
    return list(
        await session.scalars(
            select(ReturnToPlayStep)
            .where(ReturnToPlayStep.protocol_id.in_(protocol_ids))
            .order_by(ReturnToPlayStep.cleared_at, ReturnToPlayStep.id)
        )
    )


async def lift_phase_restrictions(
    session: AsyncSession, protocol_id: uuid.UUID, *, lifted_at: datetime, lifted_by: uuid.UUID | None
) -> list[Restriction]:
    lifted = await session.scalars(
        update(Restriction)
        .where(Restriction.return_to_play_id == protocol_id, Restriction.lifted_at.is_(None))
        .values(lifted_at=lifted_at, lifted_by=lifted_by, updated_at=lifted_at)
        .returning(Restriction)
        .execution_options(synchronize_session="fetch")
    )
    return list(lifted)


async def close_open_protocol(
    session: AsyncSession, injury_id: uuid.UUID, *, completed_at: datetime
) -> ReturnToPlayProtocol | None:
    """End the injury's protocol in progress, if any, where it stands."""
    closed = await session.scalars(
        update(ReturnToPlayProtocol)
        .where(ReturnToPlayProtocol.injury_id == injury_id, ReturnToPlayProtocol.completed_at.is_(None))
        .values(completed_at=completed_at, updated_at=completed_at)
        .returning(ReturnToPlayProtocol)
        .execution_options(synchronize_session="fetch")
    )
    return closed.first()


async def outlook(session: AsyncSession, player_ids: Sequence[uuid.UUID], *, scope: Scope) -> list[Outlook]:
    """One row per player with an open injury."""
    if not player_ids:
        return []
    phase = (
        select(ReturnToPlayProtocol.phase)
        .where(ReturnToPlayProtocol.player_id == Injury.player_id, ReturnToPlayProtocol.completed_at.is_(None))
        .order_by(ReturnToPlayProtocol.created_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(Injury.player_id, func.max(Injury.expected_return_on).label("expected_return_on"), phase.label("phase"))
        .where(
            Injury.player_id.in_(player_ids),
            Injury.status != InjuryStatus.RESOLVED,
            scope.of(Injury.organization_id),
        )
        .group_by(Injury.player_id)
    )
    return [Outlook(row.player_id, row.expected_return_on, row.phase) for row in rows]
