"""Services under test, started in this process with their real lifespan, reached over HTTP (ASGI)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hockey_hub.services import create_app, subgraph
from shared.auth.keys import Keyring
from shared.auth.tokens import TokenIssuer
from shared.runtime import ServiceRuntime
from shared.settings import Settings
from tests.support.backend import SuiteEnvironment
from tests.support.graphql import GraphQLClient


@dataclass
class RunningService:
    name: str
    app: FastAPI
    http: httpx.AsyncClient
    graphql: GraphQLClient

    @property
    def runtime(self) -> ServiceRuntime:
        runtime: ServiceRuntime = self.app.state.runtime
        return runtime

    @property
    def engine(self) -> AsyncEngine:
        return self.runtime.engine

    async def truncate(self) -> None:
        """Empty every table, so each test starts from a fresh, migrated database."""
        tables = ", ".join(f'"{name}"' for name in subgraph(self.name).metadata.tables)
        async with self.engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@contextlib.asynccontextmanager
async def running_service(name: str, settings: Settings, issuer: TokenIssuer) -> AsyncIterator[RunningService]:
    """One service with its real lifespan, for tests that need their own settings (e.g. a cut broker)."""
    app = create_app(name, settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{name}") as http,
    ):
        yield RunningService(name, app, http, GraphQLClient(http, issuer))


def issuer_for(environment: SuiteEnvironment) -> TokenIssuer:
    return TokenIssuer(
        Keyring.from_pems(environment.keys.public_pem, environment.keys.private_pem),
        issuer=environment.settings.jwt_issuer,
        audience=environment.settings.jwt_audience,
    )


class ServicePool:
    """Starts each service once per test session, on first use; stops them all at the end."""

    def __init__(self, environment: SuiteEnvironment):
        self.environment = environment
        self.issuer = issuer_for(environment)
        self._running: dict[str, RunningService] = {}
        self._stack = contextlib.AsyncExitStack()

    async def get(self, name: str) -> RunningService:
        if name not in self._running:
            self._running[name] = await self._stack.enter_async_context(
                running_service(name, self.environment.settings, self.issuer)
            )
        return self._running[name]

    async def close(self) -> None:
        await self._stack.aclose()
