"""The two backends the suite runs against: the real servers on this machine, or the embedded mode."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from shared.auth.keys import KeyPair, generate_key_pair
from shared.settings import Settings

POSTGRES_URL = os.environ.get("HOCKEY_HUB_TEST_POSTGRES", "postgresql+asyncpg://postgres@127.0.0.1:5432")
AMQP_URL = os.environ.get("HOCKEY_HUB_TEST_AMQP", "amqp://guest:guest@127.0.0.1:5672/")
REDIS_URL = os.environ.get("HOCKEY_HUB_TEST_REDIS", "redis://127.0.0.1:6379/0")


class Backend(StrEnum):
    SERVERS = "servers"
    """PostgreSQL, RabbitMQ and Redis servers (production mode's dependencies)."""
    EMBEDDED = "embedded"
    """Embedded PostgreSQL, the in-process bus and the in-memory cache (the zero-setup default)."""


def selected_backend() -> Backend:
    return Backend(os.environ.get("HOCKEY_HUB_TEST_BACKEND", Backend.SERVERS.value))


@dataclass(frozen=True)
class SuiteEnvironment:
    backend: Backend
    run_id: str
    settings: Settings
    keys: KeyPair

    @property
    def uses_servers(self) -> bool:
        return self.backend is Backend.SERVERS


def make_environment(backend: Backend, data_dir: Path) -> SuiteEnvironment:
    """Settings isolated to this run: its own databases, exchange and queues, Redis key prefix, keys."""
    run_id = uuid.uuid4().hex[:10]
    keys = generate_key_pair()
    common: dict[str, object] = {
        "data_dir": data_dir,
        "jwt_public_key": keys.public_pem,
        "jwt_private_key": keys.private_pem,
        "outbox_poll_seconds": 0.2,
        # The tests run the weekly report schedule themselves: a background tick rendering reports while a
        # test's teardown empties the tables would only race it.
        "statistics_report_hours": 0,
        "log_json": True,
    }
    if backend is Backend.SERVERS:
        settings = Settings(
            database_url=f"{POSTGRES_URL}/hockey_hub_test_{run_id}_{{service}}",
            amqp_url=AMQP_URL,
            amqp_exchange=f"hockey-hub-test-{run_id}",
            amqp_queue_prefix=f"hockey-hub-test-{run_id}",
            redis_url=REDIS_URL,
            redis_key_prefix=f"hockey-hub-test-{run_id}:",
            **common,  # type: ignore[arg-type]
        )
    else:
        settings = Settings(**common)  # type: ignore[arg-type]
    return SuiteEnvironment(backend=backend, run_id=run_id, settings=settings, keys=keys)
