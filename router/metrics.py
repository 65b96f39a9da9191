"""The router's Prometheus metrics: operations by name (count, latency, errors by code), the requests it
refused before running them (by code), and each subgraph fetch (latency, failures by router code).
Registered in the process registry of `shared.metrics`, so in embedded mode one scrape shows the router
and the services together."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping
from typing import Any

from prometheus_client import Counter, Histogram

from shared.metrics import LATENCY_BUCKETS, REGISTRY, operation_label

ROUTER_REQUESTS = Counter(
    "hockey_hub_router_requests",
    "GraphQL requests the router answered over HTTP, refused ones included, by operation name.",
    ["operation"],
    registry=REGISTRY,
)
ROUTER_LATENCY = Histogram(
    "hockey_hub_router_request_duration_seconds",
    "Time the router spent on one GraphQL request over HTTP, from reading it to its answer.",
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
ROUTER_REFUSED = Counter(
    "hockey_hub_router_refused_requests",
    "GraphQL requests answered without running them (not a GraphQL request, too large, unparsable or invalid, "
    "over a limit, unknown persisted query, bad token, rate limited...), by operation name and first error code.",
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
    """One answered request (`named_operation`; None when unknown); `started` is a `time.perf_counter()`
    reading. An answer with errors and no `data` was refused before execution (GraphQL over HTTP's request
    errors), and counts as refused under its first error's code."""
    operation = operation_label(operation_name)
    ROUTER_REQUESTS.labels(operation).inc()
    ROUTER_LATENCY.labels(operation).observe(time.perf_counter() - started)
    errors = body.get("errors")
    codes = list(_codes(errors if isinstance(errors, list) else ()))
    for code in codes:
        ROUTER_ERRORS.labels(operation, code).inc()
    if codes and "data" not in body:
        ROUTER_REFUSED.labels(operation, codes[0]).inc()


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
