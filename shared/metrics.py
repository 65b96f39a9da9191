"""Prometheus metrics of every service: GraphQL requests, latencies and errors by operation, and what is
waiting to leave (outbox backlog) or to be handled (event queue depth), read at scrape time.

One registry per process with a `service` label: in embedded mode (`hockey-hub up`) every service and
the router share the process, so each /metrics shows them all, each series named by its service.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.responses import PlainTextResponse, Response
from strawberry.extensions import SchemaExtension

from shared.database.kernel import outbox_events
from shared.log import service_var
from shared.runtime import ServiceRuntime

logger = logging.getLogger(__name__)

REGISTRY = CollectorRegistry(auto_describe=True)
"""The process's metrics; the router's are registered here too (router/metrics.py)."""

SCRAPE_TIMEOUT_SECONDS = 2.0
"""A scrape reports -1 for a gauge it could not read in time, rather than keep Prometheus waiting."""

MAX_OPERATION_NAMES = 500
"""Operation names come from clients: past this many distinct ones, new names count as `other`."""

ANONYMOUS_OPERATION = "anonymous"
OTHER_OPERATION = "other"

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

GRAPHQL_REQUESTS = Counter(
    "hockey_hub_graphql_requests",
    "GraphQL operations a service executed, by operation name.",
    ["service", "operation"],
    registry=REGISTRY,
)
GRAPHQL_LATENCY = Histogram(
    "hockey_hub_graphql_request_duration_seconds",
    "Time a service spent on one GraphQL operation, from parsing to the coded result.",
    ["service", "operation"],
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
GRAPHQL_ERRORS = Counter(
    "hockey_hub_graphql_errors",
    "GraphQL errors a service returned, by operation name and `extensions.code`.",
    ["service", "operation", "code"],
    registry=REGISTRY,
)
OUTBOX_BACKLOG = Gauge(
    "hockey_hub_outbox_backlog",
    "Events committed to a service's outbox and not yet confirmed by the broker (-1: unreadable).",
    ["service"],
    registry=REGISTRY,
)
EVENT_QUEUE_DEPTH = Gauge(
    "hockey_hub_event_queue_depth",
    "Events waiting in a consuming service's queue (-1: unreadable).",
    ["service"],
    registry=REGISTRY,
)


class OperationNames:
    """Bounds the label values taken from client-chosen operation names (a registry grows per series)."""

    def __init__(self, limit: int = MAX_OPERATION_NAMES) -> None:
        self._limit = limit
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def label(self, name: str | None) -> str:
        if not name:
            return ANONYMOUS_OPERATION
        name = name[:100]
        if name in self._seen:
            return name
        with self._lock:
            if len(self._seen) >= self._limit:
                return OTHER_OPERATION
            self._seen.add(name)
        return name


_operation_names = OperationNames()


class RequestMetrics(SchemaExtension):
    """Counts each operation, its latency and its errors by code, under the service of the request
    (`shared.log.service_var`, set by the service's middleware). Must exit after ErrorCodes (listed
    before it), so the codes it reads are the ones the client gets."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        service = service_var.get() or "unknown"
        operation = _operation_names.label(self.execution_context.operation_name)
        GRAPHQL_REQUESTS.labels(service, operation).inc()
        GRAPHQL_LATENCY.labels(service, operation).observe(time.perf_counter() - started)
        result = self.execution_context.result
        for error in getattr(result, "errors", None) or ():
            code = (error.extensions or {}).get("code") or "INTERNAL_SERVER_ERROR"
            GRAPHQL_ERRORS.labels(service, operation, str(code)).inc()


def operation_label(name: str | None) -> str:
    """The label value for a client-chosen operation name (shared by the router's metrics)."""
    return _operation_names.label(name)


@runtime_checkable
class QueueDepth(Protocol):
    """A bus that can tell how many events wait in a consumer's queue (None: no such queue)."""

    async def queue_depth(self, queue: str) -> int | None: ...


async def refresh_service_gauges(runtime: ServiceRuntime) -> None:
    """Reads the service's outbox backlog and queue depth now; never raises (a failed read shows -1)."""
    service = runtime.service
    try:
        backlog = await asyncio.wait_for(_outbox_backlog(runtime.engine), timeout=SCRAPE_TIMEOUT_SECONDS)
    except Exception:
        logger.warning("outbox backlog unreadable", extra={"queue": service}, exc_info=True)
        backlog = -1
    OUTBOX_BACKLOG.labels(service).set(backlog)
    bus = runtime.bus
    if not isinstance(bus, QueueDepth):
        return
    try:
        depth = await asyncio.wait_for(bus.queue_depth(service), timeout=SCRAPE_TIMEOUT_SECONDS)
    except Exception:
        logger.warning("event queue depth unreadable", extra={"queue": service}, exc_info=True)
        depth = -1
    if depth is None:  # the service consumes nothing
        with contextlib.suppress(KeyError):
            EVENT_QUEUE_DEPTH.remove(service)
    else:
        EVENT_QUEUE_DEPTH.labels(service).set(depth)


async def _outbox_backlog(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        # Served by the partial index of unpublished rows, so it stays cheap however long the outbox is.
        count = await connection.scalar(
            select(func.count()).select_from(outbox_events).where(outbox_events.c.published_at.is_(None))
        )
    return int(count or 0)


def exposition() -> Response:
    """The process's registry in the Prometheus text format."""
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)


@dataclass(frozen=True)
class MetricsAccess:
    """Who may read GET /metrics: with a token (`HOCKEY_HUB_METRICS_TOKEN`), whoever sends it as a bearer
    token, as Prometheus does with `authorization: {credentials: ...}` in its scrape config; without one,
    anyone when public (development mode, or `HOCKEY_HUB_METRICS_PUBLIC=true`), else nobody. Metrics
    name operations and tell traffic and errors: production mode does not show them to the world by
    default."""

    token: bytes | None
    public: bool

    @classmethod
    def configured(cls, token: SecretStr | None, public: bool | None, *, production: bool) -> MetricsAccess:
        secret = token.get_secret_value().strip() if token is not None else ""
        return cls(secret.encode() or None, (not production) if public is None else public)

    def refusal(self, authorization: str | None) -> Response | None:
        """None when the request may read the metrics; otherwise the response that refuses it."""
        if self.token is None:
            if self.public:
                return None
            return PlainTextResponse(
                "metrics are closed: set HOCKEY_HUB_METRICS_TOKEN and scrape with it as a bearer token, "
                "or set HOCKEY_HUB_METRICS_PUBLIC=true where only Prometheus can reach this port",
                status_code=403,
            )
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), self.token):
            return None
        error = ', error="invalid_token"' if authorization else ""
        return PlainTextResponse(
            "GET /metrics needs Authorization: Bearer <HOCKEY_HUB_METRICS_TOKEN>",
            status_code=401,
            headers={"WWW-Authenticate": f'Bearer realm="metrics"{error}'},
        )


__all__ = [
    "REGISTRY",
    "MetricsAccess",
    "QueueDepth",
    "RequestMetrics",
    "exposition",
    "operation_label",
    "refresh_service_gauges",
]
