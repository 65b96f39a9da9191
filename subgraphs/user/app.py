"""The user service: `hockey-hub serve user` runs this app on port 3001."""

from __future__ import annotations

from fastapi import FastAPI

from shared.app import Subgraph, create_subgraph_app
from shared.plans import PLAN_EVENT_HANDLERS
from shared.runtime import ProcessResources
from shared.settings import Settings
from subgraphs.user.models import Base
from subgraphs.user.schema import schema

SUBGRAPH = Subgraph(
    name="user", schema=schema, metadata=Base.metadata, issues_tokens=True, event_handlers=PLAN_EVENT_HANDLERS
)


def create_app(settings: Settings | None = None, *, resources: ProcessResources | None = None) -> FastAPI:
    return create_subgraph_app(SUBGRAPH, settings, resources=resources)
