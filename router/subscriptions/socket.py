"""GraphQL over WebSocket at /graphql: one `Connection` per socket, speaking graphql-transport-ws.

The caller authenticates once in `connection_init` with the same token rules as HTTP (a bad token
closes the socket with 4401). The token's life is watched: when it expires, or its session is ended,
the socket closes with 4403 so the client reconnects with a fresh token. Queries and mutations are
answered with one `next` and a `complete`; subscriptions stream one `next` per event until either side
completes them. Every operation runs in its own task, all of them cancelled when the socket goes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from starlette.websockets import WebSocket, WebSocketDisconnect

from router.auth.authenticate import ANONYMOUS_CALLER, Authenticator, Caller
from router.subscriptions.protocol import (
    SUBPROTOCOL,
    Close,
    Message,
    ProtocolViolation,
    SubscribePayload,
    bearer_from_init,
    encode,
    parse,
    subscribe_payload,
)
from router.traffic_control.admission import Gate
from shared.errors import Unauthenticated

logger = logging.getLogger("hockey_hub.router.websocket")

SUBPROTOCOL_NOT_ACCEPTABLE = 4406


@dataclass(frozen=True, slots=True)
class SocketOperation:
    """One `subscribe` message, with who sent it: what an `Operations` implementation runs."""

    payload: SubscribePayload
    caller: Caller
    headers: Mapping[str, str]
    """Forwarded to the subgraphs for every fetch, the entity fetches of each event included."""
    admit: Gate | None = None
    """Traffic control for the operation (rate limits), as for HTTP."""


class Operations(Protocol):
    def stream(self, operation: SocketOperation) -> AsyncIterator[dict[str, Any]]:
        """Each result to send as `next`: one for a query or mutation, one per event for a subscription.
        Raising `OperationRefused` sends `error` (the operation did not start)."""


class OperationRefused(Exception):
    def __init__(self, errors: list[dict[str, Any]]):
        super().__init__(errors[0].get("message") if errors else "refused")
        self.errors = errors


@dataclass(frozen=True, slots=True)
class SocketSettings:
    init_timeout_seconds: float = 10.0
    keepalive_seconds: float = 15.0
    """A server `ping` this often keeps proxies from closing an idle socket; 0 turns it off."""
    max_operations: int = 100
    """Operations one socket may run at once."""


class Connection:
    def __init__(
        self,
        websocket: WebSocket,
        authenticator: Authenticator,
        operations: Callable[[], Operations],
        settings: SocketSettings,
        gate: Callable[[SubscribePayload, Caller], Gate] | None = None,
    ):
        self.websocket = websocket
        self.authenticator = authenticator
        self.operations = operations
        self.settings = settings
        self.gate = gate
        """Traffic control (rate limits) for each operation the socket starts, as for an HTTP request."""
        self.caller: Caller | None = None
        self.authorization: str | None = None
        self.running: dict[str, asyncio.Task[None]] = {}
        self.send_lock = asyncio.Lock()
        self.request_id = websocket.headers.get("x-request-id") or uuid.uuid4().hex

    async def serve(self) -> None:
        if SUBPROTOCOL not in self.websocket.scope.get("subprotocols", []):
            await self.websocket.close(SUBPROTOCOL_NOT_ACCEPTABLE, "Subprotocol not acceptable")
            return
        await self.websocket.accept(subprotocol=SUBPROTOCOL)
        watchers = [asyncio.create_task(self._watch_initialisation())]
        if self.settings.keepalive_seconds > 0:
            watchers.append(asyncio.create_task(self._keep_alive()))
        try:
            await self._receive()
        except ProtocolViolation as violation:
            await self._close(violation.code, violation.reason)
        except WebSocketDisconnect:
            pass
        finally:
            for task in [*watchers, *self.running.values()]:
                task.cancel()
            await asyncio.gather(*watchers, *self.running.values(), return_exceptions=True)
            self.running.clear()

    async def _receive(self) -> None:
        while True:
            message = parse(await self._next_frame())
            match message.type:
                case "connection_init":
                    await self._initialise(message)
                case "ping":
                    await self._send(encode("pong", payload=message.payload))
                case "pong":
                    pass
                case "subscribe":
                    self._subscribe(message)
                case "complete":
                    assert message.id is not None
                    if task := self.running.pop(message.id, None):
                        task.cancel()

    async def _next_frame(self) -> str | bytes:
        """The next message's text; a client library that sends JSON in binary frames is understood too."""
        frame = await self.websocket.receive()
        if frame["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(frame.get("code", 1000), frame.get("reason"))
        text: str | None = frame.get("text")
        if text is not None:
            return text
        data: bytes | None = frame.get("bytes")
        return data if data is not None else b""

    async def _initialise(self, message: Message) -> None:
        if self.caller is not None:
            raise ProtocolViolation(Close.TOO_MANY_INITS, "Too many initialisation requests")
        authorization = bearer_from_init(message.payload)
        try:
            caller = await self.authenticator.caller(authorization)
        except Unauthenticated as error:
            raise ProtocolViolation(Close.UNAUTHORIZED, error.message) from error
        self.caller, self.authorization = caller, authorization
        await self._send(encode("connection_ack"))
        if caller is not ANONYMOUS_CALLER and isinstance(expiry := caller.claims.get("exp"), int | float):
            task = asyncio.create_task(self._watch_token(float(expiry), caller.claims.get("sid")))
            self.running["\0token"] = task  # cancelled with the rest when the socket goes

    def _subscribe(self, message: Message) -> None:
        assert message.id is not None
        if self.caller is None:
            raise ProtocolViolation(Close.UNAUTHORIZED, "Unauthorized")
        if message.id in self.running:
            raise ProtocolViolation(Close.SUBSCRIBER_EXISTS, f"Subscriber for {message.id} already exists")
        if len(self.running) >= self.settings.max_operations:
            raise ProtocolViolation(Close.BAD_REQUEST, f"at most {self.settings.max_operations} operations per socket")
        headers = {"x-request-id": f"{self.request_id}:{message.id}"}
        if self.authorization:
            headers["authorization"] = self.authorization
        payload = subscribe_payload(message)
        admit = self.gate(payload, self.caller) if self.gate is not None else None
        operation = SocketOperation(payload, self.caller, headers, admit)
        self.running[message.id] = asyncio.create_task(self._run(message.id, operation))

    async def _run(self, operation_id: str, operation: SocketOperation) -> None:
        try:
            async for result in self.operations().stream(operation):
                await self._send(encode("next", operation_id, result))
        except OperationRefused as refused:
            self.running.pop(operation_id, None)
            await self._send(encode("error", operation_id, refused.errors))
            return
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("websocket operation failed", extra={"request_id": self.request_id})
            self.running.pop(operation_id, None)
            error = {"message": "internal error", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}
            await self._send(encode("error", operation_id, [error]))
            return
        if self.running.pop(operation_id, None) is not None:
            await self._send(encode("complete", operation_id))

    async def _watch_initialisation(self) -> None:
        await asyncio.sleep(self.settings.init_timeout_seconds)
        if self.caller is None:
            await self._close(Close.INIT_TIMEOUT, "Connection initialisation timeout")

    async def _watch_token(self, expires_at: float, session_id: Any) -> None:
        """Close with 4403 when the token expires or its session is ended (checked every few seconds)."""
        revoked = self.authenticator.verifier.revoked
        while True:
            left = expires_at - time.time()
            if left <= 0:
                await self._close(Close.FORBIDDEN, "Forbidden: the token has expired")
                return
            if revoked is not None and revoked.is_revoked(session_id if isinstance(session_id, str) else None):
                await self._close(Close.FORBIDDEN, "Forbidden: the sign-in session has ended")
                return
            await asyncio.sleep(min(left, 2.0))

    async def _keep_alive(self) -> None:
        while True:
            await asyncio.sleep(self.settings.keepalive_seconds)
            await self._send(encode("ping"))

    async def _send(self, text: str) -> None:
        async with self.send_lock:
            with contextlib.suppress(RuntimeError, WebSocketDisconnect):  # the socket went meanwhile
                await self.websocket.send_text(text)

    async def _close(self, code: int, reason: str) -> None:
        async with self.send_lock:
            with contextlib.suppress(RuntimeError, WebSocketDisconnect):
                await self.websocket.close(code, reason)


OperationsFactory = Callable[[], Operations]
Endpoint = Callable[[WebSocket], Awaitable[None]]
