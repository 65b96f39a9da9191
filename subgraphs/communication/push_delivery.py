"""Web Push delivery: a background loop of the communication service pushes queued notifications to
people's devices when due, and each device's daily digest as one push. Messages are encrypted for the
device (RFC 8291, aes128gcm) and signed with the service's VAPID key (RFC 8292) by `pywebpush`, sent with
aiohttp, so no thread waits on the network.

New pushes that are due at once wake the loop when their transaction commits; the loop also runs every
`push_check_seconds` for those held by quiet hours or digests. As email: a delivery row is locked while
it is sent and marked sent in the same transaction (at least once, never lost); a push that fails is
tried again later and later, or given up when the push service refuses it for good (`delivery_retry`).
A push service answering 404 or 410 says the subscription is gone: the device is deleted, with what
waited for it.

The VAPID key comes from `HOCKEY_HUB_VAPID_PRIVATE_KEY`; development mode makes one on first use in
data_dir/vapid (as it does JWT keys); production mode without one pushes nothing."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from itertools import groupby
from pathlib import Path
from typing import Any

import aiohttp
from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid
from pywebpush import WebPushException, webpush_async
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.database import utcnow
from shared.database.after_commit import after_commit
from shared.settings import Mode, Settings
from subgraphs.communication import push_repository
from subgraphs.communication.delivery_retry import Failure, record_failure
from subgraphs.communication.models import Notification, PushDelivery, PushSubscription

logger = logging.getLogger(__name__)

BATCH = 500
PARALLEL = 10
"""Devices pushed to at once."""
TIME_TO_LIVE_SECONDS = 24 * 60 * 60
"""How long a push service keeps a push for a device that is off."""
REQUEST_SECONDS = 10.0
GONE = frozenset({404, 410})
VAPID_FILE = "vapid/private.pem"


# The VAPID key -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VapidKey:
    vapid: Any
    """py_vapid's key object, which signs."""
    subject: str

    @property
    def public_key(self) -> str:
        """The applicationServerKey a browser subscribes with: the uncompressed point, base64url."""
        raw = self.vapid.public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _development_key(data_dir: Path) -> Any:
    path = data_dir / VAPID_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Vapid()
        key.generate_keys()
        # Written under a temporary name then renamed, so another process never reads half a key.
        temporary = path.parent / f".{path.name}.{os.getpid()}.tmp"
        temporary.write_bytes(key.private_pem())
        temporary.chmod(0o600)
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)  # the first process to make one wins; the others read it
        temporary.unlink()
    return Vapid.from_file(str(path))


@cache
def _key(configured: str | None, data_dir: Path, production: bool, subject: str) -> VapidKey | None:
    if not subject.startswith(("mailto:", "https:")):
        raise RuntimeError("HOCKEY_HUB_VAPID_SUBJECT must be a mailto: or https: address (RFC 8292)")
    if configured:
        value = configured.strip()
        if value.startswith("-----BEGIN"):
            vapid = Vapid.from_pem(value.encode())
        elif Path(value).is_file():
            vapid = Vapid.from_file(value)
        else:
            vapid = Vapid.from_string(value)
        return VapidKey(vapid, subject)
    if production:
        return None
    return VapidKey(_development_key(data_dir), subject)


def vapid_key(settings: Settings) -> VapidKey | None:
    """The service's VAPID key, or None when push is off (production mode without a configured key)."""
    secret = settings.vapid_private_key.get_secret_value() if settings.vapid_private_key else None
    return _key(secret, settings.data_dir.resolve(), settings.mode is Mode.PRODUCTION, settings.vapid_subject)


def allows_local_endpoints(settings: Settings) -> bool:
    """Push services on this machine over plain http (tests and development) never in production."""
    return settings.mode is not Mode.PRODUCTION


# What a device receives ---------------------------------------------------------------------------------


def _single(notification: Notification) -> dict[str, Any]:
    return {
        "type": notification.kind.name,
        "title": notification.title,
        "body": notification.body,
        "notificationId": str(notification.id),
        "organizationId": str(notification.organization_id) if notification.organization_id else None,
        "url": notification.link or "/notifications",
        "createdAt": notification.created_at.isoformat(),
    }


def _digest(notifications: Sequence[Notification]) -> dict[str, Any]:
    count = len(notifications)
    return {
        "type": "DIGEST",
        "title": f"Your Hockey Hub digest: {count} notification{'s' if count != 1 else ''}",
        "body": "\n".join(notification.title for notification in notifications),
        "notificationIds": [str(notification.id) for notification in notifications],
        "url": "/notifications",
    }


@dataclass(frozen=True, slots=True)
class Push:
    device: PushSubscription
    payload: dict[str, Any]
    deliveries: list[PushDelivery]

    @property
    def urgency(self) -> str:
        """RFC 8030's Urgency: a phone on battery wakes at once only for `high`; a digest can wait."""
        if any(delivery.urgent for delivery in self.deliveries):
            return "high"
        return "low" if self.payload.get("type") == "DIGEST" else "normal"

    @property
    def keys(self) -> list[tuple[uuid.UUID, uuid.UUID]]:
        return [(delivery.notification_id, delivery.subscription_id) for delivery in self.deliveries]


def _pushes(rows: Sequence[tuple[PushDelivery, Notification, PushSubscription]]) -> list[Push]:
    pushes = []
    for (_device, in_digest), group in groupby(rows, key=lambda row: (row[0].subscription_id, row[0].in_digest)):
        found = list(group)
        device = found[0][2]
        if in_digest:
            pushes.append(
                Push(device, _digest([notification for _, notification, _ in found]), [d for d, _, _ in found])
            )
        else:
            pushes += [Push(device, _single(notification), [delivery]) for delivery, notification, _ in found]
    return pushes


# Sending --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outcome:
    sent: list[Push]
    gone: list[uuid.UUID]
    """Devices deleted: their push service said the subscription no longer exists."""
    failed: list[Push]
    """Tried again next time."""


async def _send(http: aiohttp.ClientSession, key: VapidKey, push: Push) -> int:
    """The push service's status (201 when it took the message)."""
    try:
        await webpush_async(
            subscription_info={
                "endpoint": push.device.endpoint,
                "keys": {"p256dh": push.device.p256dh, "auth": push.device.auth},
            },
            data=json.dumps(push.payload),
            vapid_private_key=key.vapid,
            vapid_claims={"sub": key.subject},  # a fresh dict each time: pywebpush adds aud and exp to it
            content_encoding="aes128gcm",
            ttl=TIME_TO_LIVE_SECONDS,
            headers={"Urgency": push.urgency},
            timeout=aiohttp.ClientTimeout(total=REQUEST_SECONDS),
            aiohttp_session=http,
        )
    except WebPushException as error:
        if error.response is None:
            raise
        return int(error.response.status)
    return 201


async def send_due(session: AsyncSession, key: VapidKey, now: datetime) -> Outcome:
    """Push everything due at `now`; what went, which devices are gone, what failed (tried again later, or
    given up: `delivery_retry`)."""
    pushes = _pushes(await push_repository.due_deliveries(session, now, limit=BATCH))
    if not pushes:
        return Outcome([], [], [])
    limit = asyncio.Semaphore(PARALLEL)

    async def attempt(http: aiohttp.ClientSession, push: Push) -> Failure | int:
        """The push service's status, or why it could not be reached."""
        async with limit:
            try:
                return await _send(http, key, push)
            except (aiohttp.ClientError, TimeoutError, WebPushException) as error:
                return Failure(f"the push service could not be reached: {error}", permanent=False)

    async with aiohttp.ClientSession() as http:
        answers = await asyncio.gather(*(attempt(http, push) for push in pushes))
    sent, failed, gone = [], [], []
    for push, answer in zip(pushes, answers, strict=True):
        if isinstance(answer, int) and answer < 300:
            sent.append(push)
        elif answer in GONE:
            gone.append(push.device.id)
        else:
            failure = answer if isinstance(answer, Failure) else _refused(answer)
            failed.append(push)
            for delivery in push.deliveries:
                if record_failure(delivery, failure, now):
                    logger.warning(
                        "push given up",
                        extra={"device_id": str(push.device.id), "error": failure.reason},
                    )
    await session.flush()
    await push_repository.mark_sent(session, [key for push in sent for key in push.keys], now)
    await push_repository.delete_subscriptions(session, list(dict.fromkeys(gone)))
    if failed:
        logger.warning("pushes not delivered", extra={"count": len(failed)})
    return Outcome(sent, list(dict.fromkeys(gone)), failed)


def _refused(status: int) -> Failure:
    """Too many requests or a server error pass; any other 4xx (a malformed or oversized message, a VAPID
    key the push service does not accept) would be refused the same way again."""
    return Failure(f"the push service answered {status}", permanent=400 <= status < 500 and status != 429)


# The loop -------------------------------------------------------------------------------------------------

_running: set[PushDispatcher] = set()


def wake_after_commit(session: AsyncSession) -> None:
    """Pushes due now were queued: the senders of this process look once the transaction commits."""

    async def wake() -> None:
        for dispatcher in list(_running):
            dispatcher.wake()

    after_commit(session, wake)


class PushDispatcher:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        key: VapidKey,
        *,
        interval: float,
        clock: Callable[[], datetime] = utcnow,
    ):
        self._sessions = sessions
        self._key = key
        self._interval = interval
        self._clock = clock
        self._woken = asyncio.Event()
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._interval <= 0:
            return
        self._stopping.clear()
        _running.add(self)
        self._task = asyncio.create_task(self._run(), name="communication-push")

    def wake(self) -> None:
        self._woken.set()

    async def stop(self) -> None:
        _running.discard(self)
        if self._task is None:
            return
        self._stopping.set()
        self._woken.set()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def _run(self) -> None:
        while not self._stopping.is_set():
            self._woken.clear()
            try:
                await self.tick()
            except Exception:
                logger.exception("communication-push failed; trying again next time")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._woken.wait(), timeout=self._interval)

    async def tick(self, now: datetime | None = None) -> Outcome:
        async with self._sessions() as session, session.begin():
            return await send_due(session, self._key, now or self._clock())
