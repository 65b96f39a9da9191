"""A local OTLP/HTTP trace receiver, as a collector would be: it accepts `POST /v1/traces` with a protobuf
`ExportTraceServiceRequest` and keeps every span it was sent, decoded, for a test to read."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.router.club.harness import serve
from tests.support.tcp_proxy import free_port

PROTOBUF = "application/x-protobuf"


@dataclass(frozen=True)
class ReceivedSpan:
    name: str
    trace_id: str
    span_id: str
    parent_span_id: str
    """Empty for a root span."""
    kind: str
    """SPAN_KIND_SERVER, SPAN_KIND_CLIENT, ..."""
    scope: str
    """The instrumentation scope (tracer name) that made the span."""
    attributes: dict[str, Any]
    resource: dict[str, Any]


@dataclass
class OtlpReceiver:
    endpoint: str
    """What OTEL_EXPORTER_OTLP_ENDPOINT is set to (the exporter adds /v1/traces)."""
    spans: list[ReceivedSpan] = field(default_factory=list)

    async def receive(self, request: Request) -> Response:
        if PROTOBUF not in request.headers.get("content-type", ""):
            return Response("OTLP/HTTP with protobuf only", status_code=415)
        export = ExportTraceServiceRequest()
        export.ParseFromString(await request.body())
        for resource_spans in export.resource_spans:
            resource = _attributes(resource_spans.resource.attributes)
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    self.spans.append(
                        ReceivedSpan(
                            name=span.name,
                            trace_id=span.trace_id.hex(),
                            span_id=span.span_id.hex(),
                            parent_span_id=span.parent_span_id.hex(),
                            kind=span.SpanKind.Name(span.kind),
                            scope=scope_spans.scope.name,
                            attributes=_attributes(span.attributes),
                            resource=resource,
                        )
                    )
        return Response(ExportTraceServiceResponse().SerializeToString(), media_type=PROTOBUF)


def _attributes(pairs: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for pair in pairs:
        assert isinstance(pair, KeyValue)
        found[pair.key] = _value(pair.value)
    return found


def _value(value: AnyValue) -> Any:
    kind = value.WhichOneof("value")
    return getattr(value, kind) if kind in ("string_value", "bool_value", "int_value", "double_value") else None


@contextlib.asynccontextmanager
async def otlp_receiver() -> AsyncIterator[OtlpReceiver]:
    """The receiver on a free local port, for as long as the block runs."""
    port = free_port()
    receiver = OtlpReceiver(f"http://127.0.0.1:{port}")
    server, task = await serve(Starlette(routes=[Route("/v1/traces", receiver.receive, methods=["POST"])]), port)
    try:
        yield receiver
    finally:
        server.should_exit = True
        await task
