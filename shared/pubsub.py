"""Broadcast to subscribers across replicas: in memory (one process) or Redis pub/sub."""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Protocol

from redis.asyncio import Redis

from shared.health import ComponentHealth, timed
from shared.settings import Settings


class PubSub(Protocol):
    async def publish(self, channel: str, message: bytes) -> None: ...

    def subscribe(self, channel: str) -> contextlib.AbstractAsyncContextManager[AsyncIterator[bytes]]:
        """Messages published on `channel` after the subscription is open, until the context exits."""

    async def close(self) -> None: ...

    async def health(self) -> ComponentHealth: ...


class MemoryPubSub:
    def __init__(self, *, buffer: int = 1000) -> None:
        self._subscribers: dict[str, set[asyncio.Queue[bytes]]] = defaultdict(set)
        self._buffer = buffer

    async def publish(self, channel: str, message: bytes) -> None:
        for queue in list(self._subscribers.get(channel, ())):
            if queue.full():  # a stalled subscriber loses its oldest message, not everyone's
                queue.get_nowait()
            queue.put_nowait(message)

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[bytes]]:
        queue: asyncio.Queue[bytes] = asyncio.Queue(self._buffer)
        self._subscribers[channel].add(queue)

        async def messages() -> AsyncIterator[bytes]:
            while True:
                yield await queue.get()

        try:
            yield messages()
        finally:
            self._subscribers[channel].discard(queue)
            if not self._subscribers[channel]:
                del self._subscribers[channel]

    async def close(self) -> None:
        self._subscribers.clear()

    async def health(self) -> ComponentHealth:
        return ComponentHealth("pubsub", True, "memory")


class RedisPubSub:
    def __init__(self, redis: Redis, *, prefix: str):
        self._redis = redis
        self._prefix = prefix

    async def publish(self, channel: str, message: bytes) -> None:
        await self._redis.publish(self._prefix + channel, message)

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[bytes]]:
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(self._prefix + channel)

        async def messages() -> AsyncIterator[bytes]:
            async for item in pubsub.listen():
                if item["type"] == "message":
                    yield item["data"]

        try:
            yield messages()
        finally:
            await pubsub.unsubscribe()
            await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def close(self) -> None:
        await self._redis.aclose()

    async def health(self) -> ComponentHealth:
        return await timed("pubsub", "redis", self._redis.ping, required=False)


def create_pubsub(settings: Settings) -> PubSub:
    if settings.redis_url:
        return RedisPubSub(Redis.from_url(settings.redis_url), prefix=settings.redis_key_prefix)
    return MemoryPubSub()
