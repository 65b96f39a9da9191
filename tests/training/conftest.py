from __future__ import annotations

import pytest

from tests.conftest import ServiceFactory
from tests.support.services import RunningService
from tests.training.factories import Club, make_club


@pytest.fixture
async def training(service: ServiceFactory) -> RunningService:
    return await service("training")


@pytest.fixture
async def club(training: RunningService) -> Club:
    return await make_club(training)
