"""Sessions ended before their access tokens run out (logout, an admin's revoke, a stolen refresh token,
a password change): every verifier refuses a token whose `sid` is listed here until the token would
have expired anyway.

The service that signs tokens records a revocation when it consumes its own `user.sessions_revoked`
event (written in the transaction that ended the sessions, so a revocation is never lost); the record
reaches every process through pub/sub. With Redis it is also kept in a sorted set (session -> when it
may be forgotten) that a process starting later reads first, so a new router replica does not accept
what an older one refuses. Within one process (`hockey-hub up`) the router and the services share one
instance.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterable
from typing import Protocol, cast

import orjson
from redis.asyncio import Redis
from redis.exceptions import RedisError

from shared.pubsub import MemoryPubSub, PubSub, RedisPubSub

SESSIONS_REVOKED = "user.sessions_revoked"
"""The event whose `data.session_ids` lists the ended sessions (the `sid` claims of their tokens)."""
CHANNEL = "auth.sessions-revoked"
SET_KEY = "auth:revoked-sessions"

logger = logging.getLogger(__name__)


class RevokedSessions(Protocol):
    def is_revoked(self, session_id: str | None) -> bool: ...


class SessionRevocations:
    """What this process knows to be revoked, kept in step with every other process."""

    def __init__(self, pubsub: PubSub, *, redis: Redis | None = None, prefix: str = "", owns_pubsub: bool = False):
        self._pubsub = pubsub
        self._owns_pubsub = owns_pubsub
        self._redis = redis
        self._set_key = prefix + SET_KEY
        self._until: dict[str, float] = {}
        self._listener: asyncio.Task[None] | None = None
        self._following = asyncio.Event()

    @classmethod
    def connect(cls, redis_url: str | None, *, prefix: str, pubsub: PubSub | None = None) -> SessionRevocations:
        """Revocations over Redis when configured; over `pubsub` if given (shared, not closed here), else
        over a pub/sub of its own."""
        redis = Redis.from_url(redis_url) if redis_url else None
        owns_pubsub = pubsub is None
        if pubsub is None:
            pubsub = RedisPubSub(Redis.from_url(redis_url), prefix=prefix) if redis_url else MemoryPubSub()
        return cls(pubsub, redis=redis, prefix=prefix, owns_pubsub=owns_pubsub)

    def is_revoked(self, session_id: str | None) -> bool:
        if session_id is None:
            return False
        until = self._until.get(session_id)
        if until is None:
            return False
        if until < time.time():
            del self._until[session_id]
            return False
        return True

    async def revoke(self, session_ids: Iterable[str], *, until: float) -> None:
        """Record, persist (Redis) and announce; idempotent, so an event delivered twice is harmless.
        `until` is when the sessions' last access token expires: after that nobody needs the entry."""
        entries = dict.fromkeys(session_ids, until)
        if not entries:
            return
        self._remember(entries)
        if self._redis is not None:
            await self._redis.zadd(self._set_key, entries)
            await self._redis.zremrangebyscore(self._set_key, "-inf", time.time())
        await self._pubsub.publish(CHANNEL, orjson.dumps(entries))

    def _remember(self, entries: dict[str, float]) -> None:
        for session_id, until in entries.items():
            self._until[session_id] = max(until, self._until.get(session_id, 0.0))

    async def start(self) -> None:
        """Read what is revoked already, then follow new revocations."""
        if self._listener is None:
            self._listener = asyncio.create_task(self._follow(), name="session-revocations")
            await self._following.wait()

    async def _follow(self) -> None:
        while True:
            try:
                async with self._pubsub.subscribe(CHANNEL) as messages:
                    await self._load()  # after subscribing: nothing falls between the two
                    self._following.set()
                    async for message in messages:
                        self._remember(_entries(message))
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as error:
                logger.warning("session revocations: reconnecting", extra={"error": repr(error)})
                self._following.set()  # never hold a start-up hostage; the next attempt reloads
                await asyncio.sleep(1)

    async def _load(self) -> None:
        if self._redis is None:
            return
        # redis-py types every reply as one union; with scores it is a list of (member, score) pairs.
        found = cast(
            list[tuple[bytes, float]],
            await self._redis.zrangebyscore(self._set_key, time.time(), "+inf", withscores=True),
        )
        self._remember({_text(member): float(score) for member, score in found})

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
        if self._redis is not None:
            await self._redis.aclose()
        if self._owns_pubsub:
            await self._pubsub.close()


def _entries(message: bytes) -> dict[str, float]:
    try:
        decoded = orjson.loads(message)
    except orjson.JSONDecodeError:
        logger.warning("session revocations: a message that is not JSON was ignored")
        return {}
    if not isinstance(decoded, dict):
        return {}
    return {str(key): float(value) for key, value in decoded.items() if isinstance(value, int | float)}


def _text(member: bytes | str) -> str:
    return member.decode() if isinstance(member, bytes) else member
