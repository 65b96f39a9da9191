"""A person who chose no time zone counts quiet hours and digests in their club's, which the communication
service learns from the user service's `organization.created` / `organization.updated` events: when the
club administrator moves the club to another zone (GraphQL at the user service), pushes held by quiet
hours follow the new clock. A person's own zone still wins."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shared.auth.principal import Principal, Role
from shared.events import Event
from subgraphs.communication.push_delivery import PushDispatcher, vapid_key
from tests.communication.factories import notify
from tests.communication.push_service import PushService
from tests.conftest import ServiceFactory
from tests.support.event_flow import carried, processed, published_ids
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.support.waiting import eventually
from tests.user.factories import make_organization

ORGANIZATION_EVENTS = ("organization.created", "organization.updated")
MOVE_CLUB = "mutation Move($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { id timeZone } }"
PREFERENCES = """
mutation Prefs($input: NotificationPreferencesInput!) { updateNotificationPreferences(input: $input) { timeZone } }
"""
MINE = "query { myNotificationPreferences { timeZone } }"
REGISTER = "mutation Register($input: RegisterPushDeviceInput!) { registerPushDevice(input: $input) { id } }"


@pytest.fixture
async def user(service: ServiceFactory, communication: RunningService) -> AsyncIterator[RunningService]:
    running = await service("user")
    async with carried(running, [communication], ORGANIZATION_EVENTS):
        yield running


async def _taken_in(user: RunningService, communication: RunningService, event_type: str) -> None:
    """Wait until the communication service has handled the newest event of that type."""
    [newest] = (await published_ids(user, event_type))[-1:]
    await eventually(lambda: processed(communication, newest))


async def _zone(communication: RunningService, who: Principal) -> str:
    zone: str = (await communication.graphql.execute(MINE, {}, as_=who)).ok()["myNotificationPreferences"]["timeZone"]
    return zone


async def test_quiet_hours_follow_the_clubs_time_zone(
    user: RunningService, communication: RunningService, push_service: PushService
) -> None:
    # given a club in Stockholm (as made), which the communication service has heard of
    club = await make_organization(user)
    await _taken_in(user, communication, "organization.created")
    admin = principal(Role.CLUB_ADMIN, organization_id=club.id)
    coach = principal(Role.COACH, organization_id=club.id)
    player = principal(Role.PLAYER, organization_id=club.id, player_id=uuid.uuid4())
    assert await _zone(communication, player) == "Europe/Stockholm"
    # when the club administrator moves the club to Tokyo
    moved = await user.graphql.execute(MOVE_CLUB, {"input": {"timeZone": "Asia/Tokyo"}}, as_=admin)
    assert moved.ok()["updateOrganization"]["timeZone"] == "Asia/Tokyo"
    await _taken_in(user, communication, "organization.updated")
    # then a player without a zone of their own has quiet hours on Tokyo's clock
    tokyo = datetime.now(UTC).astimezone(ZoneInfo("Asia/Tokyo"))
    start = (tokyo - timedelta(hours=1)).time().replace(second=0, microsecond=0)
    later = tokyo + timedelta(hours=2)
    end = later.time().replace(second=0, microsecond=0)
    hours = {"quietHoursStart": start.isoformat(), "quietHoursEnd": end.isoformat()}
    assert (await communication.graphql.execute(PREFERENCES, {"input": hours}, as_=player)).ok()[
        "updateNotificationPreferences"
    ] == {"timeZone": "Asia/Tokyo"}
    device = push_service.device()
    await communication.graphql.execute(REGISTER, {"input": device.subscription()}, as_=player)
    await notify(communication, to=[player], by=coach, title="Late ice")
    key = vapid_key(communication.runtime.settings)
    assert key is not None
    dispatcher = PushDispatcher(communication.runtime.sessions, key, interval=0)
    # (quiet now in Tokyo, not on a UTC or Stockholm clock) nothing goes until Tokyo's quiet hours end
    ends = datetime.combine(later.date(), end, tzinfo=ZoneInfo("Asia/Tokyo")).astimezone(UTC)
    assert (await dispatcher.tick()).sent == []
    assert (await dispatcher.tick(ends - timedelta(minutes=1))).sent == []
    assert push_service.received == []
    assert len((await dispatcher.tick(ends)).sent) == 1
    assert push_service.payload(push_service.to(device)[0], device)["title"] == "Late ice"
    # and a person's own zone still wins over the club's
    own = {**hours, "timeZone": "America/New_York"}
    await communication.graphql.execute(PREFERENCES, {"input": own}, as_=player)
    assert await _zone(communication, player) == "America/New_York"


async def test_a_late_older_organization_event_does_not_undo_a_newer_one(
    user: RunningService, communication: RunningService
) -> None:
    club = await make_organization(user)
    admin = principal(Role.CLUB_ADMIN, organization_id=club.id)
    player = principal(Role.PLAYER, organization_id=club.id, player_id=uuid.uuid4())
    await user.graphql.execute(MOVE_CLUB, {"input": {"timeZone": "Australia/Sydney"}}, as_=admin)
    await _taken_in(user, communication, "organization.updated")
    assert await _zone(communication, player) == "Australia/Sydney"
    # when an update from an hour ago arrives only now
    late = Event(
        type="organization.updated",
        producer="user",
        organization_id=club.id,
        data={"organization_id": str(club.id), "name": club.name, "time_zone": "America/Chicago"},
        occurred_at=datetime.now(UTC) - timedelta(hours=1),
    )
    await communication.runtime.bus.publish(late)
    await eventually(lambda: processed(communication, late.id))
    # then the newer zone stays
    assert await _zone(communication, player) == "Australia/Sydney"
