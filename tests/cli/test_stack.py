"""The README's first command: `hockey-hub up --demo` serves every subgraph with the demo club."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared.database.engine import drop_database
from shared.settings import SERVICE_PORTS
from tests.support.backend import AMQP_URL, POSTGRES_URL, REDIS_URL, SuiteEnvironment
from tests.support.tcp_proxy import free_port

HOCKEY_HUB = [sys.executable, "-m", "hockey_hub.cli"]
OFFSET = 20000 + free_port() % 20000 // 10 * 10  # far from the real ports; differs between runs


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


@pytest.fixture
async def stack(environment: SuiteEnvironment, tmp_path: Path) -> AsyncIterator[tuple[dict[str, str], Path]]:
    env = _stack_environment(environment, tmp_path / "data")
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
        yield env, log
        # then SIGTERM stops every service gracefully and the process exits cleanly
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), timeout=30) == 0, _tail(log)
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
                    response = await http.get(f"http://127.0.0.1:{SERVICE_PORTS[service] + OFFSET}/health")
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


async def test_up_serves_every_subgraph_with_the_demo_club(stack: tuple[dict[str, str], Path]) -> None:
    env, _ = stack
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


def test_dev_token_is_refused_in_production_mode(environment: SuiteEnvironment, tmp_path: Path) -> None:
    env = _stack_environment(environment, tmp_path)
    env.update({"HOCKEY_HUB_MODE": "production"})
    refused = _run(["dev-token", "coach@lynx.example"], env)
    assert refused.returncode == 2
    assert "HOCKEY_HUB_" in refused.stderr or "development mode" in refused.stderr
