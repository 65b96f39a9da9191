"""The training service: `hockey-hub serve training` runs this app on port 3004."""

from __future__ import annotations

from fastapi import FastAPI

from shared.app import Subgraph, create_subgraph_app
from shared.runtime import ProcessResources
from shared.settings import Settings
from subgraphs.training.models import Base
from subgraphs.training.planning_copy import EVENT_HANDLERS as PLANNING_EVENT_HANDLERS
from subgraphs.training.positions import EVENT_HANDLERS as ROSTER_EVENT_HANDLERS
from subgraphs.training.restrictions.consumers import EVENT_HANDLERS as RESTRICTION_EVENT_HANDLERS
from subgraphs.training.schema import schema

SUBGRAPH = Subgraph(
    name="training",
    schema=schema,
    metadata=Base.metadata,
    event_handlers={**ROSTER_EVENT_HANDLERS, **RESTRICTION_EVENT_HANDLERS, **PLANNING_EVENT_HANDLERS},
)


def create_app(settings: Settings | None = None, *, resources: ProcessResources | None = None) -> FastAPI:
    return create_subgraph_app(SUBGRAPH, settings, resources=resources)
