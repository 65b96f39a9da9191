"""The router over HTTP under cProfile: the same app and server settings as `hockey-hub router`
(uvicorn on uvloop with httptools), profiling switched on by SIGUSR1 and written out by SIGUSR2
(then the process exits). The benchmark drives it with wrk between the two signals.

    python bench/profile_http.py --supergraph FILE --port N --out FILE.prof
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import pstats
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
import uvicorn

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from router.app import create_router_app  # noqa: E402
from router.settings import RouterSettings  # noqa: E402

AREAS = (
    ("router/planner", "router: planner"),
    ("router/executor/shape", "router: shaping"),
    ("router/executor/execute", "router: executing the plan"),
    ("router/executor/fetch", "router: subgraph client"),
    ("router/executor/traffic", "router: breaker and retry budget"),
    ("router/engine", "router: engine"),
    ("router/app", "router: HTTP endpoint"),
    ("aiohttp", "aiohttp (client to subgraphs)"),
    ("multidict", "aiohttp (client to subgraphs)"),
    ("yarl", "aiohttp (client to subgraphs)"),
    ("starlette", "starlette"),
    ("uvicorn", "uvicorn"),
    ("asyncio", "asyncio"),
    ("graphql/", "graphql-core"),
    ("uuid", "uuid (request ids)"),
)


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def area_of(filename: str, function: str) -> str:
    for needle, area in AREAS:
        if needle in filename:
            return area
    if filename == "~":
        if "orjson" in function:
            return "orjson (C)"
        if "uvloop" in function or "Loop" in function or "Transport" in function or "Handle" in function:
            return "uvloop (C)"
        return "builtins and C extensions"
    return "other Python"


async def main(args: argparse.Namespace) -> None:
    app = create_router_app(RouterSettings(supergraph=Path(args.supergraph), watch_seconds=0))
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=args.port,
        loop="none",
        http="httptools",
        log_config=None,
        access_log=False,
        lifespan="on",
    )
    server = _Server(config)
    profiler = cProfile.Profile()
    loop = asyncio.get_running_loop()
    finished = asyncio.Event()

    def start() -> None:
        profiler.enable()

    def stop() -> None:
        profiler.disable()
        finished.set()

    loop.add_signal_handler(signal.SIGUSR1, start)
    loop.add_signal_handler(signal.SIGUSR2, stop)
    loop.add_signal_handler(signal.SIGTERM, lambda: setattr(server, "should_exit", True))
    serving = asyncio.create_task(server.serve())
    await finished.wait()
    server.should_exit = True
    await serving
    profiler.dump_stats(args.out)
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("tottime").print_stats(40)
    stats.sort_stats("cumulative").print_stats(40)
    Path(args.out).with_suffix(".txt").write_text(text.getvalue())
    totals: dict[str, float] = {}
    for (filename, _line, function), row in stats.stats.items():  # type: ignore[attr-defined]
        area = area_of(filename, function)
        totals[area] = totals.get(area, 0.0) + row[2]
    Path(args.out).with_suffix(".areas.json").write_bytes(
        orjson.dumps(dict(sorted(totals.items(), key=lambda i: -i[1])))
    )


def cli() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--supergraph", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    import uvloop

    uvloop.run(main(args))
    return 0


if __name__ == "__main__":
    sys.exit(cli())
