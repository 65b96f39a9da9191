"""The router's settings, from `HOCKEY_HUB_ROUTER_*` variables (and the command line)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.settings import Mode

DEFAULT_SUPERGRAPH = Path(__file__).resolve().parents[1] / "schema" / "supergraph.graphql"
DEFAULT_TRUSTED_DOCUMENTS = DEFAULT_SUPERGRAPH.with_name("operations")


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

    metrics_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("HOCKEY_HUB_METRICS_TOKEN", "metrics_token")
    )
    """GET /metrics then asks for `Authorization: Bearer <token>` (HOCKEY_HUB_METRICS_TOKEN, as the services)."""
    metrics_public: bool | None = Field(
        default=None, validation_alias=AliasChoices("HOCKEY_HUB_METRICS_PUBLIC", "metrics_public")
    )
    """Without a metrics token: None means open in development and refused in production; true or false forces it."""

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

    # -- WebSocket at /graphql (router/subscriptions/) -------------------------------------------------------------
    websocket_init_timeout_seconds: float = Field(default=10.0, gt=0)
    """A socket that sends no `connection_init` within this is closed with 4408."""
    websocket_keepalive_seconds: float = Field(default=15.0, ge=0)
    """The router pings each socket this often (0: never), so idle proxies keep it open."""
    websocket_max_operations: int = Field(default=100, ge=1)
    """Operations one socket may run at once."""
    websocket_compression: bool = False
    """permessage-deflate for clients that offer it (browsers do). Off: a chat event is a few hundred
    bytes, and compressing it once per socket cost a third of the router's time fanning it out to 1,000
    subscribers (bench/subscription_bench.py), for a saving of some tens of bytes each."""

    # -- Operation limits, checked before validation and planning (router/traffic_control/limits.py) -------------
    # 0 turns a limit off. Every operation and fragment of a document is measured, since validation reads them all.
    max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=1)
    """Largest request body (HTTP 413): refused on its Content-Length before reading, or while streaming."""
    max_tokens: int = Field(default=4000, ge=0)
    """Most lexical tokens in a document, counted without parsing it (the frontend's largest has about 120)."""
    max_depth: int = Field(default=12, ge=0)
    """Deepest field nesting, through fragments (`{ team { players { name } } }` is 3)."""
    max_aliases: int = Field(default=30, ge=0)
    """Most aliases in one operation or fragment (an alias bomb asks for one field hundreds of times)."""
    max_root_fields: int = Field(default=20, ge=0)
    """Most root fields in one operation, through fragments."""
    max_fields: int = Field(default=1000, ge=0)
    """Most field selections once fragments are expanded (a spread counts every time it is used)."""
    max_cost: int = Field(default=10_000, ge=0)
    """Highest estimated cost (router/traffic_control/cost.py has the model)."""
    cost_list_size: int = Field(default=20, ge=1)
    """What a list field is assumed to hold when no size argument says otherwise."""
    cost_size_arguments: frozenset[str] = frozenset({"first", "last", "limit"})
    """Arguments that bound a list field's length; their value replaces the assumed size."""
    introspection: bool | None = None
    """`__schema` and `__type`: None means on in development and off in production; true or false forces it."""

    # -- Browsers: CORS and CSRF (router/traffic_control/cors_csrf.py) -----------------------------------------
    cors_origins: frozenset[str] = frozenset()
    """Origins (scheme://host[:port]) whose pages may call the router; "*" allows any (not with credentials)."""
    cors_methods: frozenset[str] = frozenset({"GET", "POST"})
    """Methods a cross-origin page may use."""
    cors_headers: frozenset[str] = frozenset(
        {"authorization", "content-type", "x-request-id", "apollo-require-preflight", "x-hockey-hub-csrf"}
    )
    """Request headers a cross-origin page may send."""
    cors_credentials: bool = False
    """Let cross-origin pages send cookies (the origin is then echoed, never "*")."""
    cors_max_age_seconds: int = Field(default=600, ge=0)
    """How long a browser may keep a preflight's answer."""
    csrf_prevention: bool | None = None
    """Refuse requests a cross-site form or image could send: without a JSON content type or a header below
    (HTTP 400, `CSRF_REFUSED`). None means on in production and off in development; true or false forces it."""
    csrf_headers: frozenset[str] = frozenset(
        {"apollo-require-preflight", "x-apollo-operation-name", "x-hockey-hub-csrf"}
    )
    """Any of these headers makes a GET (or a POST without JSON) acceptable: browsers preflight them."""

    # -- Persisted operations (router/traffic_control/persisted.py) --------------------------------------------
    apq: bool = True
    """Automatic persisted queries: a client sends the document's SHA-256, and the document only on a miss."""
    apq_cache_size: int = Field(default=2000, ge=1)
    """Documents kept in this process (in front of Redis when it is configured)."""
    apq_ttl_seconds: int = Field(default=24 * 3600, ge=1)
    """How long Redis keeps a registered document."""
    trusted_documents: Path = DEFAULT_TRUSTED_DOCUMENTS
    """The frontend's operations: a folder of `*.graphql` files (searched recursively), read at start; each file
    is one document, named by the SHA-256 of its text."""
    require_trusted_documents: bool | None = None
    """Refuse every document that is not one of the trusted documents (`PERSISTED_QUERY_NOT_IN_LIST`; APQ
    registration is then off). None means on in production and off in development; true or false forces it."""

    # -- Rate limits (router/traffic_control/rate_limit.py) --------------------------------------------------------
    rate_limits: bool | None = None
    """None means on in production and off in development; true or false forces it."""
    redis_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("HOCKEY_HUB_ROUTER_REDIS_URL", "HOCKEY_HUB_REDIS_URL", "redis_url"),
    )
    """Shared budgets and APQ documents for every router replica; unset means this process's memory."""
    redis_key_prefix: str = Field(
        default="hockey-hub:",
        validation_alias=AliasChoices(
            "HOCKEY_HUB_ROUTER_REDIS_KEY_PREFIX", "HOCKEY_HUB_REDIS_KEY_PREFIX", "redis_key_prefix"
        ),
    )
    """The router's keys live under `<prefix>router:`."""
    rate_limit_redis_down: Literal["memory", "open", "closed"] = "memory"
    """While Redis is unreachable: "memory" counts in this process (limits hold per replica), "open" admits
    every request uncounted, "closed" refuses each with 503 `RATE_LIMIT_UNAVAILABLE`."""
    rate_limit_window_seconds: float = Field(default=60.0, gt=0)
    """The period the per-operation-type and cost budgets refill over (a token bucket, refilled smoothly)."""
    rate_limit_queries: int = Field(default=600, ge=0)
    """Queries per window per user (per client address when anonymous); 0 means unlimited."""
    rate_limit_mutations: int = Field(default=120, ge=0)
    """Mutations per window per user (per client address when anonymous); 0 means unlimited."""
    rate_limit_subscriptions: int = Field(default=60, ge=0)
    """Subscriptions started per window per user (per client address when anonymous); 0 means unlimited."""
    rate_limit_cost: int = Field(default=200_000, ge=0)
    """Estimated cost per window per user: an expensive operation spends more of it. 0 means unlimited."""
    sensitive_operations: frozenset[str] = frozenset(
        {"login", "refreshSession", "requestPasswordReset", "resetPassword", "acceptInvitation"}
    )
    """Root fields with their own, stricter budgets: each use spends one, whoever the caller is."""
    sensitive_identifier_arguments: frozenset[str] = frozenset({"email", "identifier", "username"})
    """Arguments (or input fields) naming the account a sensitive operation targets."""
    rate_limit_sensitive_per_address: int = Field(default=20, ge=0)
    """Sensitive operations per sensitive window per client address."""
    rate_limit_sensitive_per_identifier: int = Field(default=10, ge=0)
    """Sensitive operations per sensitive window per account, from any number of addresses."""
    rate_limit_sensitive_window_seconds: float = Field(default=300.0, gt=0)
    """The period the sensitive operations' budgets refill over."""
    trusted_proxies: frozenset[str] = frozenset()
    """Addresses or networks (CIDR) of proxies in front of the router: only their X-Forwarded-For is believed."""

    @model_validator(mode="after")
    def _cost_budget_covers_one_operation(self) -> RouterSettings:
        if self.rate_limit_cost and self.max_cost and self.rate_limit_cost < self.max_cost:
            raise ValueError(
                f"rate_limit_cost ({self.rate_limit_cost}) is below max_cost ({self.max_cost}): an operation "
                "allowed by the cost limit could never fit the budget"
            )
        return self

    @property
    def production(self) -> bool:
        return self.mode is Mode.PRODUCTION

    @property
    def introspection_enabled(self) -> bool:
        return (not self.production) if self.introspection is None else self.introspection

    @property
    def csrf_prevention_enabled(self) -> bool:
        return self.production if self.csrf_prevention is None else self.csrf_prevention

    @property
    def trusted_documents_required(self) -> bool:
        return self.production if self.require_trusted_documents is None else self.require_trusted_documents

    @property
    def rate_limits_enabled(self) -> bool:
        return self.production if self.rate_limits is None else self.rate_limits
