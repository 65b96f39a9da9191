"""The medical service: `hockey-hub serve medical` runs this app on port 3005."""

from __future__ import annotations

from fastapi import FastAPI

from shared.app import Subgraph, create_subgraph_app
from shared.roster import ROSTER_EVENT_HANDLERS
from shared.runtime import ProcessResources
from shared.settings import Settings, get_settings
from subgraphs.medical import encryption
from subgraphs.medical.models import Base
from subgraphs.medical.schema import schema

SUBGRAPH = Subgraph(name="medical", schema=schema, metadata=Base.metadata, event_handlers=ROSTER_EVENT_HANDLERS)


def create_app(settings: Settings | None = None, *, resources: ProcessResources | None = None) -> FastAPI:
    settings = settings or get_settings()
    # Before anything reads a row: a production process without keys stops here, not at the first read.
    encryption.configure(settings)
    return create_subgraph_app(SUBGRAPH, settings, resources=resources)
