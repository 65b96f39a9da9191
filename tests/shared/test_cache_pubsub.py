"""Cache and pub/sub: the in-memory implementations (embedded mode) and Redis behave alike."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from shared.cache import Cache, MemoryCache, RedisCache
from shared.pubsub import MemoryPubSub, PubSub, RedisPubSub
from tests.support.backend import SuiteEnvironment


@pytest.fixture(params=["memory", "redis"])
async def cache(request: pytest.FixtureRequest, environment: SuiteEnvironment) -> AsyncIterator[Cache]:
    if request.param == "memory":
        yield MemoryCache()
        return
    if not environment.uses_servers:
        pytest.skip("Redis is tested with the servers backend")
    assert environment.settings.redis_url
    implementation = RedisCache(
        Redis.from_url(environment.settings.redis_url),
        prefix=f"{environment.settings.redis_key_prefix}{uuid.uuid4().hex}:",
    )
    yield implementation
    await implementation.close()


@pytest.fixture(params=["memory", "redis"])
async def pubsub(request: pytest.FixtureRequest, environment: SuiteEnvironment) -> AsyncIterator[PubSub]:
    if request.param == "memory":
        yield MemoryPubSub()
        return
    if not environment.uses_servers:
        pytest.skip("Redis is tested with the servers backend")
    assert environment.settings.redis_url
    implementation = RedisPubSub(
        Redis.from_url(environment.settings.redis_url), prefix=environment.settings.redis_key_prefix
    )
    yield implementation
    await implementation.close()


async def test_values_are_stored_replaced_and_deleted(cache: Cache) -> None:
    assert await cache.get("flag") is None
    await cache.set("flag", b"on")
    await cache.set("flag", b"off")
    assert await cache.get("flag") == b"off"
    await cache.delete("flag")
    assert await cache.get("flag") is None


async def test_values_expire(cache: Cache) -> None:
    await cache.set("short", b"1", ttl_seconds=0.2)
    assert await cache.get("short") == b"1"
    await asyncio.sleep(0.3)
    assert await cache.get("short") is None


async def test_increment_is_atomic_and_keeps_the_first_expiry(cache: Cache) -> None:
    counts = await asyncio.gather(*(cache.increment("hits", ttl_seconds=0.5) for _ in range(20)))
    assert sorted(counts) == list(range(1, 21))
    await asyncio.sleep(0.6)
    assert await cache.increment("hits", ttl_seconds=0.5) == 1


async def test_every_subscriber_receives_each_message_in_order(pubsub: PubSub) -> None:
    channel = f"chat:{uuid.uuid4().hex}"
    async with pubsub.subscribe(channel) as first, pubsub.subscribe(channel) as second:
        await asyncio.sleep(0.05)  # Redis confirms a SUBSCRIBE asynchronously
        for text in (b"goal!", b"assist"):
            await pubsub.publish(channel, text)
        for messages in (first, second):
            assert [await asyncio.wait_for(anext(messages), 5) for _ in range(2)] == [b"goal!", b"assist"]
        await pubsub.publish(f"{channel}:other", b"not for us")
        await pubsub.publish(channel, b"last")
        assert await asyncio.wait_for(anext(first), 5) == b"last"


async def test_health_reports_the_backend(cache: Cache, pubsub: PubSub) -> None:
    assert (await cache.health()).up
    assert (await pubsub.health()).up
