"""OpenTelemetry traces exported over OTLP/HTTP when the operator asks for them, through the standard
variables: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (or `OTEL_EXPORTER_OTLP_ENDPOINT`, to which `/v1/traces`
is added), `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_BSP_*`,
`OTEL_TRACES_SAMPLER`. No endpoint, `OTEL_TRACES_EXPORTER=none` or `OTEL_SDK_DISABLED=true`: no SDK is
installed and every span stays the API's no-op.

One tracer provider per process: `hockey-hub up` runs the router and every service in one process, so its
spans share one resource; each span names the part of the process that made it in `hockey_hub.service`
(and its instrumentation scope, `hockey_hub.<service>`), which trace viewers can group and filter by.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator

from opentelemetry import trace

logger = logging.getLogger(__name__)

SERVICE_ATTRIBUTE = "hockey_hub.service"
"""The span attribute naming the service (or `router`) that made the span."""

_ENDPOINTS = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")


def tracer(service: str) -> trace.Tracer:
    """The tracer of one service (or the router): its spans carry its own instrumentation scope."""
    return trace.get_tracer(f"hockey_hub.{service}")


def exporting() -> bool:
    """Whether the environment asks for traces to be exported (see the module docstring)."""
    if os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    exporters = {name.strip().lower() for name in os.environ.get("OTEL_TRACES_EXPORTER", "otlp").split(",")}
    if "otlp" not in exporters:
        if exporters - {"none", ""}:
            logger.warning("only the otlp traces exporter is supported", extra={"exporters": sorted(exporters)})
        return False
    return any(os.environ.get(name, "").strip() for name in _ENDPOINTS)


@contextlib.contextmanager
def exported_traces(default_service_name: str) -> Iterator[None]:
    """Installs the SDK for the process while the block runs, when `exporting()`; on the way out the spans
    still batched are flushed and the exporter is shut down (a graceful stop loses no trace)."""
    if not exporting():
        yield
        return
    # Imported only here: a process that exports nothing never loads the SDK.
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    protocol = os.environ.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") or os.environ.get("OTEL_EXPORTER_OTLP_PROTOCOL")
    if protocol and protocol.strip() != "http/protobuf":
        logger.warning("traces are exported with OTLP over HTTP (http/protobuf)", extra={"protocol": protocol})
    resource = Resource.create()  # OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME, when set
    if str(resource.attributes.get(SERVICE_NAME, "")).startswith("unknown_service"):
        resource = resource.merge(Resource({SERVICE_NAME: default_service_name}))
    provider = TracerProvider(resource=resource, shutdown_on_exit=False)  # shut down below, not at exit
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    endpoint = os.environ.get(_ENDPOINTS[0]) or os.environ[_ENDPOINTS[1]].rstrip("/") + "/v1/traces"
    logger.info("exporting traces", extra={"endpoint": endpoint, "service_name": resource.attributes[SERVICE_NAME]})
    try:
        yield
    finally:
        provider.shutdown()  # flushes the batch processor, then closes the exporter


__all__ = ["SERVICE_ATTRIBUTE", "exported_traces", "exporting", "tracer"]
