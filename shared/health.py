"""Health of a service's dependencies, reported by `GET /health`."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    HEALTHY = "healthy"
    DEGRADED = "degraded"
    UNHEALTHY = "unhealthy"


@dataclass(frozen=True, slots=True)
class ComponentHealth:
    name: str
    up: bool
    kind: str
    """What serves it: `postgresql`, `embedded-postgresql`, `rabbitmq`, `in-process`, `redis`, `memory`."""
    required: bool = False
    latency_ms: float | None = None
    detail: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "up": self.up,
            "kind": self.kind,
            "required": self.required,
            "latencyMs": None if self.latency_ms is None else round(self.latency_ms, 2),
            "detail": self.detail,
        }


HealthCheck = Callable[[], Awaitable[ComponentHealth]]


async def timed(name: str, kind: str, probe: Callable[[], Awaitable[object]], *, required: bool) -> ComponentHealth:
    """Run a probe with a timeout; any failure reports the component as down with its reason."""
    started = time.perf_counter()
    try:
        await asyncio.wait_for(probe(), timeout=2.0)
    except Exception as error:
        detail = type(error).__name__ if not str(error) else f"{type(error).__name__}: {error}"
        return ComponentHealth(name, False, kind, required, detail=detail[:200])
    return ComponentHealth(name, True, kind, required, latency_ms=(time.perf_counter() - started) * 1000)


def overall_status(components: Mapping[str, ComponentHealth]) -> Status:
    if any(c.required and not c.up for c in components.values()):
        return Status.UNHEALTHY
    if any(not c.up for c in components.values()):
        return Status.DEGRADED
    return Status.HEALTHY
