from __future__ import annotations

import pytest

from tests.conftest import ServiceFactory
from tests.medical.factories import Club, make_club
from tests.support.services import RunningService


@pytest.fixture
async def medical(service: ServiceFactory) -> RunningService:
    return await service("medical")


@pytest.fixture
async def club(medical: RunningService) -> Club:
    return await make_club(medical)
