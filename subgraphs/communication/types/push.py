"""GraphQL types of Web Push devices."""

from __future__ import annotations

from datetime import datetime

import strawberry

from shared.graphql import to_id
from subgraphs.communication import models


@strawberry.type(description="A browser or phone of the caller that receives their notifications as pushes.")
class PushDevice:
    id: strawberry.ID = strawberry.field(description="The device's id, to remove it.")
    label: str | None = strawberry.field(description="The caller's name for it, such as 'Work laptop'.")
    endpoint: str = strawberry.field(description="Its push service's address for this subscription.")
    created_at: datetime = strawberry.field(description="When it was registered (or last renewed).")
    last_pushed_at: datetime | None = strawberry.field(description="When a push last reached its push service.")

    @classmethod
    def from_row(cls, row: models.PushSubscription) -> PushDevice:
        return cls(
            id=to_id(row.id),
            label=row.label,
            endpoint=row.endpoint,
            created_at=row.created_at,
            last_pushed_at=row.last_pushed_at,
        )
