"""A key-value cache with expiry: in memory (embedded mode) or Redis, behind one interface."""

from __future__ import annotations

import time
from typing import Protocol

from redis.asyncio import Redis

from shared.health import ComponentHealth, timed
from shared.settings import Settings


class Cache(Protocol):
    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes, *, ttl_seconds: float | None = None) -> None: ...

    async def delete(self, key: str) -> None: ...

    async def increment(self, key: str, *, ttl_seconds: float | None = None) -> int:
        """Atomically add one and return the new value; the expiry is set when the key is created."""

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
    def __init__(self, redis: Redis, *, prefix: str):
        self._redis = redis
        self._prefix = prefix

    async def get(self, key: str) -> bytes | None:
        value: bytes | str | None = await self._redis.get(self._prefix + key)
        return value.encode() if isinstance(value, str) else value

    async def set(self, key: str, value: bytes, *, ttl_seconds: float | None = None) -> None:
        await self._redis.set(self._prefix + key, value, px=int(ttl_seconds * 1000) if ttl_seconds else None)

    async def delete(self, key: str) -> None:
        await self._redis.delete(self._prefix + key)

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
        return RedisCache(Redis.from_url(settings.redis_url), prefix=settings.redis_key_prefix)
    return MemoryCache()
