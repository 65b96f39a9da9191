"""The README's first command: `hockey-hub up --demo` serves every subgraph with the demo club."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared.database.engine import drop_database
from shared.demo import demo_club
from shared.settings import ROUTER_PORT, SERVICE_PORTS
from tests.support.backend import AMQP_URL, POSTGRES_URL, REDIS_URL, SuiteEnvironment
from tests.support.otlp import OtlpReceiver, ReceivedSpan, otlp_receiver

HOCKEY_HUB = [sys.executable, "-m", "hockey_hub.cli"]


def _free_offset() -> int:
    """An offset that puts all nine services on ports nothing listens on now (the real ones stay free)."""
    import random
    import socket

    while True:
        offset = random.randrange(20000, 40000, 10)
        try:
            for port in (ROUTER_PORT, *SERVICE_PORTS.values()):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", port + offset))
        except OSError:
            continue
        return offset


OFFSET = _free_offset()


def _stack_environment(environment: SuiteEnvironment, data_dir: Path) -> dict[str, str]:
    """The variables a user would set: none for the embedded mode; servers, keys and all for the other."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("HOCKEY_HUB_")}
    env.update({"HOCKEY_HUB_DATA_DIR": str(data_dir), "HOCKEY_HUB_LOG_JSON": "true"})
    if environment.uses_servers:
        prefix = f"hockey-hub-test-{environment.run_id}-stack"
        env.update(
            {
                "HOCKEY_HUB_DATABASE_URL": _stack_database(environment, "{service}"),
                "HOCKEY_HUB_AMQP_URL": AMQP_URL,
                "HOCKEY_HUB_AMQP_EXCHANGE": prefix,
                "HOCKEY_HUB_AMQP_QUEUE_PREFIX": prefix,
                "HOCKEY_HUB_REDIS_URL": REDIS_URL,
                "HOCKEY_HUB_REDIS_KEY_PREFIX": prefix + ":",
            }
        )
    return env


def _stack_database(environment: SuiteEnvironment, service: str) -> str:
    return f"{POSTGRES_URL}/hockey_hub_test_{environment.run_id}_stack_{service}"


def _tail(log: Path) -> str:
    return log.read_text()[-3000:]


def _run(args: list[str], env: Mapping[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*HOCKEY_HUB, *args], env=dict(env), capture_output=True, text=True, timeout=timeout)


@dataclass
class Stack:
    env: dict[str, str]
    log: Path
    process: asyncio.subprocess.Process

    async def stop(self) -> None:
        """SIGTERM stops every service gracefully and the process exits cleanly (once, however often asked)."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(self.process.wait(), timeout=30) == 0, _tail(self.log)


@pytest.fixture
async def otlp() -> AsyncIterator[OtlpReceiver]:
    async with otlp_receiver() as receiver:
        yield receiver


@pytest.fixture
async def stack(environment: SuiteEnvironment, tmp_path: Path, otlp: OtlpReceiver) -> AsyncIterator[Stack]:
    env = _stack_environment(environment, tmp_path / "data")
    # Traces go to the test's receiver; batched for longer than the test runs, so they leave at the stop.
    env.update({"OTEL_EXPORTER_OTLP_ENDPOINT": otlp.endpoint, "OTEL_BSP_SCHEDULE_DELAY": "600000"})
    if environment.uses_servers:
        # With servers, migrating is an explicit step (`up` migrates by itself only in embedded mode).
        migrated = _run(["migrate", "all"], env)
        assert migrated.returncode == 0, migrated.stderr[-2000:]
        assert "user: upgraded to head" in migrated.stdout
    log = tmp_path / "stack.log"
    with log.open("w") as output:
        process = await asyncio.create_subprocess_exec(
            *HOCKEY_HUB, "up", "--demo", "--port-offset", str(OFFSET), env=env, stdout=output, stderr=output
        )
    try:
        await asyncio.wait_for(_wait_until_healthy(process, log), timeout=120)
        running = Stack(env, log, process)
        yield running
        await running.stop()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        if environment.uses_servers:
            for service in SERVICE_PORTS:
                await drop_database(_stack_database(environment, service))


async def _wait_until_healthy(process: asyncio.subprocess.Process, log: Path) -> None:
    pending = set(SERVICE_PORTS)
    async with httpx.AsyncClient(timeout=2) as http:
        while pending:
            assert process.returncode is None, f"the stack exited early:\n{_tail(log)}"
            for service in sorted(pending):
                try:
                    port = ROUTER_PORT if service == "router" else SERVICE_PORTS[service]
                    response = await http.get(f"http://127.0.0.1:{port + OFFSET}/health")
                except httpx.TransportError:
                    continue
                if response.status_code == 200 and response.json()["status"] == "healthy":
                    pending.discard(service)
            await asyncio.sleep(0.2)


async def _graphql(service: str, query: str, token: str) -> Any:
    async with httpx.AsyncClient(timeout=10) as http:
        response = await http.post(
            f"http://127.0.0.1:{SERVICE_PORTS[service] + OFFSET}/graphql",
            json={"query": query},
            headers={"Authorization": f"Bearer {token}"},
        )
    body = response.json()
    assert response.status_code == 200, body
    assert not body.get("errors"), body
    return body["data"]


async def test_up_serves_every_subgraph_with_the_demo_club(stack: Stack, otlp: OtlpReceiver) -> None:
    env = stack.env
    # given a development token for the demo club's coach
    issued = _run(["dev-token", "coach@lynx.example"], env)
    assert issued.returncode == 0, issued.stderr[-2000:]
    token = issued.stdout.strip()

    # then every subgraph answers GraphQL, and the demo club is there
    roster = await _graphql("user", "{ me { fullName roles } teams { name players { jerseyNumber position } } }", token)
    assert roster["me"] == {"fullName": "Mats Lindberg", "roles": ["COACH"]}
    teams = {team["name"]: team["players"] for team in roster["teams"]}
    assert sorted(teams) == ["Lynx Senior", "Lynx U18"]
    assert all(len(players) == 21 for players in teams.values())
    assert sum(player["position"] == "GOALIE" for player in teams["Lynx Senior"]) == 2
    for service in SERVICE_PORTS:
        sdl = await _graphql(service, "{ _service { sdl } }", token)
        assert "@link" in sdl["_service"]["sdl"]

    # and every subgraph holds its part of the demo club, as the roles that may see it
    def token_for(email: str) -> str:
        issued = _run(["dev-token", email], env)
        assert issued.returncode == 0, issued.stderr[-2000:]
        return issued.stdout.strip()

    medic, club_admin = token_for("medic@lynx.example"), token_for("admin@lynx.example")
    club = demo_club()
    now = datetime.now(UTC)
    window = {"from": (now - timedelta(days=7)).isoformat(), "to": (now + timedelta(days=21)).isoformat()}
    season = f'seasonId: "{club.season_id}"'
    checks: list[tuple[str, str, str, Callable[[Any], bool]]] = [
        (
            "statistics",
            f"{{ games({season}, status: FINAL) {{ id goalsFor }} }}",
            token,
            lambda d: len(d["games"]) >= 5,
        ),
        (
            "calendar",
            f'{{ calendarEvents(from: "{window["from"]}", to: "{window["to"]}") {{ id kind }} }}',
            token,
            lambda d: {"PRACTICE", "GAME"} <= {e["kind"] for e in d["calendarEvents"]},
        ),
        ("medical", "{ injuries(status: ACTIVE) { id severity } }", medic, lambda d: len(d["injuries"]) >= 1),
        (
            "training",
            "{ workouts { id kind } }",
            token,
            lambda d: {"STRENGTH", "CONDITIONING", "HYBRID", "AGILITY"} <= {w["kind"] for w in d["workouts"]},
        ),
        ("communication", "{ conversations(first: 20) { id kind } }", token, lambda d: len(d["conversations"]) >= 2),
        ("planning", "{ seasons { name phases { kind } } }", token, lambda d: len(d["seasons"][0]["phases"]) == 4),
        (
            "payment",
            "{ organizationSubscription { status } }",
            club_admin,
            lambda d: d["organizationSubscription"]["status"] == "ACTIVE",
        ),
        ("admin", "{ featureFlags { key enabled } }", club_admin, lambda d: len(d["featureFlags"]) >= 3),
    ]
    for service, query, bearer, holds in checks:
        data = await _graphql(service, query, bearer)
        assert holds(data), (service, data)

    # and the router on 3000 serves them as one graph
    async with httpx.AsyncClient(timeout=20) as http:
        routed = await http.post(
            f"http://127.0.0.1:{ROUTER_PORT + OFFSET}/graphql",
            json={
                "query": "query StackRoster { teams { name players { fullName medicalStatus seasonStats("
                + season
                + ") { skater { points } } } } }"
            },
            headers={"Authorization": f"Bearer {token}"},
        )
    body = routed.json()
    assert "errors" not in body, body
    assert sum(len(team["players"]) for team in body["data"]["teams"]) == len(club.players)

    # and once the stack has stopped, its batched traces have reached the collector: the routed query is one
    # trace from the router's operation through a fetch per subgraph into each subgraph's own span
    await stack.stop()
    operation = _one(otlp.spans, lambda span: span.attributes.get("graphql.operation.name") == "StackRoster")
    assert operation.kind == "SPAN_KIND_SERVER"
    assert operation.resource["service.name"] == "hockey-hub"
    assert (operation.scope, operation.attributes["hockey_hub.service"]) == ("hockey_hub.router", "router")
    trace = [span for span in otlp.spans if span.trace_id == operation.trace_id]
    for subgraph in ("user", "medical", "statistics"):
        fetches = [span for span in trace if span.name == f"fetch {subgraph}"]
        assert fetches, (subgraph, [span.name for span in trace])
        assert all(fetch.parent_span_id == operation.span_id for fetch in fetches)
        assert all(fetch.attributes["hockey_hub.service"] == "router" for fetch in fetches)
        served = [span for span in trace if span.attributes.get("hockey_hub.service") == subgraph]
        assert served, (subgraph, [span.name for span in trace])
        for span in served:
            assert (span.name, span.kind, span.scope) == (
                f"{subgraph} POST /graphql",
                "SPAN_KIND_SERVER",
                f"hockey_hub.{subgraph}",
            )
            assert span.parent_span_id in {fetch.span_id for fetch in fetches}


def _one(spans: list[ReceivedSpan], matches: Callable[[ReceivedSpan], bool]) -> ReceivedSpan:
    found = [span for span in spans if matches(span)]
    assert len(found) == 1, sorted({span.name for span in spans})
    return found[0]


def test_dev_token_is_refused_in_production_mode(environment: SuiteEnvironment, tmp_path: Path) -> None:
    env = _stack_environment(environment, tmp_path)
    env.update({"HOCKEY_HUB_MODE": "production"})
    refused = _run(["dev-token", "coach@lynx.example"], env)
    assert refused.returncode == 2
    assert "HOCKEY_HUB_" in refused.stderr or "development mode" in refused.stderr
