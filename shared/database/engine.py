"""Engines and sessions: one engine per service, one session per request."""

from __future__ import annotations

from typing import Any

import asyncpg
import orjson
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from shared.database.embedded import embedded_server
from shared.database.session import RequestSession
from shared.settings import Settings


def database_name(service: str) -> str:
    return f"hockey_hub_{service}"


async def database_url(settings: Settings, service: str) -> str:
    """The service's database URL; starts the embedded server when no server is configured."""
    if url := settings.database_url_for(service):
        return url
    server = await embedded_server(settings.data_dir)
    return server.url(database_name(service))


def create_engine(url: str, *, pool_size: int = 5) -> AsyncEngine:
    # pre-ping: a restarted database costs one failed checkout, not a failed request.
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        # orjson writes UUIDs, dates and datetimes in JSONB columns without per-call conversion.
        json_serializer=lambda value: orjson.dumps(value, default=str).decode(),
        json_deserializer=orjson.loads,
    )


def create_sessionmaker(engine: AsyncEngine, *, info: dict[str, Any] | None = None) -> async_sessionmaker[AsyncSession]:
    """`info` starts every session's `Session.info` (a copy each): what domain code reaches through its
    session, such as the service's pub/sub for live announcements."""
    return async_sessionmaker(engine, class_=RequestSession, expire_on_commit=False, autoflush=False, info=info)


async def ensure_database(url: str) -> bool:
    """Create the URL's database when it does not exist yet; True when it was created."""
    target = make_url(url)
    name = target.database
    if not name:
        raise ValueError(f"database URL names no database: {target.render_as_string(hide_password=True)}")
    connection = await asyncpg.connect(**_connect_args(target.set(database="postgres")))
    try:
        if await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            return False
        await connection.execute(f'CREATE DATABASE "{name}"')
        return True
    except asyncpg.DuplicateDatabaseError:  # created concurrently by another process
        return False
    finally:
        await connection.close()


async def drop_database(url: str) -> None:
    target = make_url(url)
    connection = await asyncpg.connect(**_connect_args(target.set(database="postgres")))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
    finally:
        await connection.close()


def _connect_args(url: URL) -> dict[str, Any]:
    """asyncpg's keyword arguments for a SQLAlchemy URL, socket `host` and `port` query included."""
    args: dict[str, Any] = url.translate_connect_args(username="user")
    for key, value in url.query.items():
        args[key] = int(str(value)) if key == "port" else value
    return args
