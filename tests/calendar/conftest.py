from __future__ import annotations

import pytest

from tests.calendar.factories import Club, make_club
from tests.conftest import ServiceFactory
from tests.support.services import RunningService


@pytest.fixture
async def calendar(service: ServiceFactory) -> RunningService:
    return await service("calendar")


@pytest.fixture
def club() -> Club:
    return make_club()
