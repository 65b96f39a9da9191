"""ASGI middleware of every service: a request id for each request and one structured access log line."""

from __future__ import annotations

import logging
import time
import uuid
from contextlib import AbstractContextManager

from opentelemetry import propagate
from opentelemetry.trace import Span, SpanKind, Status, StatusCode
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.log import operation_var, request_id_var, service_var
from shared.telemetry import SERVICE_ATTRIBUTE, tracer

logger = logging.getLogger("hockey_hub.access")

REQUEST_ID_HEADER = b"x-request-id"
UNLOGGED_PATHS = frozenset({"/health", "/metrics"})
"""Probes and scrapes, every few seconds: a line each would drown the requests people make."""


class RequestLogMiddleware:
    def __init__(self, app: ASGIApp, *, service: str):
        self.app = app
        self.service = service
        self.tracer = tracer(service)
        """A no-op until the process exports traces (shared/telemetry.py)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        given = next((value for name, value in scope["headers"] if name == REQUEST_ID_HEADER), b"")
        # Accept a caller's id (the router's) when it is sane; otherwise make one.
        request_id = given.decode("latin-1") if 0 < len(given) <= 64 and given.isascii() else uuid.uuid4().hex
        tokens = (
            request_id_var.set(request_id),
            service_var.set(self.service),
            operation_var.set(None),
        )
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (REQUEST_ID_HEADER, request_id.encode())]
            await send(message)

        routine = scope["path"] in UNLOGGED_PATHS
        try:
            if routine:
                await self.app(scope, receive, send_with_id)
            else:
                with self._span(scope, request_id) as span:
                    await self.app(scope, receive, send_with_id)
                    if status >= 500:
                        span.set_status(Status(StatusCode.ERROR, f"HTTP {status}"))
        finally:
            if scope["type"] == "http" and not routine:
                logger.info(
                    "request",
                    extra={
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    },
                )
            for var, token in zip((request_id_var, service_var, operation_var), tokens, strict=True):
                var.reset(token)

    def _span(self, scope: Scope, request_id: str) -> AbstractContextManager[Span]:
        """The request's span, continuing the caller's trace (the router's `traceparent`) or starting one."""
        carrier = {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]}
        return self.tracer.start_as_current_span(
            f"{self.service} {scope.get('method', 'WEBSOCKET')} {scope['path']}",
            context=propagate.extract(carrier),
            kind=SpanKind.SERVER,
            attributes={SERVICE_ATTRIBUTE: self.service, "hockey_hub.request_id": request_id},
        )
