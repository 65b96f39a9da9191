"""The health-data access log: read-only, for the club's medical staff and administrators."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from shared.graphql import Ctx, actor, parse_id, requires_sign_in
from subgraphs.medical import access_log
from subgraphs.medical.models import AccessAction
from subgraphs.medical.types import HealthDataAccessEntry


@strawberry.type
class AccessLogQuery:
    @strawberry.field(
        description="Who read, wrote or exported health data, newest first: the club's medical staff and "
        "administrators (their club's), the platform administrator (every club's). Append-only: no "
        "operation changes it.",
        extensions=[requires_sign_in()],
    )
    async def health_data_access_log(
        self,
        info: Ctx,
        player_id: Annotated[strawberry.ID | None, strawberry.argument(description="Whose records.")] = None,
        actor_user_id: Annotated[strawberry.ID | None, strawberry.argument(description="Who.")] = None,
        action: Annotated[AccessAction | None, strawberry.argument(description="Only this action.")] = None,
        since: Annotated[datetime | None, strawberry.argument(description="From this instant.")] = None,
        until: Annotated[datetime | None, strawberry.argument(description="Before this instant.")] = None,
        limit: Annotated[int, strawberry.argument(description="At most this many, 1-1000.")] = 100,
    ) -> list[HealthDataAccessEntry]:
        rows = await access_log.entries(
            info.context.session,
            actor(info),
            player_id=parse_id(player_id, field="playerId") if player_id is not None else None,
            actor_user_id=parse_id(actor_user_id, field="actorUserId") if actor_user_id is not None else None,
            action=action,
            since=since,
            until=until,
            limit=limit,
        )
        return [HealthDataAccessEntry.from_row(row) for row in rows]
