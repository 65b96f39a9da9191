"""The communication service: `hockey-hub serve communication` runs this app on port 3002."""

from __future__ import annotations

from fastapi import FastAPI

from shared.app import Subgraph, create_subgraph_app
from shared.runtime import ProcessResources
from shared.settings import Settings
from subgraphs.communication.consumers import EVENT_HANDLERS
from subgraphs.communication.models import Base
from subgraphs.communication.schema import schema

SUBGRAPH = Subgraph(name="communication", schema=schema, metadata=Base.metadata, event_handlers=EVENT_HANDLERS)


def create_app(settings: Settings | None = None, *, resources: ProcessResources | None = None) -> FastAPI:
    return create_subgraph_app(SUBGRAPH, settings, resources=resources)
