from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from shared.auth.principal import Principal, Role
from subgraphs.admin.service import SYSTEM_SETTINGS_CACHE_KEY
from tests.conftest import ServiceFactory
from tests.support.principals import platform_admin, principal
from tests.support.services import RunningService


@pytest.fixture
async def admin(service: ServiceFactory) -> AsyncIterator[RunningService]:
    running = await service("admin")
    yield running
    # The tables are emptied between tests behind the cache's back; the platform's values are cached
    # under one key every test shares (a club's under its own, fresh id).
    await running.runtime.cache.delete(SYSTEM_SETTINGS_CACHE_KEY)


@dataclass(frozen=True)
class Club:
    organization_id: uuid.UUID
    club_admin: Principal
    coach: Principal
    player: Principal
    other_club_admin: Principal
    platform: Principal


@pytest.fixture
def club() -> Club:
    organization_id = uuid.uuid4()
    return Club(
        organization_id=organization_id,
        club_admin=principal(Role.CLUB_ADMIN, organization_id=organization_id),
        coach=principal(Role.COACH, organization_id=organization_id),
        player=principal(Role.PLAYER, organization_id=organization_id),
        other_club_admin=principal(Role.CLUB_ADMIN, organization_id=uuid.uuid4()),
        platform=platform_admin(),
    )
