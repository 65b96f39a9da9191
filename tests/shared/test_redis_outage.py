"""Redis down: the cache degrades to the database and comes back without serving stale values, and a live
subscription reports the loss of its feed instead of waiting silently for announcements that never come."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import orjson
import pytest

from shared.auth.principal import Principal, Role
from shared.cache import RETRY_SECONDS
from tests.support.backend import REDIS_URL, SuiteEnvironment
from tests.support.live import LiveClient, served
from tests.support.principals import principal
from tests.support.services import RunningService, issuer_for, running_service
from tests.support.statements import count_statements
from tests.support.tcp_proxy import TcpProxy

SETTING = "query Setting($key: String!) { organizationSetting(key: $key) { key value isDefault } }"
SET = """
mutation Set($key: String!, $value: JSON!) { setOrganizationSetting(key: $key, value: $value) { value } }
"""
ServiceBehind = Callable[[str], contextlib.AbstractAsyncContextManager[RunningService]]
NOTIFICATIONS = "subscription Notifications { notificationAdded { id title } }"


@pytest.fixture
async def redis_proxy(environment: SuiteEnvironment, migrated: SuiteEnvironment) -> AsyncIterator[TcpProxy]:
    if not environment.uses_servers:
        pytest.skip("a Redis outage needs Redis (servers backend); the embedded cache and pub/sub are in memory")
    host, port = REDIS_URL.removeprefix("redis://").split("/")[0].split(":")
    proxy = TcpProxy(host, int(port))
    await proxy.restore()
    yield proxy
    await proxy.cut()


@pytest.fixture
def service_behind(environment: SuiteEnvironment, redis_proxy: TcpProxy) -> ServiceBehind:
    """`async with service_behind("admin") as admin`: the service with its Redis behind the proxy."""
    settings = environment.settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{redis_proxy.port}/0"})

    def start(name: str) -> contextlib.AbstractAsyncContextManager[RunningService]:
        return running_service(name, settings, issuer_for(environment))

    return start


async def _setting(admin: RunningService, caller: Principal) -> Any:
    answer = (await admin.graphql.execute(SETTING, {"key": "default_practice_minutes"}, as_=caller)).ok()
    return answer["organizationSetting"]["value"]


async def test_the_cache_degrades_to_the_database_and_recovers_without_stale_values(
    service_behind: ServiceBehind, redis_proxy: TcpProxy
) -> None:
    organization = uuid.uuid4()
    club_admin = principal(Role.CLUB_ADMIN, organization_id=organization)
    coach = principal(Role.COACH, organization_id=organization)
    async with service_behind("admin") as admin:
        try:
            # given the settings were read, so the cache holds them
            assert await _setting(admin, coach) == 90
            with count_statements(admin.engine) as cached:
                assert await _setting(admin, coach) == 90
            assert cached.count == 0

            # when Redis goes down
            await redis_proxy.cut()

            # then reads are still answered, from the database, and health says the cache is degraded
            with count_statements(admin.engine) as uncached:
                assert await _setting(admin, coach) == 90
            assert uncached.count > 0
            health = (await admin.http.get("/health")).json()
            assert (health["status"], health["checks"]["cache"]["up"]) == ("degraded", False)
            # and a write succeeds although its cache entry cannot be dropped now
            changed = await admin.graphql.execute(SET, {"key": "default_practice_minutes", "value": 75}, as_=club_admin)
            assert changed.ok() == {"setOrganizationSetting": {"value": 75}}
            assert await _setting(admin, coach) == 75

            # when Redis is back (still holding the entry cached before the write)
            await redis_proxy.restore()
            await asyncio.sleep(RETRY_SECONDS + 0.2)

            # then the old value is never served: the deletion missed during the outage is done first
            assert await _setting(admin, coach) == 75
            # and the cache serves again
            with count_statements(admin.engine) as recovered:
                assert await _setting(admin, coach) == 75
            assert recovered.count == 0
        finally:
            await redis_proxy.restore()
            await admin.truncate()


async def test_a_live_subscription_reports_the_loss_of_redis_and_a_new_one_works_once_it_is_back(
    service_behind: ServiceBehind, redis_proxy: TcpProxy, environment: SuiteEnvironment
) -> None:
    me = principal(Role.PLAYER, organization_id=uuid.uuid4())
    token = issuer_for(environment).issue(me)
    async with (
        service_behind("communication") as communication,
        served(communication.app) as url,
        LiveClient.connected(url, token) as client,
    ):
        # given two live subscriptions following Redis announcements
        await client.subscribe("first", NOTIFICATIONS)
        await client.subscribe("second", NOTIFICATIONS)
        assert await client.nothing("first")

        # when Redis goes down
        await redis_proxy.cut()

        # then each subscription ends with an error saying its feed was lost (the client re-subscribes)
        for operation in ("first", "second"):
            message = await client.message(operation, within=10)
            assert message["type"] == "next", message
            assert message["payload"]["data"] is None
            assert [error["extensions"]["code"] for error in message["payload"]["errors"]] == [
                "SUBSCRIPTION_SOURCE_LOST"
            ]
            assert (await client.message(operation))["type"] == "complete"

        # when Redis is back, a new subscription follows the announcements again
        await redis_proxy.restore()
        await client.subscribe("again", NOTIFICATIONS)
        assert await client.nothing("again", within=0.5)
        notification = {
            "id": str(uuid.uuid4()),
            "kind": "message",
            "title": "Practice moved",
            "body": "Rink 2 at 18:00",
            "created_at": "2026-11-26T12:00:00+00:00",
        }
        announcement = orjson.dumps({"kind": "notification", "notification": notification})
        await communication.runtime.pubsub.publish(f"communication.inbox.{me.user_id}", announcement)
        data = await client.data("again", within=10)
        assert data == {"notificationAdded": {"id": notification["id"], "title": "Practice moved"}}
