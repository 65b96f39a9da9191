"""The router's settings, from `HOCKEY_HUB_ROUTER_*` variables (and the command line)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.settings import Mode

DEFAULT_SUPERGRAPH = Path(__file__).resolve().parents[1] / "schema" / "supergraph.graphql"


class AuthorizationMode(StrEnum):
    FILTER = "filter"
    """Fields the caller may not see are left out and answered as null with an error; the rest runs."""
    REJECT = "reject"
    """An operation touching any such field is refused as a whole."""


class RouterSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HOCKEY_HUB_ROUTER_", extra="ignore")

    supergraph: Path = DEFAULT_SUPERGRAPH
    subgraph_urls: dict[str, str] = Field(default_factory=dict)
    """Subgraph name -> URL, over the supergraph's `join__Graph` URLs (HOCKEY_HUB_SUBGRAPH_<NAME>_URL wins)."""
    watch_seconds: float = 1.0
    """How often the supergraph file is checked for changes (0 turns reloading off)."""
    subgraph_timeout_seconds: float = 30.0
    subgraph_retries: int = 2
    breaker_failures: int = 5
    breaker_open_seconds: float = 10.0
    plan_cache_size: int = Field(default=2000, ge=1)
    graphiql: bool = True
    override_labels: frozenset[str] = frozenset()
    """Progressive-override labels turned on for every request (`percent(N)` labels decide per request)."""
    expose_plans: bool = True
    """Honour the `Hockey-Hub-Query-Plan` request header."""

    mode: Mode = Field(default=Mode.DEVELOPMENT, validation_alias=AliasChoices("HOCKEY_HUB_MODE", "mode"))
    """The platform's mode (HOCKEY_HUB_MODE): production turns introspection off unless enabled."""

    jwks_url: str = "http://127.0.0.1:3001/.well-known/jwks.json"
    """The user service's JSON Web Key Set: every bearer token is verified against it."""
    jwks_refresh_seconds: float = 5.0
    """An unknown `kid` refetches the key set, at most this often."""
    jwt_issuer: str = Field(default="hockey-hub", validation_alias=AliasChoices("HOCKEY_HUB_JWT_ISSUER", "jwt_issuer"))
    jwt_audience: str = Field(
        default="hockey-hub", validation_alias=AliasChoices("HOCKEY_HUB_JWT_AUDIENCE", "jwt_audience")
    )
    authorization_mode: AuthorizationMode = AuthorizationMode.FILTER
    """How `@authenticated` and `@requiresScopes` are enforced."""
    forwarded_claims: frozenset[str] = frozenset({"sub", "org", "roles", "scope", "sid"})
    """Verified claims that travel to subgraphs in the request's `extensions.claims`."""

    @property
    def production(self) -> bool:
        return self.mode is Mode.PRODUCTION
