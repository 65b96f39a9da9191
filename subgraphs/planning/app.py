"""The planning service: `hockey-hub serve planning` runs this app on port 3006."""

from __future__ import annotations

from fastapi import FastAPI

from shared.app import Subgraph, create_subgraph_app
from shared.roster import ROSTER_EVENT_HANDLERS
from shared.runtime import ProcessResources
from shared.settings import Settings
from subgraphs.planning.models import Base
from subgraphs.planning.schema import schema

# The roster copy: lineups and attendance name only players it has on the team.
SUBGRAPH = Subgraph(name="planning", schema=schema, metadata=Base.metadata, event_handlers=ROSTER_EVENT_HANDLERS)


def create_app(settings: Settings | None = None, *, resources: ProcessResources | None = None) -> FastAPI:
    return create_subgraph_app(SUBGRAPH, settings, resources=resources)
