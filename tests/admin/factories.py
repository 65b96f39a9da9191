"""Records for admin tests, written through the service layer."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from shared.database.kernel import outbox_events
from subgraphs.admin import service as admin_service
from tests.support.principals import platform_admin
from tests.support.services import RunningService


async def define_flag(
    admin: RunningService, *, key: str, default_enabled: bool = False, description: str = "A feature"
) -> None:
    async with admin.runtime.sessions() as session, session.begin():
        await admin_service.define_feature_flag(
            session, platform_admin(), key=key, description=description, default_enabled=default_enabled
        )


async def outbox(admin: RunningService, event_type: str) -> list[dict[str, Any]]:
    """The `data` of every event of this type the service wrote, oldest first."""
    async with admin.runtime.sessions() as session:
        rows = await session.execute(
            select(outbox_events.c.data).where(outbox_events.c.type == event_type).order_by(outbox_events.c.seq)
        )
        return [dict(row) for row in rows.scalars()]
