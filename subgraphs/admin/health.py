"""Asking every service how it is: `GET /health` over HTTP, concurrently, each with a short timeout.

One aiohttp session per app, made on first use (inside the running loop) and closed by the app's
lifespan; see `app.py`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import aiohttp
import orjson

from shared.app import health_response
from shared.database import utcnow
from shared.runtime import ServiceRuntime

DEFAULT_TIMEOUT_SECONDS = 2.0


class ServiceStatus(StrEnum):
    HEALTHY = "healthy"
    DEGRADED = "degraded"
    """Up, with an optional dependency (cache, broker) down."""
    UNHEALTHY = "unhealthy"
    """Answering, but a required dependency (its database) is down, or the answer made no sense."""
    UNREACHABLE = "unreachable"
    """No answer within the timeout."""


@dataclass(frozen=True, slots=True)
class DependencyCheck:
    name: str
    up: bool
    kind: str | None
    required: bool
    latency_ms: float | None
    detail: str | None


@dataclass(frozen=True, slots=True)
class ServiceReport:
    name: str
    url: str
    status: ServiceStatus
    response_time_ms: float | None
    checks: tuple[DependencyCheck, ...] = ()
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class SystemReport:
    status: ServiceStatus
    checked_at: datetime
    services: tuple[ServiceReport, ...]


def overall(services: tuple[ServiceReport, ...]) -> ServiceStatus:
    """Healthy when every service is; unhealthy when none is serving; degraded in between."""
    statuses = {service.status for service in services}
    if statuses <= {ServiceStatus.HEALTHY}:
        return ServiceStatus.HEALTHY
    if statuses.isdisjoint({ServiceStatus.HEALTHY, ServiceStatus.DEGRADED}):
        return ServiceStatus.UNHEALTHY
    return ServiceStatus.DEGRADED


def _checks(body: Mapping[str, Any]) -> tuple[DependencyCheck, ...]:
    raw = body.get("checks")
    if not isinstance(raw, Mapping):
        return ()
    return tuple(
        DependencyCheck(
            name=str(name),
            up=bool(check.get("up")),
            kind=str(check["kind"]) if check.get("kind") is not None else None,
            required=bool(check.get("required")),
            latency_ms=float(check["latencyMs"]) if isinstance(check.get("latencyMs"), int | float) else None,
            detail=str(check["detail"])[:200] if check.get("detail") else None,
        )
        for name, check in raw.items()
        if isinstance(check, Mapping)
    )


def _report(name: str, url: str, http_status: int, payload: bytes, elapsed_ms: float) -> ServiceReport:
    """A service's answer as a report; anything but the health document we serve counts as unhealthy."""
    try:
        body = orjson.loads(payload)
    except orjson.JSONDecodeError:
        body = None
    if not isinstance(body, Mapping) or http_status not in (200, 503):
        return ServiceReport(
            name, url, ServiceStatus.UNHEALTHY, elapsed_ms, detail=f"unexpected answer: HTTP {http_status}"
        )
    try:
        status = ServiceStatus(str(body.get("status")))
    except ValueError:
        status = ServiceStatus.UNHEALTHY
    if http_status == 503 or status is ServiceStatus.UNREACHABLE:
        status = ServiceStatus.UNHEALTHY
    return ServiceReport(name, url, status, elapsed_ms, checks=_checks(body))


class HealthProbe:
    """Checks services' health endpoints; one per app, holding its one HTTP client session."""

    def __init__(self, *, timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS):
        self.timeout_seconds = timeout_seconds
        self._client: aiohttp.ClientSession | None = None

    def _session(self) -> aiohttp.ClientSession:
        if self._client is None or self._client.closed:
            self._client = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.timeout_seconds),
                connector=aiohttp.TCPConnector(limit=32),
                headers={"Accept": "application/json", "User-Agent": "hockey-hub-admin/health"},
            )
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None

    async def get_json(self, url: str, *, params: Mapping[str, str], headers: Mapping[str, str]) -> tuple[int, Any]:
        """Another service's JSON answer (its audit trail, say) with the same client and timeout; raises
        TimeoutError, aiohttp.ClientError or ValueError (not JSON) when there is none."""
        async with self._session().get(
            url, params=dict(params), headers=dict(headers), allow_redirects=False
        ) as response:
            return response.status, orjson.loads(await response.read())

    async def check(self, name: str, base_url: str) -> ServiceReport:
        url = base_url.rstrip("/") + "/health"
        started = time.perf_counter()
        try:
            async with self._session().get(url, allow_redirects=False) as response:
                payload = await response.read()
                status = response.status
        except (TimeoutError, aiohttp.ClientError, OSError) as error:
            reason = "no answer within the timeout" if isinstance(error, TimeoutError) else str(error)
            return ServiceReport(
                name,
                url,
                ServiceStatus.UNREACHABLE,
                None,
                detail=f"{type(error).__name__}: {reason}"[:200],
            )
        return _report(name, url, status, payload, round((time.perf_counter() - started) * 1000, 2))

    async def check_self(self, runtime: ServiceRuntime) -> ServiceReport:
        """This service's own health, measured in process rather than over the network."""
        started = time.perf_counter()
        response = await health_response(runtime)
        elapsed = round((time.perf_counter() - started) * 1000, 2)
        url = runtime.settings.service_url(runtime.service).rstrip("/") + "/health"
        return _report(runtime.service, url, response.status_code, bytes(response.body), elapsed)

    async def system(self, runtime: ServiceRuntime, services: Mapping[str, str]) -> SystemReport:
        """Every named service (name -> base URL) at once; this service itself in process."""
        checks = [
            self.check_self(runtime) if name == runtime.service else self.check(name, url)
            for name, url in services.items()
        ]
        reports = tuple(await asyncio.gather(*checks))
        return SystemReport(status=overall(reports), checked_at=utcnow(), services=reports)
