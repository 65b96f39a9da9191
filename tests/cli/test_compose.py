"""compose.yaml: every service as its own container on its port, behind migrations, with health checks."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from shared.settings import SERVICE_PORTS

COMPOSE = Path(__file__).resolve().parents[2] / "compose.yaml"


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return loaded


def test_every_service_runs_in_its_own_container_on_its_port() -> None:
    services = _compose()["services"]
    for name, port in SERVICE_PORTS.items():
        container = services[name]
        assert container["command"] == ["serve", name, "--host", "0.0.0.0", "--port", str(port)]
        assert container["ports"] == [f"{port}:{port}"]
        assert f"{port}/health" in " ".join(container["healthcheck"]["test"])
        assert container["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert container["environment"]["HOCKEY_HUB_MODE"] == "production"
        assert container["environment"][f"HOCKEY_HUB_{name.upper()}_URL"] == f"http://{name}:{port}"
    assert {"postgres", "rabbitmq", "redis", "migrate", "keys"} <= set(services)


def test_the_router_fronts_every_subgraph_on_3000() -> None:
    router = _compose()["services"]["router"]
    assert router["command"] == ["router", "--host", "0.0.0.0", "--port", "3000"]
    assert router["ports"] == ["3000:3000"]
    for name, port in SERVICE_PORTS.items():
        assert router["environment"][f"HOCKEY_HUB_SUBGRAPH_{name.upper()}_URL"] == f"http://{name}:{port}/graphql"
        assert router["depends_on"][name]["condition"] == "service_healthy"


def test_postgres_creates_one_database_per_service() -> None:
    init = (COMPOSE.parent / "deploy" / "postgres-init.sql").read_text()
    assert {f"CREATE DATABASE hockey_hub_{name};" for name in SERVICE_PORTS} <= set(init.splitlines())


def _compose_command() -> list[str] | None:
    """`docker compose` (the plugin) where Docker is installed, else the standalone `docker-compose`."""
    docker = shutil.which("docker")
    if docker is not None and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    standalone = shutil.which("docker-compose")
    return [standalone] if standalone is not None else None


def test_docker_compose_accepts_the_file() -> None:
    command = _compose_command()
    if command is None:
        pytest.skip("neither the docker compose plugin nor docker-compose is installed here")
    checked = subprocess.run([*command, "-f", str(COMPOSE), "config", "-q"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
