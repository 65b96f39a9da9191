"""RS256 access tokens: signing (development tokens, later the identity service) and verification."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from shared.auth.principal import Principal, Role
from shared.errors import Unauthenticated

ALGORITHM = "RS256"


def key_id(public_pem: str) -> str:
    """RFC 7638 thumbprint of an RSA public key: stable, so every service agrees on the `kid`."""
    key = serialization.load_pem_public_key(public_pem.encode())
    if not isinstance(key, RSAPublicKey):
        raise ValueError("JWT keys must be RSA keys")
    numbers = key.public_numbers()

    def b64(value: int) -> str:
        raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    canonical = json.dumps({"e": b64(numbers.e), "kty": "RSA", "n": b64(numbers.n)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()


class TokenVerifier:
    """Verifies bearer tokens against a fixed set of public keys; nothing unsigned is trusted."""

    def __init__(self, public_pems: Iterable[str], *, issuer: str, audience: str, leeway_seconds: int = 5):
        self._keys = {key_id(pem): serialization.load_pem_public_key(pem.encode()) for pem in public_pems}
        self._issuer = issuer
        self._audience = audience
        self._leeway = leeway_seconds

    def verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise Unauthenticated("the bearer token is malformed") from error
        if header.get("alg") != ALGORITHM:
            raise Unauthenticated("the bearer token must be signed with RS256")
        key = self._keys.get(header.get("kid", ""))
        if key is None:
            raise Unauthenticated("the bearer token was signed with an unknown key")
        try:
            claims = jwt.decode(
                token,
                key=key,  # type: ignore[arg-type]
                algorithms=[ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": ["sub", "exp", "iat", "iss", "aud", "jti"]},
            )
        except jwt.ExpiredSignatureError as error:
            raise Unauthenticated("the bearer token has expired") from error
        except jwt.PyJWTError as error:
            raise Unauthenticated("the bearer token is invalid") from error
        return principal_from_claims(claims)


def principal_from_claims(claims: Mapping[str, Any]) -> Principal:
    try:
        return Principal(
            user_id=uuid.UUID(claims["sub"]),
            organization_id=uuid.UUID(claims["org"]) if claims.get("org") else None,
            roles=frozenset(Role(role) for role in claims.get("roles", [])),
            team_ids=frozenset(uuid.UUID(team) for team in claims.get("teams", [])),
            player_id=uuid.UUID(claims["player"]) if claims.get("player") else None,
            children=frozenset(uuid.UUID(child) for child in claims.get("children", [])),
            minor_children=frozenset(uuid.UUID(child) for child in claims.get("minor_children", [])),
            email=claims.get("email"),
            token_id=claims.get("jti"),
            claims=dict(claims),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise Unauthenticated("the bearer token's claims are malformed") from error


class TokenIssuer:
    """Signs access tokens with a private key; the `kid` header names its public half."""

    def __init__(self, private_pem: str, public_pem: str, *, issuer: str, audience: str, minutes: int = 15):
        # Parsed once: reading a PEM costs tens of milliseconds, signing with a loaded key well under one.
        self._private_key = serialization.load_pem_private_key(private_pem.encode(), password=None)
        self._kid = key_id(public_pem)
        self._issuer = issuer
        self._audience = audience
        self._lifetime = timedelta(minutes=minutes)

    def issue(self, principal: Principal, *, lifetime: timedelta | None = None) -> str:
        if principal.user_id is None:
            raise ValueError("tokens are only issued to users")
        now = datetime.now(UTC)
        claims: dict[str, Any] = {
            "sub": str(principal.user_id),
            "email": principal.email,
            "org": str(principal.organization_id) if principal.organization_id else None,
            "roles": sorted(role.value for role in principal.roles),
            "teams": sorted(str(team) for team in principal.team_ids),
            "player": str(principal.player_id) if principal.player_id else None,
            "children": sorted(str(child) for child in principal.children),
            "minor_children": sorted(str(child) for child in principal.minor_children),
            "iss": self._issuer,
            "aud": self._audience,
            "iat": now,
            "nbf": now,
            "exp": now + (lifetime or self._lifetime),
            "jti": str(uuid.uuid4()),
        }
        return jwt.encode(claims, self._private_key, algorithm=ALGORITHM, headers={"kid": self._kid})  # type: ignore[arg-type]
