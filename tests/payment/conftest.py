from __future__ import annotations

import contextlib
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import SecretStr

from shared.auth.principal import Principal
from tests.conftest import ServiceFactory
from tests.payment.factories import Club, make_club
from tests.support.graphql import GraphQLClient
from tests.support.services import RunningService, ServicePool, running_service


class TokenCachingClient(GraphQLClient):
    """Signs one token per principal: TokenIssuer parses its PEM private key on every call (~45 ms),
    which would otherwise dominate this suite's run time."""

    def __init__(self, client: GraphQLClient):
        super().__init__(client.http, client.issuer, path=client.path)
        self._tokens: dict[Principal, str] = {}

    def token(self, principal: Principal) -> str:
        if principal not in self._tokens:
            self._tokens[principal] = super().token(principal)
        return self._tokens[principal]


@pytest.fixture
async def payment(service: ServiceFactory) -> RunningService:
    running = await service("payment")
    if not isinstance(running.graphql, TokenCachingClient):
        running.graphql = TokenCachingClient(running.graphql)
    return running


@pytest.fixture
def club() -> Club:
    return make_club()


@dataclass(frozen=True)
class LocalStripe:
    """A localstripe emulator this test session started: the real Stripe SDK talks to it over HTTP."""

    url: str
    api_key: str
    webhook_secret: str


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def local_stripe(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStripe]:
    port = _free_port()
    log = (tmp_path_factory.mktemp("localstripe") / "localstripe.log").open("wb")
    # localstripe with the one-off invoice operations it lacks (team fees): see localstripe_server.py.
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.payment.localstripe_server", "--port", str(port), "--from-scratch"],
        cwd=Path(__file__).resolve().parents[2],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"localstripe did not start (exit code {process.poll()})")
            time.sleep(0.05)
        # Keys are made up per run: localstripe accepts any sk_test_ key, and none is ever committed.
        yield LocalStripe(
            url=f"http://127.0.0.1:{port}",
            api_key=f"sk_test_{secrets.token_hex(12)}",
            webhook_secret=f"whsec_{secrets.token_hex(16)}",
        )
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture
async def stripe_payment(services: ServicePool, local_stripe: LocalStripe) -> AsyncIterator[RunningService]:
    """A second payment service on the same database, configured for the emulator. Started for each test
    and stopped after it, so its outbox relay never carries other tests' events on a bus they don't watch."""
    settings = services.environment.settings.model_copy(
        update={
            "stripe_api_key": SecretStr(local_stripe.api_key),
            "stripe_api_base": local_stripe.url,
            "stripe_webhook_secret": SecretStr(local_stripe.webhook_secret),
        }
    )
    async with running_service("payment", settings, services.issuer) as running:
        running.graphql = TokenCachingClient(running.graphql)
        try:
            yield running
        finally:
            await running.truncate()
