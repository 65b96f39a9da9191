"""RS256 access tokens: signing (the user service, development tokens) and verification (the router and
every subgraph), against a keyring on disk or a JSON Web Key Set fetched over HTTP."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
import uuid
from collections import OrderedDict
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import aiohttp
import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from shared.auth.keys import KeyringSource, key_id, public_key_from_jwk
from shared.auth.principal import Principal, Role
from shared.auth.revocation import RevokedSessions
from shared.auth.scopes import scopes_for
from shared.errors import Unauthenticated

ALGORITHM = "RS256"
REQUIRED_CLAIMS = ["sub", "exp", "nbf", "iat", "iss", "aud", "jti"]

logger = logging.getLogger(__name__)

__all__ = ["ALGORITHM", "JwksKeys", "KeySource", "LocalKeys", "TokenIssuer", "TokenVerifier", "key_id"]


class KeySource(Protocol):
    async def key(self, kid: str) -> RSAPublicKey | None:
        """The public key named `kid`, or None when the source does not know it."""
        ...

    @property
    def generation(self) -> object:
        """Changes whenever the set of keys changes (so verified tokens are checked again)."""
        ...


class LocalKeys:
    """Keys from this machine's keyring (folder or environment), following rotations of the folder."""

    def __init__(self, keyring: KeyringSource):
        self.keyring = keyring

    async def key(self, kid: str) -> RSAPublicKey | None:
        return self.keyring.current().public_keys.get(kid)

    @property
    def generation(self) -> object:
        return self.keyring.current().version


class JwksKeys:
    """Keys from a JSON Web Key Set URL: fetched once, refetched when a token names an unknown `kid` (a
    rotation), but never more often than every `refresh_seconds`, so forged `kid`s cannot turn the
    router into a flood of requests to the user service."""

    def __init__(self, url: str, *, refresh_seconds: float = 5.0, timeout_seconds: float = 3.0):
        self.url = url
        self.refresh_seconds = refresh_seconds
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._keys: dict[str, RSAPublicKey] = {}
        self._fetched_at: float | None = None
        self._lock = asyncio.Lock()
        self._version = 0
        self.fetches = 0

    @property
    def generation(self) -> object:
        return self._version

    async def key(self, kid: str) -> RSAPublicKey | None:
        found = self._keys.get(kid)
        if found is not None:
            return found
        async with self._lock:  # concurrent requests with a new kid wait for one fetch
            found = self._keys.get(kid)
            if found is None and self._may_refetch():
                await self._fetch()
                found = self._keys.get(kid)
        return found

    def _may_refetch(self) -> bool:
        return self._fetched_at is None or time.monotonic() - self._fetched_at >= self.refresh_seconds

    async def _fetch(self) -> None:
        self._fetched_at = time.monotonic()
        self.fetches += 1
        try:
            async with (
                aiohttp.ClientSession(timeout=self._timeout) as session,
                session.get(self.url) as response,
            ):
                response.raise_for_status()
                document = await response.json(content_type=None)
            keys = {
                str(jwk["kid"]): public_key_from_jwk(jwk)
                for jwk in document.get("keys", [])
                if jwk.get("kty") == "RSA" and jwk.get("kid") and jwk.get("alg", ALGORITHM) == ALGORITHM
            }
        except (aiohttp.ClientError, TimeoutError, ValueError, KeyError, AttributeError) as error:
            # Keys fetched before stay in use: the user service being down must not sign everyone out.
            logger.warning("could not fetch the JSON Web Key Set", extra={"url": self.url, "error": repr(error)})
            return
        if keys.keys() != self._keys.keys():
            self._version += 1
        self._keys = keys


class TokenVerifier:
    """Verifies bearer tokens; nothing unsigned, differently signed, expired or meant for another
    audience is trusted. The algorithm is fixed to RS256, whatever the token's header says.

    A client sends the same access token for its whole life, so verified tokens are remembered (bounded,
    until they expire, and only while the key set is unchanged): a repeat costs a lookup, not a parse
    and a signature check.
    """

    def __init__(
        self,
        keys: KeySource,
        *,
        issuer: str,
        audience: str,
        revoked: RevokedSessions | None = None,
        leeway_seconds: int = 5,
        remembered: int = 4096,
    ):
        self.keys = keys
        self.revoked = revoked
        """Sessions ended early: their tokens are refused although their signature is good."""
        self._issuer = issuer
        self._audience = audience
        self._leeway = leeway_seconds
        self._remembered = remembered
        self._verified: OrderedDict[str, tuple[float, dict[str, Any]]] = OrderedDict()
        self._generation: object = None

    async def claims(self, token: str) -> dict[str, Any]:
        """The verified claims, or `Unauthenticated` saying what is wrong (never the key or the token).
        The dict is shared with later calls for the same token: read it, do not change it."""
        claims = await self._signed_claims(token)
        if self.revoked is not None and self.revoked.is_revoked(claims.get("sid")):
            raise Unauthenticated("the sign-in session of this token has ended; sign in again")
        return claims

    async def _signed_claims(self, token: str) -> dict[str, Any]:
        generation = self.keys.generation
        if generation != self._generation:
            self._verified.clear()
            self._generation = generation
        known = self._verified.get(token)
        if known is not None:
            if time.time() < known[0] + self._leeway:
                self._verified.move_to_end(token)
                return known[1]
            del self._verified[token]
        claims = await self._verify(token)
        if self.keys.generation == self._generation:  # not if the keys changed while fetching
            self._verified[token] = (float(claims["exp"]), claims)
            if len(self._verified) > self._remembered:
                self._verified.popitem(last=False)
        return claims

    async def _verify(self, token: str) -> dict[str, Any]:
        header = _header(token)
        if header.get("alg") != ALGORITHM:
            raise Unauthenticated("the bearer token must be signed with RS256")
        kid = header.get("kid")
        key = await self.keys.key(kid) if isinstance(kid, str) and kid else None
        if key is None:
            raise Unauthenticated("the bearer token was signed with an unknown key")
        try:
            return jwt.decode(
                token,
                key=key,
                algorithms=[ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError as error:
            raise Unauthenticated("the bearer token has expired") from error
        except jwt.ImmatureSignatureError as error:
            raise Unauthenticated("the bearer token is not valid yet") from error
        except (jwt.InvalidIssuerError, jwt.InvalidAudienceError) as error:
            raise Unauthenticated("the bearer token was issued for another service") from error
        except jwt.PyJWTError as error:
            raise Unauthenticated("the bearer token is invalid") from error

    async def verify(self, token: str) -> Principal:
        return principal_from_claims(await self.claims(token))


def _header(token: str) -> dict[str, Any]:
    """The unverified header, read only to find the key: `jwt.decode` then checks the whole token
    (reading it with PyJWT here too would parse and validate every segment twice)."""
    try:
        segment = token.split(".", 1)[0]
        header = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, TypeError) as error:
        raise Unauthenticated("the bearer token is malformed") from error
    if not isinstance(header, dict):
        raise Unauthenticated("the bearer token is malformed")
    return header


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
            session_id=claims.get("sid"),
            claims=dict(claims),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise Unauthenticated("the bearer token's claims are malformed") from error


class TokenIssuer:
    """Signs access tokens with the keyring's signing key; the `kid` header names its public half."""

    def __init__(self, keyring: KeyringSource, *, issuer: str, audience: str, minutes: int = 15):
        if keyring.current().signing is None:
            raise RuntimeError("this keyring has no private key to sign with")
        self.keyring = keyring
        self._issuer = issuer
        self._audience = audience
        self.lifetime = timedelta(minutes=minutes)

    def issue(self, principal: Principal, *, session_id: str | None = None, lifetime: timedelta | None = None) -> str:
        if principal.user_id is None:
            raise ValueError("tokens are only issued to users")
        signing = self.keyring.current().signing
        assert signing is not None
        now = datetime.now(UTC)
        claims: dict[str, Any] = {
            "sub": str(principal.user_id),
            "email": principal.email,
            "org": str(principal.organization_id) if principal.organization_id else None,
            "roles": sorted(role.value for role in principal.roles),
            "scope": " ".join(sorted(scopes_for(principal.roles))),
            "teams": sorted(str(team) for team in principal.team_ids),
            "player": str(principal.player_id) if principal.player_id else None,
            "children": sorted(str(child) for child in principal.children),
            "minor_children": sorted(str(child) for child in principal.minor_children),
            "iss": self._issuer,
            "aud": self._audience,
            "iat": now,
            "nbf": now,
            "exp": now + (lifetime or self.lifetime),
            "jti": str(uuid.uuid4()),
        }
        if session_id is not None:
            claims["sid"] = session_id
        return jwt.encode(claims, signing.private_key, algorithm=ALGORITHM, headers={"kid": signing.kid})
