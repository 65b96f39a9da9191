"""The admin service: `hockey-hub serve admin` runs this app on port 3009."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI

from shared.app import Subgraph, create_subgraph_app
from shared.plans import PLAN_EVENT_HANDLERS
from shared.runtime import ProcessResources
from shared.settings import Settings
from subgraphs.admin.health import DEFAULT_TIMEOUT_SECONDS, HealthProbe
from subgraphs.admin.models import Base
from subgraphs.admin.schema import schema
from subgraphs.admin.service import drain_invalidations

SUBGRAPH = Subgraph(name="admin", schema=schema, metadata=Base.metadata, event_handlers=PLAN_EVENT_HANDLERS)


def create_app(
    settings: Settings | None = None,
    *,
    resources: ProcessResources | None = None,
    health_timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
) -> FastAPI:
    app = create_subgraph_app(SUBGRAPH, settings, resources=resources)
    # The shared lifespan has no hook for a subgraph's own resources, so this app wraps it: the health
    # probe (and its HTTP client session) lives exactly as long as the app's runtime.
    shared_lifespan = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        probe = HealthProbe(timeout_seconds=health_timeout_seconds)
        async with shared_lifespan(app):
            app.state.health_probe = probe
            try:
                yield
            finally:
                await probe.close()
                await drain_invalidations()

    app.router.lifespan_context = lifespan
    return app
