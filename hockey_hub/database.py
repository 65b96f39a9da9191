"""Databases of the services as the command line manages them: create, migrate, connect."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncEngine

from shared.database import create_engine, database_url, ensure_database
from shared.database.migrations import migrate
from shared.settings import Settings


@contextlib.asynccontextmanager
async def service_engine(settings: Settings, service: str) -> AsyncIterator[AsyncEngine]:
    """An engine on the service's database, which is created first if it does not exist."""
    url = await database_url(settings, service)
    await ensure_database(url)
    engine = create_engine(url, pool_size=2)
    try:
        yield engine
    finally:
        await engine.dispose()


async def migrate_service(settings: Settings, service: str, revision: str = "head") -> str:
    async with service_engine(settings, service) as engine:
        return await migrate(engine, service, revision)
