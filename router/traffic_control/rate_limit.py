"""Rate limits as token buckets: per user (per client address when anonymous), per operation type, in
estimated cost, and stricter for sensitive operations (sign-in, password reset), keyed by address and by the
account named, so that one account cannot be hammered from many addresses.

A request spends from several buckets at once, all or nothing. With Redis, one Lua script does the whole
check for every bucket in one round trip (EVALSHA), on Redis's clock, so every router replica spends from the
same budgets; without Redis (or while Redis is unreachable) the same arithmetic runs in this process.

A bucket holds `capacity` tokens and refills smoothly at `capacity / period` per second: a client may burst up
to the capacity, then goes at the refill rate. `RateLimit-Limit` is the capacity, `RateLimit-Remaining` the
whole tokens left, `RateLimit-Reset` the seconds until the bucket is full again and `Retry-After` (on a 429)
the seconds until the request would fit, all of the bucket closest to refusing.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections import Counter, OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from graphql import value_from_ast_untyped
from redis.asyncio import Redis
from redis.exceptions import RedisError

from router.executor.traffic import CircuitBreaker
from router.planner.operation import Field
from router.settings import RouterSettings
from router.traffic_control.admission import Admission

logger = logging.getLogger("hockey_hub.router.rate_limit")

SCRIPT = """
-- KEYS: the buckets. ARGV: capacity, tokens per millisecond and spend of each bucket, in order.
-- All or nothing: the buckets are spent only when every one of them holds its spend.
-- Returns {admitted, level of each bucket in thousandths of a token (after spending, when admitted)}.
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + tonumber(clock[2]) / 1000
local levels = {}
local admitted = 1
for i, key in ipairs(KEYS) do
  local capacity = tonumber(ARGV[i * 3 - 2])
  local rate = tonumber(ARGV[i * 3 - 1])
  local state = redis.call('HMGET', key, 'level', 'at')
  local level = tonumber(state[1])
  local at = tonumber(state[2])
  if level == nil or at == nil then
    level = capacity
  else
    level = math.min(capacity, level + math.max(0, now - at) * rate)
  end
  levels[i] = level
  if level < tonumber(ARGV[i * 3]) then
    admitted = 0
  end
end
local result = {admitted}
for i, key in ipairs(KEYS) do
  local level = levels[i]
  if admitted == 1 then
    local capacity = tonumber(ARGV[i * 3 - 2])
    local rate = tonumber(ARGV[i * 3 - 1])
    level = level - tonumber(ARGV[i * 3])
    redis.call('HSET', key, 'level', tostring(level), 'at', tostring(now))
    redis.call('PEXPIRE', key, math.ceil((capacity - level) / rate) + 1000)
  end
  result[i + 1] = math.floor(level * 1000)
end
return result
"""


@dataclass(frozen=True)
class Bucket:
    key: str
    capacity: int
    period_seconds: float
    """The time an empty bucket takes to fill."""
    spend: int = 1

    @property
    def per_second(self) -> float:
        return self.capacity / self.period_seconds


@dataclass(frozen=True)
class Decision:
    admitted: bool
    limit: int
    remaining: int
    reset_seconds: int
    retry_after_seconds: int = 0

    def headers(self) -> dict[str, str]:
        headers = {
            "ratelimit-limit": str(self.limit),
            "ratelimit-remaining": str(self.remaining),
            "ratelimit-reset": str(self.reset_seconds),
        }
        if not self.admitted:
            headers["retry-after"] = str(self.retry_after_seconds)
        return headers


def decide(buckets: Sequence[Bucket], admitted: bool, levels: Sequence[float]) -> Decision:
    """The verdict, with the figures of the bucket closest to refusing (the one refusing, when refused)."""

    def waiting(pair: tuple[Bucket, float]) -> float:
        bucket, level = pair
        return max(0.0, bucket.spend - level) / bucket.per_second

    pairs = list(zip(buckets, levels, strict=True))
    if admitted:
        bucket, level = min(pairs, key=lambda pair: pair[1] / pair[0].capacity)
        retry = 0
    else:
        bucket, level = max(pairs, key=waiting)
        retry = max(1, math.ceil(waiting((bucket, level))))
    level = max(level, 0.0)
    return Decision(
        admitted=admitted,
        limit=bucket.capacity,
        remaining=math.floor(level),
        reset_seconds=math.ceil((bucket.capacity - level) / bucket.per_second),
        retry_after_seconds=retry,
    )


class TokenBuckets(Protocol):
    async def take(self, buckets: Sequence[Bucket]) -> Decision: ...

    async def close(self) -> None: ...


class MemoryBuckets:
    """This process's buckets: at most `max_buckets`, least recently used out first (a bucket dropped comes
    back full, which only a client spreading over that many keys could use), and those full again are
    forgotten every minute (a missing bucket is a full one)."""

    def __init__(self, max_buckets: int = 100_000):
        self.max_buckets = max_buckets
        self._buckets: OrderedDict[str, tuple[float, float, float]] = OrderedDict()
        """key -> (level, when, when it is full again)."""
        self._swept = time.monotonic()

    async def take(self, buckets: Sequence[Bucket]) -> Decision:
        now = time.monotonic()
        levels = []
        for bucket in buckets:
            level, at, _ = self._buckets.get(bucket.key, (float(bucket.capacity), now, now))
            levels.append(min(float(bucket.capacity), level + max(0.0, now - at) * bucket.per_second))
        admitted = all(level >= bucket.spend for bucket, level in zip(buckets, levels, strict=True))
        if admitted:
            for index, bucket in enumerate(buckets):
                levels[index] -= bucket.spend
                full_at = now + (bucket.capacity - levels[index]) / bucket.per_second
                self._buckets.pop(bucket.key, None)
                self._buckets[bucket.key] = (levels[index], now, full_at)
            self._trim(now)
        return decide(buckets, admitted, levels)

    def _trim(self, now: float) -> None:
        if now - self._swept > 60:
            self._swept = now
            for key in [key for key, (_, _, full_at) in self._buckets.items() if full_at <= now]:
                del self._buckets[key]
        while len(self._buckets) > self.max_buckets:
            self._buckets.popitem(last=False)

    async def close(self) -> None:
        self._buckets.clear()


class BudgetsUnavailable(Exception):
    """Redis cannot count now, and no fallback was configured: the caller applies its policy."""


class RedisBuckets:
    """Buckets in Redis, shared by every replica; while Redis fails, this process's buckets stand in (so
    limits still hold per replica), or without a `fallback` `BudgetsUnavailable` is raised; Redis is tried
    again after a pause."""

    def __init__(self, redis: Redis, *, fallback: MemoryBuckets | None, retry_seconds: float = 5.0):
        self.redis = redis
        self.script = redis.register_script(SCRIPT)
        self.fallback = fallback
        self.breaker = CircuitBreaker(failure_threshold=1, open_seconds=retry_seconds)

    async def take(self, buckets: Sequence[Bucket]) -> Decision:
        if self.breaker.allow():
            args: list[float | int] = []
            for bucket in buckets:
                args += [bucket.capacity, bucket.per_second / 1000, bucket.spend]
            try:
                result = await self.script(keys=[bucket.key for bucket in buckets], args=args)
            except (RedisError, OSError) as error:
                self.breaker.failed()
                logger.warning("rate limits cannot reach Redis", extra={"error": repr(error)})
            else:
                self.breaker.succeeded()
                return decide(buckets, result[0] == 1, [level / 1000 for level in result[1:]])
        if self.fallback is None:
            raise BudgetsUnavailable("Redis is unreachable")
        return await self.fallback.take(buckets)

    async def close(self) -> None:
        if self.fallback is not None:
            await self.fallback.close()


@dataclass(frozen=True)
class Budgets:
    """What each request spends, and from which buckets."""

    window_seconds: float
    per_kind: dict[str, int]
    """Operation type -> requests per window; a type left out (or 0) is not counted."""
    cost: int
    """Estimated cost per window; 0 means not counted."""
    sensitive_fields: frozenset[str]
    identifier_arguments: frozenset[str]
    sensitive_per_address: int
    sensitive_per_identifier: int
    sensitive_window_seconds: float

    @classmethod
    def from_settings(cls, settings: RouterSettings) -> Budgets:
        return cls(
            window_seconds=settings.rate_limit_window_seconds,
            per_kind={
                "query": settings.rate_limit_queries,
                "mutation": settings.rate_limit_mutations,
                "subscription": settings.rate_limit_subscriptions,
            },
            cost=settings.rate_limit_cost,
            sensitive_fields=frozenset(settings.sensitive_operations),
            identifier_arguments=frozenset(settings.sensitive_identifier_arguments),
            sensitive_per_address=settings.rate_limit_sensitive_per_address,
            sensitive_per_identifier=settings.rate_limit_sensitive_per_identifier,
            sensitive_window_seconds=settings.rate_limit_sensitive_window_seconds,
        )

    def buckets(self, admission: Admission, *, prefix: str, caller: str, address: str) -> list[Bucket]:
        """`caller` is `user:<id>`, or the address for an anonymous caller; sensitive operations count by
        `address` and by the account they name whoever calls."""
        found = []
        kind = admission.operation.kind
        if capacity := self.per_kind.get(kind):
            found.append(Bucket(f"{prefix}{kind}:{caller}", capacity, self.window_seconds))
        if self.cost and admission.cost:
            found.append(Bucket(f"{prefix}cost:{caller}", self.cost, self.window_seconds, admission.cost))
        sensitive = [f for f in admission.root_fields() if f.name in self.sensitive_fields]
        if sensitive and self.sensitive_per_address:
            found.append(
                Bucket(
                    f"{prefix}sensitive:{address}",
                    self.sensitive_per_address,
                    self.sensitive_window_seconds,
                    len(sensitive),
                )
            )
        if sensitive and self.sensitive_per_identifier:
            accounts = Counter(
                account for f in sensitive for account in _accounts(f, admission.variables, self.identifier_arguments)
            )
            for account, uses in sorted(accounts.items()):
                found.append(
                    Bucket(
                        f"{prefix}sensitive:account:{account}",
                        self.sensitive_per_identifier,
                        self.sensitive_window_seconds,
                        uses,
                    )
                )
        return found


def _accounts(field: Field, variables: Mapping[str, Any], names: frozenset[str]) -> set[str]:
    """Digests of the accounts a field's arguments name (`email: "..."`, or `input: {email: ...}`, literal or
    variable); hashed, so no address sits in Redis."""
    found: set[str] = set()
    pending: list[tuple[str, Any]] = [
        (argument.name.value, value_from_ast_untyped(argument.value, dict(variables))) for argument in field.arguments
    ]
    while pending:
        name, value = pending.pop()
        if isinstance(value, str) and name in names and value.strip():
            found.add(hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32])
        elif isinstance(value, dict):
            pending += value.items()
        elif isinstance(value, list):
            pending += ((name, item) for item in value)
    return found
