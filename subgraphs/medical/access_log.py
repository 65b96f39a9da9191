"""Reading the health-data access log: who saw or changed whose health records, which fields, when and
from which request. The club's medical staff and administrators read their club's; the platform
administrator every club's. The log holds no health data itself, so reading it is not logged."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.errors import Forbidden, InvalidInput
from subgraphs.medical import repository
from subgraphs.medical.models import AccessAction, HealthDataAccess
from subgraphs.medical.permissions import can_read_access_log
from subgraphs.medical.repository.access import access_entries
from subgraphs.medical.service import scope_of

MAX_ENTRIES = 1000


async def entries(
    session: AsyncSession,
    actor: Principal,
    *,
    player_id: uuid.UUID | None = None,
    actor_user_id: uuid.UUID | None = None,
    action: AccessAction | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
) -> list[HealthDataAccess]:
    if not can_read_access_log(actor):
        raise Forbidden("the access log is for medical staff and administrators")
    limit = validation.integer(limit, field="limit", minimum=1, maximum=MAX_ENTRIES)
    if since is not None and until is not None and until <= since:
        raise InvalidInput("until must be after since", field="until")
    scope: repository.Scope = scope_of(actor)
    return await access_entries(
        session,
        scope=scope,
        player_id=player_id,
        actor_user_id=actor_user_id,
        action=action,
        since=since,
        until=until,
        limit=limit,
    )
