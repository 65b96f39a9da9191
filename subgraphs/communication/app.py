"""The communication service: `hockey-hub serve communication` runs this app on port 3002.

Besides GraphQL it runs, for as long as the app runs, the escalation loop of urgent medical alerts
(`escalation.py`), when SMTP is configured the email delivery loop (`email_delivery.py`), and when it has a
VAPID key the Web Push delivery loop (`push_delivery.py`)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta

from fastapi import FastAPI

from shared.app import Subgraph, create_subgraph_app
from shared.runtime import ProcessResources, ServiceRuntime
from shared.settings import Settings
from subgraphs.communication.consumers import EVENT_HANDLERS
from subgraphs.communication.email_delivery import EmailDispatcher, SmtpServer
from subgraphs.communication.escalation import EscalationScheduler
from subgraphs.communication.models import Base
from subgraphs.communication.push_delivery import PushDispatcher, vapid_key
from subgraphs.communication.schema import schema

SUBGRAPH = Subgraph(name="communication", schema=schema, metadata=Base.metadata, event_handlers=EVENT_HANDLERS)


def create_app(settings: Settings | None = None, *, resources: ProcessResources | None = None) -> FastAPI:
    app = create_subgraph_app(SUBGRAPH, settings, resources=resources)
    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with inner(app):
            runtime: ServiceRuntime = app.state.runtime
            relay = runtime.relay
            scheduler = EscalationScheduler(
                runtime.sessions,
                interval=runtime.settings.medical_alert_check_seconds,
                timeout=timedelta(seconds=runtime.settings.medical_alert_escalation_seconds),
                sent=relay.wake if relay else None,
            )
            app.state.escalation = scheduler
            scheduler.start()
            server = SmtpServer.from_settings(runtime.settings)
            mailer = (
                EmailDispatcher(runtime.sessions, server, interval=runtime.settings.email_check_seconds)
                if server is not None
                else None
            )
            if mailer is not None:
                mailer.start()
            key = vapid_key(runtime.settings)
            pusher = (
                PushDispatcher(runtime.sessions, key, interval=runtime.settings.push_check_seconds)
                if key is not None
                else None
            )
            if pusher is not None:
                pusher.start()
            try:
                yield
            finally:
                await scheduler.stop()
                if mailer is not None:
                    await mailer.stop()
                if pusher is not None:
                    await pusher.stop()

    app.router.lifespan_context = lifespan
    return app
