"""One settings object for every process, read from `HOCKEY_HUB_*` environment variables.

Unset means the embedded default: an embedded PostgreSQL server, an in-process event bus and an
in-memory cache. Production mode refuses the embedded defaults.
"""

from __future__ import annotations

import os
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SERVICE_PORTS: dict[str, int] = {
    "user": 3001,
    "communication": 3002,
    "calendar": 3003,
    "training": 3004,
    "medical": 3005,
    "planning": 3006,
    "statistics": 3007,
    "payment": 3008,
    "admin": 3009,
}
"""Every subgraph's name and default port; the router listens on 3000."""

ROUTER_PORT = 3000


class Mode(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HOCKEY_HUB_", extra="ignore")

    mode: Mode = Mode.DEVELOPMENT
    data_dir: Path = Path(".hockey-hub")
    """Where embedded PostgreSQL keeps its data and development keys live."""

    database_url: str | None = None
    """A template with `{service}`, e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/hockey_hub_{service}."""
    database_urls: dict[str, str] = Field(default_factory=dict)
    """Per-service overrides, filled from `HOCKEY_HUB_<SERVICE>_DATABASE_URL`."""
    database_pool_size: int = 5

    amqp_url: str | None = None
    """RabbitMQ; unset means the in-process bus."""
    amqp_exchange: str = "hockey-hub"
    amqp_queue_prefix: str = "hockey-hub"
    event_max_attempts: int = Field(default=5, ge=1)
    """Deliveries of one event to a consumer, the first included, before it goes to the dead-letter queue."""
    event_retry_base_seconds: float = Field(default=0.2, ge=0)
    """The delay before a consumer's first retry; each next one doubles, up to event_retry_max_seconds."""
    event_retry_max_seconds: float = Field(default=30.0, ge=0)
    redis_url: str | None = None
    """Redis; unset means the in-memory cache and pub/sub."""
    redis_key_prefix: str = "hockey-hub:"

    jwt_issuer: str = "hockey-hub"
    jwt_audience: str = "hockey-hub"
    jwt_keys_dir: Path | None = None
    """A folder of signing keys (`hockey-hub keys rotate --dir`); development mode uses data_dir/keys."""
    jwt_public_key: str | None = None
    """Instead of a folder: one key's public half, as PEM text or the path of a PEM file."""
    jwt_private_key: SecretStr | None = None
    """Its private half, where tokens are signed (the user service)."""
    jwks_url: str | None = None
    """Verify tokens against this JSON Web Key Set (the user service's /.well-known/jwks.json) instead of
    the keys above."""
    jwks_refresh_seconds: float = 5.0
    """An unknown `kid` refetches the key set, at most this often."""
    jwt_access_token_minutes: int = 15

    service_urls: dict[str, str] = Field(default_factory=dict)
    """Base URLs of the services, filled from `HOCKEY_HUB_<SERVICE>_URL`; default http://127.0.0.1:<port>."""

    outbox_poll_seconds: float = 1.0
    log_level: str = "INFO"
    log_json: bool = True
    metrics_token: SecretStr | None = None
    """GET /metrics (on every service and the router) then asks for `Authorization: Bearer <token>`."""
    metrics_public: bool | None = None
    """Without a metrics token: None means open in development mode and refused in production; true opens
    it in production too (a network only Prometheus reaches), false closes it in development too."""

    medical_alert_escalation_seconds: float = Field(default=300.0, gt=0)
    """How long an urgent medical alert waits for an acknowledgement before it reaches the next tier."""
    medical_alert_check_seconds: float = Field(default=15.0, ge=0)
    """How often the communication service looks for alerts to escalate; 0 turns the loop off."""

    smtp_host: str | None = None
    """Where the communication service sends email; unset, notifications are not emailed."""
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_from: str = "Hockey Hub <no-reply@hockeyhub.local>"
    statistics_report_hours: float = Field(default=24.0, ge=0)
    """How often the statistics service refreshes the week's team reports; 0 turns its schedule off."""
    email_check_seconds: float = Field(default=30.0, ge=0)
    """How often the communication service sends due emails and digests; 0 turns the loop off."""

    vapid_private_key: SecretStr | None = None
    """The communication service's Web Push (VAPID, RFC 8292) key: an EC P-256 private key as PEM text, a
    PEM file's path, or base64url DER. Unset: development mode makes one in data_dir/vapid; production
    mode sends no push."""
    vapid_subject: str = "mailto:admin@hockeyhub.local"
    """Who push services contact about our pushes: a mailto: (or https:) address (the VAPID `sub`)."""
    push_check_seconds: float = Field(default=5.0, ge=0)
    """How often the communication service sends due pushes (new ones go at once); 0 turns the loop off."""

    health_data_keys: SecretStr | None = None
    """Fernet keys that encrypt health data at rest, comma-separated, the newest (encrypting) first; older
    ones still decrypt until `hockey-hub keys reencrypt-health-data` has moved every row to the newest.
    Unset: a published development key, which the medical service refuses in production mode."""

    stripe_api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("HOCKEY_HUB_STRIPE_API_KEY", "STRIPE_API_KEY", "stripe_api_key"),
    )
    """The payment service's Stripe secret key; unset, subscriptions are local only (the embedded demo)."""
    stripe_webhook_secret: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices(
            "HOCKEY_HUB_STRIPE_WEBHOOK_SECRET", "STRIPE_WEBHOOK_SECRET", "stripe_webhook_secret"
        ),
    )
    """The signing secret (`whsec_...`) of the endpoint `POST /webhooks/stripe`; unset, webhooks are refused."""
    stripe_api_base: str | None = None
    """Another Stripe API address, e.g. a local emulator (localstripe) in tests; unset: Stripe itself."""

    @model_validator(mode="before")
    @classmethod
    def _per_service_overrides(cls, values: Any) -> Any:
        if not isinstance(values, dict):
            return values
        databases = dict(values.get("database_urls") or {})
        urls = dict(values.get("service_urls") or {})
        for service in SERVICE_PORTS:
            prefix = f"HOCKEY_HUB_{service.upper()}_"
            if (url := os.environ.get(prefix + "DATABASE_URL")) and service not in databases:
                databases[service] = url
            if (url := os.environ.get(prefix + "URL")) and service not in urls:
                urls[service] = url
        values["database_urls"] = databases
        values["service_urls"] = urls
        return values

    @model_validator(mode="after")
    def _production_needs_servers(self) -> Settings:
        if self.mode is Mode.PRODUCTION:
            missing = [
                name
                for name, value in (
                    (
                        "HOCKEY_HUB_DATABASE_URL",
                        self.database_url or len(self.database_urls) == len(SERVICE_PORTS),
                    ),
                    ("HOCKEY_HUB_AMQP_URL", self.amqp_url),
                    ("HOCKEY_HUB_REDIS_URL", self.redis_url),
                    (
                        "HOCKEY_HUB_JWT_KEYS_DIR (or HOCKEY_HUB_JWT_PUBLIC_KEY, or HOCKEY_HUB_JWKS_URL)",
                        self.jwt_keys_dir or self.jwt_public_key or self.jwks_url,
                    ),
                )
                if not value
            ]
            if missing:
                raise ValueError(
                    "production mode uses PostgreSQL, RabbitMQ, Redis and configured JWT keys; set "
                    + ", ".join(missing)
                )
        return self

    @property
    def embedded_database(self) -> bool:
        return self.database_url is None

    def database_url_for(self, service: str) -> str | None:
        """The service's database URL, or None when it lives in the embedded server."""
        if url := self.database_urls.get(service):
            return url
        if self.database_url:
            return self.database_url.format(service=service)
        return None

    def service_url(self, service: str) -> str:
        return self.service_urls.get(service) or f"http://127.0.0.1:{SERVICE_PORTS[service]}"


@cache
def get_settings() -> Settings:
    """The process's settings from its environment, read once."""
    return Settings()
