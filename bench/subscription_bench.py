"""Subscription fan-out: 1,000 WebSocket clients on one router follow a team conversation; a coach sends
chat messages; how long until each client has each message (send -> receive, p50/p95/p99/max).

    .venv/bin/python bench/subscription_bench.py [--clients 1000] [--messages 20] [--every 0.5]

Runs against the servers on this machine (PostgreSQL, Redis), in processes of their own like production:
the user service (keys, JWKS), the communication service and the router (`hockey-hub serve` and
`hockey-hub router`), on ports 3300-3302, with throwaway databases and a key folder in a temporary
directory. The clients run in this process (uvloop), each timed as its frame's bytes arrive (see
`Subscriber`). Two rounds:
  distinct  every client is another team member: one subgraph subscription per client, as it must be
            (each person's access is the subgraph's to check);
  devices   every client is the same person (devices of one account): the router shares one stream.
Target (issue 6): p99 delivery under 100 ms for 1,000 subscribers.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import orjson  # noqa: E402
from websockets.client import ClientProtocol  # noqa: E402
from websockets.frames import Frame, Opcode  # noqa: E402
from websockets.http11 import Response  # noqa: E402
from websockets.typing import Subprotocol  # noqa: E402
from websockets.uri import parse_uri  # noqa: E402

from shared.auth.keys import KeyringFile, rotate_keys  # noqa: E402
from shared.auth.principal import Principal, Role  # noqa: E402
from shared.auth.tokens import TokenIssuer  # noqa: E402
from shared.settings import Settings  # noqa: E402

HOCKEY_HUB = str(ROOT / ".venv" / "bin" / "hockey-hub")
RESULTS = ROOT / "bench" / "results"
FOLLOW = "subscription Follow($id: ID!) { messageAdded(conversationId: $id) { body sentAt sender { id } } }"
OPEN_TEAM = "mutation Open($team: ID!) { openTeamConversation(teamId: $team) { id } }"
SEND = "mutation Send($id: ID!, $body: String!) { sendChatMessage(input: {conversationId: $id, body: $body}) { id } }"


def environment(folder: Path, run: str, base_port: int) -> dict[str, str]:
    return {
        **os.environ,
        "HOCKEY_HUB_DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:5432/hockey_hub_bench_{run}_{{service}}",
        "HOCKEY_HUB_REDIS_URL": "redis://127.0.0.1:6379/0",
        "HOCKEY_HUB_REDIS_KEY_PREFIX": f"hockey-hub-bench-{run}:",
        "HOCKEY_HUB_JWT_KEYS_DIR": str(folder / "keys"),
        "HOCKEY_HUB_LOG_LEVEL": os.environ.get("HOCKEY_HUB_LOG_LEVEL", "WARNING"),
        "HOCKEY_HUB_SUBGRAPH_USER_URL": f"http://127.0.0.1:{base_port + 1}/graphql",
        "HOCKEY_HUB_SUBGRAPH_COMMUNICATION_URL": f"http://127.0.0.1:{base_port + 2}/graphql",
        "HOCKEY_HUB_ROUTER_JWKS_URL": f"http://127.0.0.1:{base_port + 1}/.well-known/jwks.json",
    }


@contextlib.contextmanager
def stack(folder: Path, env: dict[str, str], base_port: int) -> Iterator[None]:
    for service in ("user", "communication"):
        subprocess.run([HOCKEY_HUB, "migrate", service], env=env, check=True, capture_output=True)
    logs = folder / "logs"
    logs.mkdir()
    commands = [
        [HOCKEY_HUB, "serve", "user", "--port", str(base_port + 1)],
        [HOCKEY_HUB, "serve", "communication", "--port", str(base_port + 2)],
        [HOCKEY_HUB, "router", "--port", str(base_port)],
    ]
    processes = [
        subprocess.Popen(command, env=env, stdout=(logs / f"{i}.log").open("w"), stderr=subprocess.STDOUT)
        for i, command in enumerate(commands)
    ]
    try:
        yield
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)


async def wait_until_up(url: str) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(300):
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(url)).status_code < 500:
                    return
            await asyncio.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


class Subscriber(asyncio.Protocol):
    """One subscriber's socket, on websockets' sans-I/O protocol: each frame is timed in `data_received`,
    as its bytes reach this process. A thousand real subscribers are a thousand devices reading in
    parallel; here one process reads them all, and a full client library's per-frame machinery (futures,
    tasks, an assembler) would queue the last sockets behind the first and count that as delivery."""

    def __init__(self, url: str, token: str, conversation: str):
        self.protocol = ClientProtocol(parse_uri(url), subprotocols=[Subprotocol("graphql-transport-ws")])
        self.token = token
        self.conversation = conversation
        self.transport: asyncio.Transport | None = None
        self.received: dict[str, float] = {}
        self.acknowledged = asyncio.Event()
        self.ended: dict[str, Any] | None = None

    @classmethod
    @contextlib.asynccontextmanager
    async def following(cls, url: str, token: str, conversation: str) -> AsyncIterator[Subscriber]:
        loop = asyncio.get_running_loop()
        uri = parse_uri(url)
        _, subscriber = await loop.create_connection(lambda: cls(url, token, conversation), uri.host, uri.port)
        try:
            await asyncio.wait_for(subscriber.acknowledged.wait(), 30)
            payload = {"query": FOLLOW, "variables": {"id": conversation}}
            subscriber.send({"type": "subscribe", "id": "chat", "payload": payload})
            yield subscriber
        finally:
            if subscriber.transport is not None:
                subscriber.transport.close()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's transports are not asyncio's classes
        self.protocol.send_request(self.protocol.connect())
        self.flush()

    def connection_lost(self, exc: Exception | None) -> None:
        if self.ended is None:
            self.ended = {"type": "closed", "code": self.protocol.close_code, "error": repr(exc)}

    def send(self, message: dict[str, Any]) -> None:
        self.protocol.send_text(orjson.dumps(message))
        self.flush()

    def flush(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(b"".join(self.protocol.data_to_send()))

    def data_received(self, data: bytes) -> None:
        now = time.perf_counter()
        self.protocol.receive_data(data)
        for event in self.protocol.events_received():
            if isinstance(event, Response):
                self.send({"type": "connection_init", "payload": {"Authorization": f"Bearer {self.token}"}})
            elif isinstance(event, Frame) and event.opcode is Opcode.TEXT:
                self.on_message(orjson.loads(event.data), now)
        self.flush()  # pongs to the router's WebSocket pings, and anything sent above

    def on_message(self, message: dict[str, Any], now: float) -> None:
        kind = message.get("type")
        if kind == "next":
            self.received[message["payload"]["data"]["messageAdded"]["body"]] = now
        elif kind == "connection_ack":
            self.acknowledged.set()
        elif kind == "ping":
            self.send({"type": "pong"})
        elif kind in ("error", "complete"):
            self.ended = message


async def run_round(
    url: str, http: httpx.AsyncClient, issuer: TokenIssuer, *, clients: int, messages: int, every: float, shared: bool
) -> dict[str, Any]:
    team = uuid.uuid4()
    coach = Principal(
        user_id=uuid.uuid4(), organization_id=uuid.uuid4(), roles=frozenset({Role.COACH}), team_ids=frozenset({team})
    )
    coach_headers = {"authorization": f"Bearer {issuer.issue(coach)}"}

    async def graphql(query: str, variables: dict[str, str]) -> Any:
        response = await http.post("/graphql", json={"query": query, "variables": variables}, headers=coach_headers)
        body = response.json()
        assert "errors" not in body, body
        return body["data"]

    conversation = (await graphql(OPEN_TEAM, {"team": str(team)}))["openTeamConversation"]["id"]
    one = Principal(
        user_id=uuid.uuid4(),
        organization_id=coach.organization_id,
        roles=frozenset({Role.PLAYER}),
        team_ids=frozenset({team}),
    )
    members = (
        [one] * clients
        if shared
        else [
            Principal(
                user_id=uuid.uuid4(),
                organization_id=coach.organization_id,
                roles=frozenset({Role.PLAYER}),
                team_ids=frozenset({team}),
            )
            for _ in range(clients)
        ]
    )
    async with contextlib.AsyncExitStack() as exits:
        subscribers: list[Subscriber] = []
        for start in range(0, clients, 100):  # connect in waves: a thousand handshakes at once time out
            batch = members[start : start + 100]
            subscribers += await asyncio.gather(
                *(exits.enter_async_context(Subscriber.following(url, issuer.issue(m), conversation)) for m in batch)
            )
        # every subscription is live once a warm-up message reaches every client
        deadline = time.perf_counter() + 120
        while True:
            await graphql(SEND, {"id": conversation, "body": "warm-up"})
            await asyncio.sleep(1.0)
            ready = sum("warm-up" in s.received for s in subscribers)
            if ready == clients or time.perf_counter() > deadline:
                break
        if ready != clients:
            ended = [s.ended for s in subscribers if s.ended]
            raise RuntimeError(f"only {ready} of {clients} subscriptions became live; ended: {ended[:3]}")
        print(f"{clients} subscriptions live; sending {messages} messages", file=sys.stderr, flush=True)
        # The clients' own garbage collection would stall every socket of this process at once: a pause
        # measured as delivery time that no real client (one socket each) would see.
        gc.collect()
        gc.freeze()
        sent: dict[str, float] = {}
        for index in range(messages):
            body = f"message {index}"
            sent[body] = time.perf_counter()
            await graphql(SEND, {"id": conversation, "body": body})
            await asyncio.sleep(every)
        await asyncio.sleep(2.0)
        latencies = [
            (s.received[body] - at) * 1000 for body, at in sent.items() for s in subscribers if body in s.received
        ]
        missing = clients * messages - len(latencies)
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))]

    return {
        "clients": clients,
        "messages": messages,
        "deliveries": len(latencies),
        "missing": missing,
        "p50_ms": round(pct(50), 1),
        "p95_ms": round(pct(95), 1),
        "p99_ms": round(pct(99), 1),
        "max_ms": round(latencies[-1], 1),
        "mean_ms": round(statistics.fmean(latencies), 1),
    }


async def main(args: argparse.Namespace) -> int:
    run = uuid.uuid4().hex[:8]
    folder = Path(tempfile.mkdtemp(prefix="hockey-hub-subscription-bench-"))
    try:
        rotate_keys(folder / "keys")
        env = environment(folder, run, args.base_port)
        settings = Settings(jwt_keys_dir=folder / "keys")
        issuer = TokenIssuer(KeyringFile(settings), issuer=settings.jwt_issuer, audience=settings.jwt_audience)
        with stack(folder, env, args.base_port):
            await wait_until_up(f"http://127.0.0.1:{args.base_port + 1}/health")
            await wait_until_up(f"http://127.0.0.1:{args.base_port + 2}/health")
            await wait_until_up(f"http://127.0.0.1:{args.base_port}/health")
            url = f"ws://127.0.0.1:{args.base_port}/graphql"
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{args.base_port}", timeout=60) as http:
                rounds = [("distinct", False), ("devices", True)]
                results = []
                for name, shared in [r for r in rounds if args.round in (r[0], "both")]:
                    load_before = os.getloadavg()[0]
                    result = await run_round(
                        url, http, issuer, clients=args.clients, messages=args.messages, every=args.every, shared=shared
                    )
                    result = {"round": name, **result, "load_before": load_before, "load_after": os.getloadavg()[0]}
                    results.append(result)
                    print(f"{name:<9} {orjson.dumps(result).decode()}", flush=True)
                write_report(results)
    finally:
        drop_databases(run)
        if args.keep:
            print(f"kept {folder} (logs/)", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


def write_report(results: list[dict[str, Any]]) -> None:
    """bench/results/subscription-latest.md: the figures, with the machine's load average around each
    round (on 2 cores, anything else running shows up in the latencies)."""
    lines = [
        "# Subscription fan-out (bench/subscription_bench.py)",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; target: p99 under 100 ms for 1,000 subscribers.",
        "",
        "| round | clients | messages | missing | p50 ms | p95 ms | p99 ms | max ms | load before / after |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['round']} | {r['clients']} | {r['messages']} | {r['missing']} | {r['p50_ms']} | {r['p95_ms']} "
            f"| {r['p99_ms']} | {r['max_ms']} | {r['load_before']:.2f} / {r['load_after']:.2f} |"
        )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "subscription-latest.md").write_text("\n".join(lines) + "\n")


def drop_databases(run: str) -> None:
    for service in ("user", "communication"):
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-c",
                f"DROP DATABASE IF EXISTS hockey_hub_bench_{run}_{service}",
            ],
            check=False,
            capture_output=True,
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--every", type=float, default=0.5)
    parser.add_argument("--base-port", type=int, default=3300)
    parser.add_argument("--round", choices=["distinct", "devices", "both"], default="both")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder with the processes' logs")
    with contextlib.suppress(ImportError):  # the clients on uvloop, as the services are (uvicorn picks it)
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    sys.exit(asyncio.run(main(parser.parse_args())))
