"""Writing a service's local copy of another service's records, from that service's events.

Events arrive late, twice or out of order, so every copied row carries the time of the event that last
wrote it (`source_occurred_at`), and an event older than that changes nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession


async def upsert_newer(session: AsyncSession, model: Any, keys: Collection[str], values: Mapping[str, Any]) -> bool:
    """Insert or update the row of `model` with these `values` (its primary key: `keys`) unless an event
    newer than this one wrote it; one atomic statement, so two deliveries racing each other still leave
    the newer state. True when this event's values are now the row's. `values` holds
    `source_occurred_at`; the row's other columns, not in `values`, are kept as they are."""
    statement = insert(model).values(**values)
    written = await session.execute(
        statement.on_conflict_do_update(
            index_elements=[getattr(model, key) for key in keys],
            set_={name: statement.excluded[name] for name in values if name not in keys},
            where=model.source_occurred_at <= statement.excluded.source_occurred_at,
        ).returning(model.source_occurred_at)
    )
    return written.first() is not None
