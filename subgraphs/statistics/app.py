"""The statistics service: `hockey-hub serve statistics` runs this app on port 3007."""

from __future__ import annotations

from fastapi import FastAPI

from shared.app import Subgraph, create_subgraph_app
from shared.runtime import ProcessResources
from shared.settings import Settings
from subgraphs.statistics.consumers import EVENT_HANDLERS
from subgraphs.statistics.models import Base
from subgraphs.statistics.schema import schema

SUBGRAPH = Subgraph(name="statistics", schema=schema, metadata=Base.metadata, event_handlers=EVENT_HANDLERS)


def create_app(settings: Settings | None = None, *, resources: ProcessResources | None = None) -> FastAPI:
    return create_subgraph_app(SUBGRAPH, settings, resources=resources)
