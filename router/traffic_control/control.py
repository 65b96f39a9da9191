"""Traffic control for one router app: built from its settings, used by the HTTP layer at each stage."""

from __future__ import annotations

import logging

from redis.asyncio import Redis
from starlette.requests import HTTPConnection, Request

from router.settings import RouterSettings
from router.traffic_control.admission import Admission, Refusal
from router.traffic_control.client_ip import client_address, networks, rate_limit_subject
from router.traffic_control.cors_csrf import CorsPolicy, csrf_refusal
from router.traffic_control.persisted import (
    ApqStore,
    MemoryApqStore,
    PersistedDocuments,
    RedisApqStore,
    Resolved,
    TrustedDocuments,
)
from router.traffic_control.rate_limit import Budgets, BudgetsUnavailable, MemoryBuckets, RedisBuckets, TokenBuckets

logger = logging.getLogger("hockey_hub.router.traffic")

REDIS_TIMEOUT_SECONDS = 0.5
"""A stalled Redis must not stall every request: past this, rate limits and APQ fall back to memory."""


class TrafficControl:
    def __init__(self, settings: RouterSettings):
        self.settings = settings
        self.cors = CorsPolicy.from_settings(settings)
        self.csrf_headers = frozenset(h.lower() for h in settings.csrf_headers)
        self.trusted_proxies = networks(settings.trusted_proxies)
        self.prefix = f"{settings.redis_key_prefix}router:"
        self.redis: Redis | None = None
        if settings.redis_url:
            self.redis = Redis.from_url(
                settings.redis_url,
                socket_timeout=REDIS_TIMEOUT_SECONDS,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            )
        self.documents = PersistedDocuments(
            apq=self._apq_store() if settings.apq else None,
            trusted=self._trusted_documents(),
            require_trusted=settings.trusted_documents_required,
        )
        self.budgets = Budgets.from_settings(settings) if settings.rate_limits_enabled else None
        self.buckets: TokenBuckets | None = None
        if self.budgets is not None:
            local = MemoryBuckets()
            if self.redis is None:
                self.buckets = local
            else:
                fallback = local if settings.rate_limit_redis_down == "memory" else None
                self.buckets = RedisBuckets(self.redis, fallback=fallback)
            if self.redis is None and settings.production:
                logger.warning("rate limits are counted per router process: set HOCKEY_HUB_REDIS_URL to share them")

    def _apq_store(self) -> ApqStore:
        local = MemoryApqStore(self.settings.apq_cache_size)
        if self.redis is None:
            return local
        return RedisApqStore(
            self.redis, prefix=f"{self.prefix}apq:", ttl_seconds=self.settings.apq_ttl_seconds, local=local
        )

    def _trusted_documents(self) -> TrustedDocuments | None:
        folder = self.settings.trusted_documents
        if not folder.exists() and not self.settings.trusted_documents_required:
            return None
        return TrustedDocuments.load(folder)  # required and missing: refuse to start rather than refuse everything

    async def close(self) -> None:
        if self.buckets is not None:
            await self.buckets.close()
        if self.redis is not None:
            await self.redis.aclose()

    def budgets_unavailable(self) -> Refusal | None:
        """Redis cannot count and the policy (`rate_limit_redis_down`) says: admit uncounted, or refuse."""
        if self.settings.rate_limit_redis_down == "open":
            return None
        message = "rate limits cannot be counted now: try again shortly"
        return Refusal(503, {"message": message, "extensions": {"code": "RATE_LIMIT_UNAVAILABLE"}})

    def csrf_refusal(self, request: Request) -> str | None:
        return csrf_refusal(request.headers, self.csrf_headers) if self.settings.csrf_prevention_enabled else None

    def gate(self, request: HTTPConnection, resolved: Resolved) -> RequestGate:
        """For an HTTP request, or for one operation of a WebSocket (its upgrade request)."""
        return RequestGate(self, request, resolved)


class RequestGate:
    """One request's rate limits and APQ registration, run by the engine once its operation is known valid.
    `headers` then holds the rate-limit headers for the response, whatever the verdict."""

    def __init__(self, control: TrafficControl, request: HTTPConnection, resolved: Resolved):
        self.control = control
        self.request = request
        self.resolved = resolved
        self.headers: dict[str, str] = {}

    async def __call__(self, admission: Admission) -> Refusal | None:
        control = self.control
        if control.budgets is not None and control.buckets is not None:
            peer = self.request.client.host if self.request.client else None
            forwarded = self.request.headers.getlist("x-forwarded-for")
            address = "addr:" + rate_limit_subject(client_address(peer, forwarded, control.trusted_proxies))
            # Authentication (router/auth) leaves the verified caller here; anonymous callers count by address.
            user_id = getattr(getattr(self.request.state, "principal", None), "user_id", None)
            caller = f"user:{user_id}" if user_id is not None else address
            buckets = control.budgets.buckets(admission, prefix=f"{control.prefix}rl:", caller=caller, address=address)
            if buckets:
                try:
                    decision = await control.buckets.take(buckets)
                except BudgetsUnavailable:
                    return control.budgets_unavailable()
                self.headers = decision.headers()
                if not decision.admitted:
                    message = f"too many requests: try again in {decision.retry_after_seconds} s"
                    extensions = {"code": "RATE_LIMITED", "retryAfterSeconds": decision.retry_after_seconds}
                    return Refusal(429, {"message": message, "extensions": extensions})
        if self.resolved.register is not None:
            await control.documents.register(self.resolved.register, self.resolved.query)
        return None
