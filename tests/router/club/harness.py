"""The fixture club served for real: each subgraph over HTTP on a free port, the router in front of them."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import importlib
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import httpx
import orjson
import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.printer import print_schema

from router.app import create_router_app
from router.composition import SubgraphSource, compose
from router.settings import RouterSettings
from shared.auth.keys import Keyring, generate_key_pair
from shared.auth.principal import Role
from shared.auth.revocation import SessionRevocations
from shared.auth.tokens import TokenIssuer
from tests.router.club import data
from tests.support.principals import principal

SUBGRAPHS = ("roster", "medical", "stats", "training", "scouting")
ISSUER = "hockey-hub"
AUDIENCE = "hockey-hub"


def _club_keyring() -> Keyring:
    pair = generate_key_pair()
    return Keyring.from_pems(pair.public_pem, pair.private_pem)


KEYRING = _club_keyring()
"""The key the club's identity provider signs with; the router finds it in the key set the harness serves."""
TOKENS = TokenIssuer(KEYRING, issuer=ISSUER, audience=AUDIENCE)


def token_for(*roles: Role) -> str:
    return TOKENS.issue(principal(*roles, organization_id=None))


class KeySetServer:
    """Serves a JSON Web Key Set as the user service does, counting fetches; `keyring` can be swapped."""

    def __init__(self, keyring: Keyring):
        self.keyring = keyring
        self.fetches = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert scope["type"] == "http"
        self.fetches += 1
        body = orjson.dumps(self.keyring.jwks())
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": body})


class Recorder:
    """Wraps a subgraph app and keeps every GraphQL request body it receives."""

    def __init__(self, app: ASGIApp, log: list[dict[str, Any]]):
        self.app = app
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        entry = orjson.loads(body)
        entry["_headers"] = {name.decode(): value.decode() for name, value in scope["headers"]}
        self.log.append(entry)
        delivered = False

        async def replay() -> MutableMapping[str, Any]:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


@dataclass
class Club:
    urls: dict[str, str]
    supergraph_file: Path
    router: httpx.AsyncClient
    app: Any
    requests: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    key_set: KeySetServer | None = None

    async def query(
        self, query: str, variables: dict[str, Any] | None = None, *, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        return await self.router.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        response = await self.query(query, variables)
        body = response.json()
        assert response.status_code == 200, body
        assert "errors" not in body, body["errors"]
        return body["data"]

    def plan(self, query: str, operation_name: str | None = None) -> str:
        prepared = self.app.state.source.engine.prepare(query, operation_name)
        assert not prepared.errors, prepared.errors
        return str(prepared.plan.describe())

    def clear(self) -> None:
        for log in self.requests.values():
            log.clear()


async def serve(
    app: ASGIApp, port: int, *, lifespan: Literal["on", "off"] = "off", sock: socket.socket | None = None
) -> tuple[uvicorn.Server, asyncio.Task[None]]:
    """The app on 127.0.0.1:`port`, or on `sock` (already bound) when given."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan=lifespan))
    task = asyncio.create_task(server.serve(sockets=[sock] if sock is not None else None))
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    return server, task


async def serve_anywhere(
    app: ASGIApp, *, lifespan: Literal["on", "off"] = "off"
) -> tuple[uvicorn.Server, asyncio.Task[None], int]:
    """The app on a port the system picks as it binds: no other process (another test worker) can take it
    between a probe and the bind."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port: int = sock.getsockname()[1]
    server, task = await serve(app, port, lifespan=lifespan, sock=sock)
    return server, task, port


def compose_club(urls: dict[str, str]) -> str:
    sources = [
        SubgraphSource(name, urls[name], print_schema(importlib.import_module(f"tests.router.club.{name}").schema))
        for name in SUBGRAPHS
    ]
    result = compose(sources)
    assert result.supergraph_sdl, [str(e) for e in result.errors]
    return result.supergraph_sdl


@contextlib.asynccontextmanager
async def running_club(
    folder: Path,
    *,
    timeout_seconds: float = 1.0,
    replace: dict[str, ASGIApp] | None = None,
    revocations: SessionRevocations | None = None,
    **settings_overrides: Any,
) -> AsyncIterator[Club]:
    """The five fixture subgraphs (or stand-ins from `replace`) on real ports, and the router over them."""
    requests: dict[str, list[dict[str, Any]]] = {name: [] for name in SUBGRAPHS}
    servers: list[tuple[uvicorn.Server, asyncio.Task[None]]] = []
    urls: dict[str, str] = {}
    for name in SUBGRAPHS:
        app = (replace or {}).get(name) or GraphQL(importlib.import_module(f"tests.router.club.{name}").schema)
        server, task, port = await serve_anywhere(Recorder(app, requests[name]))
        servers.append((server, task))
        urls[name] = f"http://127.0.0.1:{port}/graphql"
    key_set = KeySetServer(KEYRING)
    server, task, key_set_port = await serve_anywhere(key_set)
    servers.append((server, task))
    supergraph = folder / "supergraph.graphql"
    supergraph.write_text(compose_club(urls))
    settings = RouterSettings(
        supergraph=supergraph,
        watch_seconds=0.05,
        subgraph_timeout_seconds=timeout_seconds,
        subgraph_retries=1,
        breaker_failures=3,
        breaker_open_seconds=30,
        jwks_url=f"http://127.0.0.1:{key_set_port}/.well-known/jwks.json",
        jwks_refresh_seconds=0.5,
        jwt_issuer=ISSUER,
        jwt_audience=AUDIENCE,
        **settings_overrides,
    )
    app = create_router_app(settings, revocations=revocations)
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://router", timeout=30) as client,
        ):
            yield Club(urls, supergraph, client, app, requests, key_set)
    finally:
        for server, _ in servers:
            server.should_exit = True
        await asyncio.gather(*(task for _, task in servers), return_exceptions=True)


@contextlib.contextmanager
def fresh_data() -> Any:
    """The fixture data as it started, whatever a test changed."""
    saved = {name: copy.deepcopy(getattr(data, name)) for name in ("TEAMS", "PLAYERS", "INJURIES", "STATS", "ACTIVITY")}
    data.MUTATIONS.clear()
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(data, name, value)
        data.MUTATIONS.clear()


Handler = Callable[[dict[str, Any]], Awaitable[tuple[int, bytes]]]


def stand_in(handler: Handler) -> ASGIApp:
    """A fake subgraph answering with whatever `handler` returns for a request body."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        status, payload = await handler(orjson.loads(body) if body else {})
        await send(
            {"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/json")]}
        )
        await send({"type": "http.response.body", "body": payload})

    return app
