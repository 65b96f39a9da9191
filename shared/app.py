"""Builds a subgraph's ASGI app: GraphQL at /graphql, GET /health, and the lifespan of its resources."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import orjson
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import MetaData, text
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection
from strawberry.fastapi import GraphQLRouter

from shared.audit_trail import parse_filter, read_audit_trail, scoped
from shared.auth.keys import KeyringFile
from shared.auth.principal import ANONYMOUS, Principal
from shared.auth.revocation import SESSIONS_REVOKED, SessionRevocations
from shared.auth.tokens import JwksKeys, KeySource, LocalKeys, TokenIssuer, TokenVerifier
from shared.cache import create_cache
from shared.database import create_engine, create_sessionmaker, database_url, ensure_database
from shared.database.migrations import ensure_at_head
from shared.errors import DomainError, InvalidInput, Unauthenticated
from shared.events import create_bus
from shared.events.consumer import DomainHandler, idempotent
from shared.events.envelope import Event
from shared.events.relay import OutboxRelay
from shared.graphql.audience import audience_of
from shared.graphql.context import RequestContext
from shared.graphql.schema import SubgraphSchema
from shared.health import ComponentHealth, overall_status, timed
from shared.heap import settle
from shared.live import PUBSUB
from shared.log import request_id_var
from shared.metrics import MetricsAccess, exposition, refresh_service_gauges
from shared.middleware import RequestLogMiddleware
from shared.pubsub import create_pubsub
from shared.runtime import ProcessResources, ServiceRuntime
from shared.settings import Mode, Settings, get_settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Subgraph:
    """Everything shared code needs to run one domain service."""

    name: str
    schema: SubgraphSchema
    metadata: MetaData
    event_handlers: Mapping[str, DomainHandler] = field(default_factory=dict)
    """Routing-key pattern -> handler; consumed from the service's own durable queue."""
    issues_tokens: bool = False
    """Signs access tokens and publishes the key set at /.well-known/jwks.json (the user service)."""


def create_subgraph_app(
    subgraph: Subgraph,
    settings: Settings | None = None,
    *,
    resources: ProcessResources | None = None,
) -> FastAPI:
    settings = settings or get_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            app.state.runtime = await _start_runtime(subgraph, settings, resources, stack)
            settle()
            logger.info("service started", extra={"service": subgraph.name})
            yield

    app = FastAPI(
        title=f"Hockey Hub {subgraph.name}",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    graphql = GraphQLRouter(subgraph.schema, context_getter=_context_getter, graphql_ide="graphiql")
    app.include_router(graphql, prefix="/graphql")
    app.add_exception_handler(Unauthenticated, _unauthenticated)  # type: ignore[arg-type]

    @app.post("/graphql/audience", include_in_schema=False)
    async def audience(request: Request) -> JSONResponse:
        """The router asks before sharing one subscription stream between callers (`Audience`)."""
        try:
            body = orjson.loads(await request.body())
        except orjson.JSONDecodeError:
            body = None
        if not isinstance(body, dict):
            return _errors(InvalidInput("the body must be a JSON object"), 400)
        context = await _context_getter(request)
        try:
            admitted = await audience_of(subgraph.schema, context, body)
        except Unauthenticated:
            raise
        except DomainError as error:
            return _errors(error, 400 if isinstance(error, InvalidInput) else 403)
        if admitted is None:
            return JSONResponse({"audience": None, "lateJoin": False})
        return JSONResponse({"audience": admitted[0], "lateJoin": admitted[1]})

    @app.get("/health", include_in_schema=False)
    async def health(request: Request) -> JSONResponse:
        runtime: ServiceRuntime = request.app.state.runtime
        return await health_response(runtime)

    @app.get("/audit", include_in_schema=False)
    async def audit(request: Request) -> JSONResponse:
        """This service's audit trail, read-only, for the admin service's `auditTrail` (and operators)."""
        runtime: ServiceRuntime = request.app.state.runtime
        principal = await authenticate(request, runtime.verifier)
        if not principal.is_authenticated:
            raise Unauthenticated("sign in to read the audit trail")
        try:
            wanted = scoped(principal, parse_filter(request.query_params))
        except DomainError as error:
            return _errors(error, 400 if isinstance(error, InvalidInput) else 403)
        entries = await read_audit_trail(runtime.engine, wanted)
        return JSONResponse({"service": runtime.service, "entries": entries})

    metrics_access = MetricsAccess.configured(
        settings.metrics_token, settings.metrics_public, production=settings.mode is Mode.PRODUCTION
    )

    @app.get("/metrics", include_in_schema=False)
    async def metrics(request: Request) -> Response:
        if refusal := metrics_access.refusal(request.headers.get("authorization")):
            return refusal
        runtime: ServiceRuntime = request.app.state.runtime
        await refresh_service_gauges(runtime)
        return exposition()

    if subgraph.issues_tokens:

        @app.get("/.well-known/jwks.json", include_in_schema=False)
        async def jwks(request: Request) -> JSONResponse:
            runtime: ServiceRuntime = request.app.state.runtime
            assert runtime.issuer is not None
            # Short caching: verifiers refetch on an unknown kid anyway, so a rotation is seen at once.
            return JSONResponse(runtime.issuer.keyring.current().jwks(), headers={"Cache-Control": "max-age=60"})

    app.add_middleware(RequestLogMiddleware, service=subgraph.name)
    return app


async def _start_runtime(
    subgraph: Subgraph,
    settings: Settings,
    resources: ProcessResources | None,
    stack: contextlib.AsyncExitStack,
) -> ServiceRuntime:
    url = await database_url(settings, subgraph.name)
    if settings.embedded_database:
        await ensure_database(url)
    engine = create_engine(url, pool_size=settings.database_pool_size)
    stack.push_async_callback(engine.dispose)
    await ensure_at_head(engine, subgraph.name)

    if resources is None:
        bus, cache, pubsub = create_bus(settings), create_cache(settings), create_pubsub(settings)
        await bus.start()
        stack.push_async_callback(bus.close)
        stack.push_async_callback(cache.close)
        stack.push_async_callback(pubsub.close)
        revocations = SessionRevocations.connect(settings.redis_url, prefix=settings.redis_key_prefix, pubsub=pubsub)
        await revocations.start()
        stack.push_async_callback(revocations.close)
    else:
        bus, cache, pubsub = resources.bus, resources.cache, resources.pubsub
        revocations = resources.revocations

    keys, issuer = _token_keys(subgraph, settings)
    runtime = ServiceRuntime(
        service=subgraph.name,
        settings=settings,
        engine=engine,
        sessions=create_sessionmaker(engine, info={PUBSUB: pubsub}),
        bus=bus,
        cache=cache,
        pubsub=pubsub,
        verifier=TokenVerifier(keys, issuer=settings.jwt_issuer, audience=settings.jwt_audience, revoked=revocations),
        revocations=revocations,
        issuer=issuer,
        database_kind="postgresql" if settings.database_url_for(subgraph.name) else "embedded-postgresql",
    )
    relay = OutboxRelay(runtime.sessions, bus, service=subgraph.name, poll_seconds=settings.outbox_poll_seconds)
    relay.start()
    stack.push_async_callback(relay.stop)
    runtime.relay = relay
    handlers = dict(subgraph.event_handlers)
    if issuer is not None:
        handlers[SESSIONS_REVOKED] = _revocation_handler(revocations, settings)
    if handlers:
        await bus.consume(subgraph.name, list(handlers), idempotent(runtime.sessions, handlers))
    return runtime


def _revocation_handler(revocations: SessionRevocations, settings: Settings) -> DomainHandler:
    """The signing service announces the sessions it ended to every verifier; the event, written with
    the change, guarantees the announcement happens even if this process stops right after the commit."""
    # A revoked session's newest token expires at most this long after the revocation (plus clock leeway).
    lasts = settings.jwt_access_token_minutes * 60 + 60

    async def announce(session: AsyncSession, event: Event) -> None:
        session_ids = [str(session_id) for session_id in event.data.get("session_ids", [])]
        revoked_at = event.data.get("revoked_at")
        if isinstance(revoked_at, str):
            revoked_at = datetime.fromisoformat(revoked_at)
        at = revoked_at.timestamp() if isinstance(revoked_at, datetime) else time.time()
        await revocations.revoke(session_ids, until=at + lasts)

    return announce


def _token_keys(subgraph: Subgraph, settings: Settings) -> tuple[KeySource, TokenIssuer | None]:
    """Where this service finds the keys it verifies with, and its issuer if it signs tokens."""
    keyring = KeyringFile(settings) if subgraph.issues_tokens or not settings.jwks_url else None
    issuer = None
    if keyring is not None and subgraph.issues_tokens:
        issuer = TokenIssuer(
            keyring,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            minutes=settings.jwt_access_token_minutes,
        )
    if settings.jwks_url and issuer is None:  # the issuer verifies with its own keys, not its own URL
        return JwksKeys(settings.jwks_url, refresh_seconds=settings.jwks_refresh_seconds), issuer
    assert keyring is not None
    return LocalKeys(keyring), issuer


async def authenticate(connection: HTTPConnection, verifier: TokenVerifier) -> Principal:
    """The caller named by the bearer token; no token is anonymous, a bad one is refused."""
    header = connection.headers.get("authorization")
    if not header:
        return ANONYMOUS
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("the Authorization header must be `Bearer <token>`")
    return await verifier.verify(token.strip())


async def _context_getter(connection: HTTPConnection) -> RequestContext:
    """For HTTP requests and WebSocket connections alike: the router opens a subgraph subscription with
    the caller's Authorization header on the upgrade request, verified here as for any request."""
    runtime: ServiceRuntime = connection.app.state.runtime
    principal = await authenticate(connection, runtime.verifier)
    return RequestContext(runtime, principal, request_id_var.get() or connection.headers.get("x-request-id", ""))


def _errors(error: DomainError, status: int) -> JSONResponse:
    return JSONResponse({"errors": [{"message": error.message, "extensions": error.extensions()}]}, status_code=status)


async def _unauthenticated(request: Request, error: Unauthenticated) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": error.message, "extensions": {"code": error.code}}]},
        status_code=401,
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


async def health_response(runtime: ServiceRuntime) -> JSONResponse:
    async def ping_database() -> None:
        async with runtime.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    components: dict[str, ComponentHealth] = {
        "database": await timed("database", runtime.database_kind, ping_database, required=True),
        "broker": await runtime.bus.health(),
        "cache": await runtime.cache.health(),
        "pubsub": await runtime.pubsub.health(),
    }
    status = overall_status(components)
    body = {
        "service": runtime.service,
        "status": status.value,
        "checks": {name: component.as_dict() for name, component in components.items()},
    }
    return JSONResponse(body, status_code=503 if status.value == "unhealthy" else 200)


__all__ = ["Subgraph", "authenticate", "create_subgraph_app"]
