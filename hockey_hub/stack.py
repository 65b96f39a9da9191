"""uvicorn servers in one process and one event loop: the whole stack for `hockey-hub up`, or one service
or the router for `hockey-hub serve` and `hockey-hub router`, stopped gracefully on SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Coroutine, Iterator, Sequence
from dataclasses import dataclass

import uvicorn
from starlette.types import ASGIApp

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Listener:
    name: str
    app: ASGIApp
    host: str
    port: int
    websocket_compression: bool = True


class _Server(uvicorn.Server):
    """uvicorn chains its signal handlers across servers and re-raises the signal after shutdown, which
    kills the process before cleanup runs; the stack owns SIGINT and SIGTERM instead."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class StartupFailed(RuntimeError):
    pass


def run(main: Coroutine[object, object, None]) -> None:
    """`main` on uvloop when installed (uvicorn[standard] brings it), as `uvicorn.run` would."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover
        asyncio.run(main)
        return
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        runner.run(main)


async def serve(listeners: Sequence[Listener], *, graceful_seconds: int = 10) -> None:
    """Serve every listener until SIGINT/SIGTERM; if one fails to start, stop the others and raise."""
    servers = [
        _Server(
            uvicorn.Config(
                listener.app,
                host=listener.host,
                port=listener.port,
                log_config=None,
                access_log=False,
                lifespan="on",
                timeout_graceful_shutdown=graceful_seconds,
                ws_per_message_deflate=listener.websocket_compression,
            )
        )
        for listener in listeners
    ]

    def stop() -> None:
        for server in servers:
            server.should_exit = True

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)
    tasks = [
        asyncio.create_task(server.serve(), name=f"serve-{listener.name}")
        for server, listener in zip(servers, listeners, strict=True)
    ]
    try:
        while not all(server.started for server in servers):
            done = [task for task in tasks if task.done()]
            if done:
                stop()
                await asyncio.gather(*tasks, return_exceptions=True)
                failed = [
                    listener.name for server, listener in zip(servers, listeners, strict=True) if not server.started
                ]
                raise StartupFailed(f"could not start: {', '.join(failed)} (see the log above)")
            await asyncio.sleep(0.05)
        logger.info("stack ready", extra={"listeners": [f"{item.name}:{item.port}" for item in listeners]})
        await asyncio.gather(*tasks)
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
