"""OpenTelemetry spans of the router: one per operation, one per subgraph request, whose W3C
`traceparent` header lets each subgraph continue the trace (shared/middleware.py).

Only the API is used here: with no SDK configured (the default) every span is a no-op that costs
next to nothing; when the operator configures an OTLP endpoint, the command line installs the SDK
(shared/telemetry.py) and the spans are exported, each marked as the router's.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, MutableMapping

from opentelemetry import propagate
from opentelemetry.trace import Span, SpanKind, Status, StatusCode

from shared.telemetry import SERVICE_ATTRIBUTE, tracer

TRACER = tracer("router")


@contextlib.contextmanager
def operation_span(operation_name: str | None) -> Iterator[Span]:
    attributes = {SERVICE_ATTRIBUTE: "router"}
    if operation_name:
        attributes["graphql.operation.name"] = operation_name
    with TRACER.start_as_current_span("graphql operation", kind=SpanKind.SERVER, attributes=attributes) as span:
        yield span


@contextlib.contextmanager
def fetch_span(subgraph: str, headers: MutableMapping[str, str]) -> Iterator[Span]:
    """A subgraph request; writes the trace context into `headers`, the request's own copy."""
    with TRACER.start_as_current_span(
        f"fetch {subgraph}",
        kind=SpanKind.CLIENT,
        attributes={SERVICE_ATTRIBUTE: "router", "hockey_hub.subgraph": subgraph},
        set_status_on_exception=False,  # `failed` names the router's error code instead
    ) as span:
        propagate.inject(headers)
        yield span


def failed(span: Span, code: str) -> None:
    span.set_status(Status(StatusCode.ERROR, code))
