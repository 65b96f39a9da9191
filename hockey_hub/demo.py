"""Loading the demo club: each subgraph seeds its own part, in its own database."""

from __future__ import annotations

import logging
from datetime import date

from hockey_hub.database import service_engine
from hockey_hub.services import SERVICES, demo_module
from shared.database import create_sessionmaker
from shared.demo import demo_club
from shared.settings import Settings

logger = logging.getLogger(__name__)


async def load_demo(settings: Settings, *, today: date | None = None) -> dict[str, bool]:
    """Seed every service that has a demo; a service that already holds the demo is left alone."""
    club = demo_club(today)
    loaded: dict[str, bool] = {}
    for service in SERVICES:
        module = demo_module(service)
        if module is None:
            continue
        async with service_engine(settings, service) as engine:
            sessions = create_sessionmaker(engine)
            async with sessions() as session, session.begin():
                loaded[service] = bool(await module.load_demo(session, club))
        logger.info("demo data", extra={"service": service, "loaded": loaded[service]})
    return loaded
