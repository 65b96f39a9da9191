"""The payment service: `hockey-hub serve payment` runs this app on port 3008."""

from __future__ import annotations

from fastapi import FastAPI

from shared.app import Subgraph, create_subgraph_app
from shared.runtime import ProcessResources
from shared.settings import Settings
from subgraphs.payment.models import Base
from subgraphs.payment.schema import schema

SUBGRAPH = Subgraph(name="payment", schema=schema, metadata=Base.metadata)


def create_app(settings: Settings | None = None, *, resources: ProcessResources | None = None) -> FastAPI:
    return create_subgraph_app(SUBGRAPH, settings, resources=resources)
