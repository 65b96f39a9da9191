"""The planning service: `hockey-hub serve planning` runs this app on port 3006."""

from __future__ import annotations

from fastapi import FastAPI

from shared.app import Subgraph, create_subgraph_app
from shared.runtime import ProcessResources
from shared.settings import Settings
from subgraphs.planning.models import Base
from subgraphs.planning.schema import schema

SUBGRAPH = Subgraph(name="planning", schema=schema, metadata=Base.metadata)


def create_app(settings: Settings | None = None, *, resources: ProcessResources | None = None) -> FastAPI:
    return create_subgraph_app(SUBGRAPH, settings, resources=resources)
