"""The calendar service: `hockey-hub serve calendar` runs this app on port 3003.

Besides GraphQL it runs the reminder scheduler (`scheduler.py`) for as long as the app runs, and serves
calendar subscription feeds at `GET /calendar/feeds/{token}.ics` (`feeds.py`).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI, Request, Response

from shared.app import Subgraph, create_subgraph_app
from shared.errors import NotFound
from shared.runtime import ProcessResources, ServiceRuntime
from shared.settings import Settings
from subgraphs.calendar.consumers import EVENT_HANDLERS
from subgraphs.calendar.models import Base
from subgraphs.calendar.scheduler import ReminderScheduler, interval_from_environment
from subgraphs.calendar.schema import schema
from subgraphs.calendar.service.feeds import feed_ics

SUBGRAPH = Subgraph(name="calendar", schema=schema, metadata=Base.metadata, event_handlers=EVENT_HANDLERS)


def create_app(settings: Settings | None = None, *, resources: ProcessResources | None = None) -> FastAPI:
    app = create_subgraph_app(SUBGRAPH, settings, resources=resources)
    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with inner(app):
            runtime: ServiceRuntime = app.state.runtime
            relay = runtime.relay
            scheduler = ReminderScheduler(
                runtime.sessions, interval=interval_from_environment(), sent=relay.wake if relay else None
            )
            app.state.reminders = scheduler
            scheduler.start()
            try:
                yield
            finally:
                await scheduler.stop()

    app.router.lifespan_context = lifespan

    @app.get("/calendar/feeds/{name}", include_in_schema=False)
    async def feed(name: str, request: Request) -> Response:
        """A calendar app's subscription: no sign-in, the secret in the URL is the key."""
        runtime: ServiceRuntime = request.app.state.runtime
        token = name.removesuffix(".ics")
        try:
            async with runtime.sessions() as session:
                text = await feed_ics(session, token)
        except NotFound:
            return Response("no such calendar feed\n", status_code=404, media_type="text/plain")
        return Response(
            text,
            media_type="text/calendar; charset=utf-8",
            headers={"Cache-Control": "private, max-age=300", "Content-Disposition": 'inline; filename="calendar.ics"'},
        )

    return app
