from __future__ import annotations

import pytest

from tests.conftest import ServiceFactory
from tests.planning.factories import Club, make_club
from tests.support.services import RunningService


@pytest.fixture
async def planning(service: ServiceFactory) -> RunningService:
    return await service("planning")


@pytest.fixture
def club() -> Club:
    return make_club()
