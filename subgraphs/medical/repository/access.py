"""SQL of the health-data access log's reads (its rows are written beside the reads and writes they
record, see `injuries.log_access`). Nothing here updates or deletes a row: the log is append-only."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.medical.models import AccessAction, HealthDataAccess
from subgraphs.medical.repository.injuries import Scope


async def access_entries(
    session: AsyncSession,
    *,
    scope: Scope,
    player_id: uuid.UUID | None,
    actor_user_id: uuid.UUID | None,
    action: AccessAction | None,
    since: datetime | None,
    until: datetime | None,
    limit: int,
) -> list[HealthDataAccess]:
    """Newest first."""
    statement = select(HealthDataAccess).where(scope.of(HealthDataAccess.organization_id))
    if player_id is not None:
        statement = statement.where(HealthDataAccess.player_id == player_id)
    if actor_user_id is not None:
        statement = statement.where(HealthDataAccess.actor_user_id == actor_user_id)
    if action is not None:
        statement = statement.where(HealthDataAccess.action == action)
    if since is not None:
        statement = statement.where(HealthDataAccess.occurred_at >= since)
    if until is not None:
        statement = statement.where(HealthDataAccess.occurred_at < until)
    statement = statement.order_by(HealthDataAccess.occurred_at.desc(), HealthDataAccess.id).limit(limit)
    return list(await session.scalars(statement))
