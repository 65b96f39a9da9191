"""Real HTTP servers on free local ports, started and stopped inside a test."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Iterator

import httpx
import uvicorn
from starlette.types import ASGIApp

from shared.settings import SERVICE_PORTS, Settings
from subgraphs.admin.app import create_app as create_admin_app
from tests.support.graphql import GraphQLClient
from tests.support.services import ServicePool


class _Server(uvicorn.Server):
    """Says when it is ready to serve; leaves the process's signal handlers to pytest."""

    def __init__(self, config: uvicorn.Config):
        super().__init__(config)
        self.ready = asyncio.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        self.ready.set()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _listening_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


@contextlib.asynccontextmanager
async def serving(app: ASGIApp) -> AsyncIterator[str]:
    """Serve the app (with its lifespan) on a free port; yields its base URL."""
    sock = _listening_socket()
    server = _Server(uvicorn.Config(app, log_config=None, access_log=False, lifespan="on", timeout_graceful_shutdown=2))
    serve = asyncio.create_task(server.serve(sockets=[sock]))
    ready = asyncio.create_task(server.ready.wait())
    done, _ = await asyncio.wait({serve, ready}, return_when=asyncio.FIRST_COMPLETED)
    if serve in done:
        ready.cancel()
        serve.result()
        raise RuntimeError("the server stopped while starting")
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await serve
        sock.close()


@contextlib.asynccontextmanager
async def silent_server() -> AsyncIterator[str]:
    """Accepts connections and never answers, like a hung process."""

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # until the client gives up and closes
        writer.close()

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    finally:
        server.close()
        await server.wait_closed()


def closed_port_url() -> str:
    """The address of a port nothing listens on: connecting is refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@contextlib.asynccontextmanager
async def admin_pointed_at(settings: Settings, urls: dict[str, str], pool: ServicePool) -> AsyncIterator[GraphQLClient]:
    """A dedicated admin app whose service URLs are `urls` (every other service: a closed port)."""
    service_urls = {name: urls.get(name) or closed_port_url() for name in SERVICE_PORTS}
    app = create_admin_app(settings.model_copy(update={"service_urls": service_urls}), health_timeout_seconds=1.0)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://admin") as http,
    ):
        yield GraphQLClient(http, pool.issuer)
