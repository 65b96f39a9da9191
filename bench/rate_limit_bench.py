"""What one rate-limit check costs the router: against a real Redis (shared by every replica) and in memory.

    .venv/bin/python bench/rate_limit_bench.py [--redis redis://127.0.0.1:6379/0] [--iterations 5000]

For the bucket sets a request really spends from: a query (its per-type bucket and its cost budget), and a
sign-in (those, plus the per-address and per-account buckets of sensitive operations). Counts the commands
sent to Redis per check (each command is one round trip: the Lua script runs every bucket of a check in one
EVALSHA) and prints median, p99 and mean latency in microseconds. The Redis figures include the network
round trip to the server given (a local one here); the script itself runs in a few microseconds on Redis.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.connection import Connection

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from router.traffic_control.rate_limit import Bucket, MemoryBuckets, RedisBuckets, TokenBuckets  # noqa: E402


class CountingConnection(Connection):
    """A Redis connection that counts the requests it writes: one per round trip."""

    sent = 0

    async def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        CountingConnection.sent += 1
        await super().send_packed_command(command, check_health)


def summary(samples: Sequence[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[int(len(ordered) * 0.99) - 1]
    return f"median {statistics.median(ordered):7.1f} µs   p99 {p99:7.1f} µs   mean {statistics.fmean(ordered):7.1f} µs"


def request_buckets(prefix: str, sensitive: bool) -> list[Bucket]:
    # budgets large enough that no check is refused: a refused check costs the same, but would skew nothing
    buckets = [
        Bucket(f"{prefix}query:user:42", 10**9, 60.0),
        Bucket(f"{prefix}cost:user:42", 10**12, 60.0, spend=421),
    ]
    if sensitive:
        buckets += [
            Bucket(f"{prefix}sensitive:addr:203.0.113.7", 10**9, 300.0),
            Bucket(f"{prefix}sensitive:account:5f1c0d", 10**9, 300.0),
        ]
    return buckets


async def timed(iterations: int, check: Callable[[], Awaitable[object]]) -> list[float]:
    for _ in range(min(200, iterations)):  # warm up: connections open, script loaded
        await check()
    samples = []
    for _ in range(iterations):
        started = time.perf_counter_ns()
        await check()
        samples.append((time.perf_counter_ns() - started) / 1000)
    return samples


async def measure(name: str, store: TokenBuckets, buckets: list[Bucket], iterations: int, counted: bool) -> None:
    async def check() -> object:
        decision = await store.take(buckets)
        assert decision.admitted
        return decision

    before = CountingConnection.sent
    samples = await timed(iterations, check)
    line = f"{name:<34} {summary(samples)}"
    if counted:
        trips = (CountingConnection.sent - before) / (iterations + min(200, iterations))
        line += f"   round trips per check {trips:.2f}"
    print(line)


async def main(redis_url: str, iterations: int) -> None:
    prefix = f"hockey-hub-bench-{uuid.uuid4().hex[:8]}:router:rl:"
    print(f"rate-limit checks, {iterations} each (one request = one check over all its buckets)\n")
    memory = MemoryBuckets()
    for sensitive in (False, True):
        label = "a sign-in (4 buckets)" if sensitive else "a query (2 buckets)"
        await measure(f"memory, {label}", memory, request_buckets(prefix, sensitive), iterations, counted=False)
    pool = BlockingConnectionPool.from_url(redis_url, connection_class=CountingConnection, max_connections=4)
    redis = Redis(connection_pool=pool)
    try:
        await redis.ping()
    except OSError as error:
        print(f"\nno Redis at {redis_url} ({error}): only the in-memory figures")
        return
    store = RedisBuckets(redis, fallback=MemoryBuckets())
    try:
        for sensitive in (False, True):
            label = "a sign-in (4 buckets)" if sensitive else "a query (2 buckets)"
            await measure(f"Redis, {label}", store, request_buckets(prefix, sensitive), iterations, counted=True)
        started = time.perf_counter()
        concurrent = 50
        await asyncio.gather(
            *(
                timed(iterations // concurrent, lambda: store.take(request_buckets(prefix, False)))
                for _ in range(concurrent)
            )
        )
        elapsed = time.perf_counter() - started
        total = (iterations // concurrent + min(200, iterations // concurrent)) * concurrent
        print(f"\nRedis, {concurrent} concurrent callers over 4 connections: {total / elapsed:,.0f} checks per second")
    finally:
        keys = [key async for key in redis.scan_iter(match=f"{prefix}*")]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()
        await pool.disconnect()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--iterations", type=int, default=5000)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.redis, arguments.iterations))
