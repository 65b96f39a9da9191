"""Email delivery: a background loop of the communication service sends queued notification emails when
due, and each person's daily digest as one email. SMTP runs through the standard library in a thread.

A delivery row is locked while it is sent and marked sent in the same transaction: two loops never send
one email; a crash between sending and committing sends it again (at least once, never lost). One the
server refuses waits longer after each attempt and is given up in the end (`delivery_retry`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
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
from subgraphs.communication.delivery_retry import Failure, record_failure
from subgraphs.communication.models import EmailDelivery, Notification

logger = logging.getLogger(__name__)

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

    def send(self, messages: list[EmailMessage]) -> list[Failure | None]:
        """Blocking: one connection for the batch; for each message, None when the server took it, else why
        not. A server that cannot be reached (or lets nobody sign in) raises: nothing was sent."""
        results: list[Failure | None] = []
        with smtplib.SMTP(self.host, self.port, timeout=30) as client:
            if self.starttls:
                client.starttls()
            if self.username and self.password:
                client.login(self.username, self.password)
            for message in messages:
                try:
                    client.send_message(message)
                except smtplib.SMTPServerDisconnected as error:
                    gone = Failure(f"the SMTP server hung up: {error}", permanent=False)
                    return results + [gone] * (len(messages) - len(results))
                except smtplib.SMTPException as error:
                    results.append(_refusal(error))
                    with contextlib.suppress(smtplib.SMTPException):
                        client.rset()  # ready for the next message; a hang-up shows on the next send
                else:
                    results.append(None)
        return results


def _refusal(error: smtplib.SMTPException) -> Failure:
    """A 5xx reply refuses the message for good (no such mailbox, say); a 4xx asks to try again later."""
    text: bytes | str
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = list(error.recipients.values())
        code, text = replies[0] if replies else (550, b"recipient refused")
    elif isinstance(error, smtplib.SMTPResponseException):
        code, text = error.smtp_code, error.smtp_error
    else:
        return Failure(str(error), permanent=False)
    reason = text.decode(errors="replace") if isinstance(text, bytes) else text
    return Failure(f"{code} {reason}", permanent=code >= 500)


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
    """Send every email due at `now` and every digest due; what was sent. A message the server refuses is
    tried again later or given up (`delivery_retry`), without holding back the others."""
    single = await preferences_repository.due_deliveries(session, now, in_digest=False, limit=BATCH)
    digests = await preferences_repository.due_deliveries(session, now, in_digest=True, limit=BATCH)
    batch: list[tuple[EmailMessage, list[EmailDelivery]]] = [
        (_single(server, delivery, notification), [delivery]) for delivery, notification in single
    ]
    for (_user, address), group in groupby(digests, key=lambda pair: (pair[0].user_id, pair[0].address)):
        rows = list(group)
        batch.append((_digest(server, address, [notification for _, notification in rows]), [d for d, _ in rows]))
    if not batch:
        return []
    try:
        results = await asyncio.to_thread(server.send, [message for message, _ in batch])
    except (OSError, smtplib.SMTPException) as error:
        results = [Failure(f"the SMTP server could not be used: {error}", permanent=False)] * len(batch)
    sent: list[EmailMessage] = []
    delivered: list[uuid.UUID] = []
    for (message, deliveries), failure in zip(batch, results, strict=True):
        if failure is None:
            sent.append(message)
            delivered += [delivery.notification_id for delivery in deliveries]
            continue
        for delivery in deliveries:
            if record_failure(delivery, failure, now):
                logger.warning(
                    "email given up",
                    extra={"notification_id": str(delivery.notification_id), "error": failure.reason},
                )
    await session.flush()
    await preferences_repository.mark_sent(session, delivered, now)
    if len(sent) < len(batch):
        logger.warning("emails not delivered", extra={"count": len(batch) - len(sent)})
    return sent


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
