"""The suite runs against the real PostgreSQL, RabbitMQ and Redis (`HOCKEY_HUB_TEST_BACKEND=servers`,
the default) or the embedded mode (`embedded`); the README's test command runs both."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from redis.asyncio import Redis

from hockey_hub.database import migrate_service
from hockey_hub.services import SERVICES
from shared.database import database_url
from shared.database.engine import drop_database
from shared.log import configure_logging
from tests.support.backend import Backend, SuiteEnvironment, make_environment, selected_backend
from tests.support.services import RunningService, ServicePool


@pytest.fixture(scope="session")
def environment(tmp_path_factory: pytest.TempPathFactory) -> SuiteEnvironment:
    backend = selected_backend()
    configure_logging(level="WARNING")
    return make_environment(backend, Path(tmp_path_factory.mktemp("hockey-hub")))


@pytest.fixture(scope="session")
async def migrated(environment: SuiteEnvironment) -> AsyncIterator[SuiteEnvironment]:
    """Every service database of this run, built by its migrations, dropped at the end."""
    settings = environment.settings
    for service in SERVICES:
        await migrate_service(settings, service)
    yield environment
    if environment.backend is Backend.SERVERS:
        for service in SERVICES:
            await drop_database(await database_url(settings, service))
        await _clean_broker_and_redis(environment)


async def _clean_broker_and_redis(environment: SuiteEnvironment) -> None:
    import aio_pika

    settings = environment.settings
    assert settings.amqp_url
    assert settings.redis_url
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        for service in SERVICES:
            for suffix in ("", ".dead-letter"):
                await channel.queue_delete(f"{settings.amqp_queue_prefix}.{service}{suffix}")
        await channel.exchange_delete(settings.amqp_exchange)
    redis = Redis.from_url(settings.redis_url)
    async for key in redis.scan_iter(match=f"{settings.redis_key_prefix}*"):
        await redis.delete(key)
    await redis.aclose()


@pytest.fixture(scope="session")
async def services(migrated: SuiteEnvironment) -> AsyncIterator[ServicePool]:
    pool = ServicePool(migrated)
    yield pool
    await pool.close()


ServiceFactory = Callable[[str], Awaitable[RunningService]]


@pytest.fixture
async def service(services: ServicePool) -> AsyncIterator[ServiceFactory]:
    """`await service("user")`: the running service; its tables are emptied after the test."""
    used: list[RunningService] = []

    async def get(name: str) -> RunningService:
        running = await services.get(name)
        used.append(running)
        return running

    yield get
    for running in used:
        await running.truncate()
