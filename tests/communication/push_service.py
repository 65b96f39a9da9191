"""A push service on 127.0.0.1 for the tests: it takes Web Push requests as a browser vendor's would,
checks their VAPID signature (RFC 8292) and decrypts their aes128gcm body (RFC 8291) with the device's
private key, which the test made, so a test reads exactly what the browser would receive."""

from __future__ import annotations

import base64
import json
import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import http_ece
import jwt
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Device:
    """A browser's push subscription: its endpoint at the push service and its own keys."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(point)

    def subscription(self, label: str | None = "Phone") -> dict[str, Any]:
        return {"endpoint": self.endpoint, "p256dh": self.p256dh, "auth": b64url(self.auth), "label": label}


@dataclass
class Received:
    path: str
    headers: Mapping[str, str]
    """Case-insensitive, as HTTP's are."""
    body: bytes


@dataclass
class PushService:
    origin: str
    received: list[Received] = field(default_factory=list)
    answers: dict[str, int] = field(default_factory=dict)
    """Per path, the status to answer (201 by default)."""

    def device(self) -> Device:
        return Device(f"{self.origin}/push/{uuid.uuid4().hex}")

    def to(self, device: Device) -> list[Received]:
        return [push for push in self.received if self.origin + push.path == device.endpoint]

    def answer(self, device: Device, status: int) -> None:
        self.answers[device.endpoint.removeprefix(self.origin)] = status

    def verified_claims(self, push: Received, public_key: str) -> dict[str, Any]:
        """The VAPID token's claims, its signature checked with the service's public key."""
        scheme, _, parameters = push.headers["Authorization"].partition(" ")
        assert scheme == "vapid"
        values = dict(part.strip().split("=", 1) for part in parameters.split(","))
        assert values["k"] == public_key
        key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(public_key))
        claims: dict[str, Any] = jwt.decode(values["t"], key=key, algorithms=["ES256"], audience=self.origin)
        return claims

    def payload(self, push: Received, device: Device) -> dict[str, Any]:
        """What the browser's service worker gets: the body decrypted with the device's keys."""
        assert push.headers["Content-Encoding"] == "aes128gcm"
        plain = http_ece.decrypt(
            push.body, private_key=device.private_key, auth_secret=device.auth, version="aes128gcm"
        )
        decoded: dict[str, Any] = json.loads(plain)
        return decoded

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append(Received(request.path, request.headers.copy(), await request.read()))
        status = self.answers.get(request.path, 201)
        return web.Response(status=status, text="" if status < 300 else "push service says no")
