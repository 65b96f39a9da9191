"""The payment service: `hockey-hub serve payment` runs this app on port 3008.

Besides GraphQL it receives Stripe's webhooks at `POST /webhooks/stripe` (`webhook_routes.py`).
"""

from __future__ import annotations

from fastapi import FastAPI

from shared.app import Subgraph, create_subgraph_app
from shared.runtime import ProcessResources
from shared.settings import Settings
from subgraphs.payment.models import Base
from subgraphs.payment.payers import EVENT_HANDLERS
from subgraphs.payment.schema import schema
from subgraphs.payment.webhook_routes import add_webhook_routes

SUBGRAPH = Subgraph(name="payment", schema=schema, metadata=Base.metadata, event_handlers=EVENT_HANDLERS)


def create_app(settings: Settings | None = None, *, resources: ProcessResources | None = None) -> FastAPI:
    app = create_subgraph_app(SUBGRAPH, settings, resources=resources)
    add_webhook_routes(app)
    return app
