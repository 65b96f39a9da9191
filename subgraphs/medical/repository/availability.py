"""SQL of availability statuses and their history."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import String, func, literal, select, union_all
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.medical.models import AvailabilityChange, Injury, Restriction
from subgraphs.medical.repository.injuries import Scope


async def lock_player(session: AsyncSession, player_id: uuid.UUID) -> None:
    """Serialize changes of one player's availability until the transaction ends, so that each change's
    `previous_status` is the status it really replaced."""
    key = func.hashtextextended(literal(f"availability:{player_id}", String), 0)
    await session.execute(select(func.pg_advisory_xact_lock(key)))


async def current_changes(
    session: AsyncSession, player_ids: Sequence[uuid.UUID], *, scope: Scope
) -> list[AvailabilityChange]:
    """The newest change of each player that has one."""
    if not player_ids:
        return []
    return list(
        await session.scalars(
            select(AvailabilityChange)
            .where(AvailabilityChange.player_id.in_(player_ids), scope.of(AvailabilityChange.organization_id))
            .ext(distinct_on(AvailabilityChange.player_id))
            .order_by(AvailabilityChange.player_id, AvailabilityChange.changed_at.desc(), AvailabilityChange.id)
        )
    )


async def history(session: AsyncSession, player_id: uuid.UUID, *, scope: Scope, limit: int) -> list[AvailabilityChange]:
    """Newest first."""
    return list(
        await session.scalars(
            select(AvailabilityChange)
            .where(AvailabilityChange.player_id == player_id, scope.of(AvailabilityChange.organization_id))
            .order_by(AvailabilityChange.changed_at.desc(), AvailabilityChange.id)
            .limit(limit)
        )
    )


async def records_changed_at(
    session: AsyncSession, player_ids: Sequence[uuid.UUID], *, scope: Scope
) -> dict[uuid.UUID, datetime]:
    """When each player's injuries or restrictions last changed: a status set before that is stale."""
    if not player_ids:
        return {}
    changes = union_all(
        select(Injury.player_id, Injury.updated_at.label("at")).where(
            Injury.player_id.in_(player_ids), scope.of(Injury.organization_id)
        ),
        select(Restriction.player_id, Restriction.updated_at.label("at")).where(
            Restriction.player_id.in_(player_ids), scope.of(Restriction.organization_id)
        ),
    ).subquery("changes")
    rows = await session.execute(
        select(changes.c.player_id, func.max(changes.c.at).label("at")).group_by(changes.c.player_id)
    )
    return {row.player_id: row.at for row in rows}
