"""Email delivery: a background loop of the communication service sends queued notification emails when
due, and each person's daily digest as one email. SMTP runs through the standard library in a thread.

A delivery row is locked while it is sent and marked sent in the same transaction: two loops never send
one email; a crash between sending and committing sends it again (at least once, never lost)."""

from __future__ import annotations

import asyncio
import smtplib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from itertools import groupby

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.database import utcnow
from shared.periodic import PeriodicTask
from shared.settings import Settings
from subgraphs.communication import preferences_repository
from subgraphs.communication.models import EmailDelivery, Notification

BATCH = 200


@dataclass(frozen=True, slots=True)
class SmtpServer:
    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    starttls: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpServer | None:
        if not settings.smtp_host:
            return None
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_from,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            starttls=settings.smtp_starttls,
        )

    def send(self, messages: list[EmailMessage]) -> None:
        """Blocking: one connection for the batch."""
        with smtplib.SMTP(self.host, self.port, timeout=30) as client:
            if self.starttls:
                client.starttls()
            if self.username and self.password:
                client.login(self.username, self.password)
            for message in messages:
                client.send_message(message)


def _email(server: SmtpServer, to: str, subject: str, text: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = server.sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    return message


def _single(server: SmtpServer, delivery: EmailDelivery, notification: Notification) -> EmailMessage:
    lines = [notification.body]
    if notification.link:
        lines += ["", f"Open: {notification.link}"]
    return _email(server, delivery.address, notification.title, "\n".join(lines))


def _digest(server: SmtpServer, address: str, notifications: list[Notification]) -> EmailMessage:
    lines = [f"- {notification.title}: {notification.body}" for notification in notifications]
    subject = f"Your Hockey Hub digest: {len(notifications)} notification{'s' if len(notifications) != 1 else ''}"
    return _email(server, address, subject, "\n".join(lines))


async def send_due(session: AsyncSession, server: SmtpServer, now: datetime) -> list[EmailMessage]:
    """Send every email due at `now` and every digest due; what was sent."""
    single = await preferences_repository.due_deliveries(session, now, in_digest=False, limit=BATCH)
    digests = await preferences_repository.due_deliveries(session, now, in_digest=True, limit=BATCH)
    messages = [_single(server, delivery, notification) for delivery, notification in single]
    sent: list[uuid.UUID] = [delivery.notification_id for delivery, _ in single]
    for (_user, address), group in groupby(digests, key=lambda pair: (pair[0].user_id, pair[0].address)):
        rows = list(group)
        messages.append(_digest(server, address, [notification for _, notification in rows]))
        sent += [delivery.notification_id for delivery, _ in rows]
    if not messages:
        return []
    await asyncio.to_thread(server.send, messages)
    await preferences_repository.mark_sent(session, sent, now)
    return messages


class EmailDispatcher:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        server: SmtpServer,
        *,
        interval: float,
        clock: Callable[[], datetime] = utcnow,
    ):
        self._sessions = sessions
        self._server = server
        self._clock = clock
        self._loop = PeriodicTask("communication-email", self.tick, interval=interval)

    def start(self) -> None:
        self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def tick(self, now: datetime | None = None) -> list[EmailMessage]:
        async with self._sessions() as session, session.begin():
            return await send_due(session, self._server, now or self._clock())
