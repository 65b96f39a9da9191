"""GraphQL type of the health-data access log's entries: who, whose, which fields, never the data."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry
from strawberry import Private

from shared.graphql import to_id
from subgraphs.medical import models
from subgraphs.medical.types.records import Player

strawberry.enum(models.AccessAction, name="HealthDataAction", description="What an access-log entry records.")


@strawberry.type(description="One read or write of health data: who, whose, which fields, when, which request.")
class HealthDataAccessEntry:
    id: strawberry.ID = strawberry.field(description="The entry's id.")
    occurred_at: datetime = strawberry.field(description="When.")
    actor_user_id: strawberry.ID | None = strawberry.field(description="Who (the user).")
    actor_roles: list[str] = strawberry.field(description="Their roles at the time.")
    injury_id: strawberry.ID | None = strawberry.field(description="The injury concerned, when one.")
    source: str = strawberry.field(description="The field or mutation that read or wrote the data.")
    action: models.AccessAction = strawberry.field(description="Read, write or export.")
    fields: list[str] = strawberry.field(description="The health-data fields read or written.")
    request_id: str | None = strawberry.field(description="The request, to match with the service's logs.")
    player_id: Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: models.HealthDataAccess) -> HealthDataAccessEntry:
        return cls(
            id=to_id(row.id),
            occurred_at=row.occurred_at,
            actor_user_id=to_id(row.actor_user_id) if row.actor_user_id else None,
            actor_roles=list(row.actor_roles),
            injury_id=to_id(row.injury_id) if row.injury_id else None,
            source=row.source,
            action=row.action,
            fields=list(row.fields),
            request_id=row.request_id,
            player_id=row.player_id,
        )

    @strawberry.field(description="Whose records.")
    def player(self) -> Player:
        return Player(id=to_id(self.player_id))
