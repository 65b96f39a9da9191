"""A graphql-transport-ws client for tests: the protocol the router and the subgraphs speak, over a real
socket, with helpers to read one operation's messages."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
from starlette.applications import Starlette
from starlette.types import ASGIApp
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from router.app import create_router_app
from router.settings import RouterSettings
from tests.router.club.harness import serve_anywhere
from tests.support.services import ServicePool


async def send(socket: ClientConnection, kind: str, message_id: str | None = None, payload: Any = None) -> None:
    """One graphql-transport-ws message, built from its parts."""
    message: dict[str, Any] = {"type": kind}
    if message_id is not None:
        message["id"] = message_id
    if payload is not None:
        message["payload"] = payload
    await socket.send(orjson.dumps(message).decode())


async def receive(socket: ClientConnection, within: float = 5) -> dict[str, Any]:
    """The socket's next message, decoded; fails after `within` seconds."""
    message: dict[str, Any] = orjson.loads(await asyncio.wait_for(socket.recv(), timeout=within))
    return message


async def closed(socket: ClientConnection) -> None:
    """Close the socket and read what is left until the close handshake is done."""
    await socket.close()
    try:
        async for _ in socket:
            pass
    except ConnectionClosed:
        pass


@contextlib.asynccontextmanager
async def served(app: ASGIApp) -> AsyncIterator[str]:
    """The app (its lifespan already running) on a real port: its WebSocket URL."""
    server, task, port = await serve_anywhere(app)
    try:
        yield f"ws://127.0.0.1:{port}/graphql"
    finally:
        server.should_exit = True
        await task


@contextlib.asynccontextmanager
async def router_over(
    services: ServicePool, names: tuple[str, ...] = ("user", "communication")
) -> AsyncIterator[tuple[str, httpx.AsyncClient, Starlette]]:
    """The router on a real port over the real subgraphs `names` (user among them, for its keys): its
    WebSocket URL, an HTTP client on it, and the app (to count what it holds)."""
    async with contextlib.AsyncExitStack() as stack:
        urls = {}
        for name in names:
            websocket_url = await stack.enter_async_context(served((await services.get(name)).app))
            urls[name] = websocket_url.replace("ws://", "http://")
        jwks_url = urls["user"].replace("/graphql", "/.well-known/jwks.json")
        router = create_router_app(RouterSettings(subgraph_urls=urls, watch_seconds=0, jwks_url=jwks_url))
        await stack.enter_async_context(router.router.lifespan_context(router))
        url = await stack.enter_async_context(served(router))
        http = await stack.enter_async_context(
            httpx.AsyncClient(base_url=url.replace("ws://", "http://").removesuffix("/graphql"), timeout=30)
        )
        yield url, http, router


class LiveClient:
    def __init__(self, socket: ClientConnection):
        self.socket = socket
        self.inbox: dict[str, asyncio.Queue[dict[str, Any]]] = {}

    @classmethod
    @contextlib.asynccontextmanager
    async def connected(cls, url: str, token: str) -> AsyncIterator[LiveClient]:
        """A socket acknowledged for the bearer `token` (sent on the upgrade and in connection_init)."""
        headers = {"Authorization": f"Bearer {token}"}
        async with connect(url, subprotocols=["graphql-transport-ws"], additional_headers=headers) as socket:  # type: ignore[list-item]
            await socket.send(orjson.dumps({"type": "connection_init", "payload": headers}).decode())
            ack = orjson.loads(await asyncio.wait_for(socket.recv(), timeout=5))
            assert ack["type"] == "connection_ack", ack
            client = cls(socket)
            reader = asyncio.create_task(client._read())
            try:
                yield client
            finally:
                reader.cancel()

    async def _read(self) -> None:
        async for raw in self.socket:
            message = orjson.loads(raw)
            if message.get("type") == "ping":
                await self.socket.send('{"type": "pong"}')
            elif "id" in message:
                self.inbox.setdefault(message["id"], asyncio.Queue()).put_nowait(message)

    async def subscribe(self, operation_id: str, query: str, variables: dict[str, Any] | None = None) -> None:
        self.inbox.setdefault(operation_id, asyncio.Queue())
        payload = {"query": query, "variables": variables or {}}
        await self.socket.send(orjson.dumps({"type": "subscribe", "id": operation_id, "payload": payload}).decode())

    async def complete(self, operation_id: str) -> None:
        await self.socket.send(orjson.dumps({"type": "complete", "id": operation_id}).decode())

    async def message(self, operation_id: str, *, within: float = 5) -> dict[str, Any]:
        """The operation's next message, whatever its type."""
        return await asyncio.wait_for(self.inbox.setdefault(operation_id, asyncio.Queue()).get(), within)

    async def data(self, operation_id: str, *, within: float = 5) -> Any:
        """The data of the operation's next `next` message; fails on an error or the end."""
        message = await self.message(operation_id, within=within)
        assert message["type"] == "next", message
        assert not message["payload"].get("errors"), message
        return message["payload"]["data"]

    async def nothing(self, operation_id: str, *, within: float = 0.3) -> bool:
        """True when no message arrives for the operation within `within` seconds."""
        try:
            await self.message(operation_id, within=within)
        except TimeoutError:
            return True
        return False
