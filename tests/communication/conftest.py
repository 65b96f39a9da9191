from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from shared.demo import demo_club
from subgraphs.communication.demo import load_demo as load_communication_demo
from subgraphs.user.demo import load_demo as load_user_demo
from tests.communication.factories import Club, make_club
from tests.communication.push_service import PushService
from tests.conftest import ServiceFactory
from tests.support.services import RunningService, ServicePool


@pytest.fixture
async def communication(service: ServiceFactory) -> RunningService:
    return await service("communication")


@pytest.fixture
def club() -> Club:
    return make_club()


@pytest.fixture
async def demo(services: ServicePool) -> AsyncIterator[None]:
    """The demo club in the two services this test uses (and only there: the others stay empty)."""
    club = demo_club()
    for name, load in (("user", load_user_demo), ("communication", load_communication_demo)):
        service = await services.get(name)
        async with service.runtime.sessions() as session, session.begin():
            await load(session, club)
    yield
    for name in ("user", "communication"):
        await (await services.get(name)).truncate()


@pytest.fixture
async def push_service() -> AsyncIterator[PushService]:
    """A push service on a free port of 127.0.0.1 (tests/communication/push_service.py)."""
    service = PushService(origin="")
    app = web.Application()
    app.router.add_post("/push/{device}", service.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    service.origin = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        yield service
    finally:
        await runner.cleanup()
