"""ASGI middleware of every service: a request id for each request and one structured access log line."""

from __future__ import annotations

import logging
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.log import operation_var, request_id_var, service_var

logger = logging.getLogger("hockey_hub.access")

REQUEST_ID_HEADER = b"x-request-id"


class RequestLogMiddleware:
    def __init__(self, app: ASGIApp, *, service: str):
        self.app = app
        self.service = service

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

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if scope["type"] == "http" and scope["path"] != "/health":
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
