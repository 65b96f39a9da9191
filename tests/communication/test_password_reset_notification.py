"""A password reset asked for at the user service arrives as a notification for the account's owner: the
user service writes `user.password_reset_requested` to its outbox, its relay publishes it on the event
bus, and the communication service's consumer turns it into a notification."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from shared.auth.principal import Role
from shared.events import Event
from subgraphs.communication.models import Notification
from tests.conftest import ServiceFactory
from tests.support.services import RunningService
from tests.support.waiting import eventually
from tests.user.factories import make_organization
from tests.user.identity_factories import REQUEST_RESET, bearer, events_of, make_account, signed_in

RESET_REQUESTED = "user.password_reset_requested"
NOTIFICATIONS = "query { myNotifications { items { kind title body link isRead } } unreadNotificationCount }"


@pytest.fixture
async def user(service: ServiceFactory) -> RunningService:
    return await service("user")


@contextlib.asynccontextmanager
async def one_event_bus(user: RunningService, communication: RunningService) -> AsyncIterator[None]:
    """With RabbitMQ the two services already share the broker's exchange. In the embedded mode each test
    service has an in-process bus of its own, while `hockey-hub up` gives all services of the process one:
    this carries the user service's reset events over to the communication service's bus for the test."""
    if communication.runtime.settings.amqp_url is not None:
        yield
        return
    carrying = True

    async def carry(event: Event) -> None:
        if carrying:
            await communication.runtime.bus.publish(event)

    await user.runtime.bus.consume(f"test-bridge-{uuid.uuid4().hex[:8]}", [RESET_REQUESTED], carry)
    try:
        yield
    finally:
        carrying = False


async def _notification_count(communication: RunningService) -> int:
    async with communication.runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Notification)) or 0)


async def test_a_reset_request_reaches_the_account_owner_as_a_notification(
    user: RunningService, communication: RunningService
) -> None:
    # given a player with an account, and a teammate
    organization = await make_organization(user)
    player = await make_account(user, organization=organization, roles=(Role.PLAYER,))
    teammate = await make_account(user, organization=organization, roles=(Role.PLAYER,))
    async with one_event_bus(user, communication):
        # when a reset is asked for an unknown email, then for the player's
        for email in (f"ghost-{uuid.uuid4().hex[:6]}@club.example", player.email):
            response = await user.graphql.execute(REQUEST_RESET, {"email": email})
            assert response.ok() == {"requestPasswordReset": True}
        # then the player finds the reset link among their notifications
        token = (await signed_in(user, player))["accessToken"]

        async def delivered() -> list[dict[str, Any]] | None:
            mine = await communication.graphql.execute(NOTIFICATIONS, headers=bearer(token))
            items: list[dict[str, Any]] = mine.ok()["myNotifications"]["items"]
            return items or None

        [notification] = await eventually(delivered)
    assert notification["kind"] == "SYSTEM"
    assert notification["title"] == "Reset your Hockey Hub password"
    assert player.email in notification["body"]
    assert not notification["isRead"]
    # and its link carries the token the user service issued, which resets the password
    [event] = await events_of(user, RESET_REQUESTED)
    link = urlsplit(notification["link"])
    assert link.path == "/reset-password"
    assert parse_qs(link.query)["token"] == [event["token"]]
    # and nobody else got anything: not the teammate, and nobody for the unknown email
    assert await _notification_count(communication) == 1
    theirs = await communication.graphql.execute(
        NOTIFICATIONS, headers=bearer((await signed_in(user, teammate))["accessToken"])
    )
    assert theirs.ok()["myNotifications"]["items"] == []
