from __future__ import annotations

import pytest

from tests.conftest import ServiceFactory
from tests.support.services import RunningService
from tests.user.factories import Club, make_club


@pytest.fixture
async def user(service: ServiceFactory) -> RunningService:
    return await service("user")


@pytest.fixture
async def club(user: RunningService) -> Club:
    return await make_club(user)
