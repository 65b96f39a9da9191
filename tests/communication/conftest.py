from __future__ import annotations

import pytest

from tests.communication.factories import Club, make_club
from tests.conftest import ServiceFactory
from tests.support.services import RunningService


@pytest.fixture
async def communication(service: ServiceFactory) -> RunningService:
    return await service("communication")


@pytest.fixture
def club() -> Club:
    return make_club()
