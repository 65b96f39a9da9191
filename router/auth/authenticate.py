"""The caller of a request, from its bearer token: verified against the JSON Web Key Set, never trusted
from a header alone. No token is the anonymous caller; a bad one is refused with 401."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from router.auth.rules import ANONYMOUS_ACCESS, Access
from router.settings import RouterSettings
from shared.auth.principal import Principal
from shared.auth.revocation import RevokedSessions
from shared.auth.tokens import JwksKeys, KeySource, TokenVerifier, principal_from_claims
from shared.errors import Unauthenticated


@dataclass(frozen=True, slots=True)
class Caller:
    principal: Principal | None = None
    """None for the anonymous caller."""
    access: Access = ANONYMOUS_ACCESS
    forwarded_claims: Mapping[str, Any] | None = None
    """The verified claims the subgraphs receive in `extensions.claims`."""
    claims: Mapping[str, Any] = field(default_factory=dict)


ANONYMOUS_CALLER = Caller()


class Authenticator:
    def __init__(
        self, settings: RouterSettings, keys: KeySource | None = None, *, revoked: RevokedSessions | None = None
    ):
        self.keys = keys or JwksKeys(settings.jwks_url, refresh_seconds=settings.jwks_refresh_seconds)
        self.verifier = TokenVerifier(
            self.keys, issuer=settings.jwt_issuer, audience=settings.jwt_audience, revoked=revoked
        )
        self.forwarded = settings.forwarded_claims

    async def caller(self, authorization: str | None) -> Caller:
        """The caller named by an `Authorization` header value; `Unauthenticated` when it is unusable."""
        if not authorization:
            return ANONYMOUS_CALLER
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise Unauthenticated("the Authorization header must be `Bearer <token>`")
        claims = await self.verifier.claims(token)
        principal = principal_from_claims(claims)
        scope = claims.get("scope")
        access = Access(authenticated=True, scopes=frozenset(scope.split()) if isinstance(scope, str) else frozenset())
        forwarded = {name: value for name, value in claims.items() if name in self.forwarded}
        return Caller(principal, access, forwarded, claims)
