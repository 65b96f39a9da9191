"""OpenTelemetry traces follow a request from the router into the subgraphs: the router's operation span,
one client span per subgraph request carrying W3C `traceparent`, and the subgraph's server span (from the
middleware every service runs) continuing the same trace."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from strawberry.asgi import GraphQL

from shared.middleware import RequestLogMiddleware
from tests.router.club.harness import fresh_data, running_club

ROSTER_WITH_STATUS = "query TracedRoster { players { name status } }"

_EXPORTER = InMemorySpanExporter()


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    """The process's tracer provider (set once: OpenTelemetry refuses a second) exporting to memory."""
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(_EXPORTER))
        trace.set_tracer_provider(provider)
    _EXPORTER.clear()
    yield _EXPORTER
    _EXPORTER.clear()


def _one(spans: list[ReadableSpan], name: str) -> ReadableSpan:
    found = [span for span in spans if span.name == name]
    assert len(found) == 1, [span.name for span in spans]
    return found[0]


def _served(name: str) -> RequestLogMiddleware:
    """A fixture subgraph behind the middleware every Hockey Hub service runs."""
    return RequestLogMiddleware(GraphQL(importlib.import_module(f"tests.router.club.{name}").schema), service=name)


async def test_a_trace_follows_the_request_from_the_router_into_each_subgraph(
    tmp_path: Path, spans: InMemorySpanExporter
) -> None:
    with fresh_data():
        async with running_club(tmp_path, replace={"roster": _served("roster"), "medical": _served("medical")}) as club:
            # when an operation needing two subgraphs runs through the router
            assert (await club.query(ROSTER_WITH_STATUS)).status_code == 200
    finished = list(spans.get_finished_spans())
    operation = _one(finished, "graphql operation")
    assert operation.kind is SpanKind.SERVER
    assert operation.attributes is not None
    assert operation.attributes["graphql.operation.name"] == "TracedRoster"
    for subgraph in ("roster", "medical"):
        fetch = _one(finished, f"fetch {subgraph}")
        served = _one(finished, f"{subgraph} POST /graphql")
        assert fetch.context is not None
        assert served.context is not None
        assert operation.context is not None
        # then every span is in the router's trace: the fetch under the operation, the subgraph's under the fetch
        assert fetch.kind is SpanKind.CLIENT
        assert fetch.parent is not None
        assert fetch.parent.span_id == operation.context.span_id
        assert served.kind is SpanKind.SERVER
        assert served.context.trace_id == operation.context.trace_id
        assert served.parent is not None
        assert served.parent.span_id == fetch.context.span_id
        assert served.parent.is_remote  # continued from the traceparent header, not shared memory


async def test_a_failed_subgraph_request_is_marked_on_its_span(tmp_path: Path, spans: InMemorySpanExporter) -> None:
    with fresh_data():
        async with running_club(tmp_path) as club:
            club.app.state.source.engine.client.urls["medical"] = "http://127.0.0.1:9/graphql"
            await club.query(ROSTER_WITH_STATUS)
    failed = [span for span in spans.get_finished_spans() if span.name == "fetch medical"]
    assert failed
    assert all(span.status.description == "SUBREQUEST_HTTP_ERROR" for span in failed)
