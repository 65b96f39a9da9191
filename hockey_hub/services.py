"""The subgraphs this product runs, by name; imported lazily so one service never loads the others."""

from __future__ import annotations

import importlib
from types import ModuleType

from fastapi import FastAPI

from shared.app import Subgraph
from shared.runtime import ProcessResources
from shared.settings import SERVICE_PORTS, Settings

SERVICES: tuple[str, ...] = tuple(SERVICE_PORTS)


def app_module(service: str) -> ModuleType:
    if service not in SERVICE_PORTS:
        raise KeyError(f"unknown service {service!r}; one of: {', '.join(SERVICES)}")
    return importlib.import_module(f"subgraphs.{service}.app")


def subgraph(service: str) -> Subgraph:
    found: Subgraph = app_module(service).SUBGRAPH
    return found


def create_app(service: str, settings: Settings, *, resources: ProcessResources | None = None) -> FastAPI:
    app: FastAPI = app_module(service).create_app(settings, resources=resources)
    return app


def demo_module(service: str) -> ModuleType | None:
    try:
        return importlib.import_module(f"subgraphs.{service}.demo")
    except ModuleNotFoundError as error:
        if error.name == f"subgraphs.{service}.demo":
            return None
        raise
