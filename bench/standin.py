"""The subgraphs' stand-in for the router benchmark: one process on uvloop, a raw asyncio HTTP/1.1 server
(httptools parser), serving every subgraph at `/<subgraph>/graphql`.

Two modes, switched at run time through `/__standin/...` control paths:

* `record`: each request is forwarded to the real subgraph (aiohttp), and the answer is kept, keyed
  by (subgraph, request body);
* `replay`: each request is answered from the recording, with prebuilt response bytes and no JSON
  work at all, so that the gateway in front of it is the bottleneck. A body that was never recorded
  gets HTTP 500 with a GraphQL error and is counted (`misses`).

    python bench/standin.py --port 4600 --upstream user=http://127.0.0.1:3101/graphql ...

Control: `POST /__standin/mode` (body `record` or `replay`), `GET /__standin/stats`,
`GET /__standin/recording` (JSON), `POST /__standin/load` (a recording as JSON), `POST /__standin/reset-stats`,
`GET /__standin/forwards` (the requests forwarded since the last call, with the subgraph's answer time).
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp
import httptools
import orjson
import uvloop

CONTROL = b"/__standin/"
FORWARDED = ("authorization", "content-type", "accept", "x-request-id")


def _http_response(status: int, body: bytes, *, keep_alive: bool = True) -> bytes:
    reason = {200: b"OK", 400: b"Bad Request", 404: b"Not Found", 500: b"Internal Server Error"}.get(status, b"OK")
    head = b"HTTP/1.1 %d %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\n" % (status, reason, len(body))
    head += b"connection: keep-alive\r\n\r\n" if keep_alive else b"connection: close\r\n\r\n"
    return head + body


def _canonical(body: bytes) -> bytes | None:
    """The body with sorted keys: a fallback key for a client that orders JSON keys differently."""
    try:
        return orjson.dumps(orjson.loads(body), option=orjson.OPT_SORT_KEYS)
    except orjson.JSONDecodeError:
        return None


class Store:
    def __init__(self, upstreams: dict[str, str]):
        self.upstreams = upstreams
        self.mode = "replay"
        # (subgraph, body) -> full HTTP response bytes (status line, headers, body), ready to write
        self.replies: dict[tuple[bytes, bytes], bytes] = {}
        self.canonical: dict[tuple[bytes, bytes], bytes] = {}
        self.recorded: dict[tuple[bytes, bytes], tuple[int, bytes]] = {}
        self.hits: Counter[str] = Counter()
        self.misses: Counter[str] = Counter()
        self.canonical_hits = 0
        self.missed_samples: list[dict[str, str]] = []
        self.conflicts = 0
        self.session: aiohttp.ClientSession | None = None
        self.forwards: list[dict[str, Any]] = []
        """Each forwarded request since the last `/__standin/forwards`: subgraph, milliseconds, sizes."""

    def add(self, service: bytes, request: bytes, status: int, response: bytes) -> None:
        key = (service, request)
        if key in self.recorded:
            if self.recorded[key] != (status, response):
                self.conflicts += 1
            return  # the first answer wins: replays stay deterministic
        self.recorded[key] = (status, response)
        reply = _http_response(status, response)
        self.replies[key] = reply
        canonical = _canonical(request)
        if canonical is not None:
            self.canonical[(service, canonical)] = reply

    def lookup(self, service: bytes, request: bytes) -> bytes | None:
        reply = self.replies.get((service, request))
        if reply is not None:
            self.hits[service.decode()] += 1
            return reply
        canonical = _canonical(request)
        reply = self.canonical.get((service, canonical)) if canonical is not None else None
        if reply is not None:
            self.canonical_hits += 1
            self.hits[service.decode()] += 1
            return reply
        self.misses[service.decode()] += 1
        if len(self.missed_samples) < 20:
            self.missed_samples.append({"subgraph": service.decode(), "body": request.decode(errors="replace")[:2000]})
        return None

    def dump(self) -> list[dict[str, Any]]:
        return [
            {"subgraph": s.decode(), "request": r.decode(), "status": status, "response": body.decode()}
            for (s, r), (status, body) in self.recorded.items()
        ]

    def load(self, entries: list[dict[str, Any]]) -> None:
        for entry in entries:
            self.add(entry["subgraph"].encode(), entry["request"].encode(), entry["status"], entry["response"].encode())

    def stats(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "recorded": len(self.recorded),
            "hits": dict(self.hits),
            "misses": dict(self.misses),
            "canonical_hits": self.canonical_hits,
            "conflicts": self.conflicts,
            "missed_samples": self.missed_samples,
        }

    async def forward(self, service: bytes, body: bytes, headers: dict[str, str]) -> bytes:
        upstream = self.upstreams.get(service.decode())
        if upstream is None:
            return _http_response(404, b'{"errors":[{"message":"bench stand-in: unknown subgraph"}]}')
        if self.session is None:
            self.session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0, limit_per_host=64))
        sent = {name: value for name, value in headers.items() if name in FORWARDED}
        started = time.perf_counter()
        try:
            async with self.session.post(upstream, data=body, headers=sent) as response:
                status, answer = response.status, await response.read()
        except aiohttp.ClientError as error:
            message = orjson.dumps({"errors": [{"message": f"bench stand-in: upstream failed: {error!r}"}]})
            return _http_response(500, message)
        self.forwards.append(
            {
                "subgraph": service.decode(),
                "ms": round((time.perf_counter() - started) * 1000, 2),
                "request_bytes": len(body),
                "response_bytes": len(answer),
            }
        )
        self.add(service, body, status, answer)
        return _http_response(status, answer)


class Protocol(asyncio.Protocol):
    __slots__ = ("body", "headers", "parser", "pending", "store", "transport", "url")

    def __init__(self, store: Store):
        self.store = store
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpRequestParser(self)
        self.url = b""
        self.body: list[bytes] = []
        self.headers: dict[str, str] = {}
        self.pending: asyncio.Task[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's transports are not asyncio.Transport

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            if self.transport is not None:
                self.transport.write(_http_response(400, b'{"errors":[{"message":"bad request"}]}', keep_alive=False))
                self.transport.close()

    # httptools callbacks
    def on_message_begin(self) -> None:
        self.url = b""
        self.body = []
        self.headers = {}

    def on_url(self, url: bytes) -> None:
        self.url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        if self.store.mode == "record" or self.url.startswith(CONTROL):
            self.headers[name.decode().lower()] = value.decode()

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        url = self.url
        body = self.body[0] if len(self.body) == 1 else b"".join(self.body)
        transport = self.transport
        assert transport is not None
        if url.startswith(CONTROL):
            transport.write(self.control(url[len(CONTROL) :], body))
            return
        # "/<subgraph>/graphql"
        service = url[1:].split(b"/", 1)[0]
        store = self.store
        if store.mode == "replay":
            reply = store.lookup(service, body)
            if reply is None:
                reply = _http_response(
                    500, b'{"data":null,"errors":[{"message":"bench stand-in: no recording for this request"}]}'
                )
            transport.write(reply)
            return
        # record: forward, and answer when the subgraph has (clients do not pipeline requests)
        self.pending = asyncio.get_running_loop().create_task(self._forward(service, body, dict(self.headers)))

    async def _forward(self, service: bytes, body: bytes, headers: dict[str, str]) -> None:
        reply = await self.store.forward(service, body, headers)
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(reply)

    def control(self, action: bytes, body: bytes) -> bytes:
        store = self.store
        if action == b"mode":
            mode = body.decode().strip()
            if mode not in ("record", "replay"):
                return _http_response(400, b'{"error":"mode is record or replay"}')
            store.mode = mode
            return _http_response(200, orjson.dumps({"mode": mode}))
        if action == b"stats":
            return _http_response(200, orjson.dumps(store.stats()))
        if action == b"reset-stats":
            store.hits.clear()
            store.misses.clear()
            store.canonical_hits = 0
            store.missed_samples.clear()
            return _http_response(200, b"{}")
        if action == b"forwards":
            forwards, store.forwards = store.forwards, []
            return _http_response(200, orjson.dumps(forwards))
        if action == b"recording":
            return _http_response(200, orjson.dumps(store.dump()))
        if action == b"load":
            store.load(orjson.loads(body))
            return _http_response(200, orjson.dumps({"recorded": len(store.recorded)}))
        return _http_response(404, b'{"error":"unknown control action"}')

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None


async def main(port: int, upstreams: dict[str, str], mode: str, recording: list[dict[str, Any]]) -> None:
    store = Store(upstreams)
    store.mode = mode
    store.load(recording)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: Protocol(store), "127.0.0.1", port, backlog=1024)
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    print(f"stand-in ready on {port} ({mode}, {len(store.recorded)} recorded)", flush=True)
    await stop.wait()
    server.close()
    if store.session is not None:
        await store.session.close()


def cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--upstream", action="append", default=[], help="NAME=URL of the real subgraph (record)")
    parser.add_argument("--mode", choices=["record", "replay"], default="replay")
    parser.add_argument("--recording", help="a recording (JSON) to load at start")
    args = parser.parse_args(argv)
    upstreams = dict(item.split("=", 1) for item in args.upstream)
    recording = orjson.loads(Path(args.recording).read_bytes()) if args.recording else []
    uvloop.run(main(args.port, upstreams, args.mode, recording))
    return 0


if __name__ == "__main__":
    sys.exit(cli())
