"""The calendar service: `hockey-hub serve calendar` runs this app on port 3003."""

from __future__ import annotations

from fastapi import FastAPI

from shared.app import Subgraph, create_subgraph_app
from shared.runtime import ProcessResources
from shared.settings import Settings
from subgraphs.calendar.consumers import EVENT_HANDLERS
from subgraphs.calendar.models import Base
from subgraphs.calendar.schema import schema

SUBGRAPH = Subgraph(name="calendar", schema=schema, metadata=Base.metadata, event_handlers=EVENT_HANDLERS)


def create_app(settings: Settings | None = None, *, resources: ProcessResources | None = None) -> FastAPI:
    return create_subgraph_app(SUBGRAPH, settings, resources=resources)
