"""Broadcast to subscribers across replicas: in memory (one process) or Redis pub/sub."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any, Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from shared.health import ComponentHealth, timed
from shared.settings import Settings

logger = logging.getLogger(__name__)


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
    """Redis pub/sub over ONE subscribing connection per process, fanned out in memory: a thousand live
    subscriptions are a thousand queues here, not a thousand Redis connections (the pool would refuse
    them). A channel is subscribed in Redis while at least one local subscriber follows it."""

    def __init__(self, redis: Redis, *, prefix: str):
        self._redis = redis
        self._prefix = prefix
        self._local = MemoryPubSub()
        self._followers: dict[str, int] = {}
        self._pubsub: Any = None
        self._listener: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    async def publish(self, channel: str, message: bytes) -> None:
        await self._redis.publish(self._prefix + channel, message)

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[bytes]]:
        async with self._local.subscribe(channel) as messages:
            await self._follow(channel)
            try:
                yield messages
            finally:
                await self._unfollow(channel)

    async def _follow(self, channel: str) -> None:
        async with self._lock:
            if self._pubsub is None:
                self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            count = self._followers.get(channel, 0)
            if count == 0:
                await self._pubsub.subscribe(self._prefix + channel)
            self._followers[channel] = count + 1
            if self._listener is None or self._listener.done():
                self._listener = asyncio.create_task(self._listen(), name="redis-pubsub")

    async def _unfollow(self, channel: str) -> None:
        async with self._lock:
            count = self._followers.get(channel, 0) - 1
            if count > 0:
                self._followers[channel] = count
                return
            self._followers.pop(channel, None)
            if self._pubsub is not None:
                with contextlib.suppress(RedisError, OSError):
                    await self._pubsub.unsubscribe(self._prefix + channel)

    async def _listen(self) -> None:
        while True:
            try:
                item = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError, RuntimeError) as error:
                # redis-py reconnects and subscribes again on the next read; a pause keeps a down Redis
                # from turning this loop into a busy one.
                logger.warning("redis pub/sub: reading failed, retrying", extra={"error": repr(error)})
                await asyncio.sleep(1.0)
                continue
            if item is None or item.get("type") != "message":
                continue
            channel = item["channel"].decode() if isinstance(item["channel"], bytes) else str(item["channel"])
            await self._local.publish(channel.removeprefix(self._prefix), item["data"])

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        if self._pubsub is not None:
            with contextlib.suppress(RedisError, OSError):
                await self._pubsub.aclose()
        await self._local.close()
        await self._redis.aclose()

    async def health(self) -> ComponentHealth:
        return await timed("pubsub", "redis", self._redis.ping, required=False)


def create_pubsub(settings: Settings) -> PubSub:
    if settings.redis_url:
        return RedisPubSub(Redis.from_url(settings.redis_url), prefix=settings.redis_key_prefix)
    return MemoryPubSub()
