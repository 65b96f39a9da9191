"""Web Push through GraphQL over HTTP: people register their browsers, and notifications reach them through a
real push service on 127.0.0.1 that the test starts (tests/communication/push_service.py), which checks
the VAPID signature and decrypts what it receives with the device's own keys; pushes respect the same
preferences as emails (channels, quiet hours, digests), urgent medical alerts go at once, and a device
whose subscription is gone (410) is forgotten."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from shared.auth.principal import Principal, Role
from subgraphs.communication.delivery_retry import FIRST_DELAY
from subgraphs.communication.push_delivery import PushDispatcher, vapid_key
from tests.communication.factories import Club, know_roster, notify
from tests.communication.push_service import Device, PushService, b64url
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.support.waiting import eventually

REGISTER = """
mutation Register($input: RegisterPushDeviceInput!) {
  registerPushDevice(input: $input) { id label endpoint createdAt lastPushedAt }
}
"""
REMOVE = "mutation Remove($id: ID!) { removePushDevice(id: $id) }"
DEVICES = "query { myPushDevices { id label endpoint lastPushedAt } }"
KEY = "query { pushPublicKey }"
PREFERENCES = """
mutation Prefs($input: NotificationPreferencesInput!) { updateNotificationPreferences(input: $input) { timeZone } }
"""
INBOX = "query { myNotifications { items { id title link } } }"
ALERT = """
mutation Alert($input: SendMedicalAlertInput!) { sendMedicalAlert(input: $input) { id title } }
"""


def _player(club: Club) -> Principal:
    return principal(Role.PLAYER, organization_id=club.organization_id, teams=[club.team_id], player_id=uuid.uuid4())


async def _register(communication: RunningService, who: Principal, device: Device) -> dict[str, Any]:
    data: dict[str, Any] = (
        await communication.graphql.execute(REGISTER, {"input": device.subscription()}, as_=who)
    ).ok()["registerPushDevice"]
    return data


async def _public_key(communication: RunningService, who: Principal) -> str:
    key: str = (await communication.graphql.execute(KEY, {}, as_=who)).ok()["pushPublicKey"]
    return key


def _after_the_retry_delay() -> datetime:
    """Late enough for a push that failed once to be due again (`delivery_retry`), well within its day."""
    return datetime.now(UTC) + FIRST_DELAY + timedelta(seconds=30)


def _dispatcher(communication: RunningService) -> PushDispatcher:
    key = vapid_key(communication.runtime.settings)
    assert key is not None
    return PushDispatcher(communication.runtime.sessions, key, interval=0)


async def _arrived(push_service: PushService, device: Device, count: int = 1) -> bool:
    """Whether the device has had `count` pushes (or more): a probe for `eventually`."""
    return len(push_service.to(device)) >= count


def _quiet_now(zone: str) -> dict[str, Any]:
    """Quiet hours from an hour ago to two hours from now on the zone's clock, and when they end (UTC)."""
    local = datetime.now(UTC).astimezone(ZoneInfo(zone))
    start = (local - timedelta(hours=1)).time().replace(second=0, microsecond=0)
    later = local + timedelta(hours=2)
    end = later.time().replace(second=0, microsecond=0)
    ends = datetime.combine(later.date(), end, tzinfo=ZoneInfo(zone)).astimezone(UTC)
    return {"timeZone": zone, "quietHoursStart": start.isoformat(), "quietHoursEnd": end.isoformat(), "ends": ends}


async def test_a_notification_reaches_each_device_signed_and_encrypted(
    communication: RunningService, club: Club, push_service: PushService
) -> None:
    # given a player with two browsers registered
    player = _player(club)
    phone, laptop = push_service.device(), push_service.device()
    registered = await _register(communication, player, phone)
    assert (registered["label"], registered["endpoint"], registered["lastPushedAt"]) == ("Phone", phone.endpoint, None)
    await _register(communication, player, laptop)
    public_key = await _public_key(communication, player)
    # when the coach notifies them
    [notification] = await notify(communication, to=[player], by=club.coach, title="Ice time moved")
    # then each browser gets it at once, signed with the service's VAPID key and readable only with its keys
    await eventually(lambda: _arrived(push_service, phone))
    await eventually(lambda: _arrived(push_service, laptop))
    for device in (phone, laptop):
        [push] = push_service.to(device)
        claims = push_service.verified_claims(push, public_key)
        assert claims["sub"] == communication.runtime.settings.vapid_subject
        assert time.time() < claims["exp"] <= time.time() + 24 * 3600
        assert (int(push.headers["TTL"]) > 0, push.headers["Urgency"]) == (True, "normal")
        assert push_service.payload(push, device) == {
            "type": "ANNOUNCEMENT",
            "title": "Ice time moved",
            "body": "Rink B",
            "notificationId": str(notification.id),
            "organizationId": str(club.organization_id),
            "url": "/notifications",
            "createdAt": notification.created_at.isoformat(),
        }
    # and the devices show when they were last pushed to; nothing goes twice
    listed = (await communication.graphql.execute(DEVICES, {}, as_=player)).ok()["myPushDevices"]
    assert {device["endpoint"] for device in listed} == {phone.endpoint, laptop.endpoint}
    assert all(device["lastPushedAt"] for device in listed)
    assert (await _dispatcher(communication).tick()).sent == []
    assert len(push_service.received) == 2


async def test_a_device_is_validated_listed_and_removed_by_its_owner_only(
    communication: RunningService, club: Club, push_service: PushService
) -> None:
    player, other = _player(club), _player(club)
    device = push_service.device()
    good = device.subscription()
    for changes, field in (
        ({"endpoint": "http://push.example.com/abc"}, "endpoint"),
        ({"endpoint": "ftp://push.example.com/abc"}, "endpoint"),
        ({"p256dh": b64url(b"\x04" + bytes(31))}, "p256dh"),
        ({"p256dh": "not base64!"}, "p256dh"),
        ({"auth": b64url(bytes(15))}, "auth"),
        ({"label": "x" * 101}, "label"),
    ):
        response = await communication.graphql.execute(REGISTER, {"input": {**good, **changes}}, as_=player)
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field, changes
    mine = await _register(communication, player, device)
    # the same browser registering again renews its row rather than adding one
    again = await _register(communication, player, device)
    assert again["id"] == mine["id"]
    assert len((await communication.graphql.execute(DEVICES, {}, as_=player)).ok()["myPushDevices"]) == 1
    assert (await communication.graphql.execute(DEVICES, {}, as_=other)).ok()["myPushDevices"] == []
    # someone else signing in on that browser takes it over: what waited for the first person never goes
    push_service.answer(device, 503)
    await notify(communication, to=[player], by=club.coach, title="For the first owner")
    taken = await _register(communication, other, device)
    assert taken["id"] != mine["id"]
    assert (await communication.graphql.execute(DEVICES, {}, as_=player)).ok()["myPushDevices"] == []
    attempts = len(push_service.to(device))
    push_service.answer(device, 201)
    assert (await _dispatcher(communication).tick(_after_the_retry_delay())).sent == []
    assert len(push_service.to(device)) == attempts
    assert (await communication.graphql.execute(REMOVE, {"id": taken["id"]}, as_=other)).ok()
    push_service.received.clear()
    mine = await _register(communication, player, device)
    response = await communication.graphql.execute(REMOVE, {"id": mine["id"]}, as_=other)
    assert response.error("NOT_FOUND")
    assert (await communication.graphql.execute(REMOVE, {"id": mine["id"]}, as_=player)).ok() == {
        "removePushDevice": mine["id"]
    }
    assert (await communication.graphql.execute(DEVICES, {}, as_=player)).ok()["myPushDevices"] == []
    await notify(communication, to=[player], by=club.coach)
    assert (await _dispatcher(communication).tick()).sent == []
    assert push_service.received == []


async def test_a_gone_subscription_is_forgotten_and_a_failing_one_retried(
    communication: RunningService, club: Club, push_service: PushService
) -> None:
    player = _player(club)
    gone, flaky = push_service.device(), push_service.device()
    await _register(communication, player, gone)
    await _register(communication, player, flaky)
    push_service.answer(gone, 410)
    push_service.answer(flaky, 503)
    await notify(communication, to=[player], by=club.coach, title="Bus leaves at 6")

    async def only_flaky_left() -> bool:
        listed = (await communication.graphql.execute(DEVICES, {}, as_=player)).ok()["myPushDevices"]
        return [device["endpoint"] for device in listed] == [flaky.endpoint] and bool(push_service.to(flaky))

    await eventually(only_flaky_left)
    # the push service is back: the push that failed goes once its retry is due, once
    push_service.answer(flaky, 201)
    assert (await _dispatcher(communication).tick()).sent == []
    await _dispatcher(communication).tick(_after_the_retry_delay())
    await eventually(lambda: _arrived(push_service, flaky, 2))
    assert push_service.payload(push_service.to(flaky)[-1], flaky)["title"] == "Bus leaves at 6"
    assert (await _dispatcher(communication).tick()).sent == []
    assert len(push_service.to(gone)) == 1


async def test_push_follows_channels_quiet_hours_and_digests(
    communication: RunningService, club: Club, push_service: PushService
) -> None:
    dispatcher = _dispatcher(communication)
    # a player who turned announcements off on the PUSH channel gets no push
    muted, quiet, digested = _player(club), _player(club), _player(club)
    devices = {who.user_id: push_service.device() for who in (muted, quiet, digested)}
    for who in (muted, quiet, digested):
        await _register(communication, who, devices[who.user_id])
    choice = {"kind": "ANNOUNCEMENT", "channel": "PUSH", "enabled": False}
    await communication.graphql.execute(PREFERENCES, {"input": {"channels": [choice]}}, as_=muted)
    # one in quiet hours in New York (two more hours), one with a daily digest in Tokyo within the hour
    hours = _quiet_now("America/New_York")
    ends = hours.pop("ends")
    await communication.graphql.execute(PREFERENCES, {"input": hours}, as_=quiet)
    tokyo = datetime.now(UTC).astimezone(ZoneInfo("Asia/Tokyo"))
    digest_at = (tokyo + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0).astimezone(UTC)
    digest = {
        "timeZone": "Asia/Tokyo",
        "digest": "DAILY",
        "digestHour": digest_at.astimezone(ZoneInfo("Asia/Tokyo")).hour,
    }
    await communication.graphql.execute(PREFERENCES, {"input": digest}, as_=digested)
    for title in ("Practice moved", "Jerseys ready"):
        await notify(communication, to=[muted, quiet, digested], by=club.coach, title=title)
    # nothing is due now
    assert (await dispatcher.tick()).sent == []
    assert (await dispatcher.tick(digest_at - timedelta(seconds=1))).sent == []
    assert push_service.received == []
    # the digest hour: one push naming both
    assert len((await dispatcher.tick(digest_at)).sent) == 1
    digested_device = devices[digested.user_id]
    [push] = push_service.to(digested_device)
    assert push.headers["Urgency"] == "low"
    payload = push_service.payload(push, digested_device)
    assert (payload["type"], payload["title"], payload["url"]) == (
        "DIGEST",
        "Your Hockey Hub digest: 2 notifications",
        "/notifications",
    )
    assert payload["body"] == "Practice moved\nJerseys ready"
    assert len(payload["notificationIds"]) == 2
    # the quiet hours end: both notifications, one push each
    assert len((await dispatcher.tick(ends)).sent) == 2
    quiet_device = devices[quiet.user_id]
    assert [push_service.payload(p, quiet_device)["title"] for p in push_service.to(quiet_device)] == [
        "Practice moved",
        "Jerseys ready",
    ]
    assert push_service.to(devices[muted.user_id]) == []


async def test_an_urgent_medical_alert_is_pushed_through_quiet_hours(
    communication: RunningService, club: Club, push_service: PushService
) -> None:
    medic = principal(Role.MEDICAL_STAFF, organization_id=club.organization_id, teams=[club.team_id])
    trainer = principal(Role.PHYSICAL_TRAINER, organization_id=club.organization_id, teams=[club.team_id])
    await know_roster(
        communication, club, players=[club.player], staff=[(medic, "medical_staff"), (trainer, "physical_trainer")]
    )
    device = push_service.device()
    await _register(communication, trainer, device)
    hours = _quiet_now("Europe/Stockholm")
    hours.pop("ends")
    await communication.graphql.execute(PREFERENCES, {"input": hours}, as_=trainer)
    assert club.player.player_id is not None
    variables = {"input": {"playerId": str(club.player.player_id), "title": "Concussion protocol", "body": "Out."}}
    alert = (await communication.graphql.execute(ALERT, variables, as_=medic)).ok()["sendMedicalAlert"]
    await eventually(lambda: _arrived(push_service, device))
    payload = push_service.payload(push_service.to(device)[0], device)
    assert (payload["type"], payload["title"], payload["body"], payload["url"]) == (
        "MEDICAL_UPDATE",
        "Urgent: Concussion protocol",
        "Out.",
        f"/medical-alerts/{alert['id']}",
    )
    # and it asks the phone to wake for it (RFC 8030 Urgency), where an ordinary push does not
    assert push_service.to(device)[0].headers["Urgency"] == "high"
    # while an ordinary notification waits for the end of the quiet hours
    await notify(communication, to=[trainer], by=club.coach, title="Video session")
    assert (await _dispatcher(communication).tick()).sent == []
    assert len(push_service.to(device)) == 1


async def test_a_push_refused_for_good_is_given_up(
    communication: RunningService, club: Club, push_service: PushService
) -> None:
    # given a device whose push service rejects what we send (400: it will never take this message)
    player = _player(club)
    device = push_service.device()
    await _register(communication, player, device)
    push_service.answer(device, 400)
    await notify(communication, to=[player], by=club.coach, title="Practice cancelled")
    await eventually(lambda: _arrived(push_service, device))
    # then it is not tried again, however long we wait, and the device stays registered
    push_service.answer(device, 201)
    later = datetime.now(UTC) + timedelta(days=1)
    assert (await _dispatcher(communication).tick(later)).sent == []
    assert len(push_service.to(device)) == 1
    listed = (await communication.graphql.execute(DEVICES, {}, as_=player)).ok()["myPushDevices"]
    assert [item["endpoint"] for item in listed] == [device.endpoint]
    # while a new notification reaches it
    await notify(communication, to=[player], by=club.coach, title="Practice is back on")
    await eventually(lambda: _arrived(push_service, device, 2))
    assert push_service.payload(push_service.to(device)[-1], device)["title"] == "Practice is back on"
