"""Requests to subgraphs: pooled keep-alive connections, timeouts, retries of queries, circuit breaking,
and one shared request for identical query fetches in flight at the same time."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import orjson

from router.errors import RouterError
from router.executor.http import ConnectionPool, HttpError
from router.executor.traffic import CircuitBreaker, RetryBudget
from router.metrics import record_fetch, record_fetch_refused
from router.tracing import failed, fetch_span

logger = logging.getLogger("hockey_hub.router.fetch")

RETRYABLE_STATUS = frozenset({502, 503, 504})
BASE_HEADERS = {
    "content-type": "application/json",
    "accept": "application/graphql-response+json, application/json",
    "user-agent": "hockey-hub-router",
}


@dataclass(frozen=True)
class SubgraphSettings:
    timeout_seconds: float = 30.0
    max_retries: int = 2
    breaker_failures: int = 5
    breaker_open_seconds: float = 10.0
    connections_per_subgraph: int = 64


@dataclass
class SubgraphResult:
    data: Any
    errors: list[dict[str, Any]] = field(default_factory=list)


class SubgraphClient:
    def __init__(self, urls: Mapping[str, str], settings: SubgraphSettings | None = None):
        self.urls = dict(urls)
        self.settings = settings or SubgraphSettings()
        self.breakers = {
            name: CircuitBreaker(self.settings.breaker_failures, self.settings.breaker_open_seconds) for name in urls
        }
        self.budgets = {name: RetryBudget() for name in urls}
        self._session: aiohttp.ClientSession | None = None
        self._sockets: aiohttp.ClientSession | None = None
        self._pools: dict[str, ConnectionPool] = {}
        self._in_flight: dict[tuple[str, bytes, str], asyncio.Future[SubgraphResult]] = {}

    @property
    def session(self) -> aiohttp.ClientSession:
        """A general HTTP client for occasional calls (health probes); fetches use the lean pools."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(
                limit=0, limit_per_host=self.settings.connections_per_subgraph, keepalive_timeout=30, ttl_dns_cache=300
            )
            self._session = aiohttp.ClientSession(
                connector=connector, json_serialize=lambda v: orjson.dumps(v).decode()
            )
        return self._session

    @property
    def sockets(self) -> aiohttp.ClientSession:
        """For subscriptions' WebSockets: each holds its connection as long as it lasts, so unlike the
        request pools this one has no cap per subgraph (a thousand subscribers are a thousand sockets)."""
        if self._sockets is None or self._sockets.closed:
            self._sockets = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0, limit_per_host=0))
        return self._sockets

    async def close(self) -> None:
        for pool in self._pools.values():
            pool.close()
        if self._session is not None:
            await self._session.close()
        if self._sockets is not None:
            await self._sockets.close()

    async def fetch(
        self, service: str, body: dict[str, Any], headers: Mapping[str, str], *, is_mutation: bool
    ) -> SubgraphResult:
        payload = orjson.dumps(body)
        if is_mutation:
            return await self._send(service, payload, headers, retries=0)
        # Identical queries to the same subgraph, for the same caller, share one request.
        key = (service, payload, headers.get("authorization", ""))
        shared = self._in_flight.get(key)
        if shared is not None:
            return await asyncio.shield(shared)
        future: asyncio.Future[SubgraphResult] = asyncio.get_running_loop().create_future()
        self._in_flight[key] = future
        try:
            result = await self._send(service, payload, headers, retries=self.settings.max_retries)
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # mark retrieved: sharers re-raise it themselves
            raise
        else:
            future.set_result(result)
            return result
        finally:
            self._in_flight.pop(key, None)

    async def _send(self, service: str, payload: bytes, headers: Mapping[str, str], *, retries: int) -> SubgraphResult:
        url = self.urls.get(service)
        if url is None:
            raise RouterError("SUBREQUEST_HTTP_ERROR", f"the supergraph names no URL for subgraph {service}")
        breaker, budget = self.breakers[service], self.budgets[service]
        budget.record_request()
        attempt = 0
        while True:
            if not breaker.allow():
                record_fetch_refused(service, "SUBREQUEST_CIRCUIT_OPEN")
                raise RouterError(
                    "SUBREQUEST_CIRCUIT_OPEN", f"subgraph {service} is failing; requests are paused", service=service
                )
            started = time.perf_counter()
            traced = dict(headers)
            try:
                with fetch_span(service, traced) as span:
                    try:
                        result = await self._once(service, url, payload, traced)
                    except RouterError as error:
                        failed(span, error.code)
                        raise
            except RouterError as error:
                record_fetch(service, started, error.code)
                breaker.failed()
                if error.retryable and attempt < retries and budget.try_spend():
                    attempt += 1
                    await asyncio.sleep(0.02 * attempt)
                    continue
                raise
            record_fetch(service, started)
            breaker.succeeded()
            return result

    def _pool(self, url: str) -> ConnectionPool:
        pool = self._pools.get(url)
        if pool is None:
            pool = self._pools[url] = ConnectionPool(url, limit=self.settings.connections_per_subgraph)
        return pool

    async def _once(self, service: str, url: str, payload: bytes, headers: Mapping[str, str]) -> SubgraphResult:
        sent = {**BASE_HEADERS, **headers}
        try:
            async with asyncio.timeout(self.settings.timeout_seconds):
                status, raw = await self._pool(url).post(payload, sent)
        except TimeoutError:
            raise RouterError(
                "SUBREQUEST_TIMEOUT",
                f"subgraph {service} did not answer within {self.settings.timeout_seconds:g} s",
                service=service,
                retryable=True,
            ) from None
        except (HttpError, ValueError) as error:
            raise RouterError(
                "SUBREQUEST_HTTP_ERROR",
                f"subgraph {service} is unreachable: {error}",
                service=service,
                retryable=True,
            ) from None
        try:
            body = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise RouterError(
                "SUBREQUEST_MALFORMED_RESPONSE",
                f"subgraph {service} answered HTTP {status} with a body that is not JSON",
                service=service,
                retryable=status in RETRYABLE_STATUS,
            ) from None
        if not isinstance(body, dict) or ("data" not in body and "errors" not in body):
            raise RouterError(
                "SUBREQUEST_MALFORMED_RESPONSE",
                f"subgraph {service} answered HTTP {status} with JSON that is not a GraphQL response",
                service=service,
            )
        if status >= 500 and body.get("data") is None and status in RETRYABLE_STATUS:
            raise RouterError(
                "SUBREQUEST_HTTP_ERROR", f"subgraph {service} answered HTTP {status}", service=service, retryable=True
            )
        errors = body.get("errors") or []
        return SubgraphResult(body.get("data"), errors if isinstance(errors, list) else [])
