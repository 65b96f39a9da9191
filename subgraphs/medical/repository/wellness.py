"""SQL of wellness check-ins."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.database import utcnow
from subgraphs.medical.models import WellnessCheckIn
from subgraphs.medical.repository.injuries import Scope


async def upsert(session: AsyncSession, values: Mapping[str, Any]) -> WellnessCheckIn:
    """The player's check-in of the day, replacing an earlier one of the same day (atomically)."""
    row = {"id": uuid.uuid4(), **values}
    changed = {key: value for key, value in values.items() if key not in {"player_id", "day", "organization_id"}}
    statement = (
        insert(WellnessCheckIn)
        .values(row)
        .on_conflict_do_update(
            index_elements=[WellnessCheckIn.player_id, WellnessCheckIn.day],
            set_={**changed, "updated_at": utcnow()},
        )
        .returning(WellnessCheckIn)
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(statement)).one()


async def of_players(
    session: AsyncSession, player_ids: Sequence[uuid.UUID], *, scope: Scope, first: date, last: date
) -> list[WellnessCheckIn]:
    """Check-ins from `first` through `last`, oldest first."""
    if not player_ids:
        return []
    return list(
        await session.scalars(
            select(WellnessCheckIn)
            .where(
                WellnessCheckIn.player_id.in_(player_ids),
                WellnessCheckIn.day.between(first, last),
                scope.of(WellnessCheckIn.organization_id),
            )
            .order_by(WellnessCheckIn.player_id, WellnessCheckIn.day)
        )
    )
