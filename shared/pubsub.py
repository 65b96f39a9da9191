"""Broadcast to subscribers across replicas: in memory (one process) or Redis pub/sub.

Redis pub/sub keeps nothing for a subscriber that is not connected: what is published while the connection
is down (or being re-established) is gone. So a lost connection ends every subscription with `SourceLost`
instead of letting it wait for announcements that will never come; the subscriber subscribes again and
catches up from its own state (a cursor, the database).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any, Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from shared.errors import SubscriptionSourceLost
from shared.health import ComponentHealth, timed
from shared.settings import Settings

logger = logging.getLogger(__name__)


class SourceLost(SubscriptionSourceLost, ConnectionError):
    """The subscription's feed was lost: messages may have been missed, subscribe again. A ConnectionError
    too, so code that already retries on a lost connection (session revocations) keeps doing so."""


class PubSub(Protocol):
    async def publish(self, channel: str, message: bytes) -> None: ...

    def subscribe(self, channel: str) -> contextlib.AbstractAsyncContextManager[AsyncIterator[bytes]]:
        """Messages published on `channel` after the subscription is open, until the context exits; the
        messages raise `SourceLost` when the feed is lost (opening raises it when there is none)."""

    async def close(self) -> None: ...

    async def health(self) -> ComponentHealth: ...


class _Lost:
    """Put in a subscriber's queue after its last message: the feed is gone."""

    def __init__(self, reason: str):
        self.reason = reason


class MemoryPubSub:
    def __init__(self, *, buffer: int = 1000) -> None:
        self._subscribers: dict[str, set[asyncio.Queue[bytes | _Lost]]] = defaultdict(set)
        self._buffer = buffer

    async def publish(self, channel: str, message: bytes) -> None:
        for queue in list(self._subscribers.get(channel, ())):
            _put(queue, message)

    def lose_all(self, reason: str) -> None:
        """End every subscriber's messages with `SourceLost` (after what they hold already)."""
        for queues in self._subscribers.values():
            for queue in queues:
                _put(queue, _Lost(reason))

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[bytes]]:
        queue: asyncio.Queue[bytes | _Lost] = asyncio.Queue(self._buffer)
        self._subscribers[channel].add(queue)

        async def messages() -> AsyncIterator[bytes]:
            while True:
                item = await queue.get()
                if isinstance(item, _Lost):
                    raise SourceLost(item.reason)
                yield item

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


def _put(queue: asyncio.Queue[bytes | _Lost], item: bytes | _Lost) -> None:
    if queue.full():  # a stalled subscriber loses its oldest message, not everyone's
        queue.get_nowait()
    queue.put_nowait(item)


class _ConnectWatch:
    """Told by redis-py each time the subscribing connection connects again, which it does by itself
    (resubscribing) inside a read: whatever was published meanwhile is lost."""

    def __init__(self) -> None:
        self.reconnected = False

    def connected(self, connection: Any) -> None:
        self.reconnected = True


class RedisPubSub:
    """Redis pub/sub over ONE subscribing connection per process, fanned out in memory: a thousand live
    subscriptions are a thousand queues here, not a thousand Redis connections (the pool would refuse
    them). A channel is subscribed in Redis while at least one local subscriber follows it.

    When that connection fails or is re-established, every local subscription ends with `SourceLost` and
    the connection is dropped; the next subscription opens a new one (a generation), so the late
    unsubscribes of the ended ones cannot touch the channels of the new."""

    def __init__(self, redis: Redis, *, prefix: str):
        self._redis = redis
        self._prefix = prefix
        self._local = MemoryPubSub()
        self._followers: dict[str, int] = {}
        self._pubsub: Any = None
        self._watch = _ConnectWatch()
        self._generation = 0
        self._listener: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    async def publish(self, channel: str, message: bytes) -> None:
        await self._redis.publish(self._prefix + channel, message)

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[bytes]]:
        async with self._local.subscribe(channel) as messages:
            try:
                generation = await self._follow(channel)
            except (RedisError, OSError) as error:
                raise SourceLost("live updates are unavailable; subscribe again shortly") from error
            try:
                yield messages
            finally:
                await self._unfollow(channel, generation)

    async def _follow(self, channel: str) -> int:
        async with self._lock:
            if self._pubsub is None:
                self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
                self._watch = _ConnectWatch()
            count = self._followers.get(channel, 0)
            if count == 0:
                await self._pubsub.subscribe(self._prefix + channel)
                self._pubsub.connection.register_connect_callback(self._watch.connected)
            self._followers[channel] = count + 1
            if self._listener is None or self._listener.done():
                self._listener = asyncio.create_task(self._listen(self._pubsub, self._watch), name="redis-pubsub")
            return self._generation

    async def _unfollow(self, channel: str, generation: int) -> None:
        async with self._lock:
            if generation != self._generation:  # its connection was dropped with everything it followed
                return
            count = self._followers.get(channel, 0) - 1
            if count > 0:
                self._followers[channel] = count
                return
            self._followers.pop(channel, None)
            if self._pubsub is not None:
                with contextlib.suppress(RedisError, OSError):
                    await self._pubsub.unsubscribe(self._prefix + channel)

    async def _listen(self, pubsub: Any, watch: _ConnectWatch) -> None:
        while True:
            try:
                item = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError, RuntimeError) as error:
                await self._lose(pubsub, watch, repr(error))
                return
            if watch.reconnected:
                await self._lose(pubsub, watch, "reconnected")
                return
            if item is None or item.get("type") != "message":
                continue
            channel = item["channel"].decode() if isinstance(item["channel"], bytes) else str(item["channel"])
            await self._local.publish(channel.removeprefix(self._prefix), item["data"])

    async def _lose(self, pubsub: Any, watch: _ConnectWatch, reason: str) -> None:
        logger.warning("redis pub/sub: connection lost, live subscriptions end", extra={"error": reason})
        async with self._lock:
            if self._pubsub is not pubsub:
                return
            self._pubsub = None
            self._listener = None  # this task ends now: the next subscription starts a new one
            self._generation += 1
            self._followers.clear()
            self._local.lose_all("the live updates' connection was lost; subscribe again to catch up")
        if pubsub.connection is not None:  # it goes back to the pool: no more calls for this watch
            pubsub.connection.deregister_connect_callback(watch.connected)
        with contextlib.suppress(RedisError, OSError):
            await pubsub.aclose()

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
