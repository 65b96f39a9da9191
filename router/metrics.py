"""The router's Prometheus metrics: operations by name (count, latency, errors by code) and each
subgraph fetch (latency, failures by router code). Registered in the process registry of
`shared.metrics`, so in embedded mode one scrape shows the router and the services together."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping
from typing import Any

from prometheus_client import Counter, Histogram

from shared.metrics import LATENCY_BUCKETS, REGISTRY, operation_label

ROUTER_REQUESTS = Counter(
    "hockey_hub_router_requests",
    "GraphQL operations the router answered over HTTP, by operation name.",
    ["operation"],
    registry=REGISTRY,
)
ROUTER_LATENCY = Histogram(
    "hockey_hub_router_request_duration_seconds",
    "Time the router spent on one operation: planning, subgraph fetches and shaping.",
    ["operation"],
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
ROUTER_ERRORS = Counter(
    "hockey_hub_router_errors",
    "GraphQL errors in the router's responses, by operation name and `extensions.code`.",
    ["operation", "code"],
    registry=REGISTRY,
)
SUBGRAPH_FETCH_LATENCY = Histogram(
    "hockey_hub_router_subgraph_fetch_duration_seconds",
    "Time of one HTTP request from the router to a subgraph (each retry counts as its own).",
    ["subgraph"],
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
SUBGRAPH_FETCH_ERRORS = Counter(
    "hockey_hub_router_subgraph_fetch_errors",
    "Subgraph requests that failed (timeout, unreachable, malformed answer, open circuit), by router code.",
    ["subgraph", "code"],
    registry=REGISTRY,
)


_NAMED_OPERATION = re.compile(r"(?:^|[\s}])(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)")


def named_operation(operation_name: str | None, query: str | None) -> str | None:
    """The `operationName`, or else the name the document gives its one operation (for labels and spans
    only: an invalid document is named too, and nothing here decides which operation runs)."""
    if operation_name is None and query:
        named = _NAMED_OPERATION.search(query[:2000])
        return named.group(1) if named else None
    return operation_name


def record_operation(operation_name: str | None, started: float, body: Mapping[str, Any]) -> None:
    """One answered operation (`named_operation`); `started` is a `time.perf_counter()` reading."""
    operation = operation_label(operation_name)
    ROUTER_REQUESTS.labels(operation).inc()
    ROUTER_LATENCY.labels(operation).observe(time.perf_counter() - started)
    errors = body.get("errors")
    for code in _codes(errors if isinstance(errors, list) else ()):
        ROUTER_ERRORS.labels(operation, code).inc()


def _codes(errors: Iterable[Any]) -> Iterable[str]:
    for error in errors:
        extensions = error.get("extensions") if isinstance(error, dict) else None
        code = extensions.get("code") if isinstance(extensions, dict) else None
        yield str(code) if code else "UNKNOWN"


def record_fetch(subgraph: str, started: float, failure_code: str | None = None) -> None:
    SUBGRAPH_FETCH_LATENCY.labels(subgraph).observe(time.perf_counter() - started)
    if failure_code is not None:
        SUBGRAPH_FETCH_ERRORS.labels(subgraph, failure_code).inc()


def record_fetch_refused(subgraph: str, code: str) -> None:
    """A fetch that never left the router (its subgraph's circuit is open)."""
    SUBGRAPH_FETCH_ERRORS.labels(subgraph, code).inc()
