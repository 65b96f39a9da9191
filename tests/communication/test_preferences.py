"""Notification preferences through GraphQL over HTTP, and the emails they lead to, received by a local
SMTP server (aiosmtpd) the test starts: per kind and channel, quiet hours in the person's time zone, and
daily digests."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import Message
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from shared.auth.principal import Principal, Role
from subgraphs.communication.delivery_retry import FIRST_DELAY
from subgraphs.communication.email_delivery import EmailDispatcher, SmtpServer
from tests.communication.factories import Club, notify
from tests.support.principals import principal
from tests.support.services import RunningService

UPDATE = """
mutation Prefs($input: NotificationPreferencesInput!) {
  updateNotificationPreferences(input: $input) {
    email timeZone quietHoursStart quietHoursEnd digest digestHour channels { kind channel enabled }
  }
}
"""
MINE = "query { myNotificationPreferences { email timeZone digest digestHour channels { kind channel enabled } } }"
INBOX = "query { myNotifications { items { title isRead } } unreadNotificationCount }"


class Inbox:
    """What the local SMTP server received. Mailboxes starting with `nobody` do not exist (550); while
    `busy`, the server asks to be tried later (451)."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.busy = False

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address.startswith("nobody"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 (aiosmtpd's hook name)
        if self.busy:
            return "451 4.3.2 try again later"
        assert isinstance(envelope.content, bytes)
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, SmtpServer]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, SmtpServer(host="127.0.0.1", port=port, sender="Hockey Hub <no-reply@test.local>")
    finally:
        controller.stop()


def _player(club: Club) -> Principal:
    return principal(
        Role.PLAYER,
        organization_id=club.organization_id,
        teams=[club.team_id],
        player_id=uuid.uuid4(),
        email=f"player-{uuid.uuid4().hex[:6]}@example.com",
    )


async def _prefer(communication: RunningService, who: Principal, **settings: object) -> dict[str, object]:
    data: dict[str, object] = (await communication.graphql.execute(UPDATE, {"input": settings}, as_=who)).ok()[
        "updateNotificationPreferences"
    ]
    return data


def _dispatcher(communication: RunningService, server: SmtpServer) -> EmailDispatcher:
    return EmailDispatcher(communication.runtime.sessions, server, interval=0)


async def test_everything_is_on_until_turned_off(communication: RunningService, club: Club) -> None:
    player = _player(club)
    before = (await communication.graphql.execute(MINE, {}, as_=player)).ok()["myNotificationPreferences"]
    assert (before["email"], before["timeZone"], before["digest"]) == (None, "UTC", "OFF")
    assert all(choice["enabled"] for choice in before["channels"])
    after = await _prefer(
        communication,
        player,
        timeZone="Europe/Stockholm",
        quietHoursStart="22:00:00",
        quietHoursEnd="07:00:00",
        digest="DAILY",
        digestHour=8,
        channels=[{"kind": "ANNOUNCEMENT", "channel": "EMAIL", "enabled": False}],
    )
    assert after["email"] == player.email
    assert (after["timeZone"], after["quietHoursStart"], after["quietHoursEnd"]) == (
        "Europe/Stockholm",
        "22:00:00",
        "07:00:00",
    )
    off = [(c["kind"], c["channel"]) for c in after["channels"] if not c["enabled"]]  # type: ignore[attr-defined]
    assert off == [("ANNOUNCEMENT", "EMAIL")]
    for changes, field in (
        ({"timeZone": "Mars/Olympus"}, "timeZone"),
        ({"quietHoursStart": "22:00:00"}, "quietHoursEnd"),
        ({"quietHoursStart": "22:00:00", "quietHoursEnd": "22:00:00"}, "quietHoursEnd"),
        ({"digestHour": 24}, "digestHour"),
        ({"quietHoursStart": "22:00:00+02:00", "quietHoursEnd": "07:00:00"}, "quietHoursStart"),
    ):
        response = await communication.graphql.execute(UPDATE, {"input": changes}, as_=player)
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field, changes


async def test_a_notification_is_emailed_once(
    communication: RunningService, club: Club, smtp: tuple[Inbox, SmtpServer]
) -> None:
    inbox, server = smtp
    player = _player(club)
    await _prefer(communication, player)
    silent = _player(club)  # never gave preferences: no address known, no email
    await notify(communication, to=[player, silent], by=club.coach, title="Ice time moved")
    sent = await _dispatcher(communication, server).tick()
    assert len(sent) == 1
    [message] = inbox.messages
    assert (message["To"], message["Subject"]) == (player.email, "Ice time moved")
    assert "Rink B" in message.get_payload()
    assert await _dispatcher(communication, server).tick() == []
    assert len(inbox.messages) == 1


async def test_channels_turned_off(communication: RunningService, club: Club, smtp: tuple[Inbox, SmtpServer]) -> None:
    inbox, server = smtp
    player = _player(club)
    await _prefer(
        communication,
        player,
        channels=[
            {"kind": "ANNOUNCEMENT", "channel": "EMAIL", "enabled": False},
            {"kind": "ANNOUNCEMENT", "channel": "IN_APP", "enabled": False},
        ],
    )
    await notify(communication, to=[player], by=club.coach, title="Muted")
    assert await _dispatcher(communication, server).tick() == []
    assert inbox.messages == []
    seen = (await communication.graphql.execute(INBOX, {}, as_=player)).ok()
    assert seen["myNotifications"]["items"] == [{"title": "Muted", "isRead": True}]
    assert seen["unreadNotificationCount"] == 0


async def test_quiet_hours_hold_emails_until_they_end(
    communication: RunningService, club: Club, smtp: tuple[Inbox, SmtpServer]
) -> None:
    inbox, server = smtp
    player = _player(club)
    zone = ZoneInfo("America/New_York")
    local = datetime.now(UTC).astimezone(zone)
    start = (local - timedelta(hours=1)).time().replace(second=0, microsecond=0)
    end = (local + timedelta(hours=2)).time().replace(second=0, microsecond=0)
    await _prefer(
        communication,
        player,
        timeZone="America/New_York",
        quietHoursStart=start.isoformat(),
        quietHoursEnd=end.isoformat(),
    )
    await notify(communication, to=[player], by=club.coach, title="Late news")
    dispatcher = _dispatcher(communication, server)
    assert await dispatcher.tick() == []
    ends = datetime.combine((local + timedelta(hours=2)).date(), end, tzinfo=zone).astimezone(UTC)
    assert await dispatcher.tick(ends - timedelta(minutes=1)) == []
    assert len(await dispatcher.tick(ends)) == 1
    assert [m["Subject"] for m in inbox.messages] == ["Late news"]


async def test_a_daily_digest_gathers_the_days_emails(
    communication: RunningService, club: Club, smtp: tuple[Inbox, SmtpServer]
) -> None:
    inbox, server = smtp
    player = _player(club)
    zone = ZoneInfo("Asia/Tokyo")
    local = datetime.now(UTC).astimezone(zone)
    digest_at = (local + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    await _prefer(communication, player, timeZone="Asia/Tokyo", digest="DAILY", digestHour=digest_at.hour)
    for title in ("Practice moved", "Jerseys ready"):
        await notify(communication, to=[player], by=club.coach, title=title)
    dispatcher = _dispatcher(communication, server)
    assert await dispatcher.tick(digest_at - timedelta(seconds=1)) == []
    [digest] = await dispatcher.tick(digest_at.astimezone(UTC))
    assert digest["Subject"] == "Your Hockey Hub digest: 2 notifications"
    [received] = inbox.messages
    text = str(received.get_payload())
    assert "Practice moved" in text
    assert "Jerseys ready" in text
    assert await dispatcher.tick(digest_at + timedelta(days=1)) == []


async def test_a_refused_email_holds_back_no_other_and_is_given_up_or_tried_later(
    communication: RunningService, club: Club, smtp: tuple[Inbox, SmtpServer]
) -> None:
    inbox, server = smtp
    # given two players with addresses, one of which does not exist
    player = _player(club)
    lost = principal(
        Role.PLAYER, organization_id=club.organization_id, teams=[club.team_id], email="nobody@example.com"
    )
    await _prefer(communication, player)
    await _prefer(communication, lost)
    await notify(communication, to=[lost, player], by=club.coach, title="Ice time moved")
    # when the emails go out, the good one is delivered and the bad one is given up: never tried again
    now = datetime.now(UTC)
    assert [message["To"] for message in await _dispatcher(communication, server).tick(now)] == [player.email]
    assert await _dispatcher(communication, server).tick(now + timedelta(days=1)) == []
    assert [message["To"] for message in inbox.messages] == [player.email]
    # and a server asking to be tried later gets the email again once the wait is over, not before
    inbox.busy = True
    await notify(communication, to=[player], by=club.coach, title="Bus leaves at 6")
    now = datetime.now(UTC) + timedelta(seconds=1)
    assert await _dispatcher(communication, server).tick(now) == []
    inbox.busy = False
    assert await _dispatcher(communication, server).tick(now + timedelta(seconds=30)) == []
    retried = await _dispatcher(communication, server).tick(now + FIRST_DELAY + timedelta(seconds=1))
    assert [message["Subject"] for message in retried] == ["Bus leaves at 6"]
