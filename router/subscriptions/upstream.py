"""A subscription at the subgraph that owns its root field: one WebSocket speaking graphql-transport-ws,
opened with the caller's headers (the subgraph verifies the token itself), yielding each event's
`payload` until the subgraph completes it. A socket that drops or a subgraph that errors ends the
stream with `UpstreamEnded`, which the client receives as an error message, never as silence."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping
from typing import Any

import aiohttp
import orjson

from router.subscriptions.protocol import SUBPROTOCOL, encode

ACK_TIMEOUT_SECONDS = 10.0


class UpstreamEnded(Exception):
    """The subgraph ended the subscription other than by completing it."""

    def __init__(self, service: str, message: str, errors: list[dict[str, Any]] | None = None):
        super().__init__(message)
        self.service = service
        self.errors = errors or [
            {"message": message, "extensions": {"code": "SUBSCRIPTION_UPSTREAM_ENDED", "service": service}}
        ]


def websocket_url(http_url: str) -> str:
    return "ws" + http_url.removeprefix("http") if http_url.startswith("http") else http_url


async def subscribe(
    session: aiohttp.ClientSession,
    service: str,
    url: str,
    body: Mapping[str, Any],
    headers: Mapping[str, str],
) -> AsyncIterator[dict[str, Any]]:
    """Each `next` payload of the subscription `body` (query, variables, extensions) at `url`."""
    try:
        socket = await session.ws_connect(
            websocket_url(url), protocols=(SUBPROTOCOL,), headers=dict(headers), heartbeat=30, autoping=True
        )
    except (aiohttp.ClientError, OSError) as error:
        raise UpstreamEnded(service, f"subgraph {service} refused the subscription: {error}") from error
    try:
        authorization = headers.get("authorization")
        await socket.send_str(
            encode("connection_init", payload={"Authorization": authorization} if authorization else {})
        )
        await _acknowledged(socket, service)
        await socket.send_str(encode("subscribe", "1", dict(body)))
        async for frame in socket:
            if frame.type != aiohttp.WSMsgType.TEXT:
                break
            message = orjson.loads(frame.data)
            kind = message.get("type") if isinstance(message, dict) else None
            if kind == "next":
                payload = message.get("payload")
                yield payload if isinstance(payload, dict) else {}
            elif kind == "error":
                errors = message.get("payload")
                raise UpstreamEnded(
                    service,
                    f"subgraph {service} refused the subscription",
                    errors_from(service, errors) if isinstance(errors, list) else None,
                )
            elif kind == "complete":
                return
            elif kind == "ping":
                await socket.send_str(encode("pong"))
        raise UpstreamEnded(service, f"subgraph {service} closed the subscription (code {socket.close_code})")
    finally:
        if not socket.closed:
            with contextlib.suppress(Exception):
                await socket.send_str(encode("complete", "1"))
            await socket.close()


async def _acknowledged(socket: aiohttp.ClientWebSocketResponse, service: str) -> None:
    try:
        async with asyncio.timeout(ACK_TIMEOUT_SECONDS):
            while True:
                frame = await socket.receive()
                if frame.type != aiohttp.WSMsgType.TEXT:
                    raise UpstreamEnded(service, f"subgraph {service} closed the socket before accepting it")
                message = orjson.loads(frame.data)
                if isinstance(message, dict) and message.get("type") == "connection_ack":
                    return
                if isinstance(message, dict) and message.get("type") == "ping":
                    await socket.send_str(encode("pong"))
    except TimeoutError as error:
        raise UpstreamEnded(service, f"subgraph {service} did not acknowledge the connection") from error


def errors_from(service: str, errors: list[Any]) -> list[dict[str, Any]]:
    """A subgraph's errors as the client receives them: each names the subgraph."""
    return [_from(service, error) for error in errors]


def _from(service: str, error: Any) -> dict[str, Any]:
    if not isinstance(error, dict):
        return {"message": str(error), "extensions": {"service": service}}
    extensions = dict(error.get("extensions") or {})
    extensions.setdefault("service", service)
    return {**error, "extensions": extensions}
