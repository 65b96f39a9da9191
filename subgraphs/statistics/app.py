"""The statistics service: `hockey-hub serve statistics` runs this app on port 3007.

Besides GraphQL it serves report downloads under `/reports/` (`report_routes.py`) and runs the weekly
team reports (`report_schedule.py`) for as long as the app runs.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI

from shared.app import Subgraph, create_subgraph_app
from shared.runtime import ProcessResources, ServiceRuntime
from shared.settings import Settings
from subgraphs.statistics.consumers import EVENT_HANDLERS
from subgraphs.statistics.models import Base
from subgraphs.statistics.report_routes import add_report_routes
from subgraphs.statistics.report_schedule import ReportSchedule
from subgraphs.statistics.schema import schema

SUBGRAPH = Subgraph(name="statistics", schema=schema, metadata=Base.metadata, event_handlers=EVENT_HANDLERS)


def create_app(settings: Settings | None = None, *, resources: ProcessResources | None = None) -> FastAPI:
    app = create_subgraph_app(SUBGRAPH, settings, resources=resources)
    add_report_routes(app)
    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with inner(app):
            runtime: ServiceRuntime = app.state.runtime
            schedule = ReportSchedule(runtime.sessions, interval=runtime.settings.statistics_report_hours * 3600)
            app.state.report_schedule = schedule
            schedule.start()
            try:
                yield
            finally:
                await schedule.stop()

    app.router.lifespan_context = lifespan
    return app
