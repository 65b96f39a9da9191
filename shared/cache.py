"""A key-value cache with expiry: in memory (embedded mode) or Redis, behind one interface.

The cache is an optimisation, never the source of truth: while Redis is down, reads miss (the caller reads
the database), writes are skipped, and nothing fails a client's request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from redis.asyncio import Redis
from redis.exceptions import RedisError

from shared.health import ComponentHealth, timed
from shared.settings import Settings

logger = logging.getLogger(__name__)

T = TypeVar("T")

CACHE_ERRORS = (RedisError, OSError)
REDIS_TIMEOUT_SECONDS = 1.0
"""A stalled Redis must not stall a request for longer than this: past it, the database answers."""
RETRY_SECONDS = 2.0
"""After a failure, Redis is left alone this long: an outage costs one failed call, not one per request."""


class Cache(Protocol):
    async def get(self, key: str) -> bytes | None:
        """The value, or None when absent, expired, or the cache is unreachable (read the database)."""

    async def set(self, key: str, value: bytes, *, ttl_seconds: float | None = None) -> None:
        """Best effort: skipped while the cache is unreachable."""

    async def delete(self, key: str) -> None:
        """Never served again once this returns, even when the cache was unreachable: the deletion is
        then retried before this process uses the key again (other processes: the key's expiry)."""

    async def increment(self, key: str, *, ttl_seconds: float | None = None) -> int:
        """Atomically add one and return the new value; the expiry is set when the key is created. Raises
        while the cache is unreachable: a count has no database to fall back on, the caller decides."""

    async def close(self) -> None: ...

    async def health(self) -> ComponentHealth: ...


class MemoryCache:
    """One process's cache; expired keys are dropped when read."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[bytes, float | None]] = {}

    def _live(self, key: str) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        value, expires = entry
        if expires is not None and expires <= time.monotonic():
            del self._entries[key]
            return None
        return value

    async def get(self, key: str) -> bytes | None:
        return self._live(key)

    async def set(self, key: str, value: bytes, *, ttl_seconds: float | None = None) -> None:
        expires = time.monotonic() + ttl_seconds if ttl_seconds else None
        self._entries[key] = (value, expires)

    async def delete(self, key: str) -> None:
        self._entries.pop(key, None)

    async def increment(self, key: str, *, ttl_seconds: float | None = None) -> int:
        current = self._live(key)
        if current is None:
            await self.set(key, b"1", ttl_seconds=ttl_seconds)
            return 1
        count = int(current) + 1
        self._entries[key] = (str(count).encode(), self._entries[key][1])
        return count

    async def close(self) -> None:
        self._entries.clear()

    async def health(self) -> ComponentHealth:
        return ComponentHealth("cache", True, "memory")


class RedisCache:
    """Redis, degrading to misses while it fails (see the module): deletions that failed are remembered
    and done first when Redis answers again, so a value changed during the outage is not served stale."""

    def __init__(self, redis: Redis, *, prefix: str, retry_seconds: float = RETRY_SECONDS):
        self._redis = redis
        self._prefix = prefix
        self._retry_seconds = retry_seconds
        self._down_until = 0.0
        self._undeleted: set[str] = set()

    async def _attempt(self, action: str, call: Callable[[], Awaitable[T]], fallback: T) -> T:
        if time.monotonic() < self._down_until:
            return fallback
        try:
            if self._undeleted:
                undeleted = list(self._undeleted)
                await self._redis.delete(*undeleted)
                self._undeleted.difference_update(undeleted)
            return await call()
        except CACHE_ERRORS as error:
            self._down_until = time.monotonic() + self._retry_seconds
            logger.warning("cache unavailable; the database answers", extra={"action": action, "error": repr(error)})
            return fallback

    async def get(self, key: str) -> bytes | None:
        async def read() -> bytes | None:
            value: bytes | str | None = await self._redis.get(self._prefix + key)
            return value.encode() if isinstance(value, str) else value

        return await self._attempt("get", read, None)

    async def set(self, key: str, value: bytes, *, ttl_seconds: float | None = None) -> None:
        async def write() -> None:
            await self._redis.set(self._prefix + key, value, px=int(ttl_seconds * 1000) if ttl_seconds else None)

        await self._attempt("set", write, None)

    async def delete(self, key: str) -> None:
        async def delete() -> bool:
            await self._redis.delete(self._prefix + key)
            return True

        if not await self._attempt("delete", delete, False):
            self._undeleted.add(self._prefix + key)

    async def increment(self, key: str, *, ttl_seconds: float | None = None) -> int:
        full = self._prefix + key
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(full)
            if ttl_seconds:
                pipe.pexpire(full, int(ttl_seconds * 1000), nx=True)
            count, *_ = await pipe.execute()
        return int(count)

    async def close(self) -> None:
        await self._redis.aclose()

    async def health(self) -> ComponentHealth:
        return await timed("cache", "redis", self._redis.ping, required=False)


def create_cache(settings: Settings) -> Cache:
    if settings.redis_url:
        redis = Redis.from_url(
            settings.redis_url, socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS
        )
        return RedisCache(redis, prefix=settings.redis_key_prefix)
    return MemoryCache()
