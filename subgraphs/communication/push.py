"""Web Push devices: a person registers each browser or phone that should receive their notifications
(the `PushSubscription` the browser's Push API gives: endpoint, P-256 key, auth secret), lists them and
removes them. What is pushed, and when, is `preferences.py`'s; sending is `push_delivery.py`'s."""

from __future__ import annotations

import base64
import binascii
import ipaddress
import uuid
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.database import utcnow
from shared.errors import InvalidInput, Unauthenticated, not_found
from subgraphs.communication import push_repository
from subgraphs.communication.models import PUSH_ENDPOINT_MAX_LENGTH, PUSH_LABEL_MAX_LENGTH, PushSubscription

P256_PUBLIC_KEY_BYTES = 65
"""An uncompressed P-256 point: 0x04, then x and y (RFC 8291 section 3.1)."""
AUTH_SECRET_BYTES = 16
"""RFC 8291 section 3.2."""
DEVICES_MAX = 20


def _me(actor: Principal) -> uuid.UUID:
    if actor.user_id is None:
        raise Unauthenticated("sign in to receive push notifications")
    return actor.user_id


def _key(value: str, *, field: str, size: int) -> str:
    cleaned = value.strip().rstrip("=")
    try:
        raw = base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))
    except (binascii.Error, ValueError):
        raise InvalidInput(f"{field} must be base64url, as the browser gives it", field=field) from None
    if len(raw) != size or (size == P256_PUBLIC_KEY_BYTES and raw[0] != 4):
        raise InvalidInput(f"{field} must hold {size} bytes", field=field)
    return cleaned


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _endpoint(value: str, *, allow_local: bool) -> str:
    """An https address of a push service; plain http only to this machine, and only in development."""
    endpoint = validation.text(value, field="endpoint", max_length=PUSH_ENDPOINT_MAX_LENGTH)
    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    if not host or (parts.scheme != "https" and not (parts.scheme == "http" and allow_local and _is_loopback(host))):
        raise InvalidInput("endpoint must be the https address the browser's push service gave", field="endpoint")
    return endpoint


async def register_device(
    session: AsyncSession,
    actor: Principal,
    *,
    endpoint: str,
    p256dh: str,
    auth: str,
    label: str | None = None,
    allow_local: bool = False,
) -> PushSubscription:
    """Register (or renew) a browser's push subscription for the caller. `allow_local`: development mode,
    where a push service on this machine (http://127.0.0.1) is accepted."""
    me = _me(actor)
    values = {
        "id": uuid.uuid4(),
        "user_id": me,
        "endpoint": _endpoint(endpoint, allow_local=allow_local),
        "p256dh": _key(p256dh, field="p256dh", size=P256_PUBLIC_KEY_BYTES),
        "auth": _key(auth, field="auth", size=AUTH_SECRET_BYTES),
        "label": validation.optional_text(label, field="label", max_length=PUSH_LABEL_MAX_LENGTH),
        "created_at": utcnow(),
    }
    known = await push_repository.subscriptions_of(session, me)
    if len(known) >= DEVICES_MAX and all(device.endpoint != values["endpoint"] for device in known):
        raise InvalidInput(f"at most {DEVICES_MAX} devices; remove one first", field="endpoint")
    return await push_repository.save_subscription(session, values)


async def remove_device(session: AsyncSession, actor: Principal, *, device_id: uuid.UUID) -> uuid.UUID:
    """The caller's own device only; someone else's does not exist for them."""
    if not await push_repository.delete_subscription(session, device_id, _me(actor)):
        raise not_found("PushDevice", device_id)
    return device_id


async def my_devices(session: AsyncSession, actor: Principal) -> list[PushSubscription]:
    return await push_repository.subscriptions_of(session, _me(actor))
