"""The router over HTTP: GraphQL over HTTP at /graphql (POST, and GET for queries), GraphiQL served from
the router's own files, and /health with every subgraph's reachability."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import orjson
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket

from router.auth.authenticate import Authenticator, Caller
from router.engine import GraphQLRequest, GraphQLResponse
from router.metrics import named_operation, record_operation
from router.settings import RouterSettings
from router.subscriptions.execute import EngineOperations
from router.subscriptions.hub import SubscriptionHub
from router.subscriptions.protocol import SubscribePayload
from router.subscriptions.socket import Connection, SocketOperation, SocketSettings
from router.subscriptions.sse import EVENT_STREAM, event_stream
from router.supergraph_source import SupergraphSource
from router.tracing import operation_span
from router.traffic_control.admission import Gate
from router.traffic_control.control import TrafficControl
from router.traffic_control.cors_csrf import CorsMiddleware
from router.traffic_control.persisted import DocumentRefused, Resolved
from router.traffic_control.request_body import BadContentLength, BodyTooLarge, read_body
from shared.auth.revocation import SessionRevocations
from shared.errors import Unauthenticated
from shared.heap import settle
from shared.metrics import MetricsAccess, exposition

STATIC = Path(__file__).parent / "static"
GRAPHQL_RESPONSE = "application/graphql-response+json"
PLAN_HEADER = "hockey-hub-query-plan"
FORWARDED_HEADERS = ("authorization", "x-request-id")


def create_router_app(
    settings: RouterSettings | None = None,
    *,
    authenticator: Authenticator | None = None,
    revocations: SessionRevocations | None = None,
) -> Starlette:
    """`revocations`: the process's record of ended sign-in sessions when the router shares a process
    with the services (`hockey-hub up`); otherwise the router follows them itself (through Redis)."""
    settings = settings or RouterSettings()
    traffic = TrafficControl(settings)
    own_revocations = revocations is None
    if revocations is None:
        revocations = SessionRevocations.connect(settings.redis_url, prefix=settings.redis_key_prefix)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        source = SupergraphSource(settings)
        source.start()
        source.on_reload.append(app.state.subscriptions.revalidate)
        source.in_use.append(app.state.subscriptions.runs_on)
        app.state.source = source
        if own_revocations:
            await revocations.start()
        settle()
        try:
            yield
        finally:
            await source.close()
            if own_revocations:
                await revocations.close()
            await traffic.close()

    routes = [
        Route("/graphql", graphql_endpoint, methods=["GET", "POST"]),
        Route("/health", health_endpoint, methods=["GET"]),
        Route("/metrics", metrics_endpoint, methods=["GET"]),
        WebSocketRoute("/graphql", websocket_endpoint),
        Mount("/graphiql", app=StaticFiles(directory=STATIC / "graphiql"), name="graphiql"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, middleware=[Middleware(CorsMiddleware, policy=traffic.cors)])
    app.state.settings = settings
    app.state.traffic = traffic
    app.state.metrics_access = MetricsAccess.configured(
        settings.metrics_token, settings.metrics_public, production=settings.production
    )
    app.state.subscriptions = SubscriptionHub()
    app.state.authenticator = authenticator or Authenticator(settings, revoked=revocations)
    return app


async def websocket_endpoint(websocket: WebSocket) -> None:
    """GraphQL over WebSocket (graphql-transport-ws): subscriptions, and queries and mutations too."""
    settings: RouterSettings = websocket.app.state.settings
    source: SupergraphSource = websocket.app.state.source
    traffic: TrafficControl = websocket.app.state.traffic
    origin = websocket.headers.get("origin")
    same_site = origin is not None and origin.split("://", 1)[-1].rstrip("/") == websocket.headers.get("host")
    if origin is not None and not same_site and not traffic.cors.allows_origin(origin.rstrip("/")):
        # Browsers do not apply CORS to WebSockets: a page of another site could open one with the
        # user's cookies (cross-site WebSocket hijacking). Same allow-list as HTTP.
        await websocket.close(code=4403, reason="Forbidden: this origin may not open a socket")
        return
    connection = Connection(
        websocket,
        websocket.app.state.authenticator,
        lambda: EngineOperations(source.engine, websocket.app.state.subscriptions),  # the engine current now
        SocketSettings(
            init_timeout_seconds=settings.websocket_init_timeout_seconds,
            keepalive_seconds=settings.websocket_keepalive_seconds,
            max_operations=settings.websocket_max_operations,
        ),
        gate=lambda payload, caller: _socket_gate(websocket, traffic, payload, caller),
    )
    await connection.serve()


def _socket_gate(websocket: WebSocket, traffic: TrafficControl, payload: SubscribePayload, caller: Caller) -> Gate:
    """Each operation a socket starts spends from its caller's budgets, like a request over HTTP: the
    per-type budget (subscriptions started) and the cost budget."""
    websocket.state.principal = caller.principal
    return traffic.gate(websocket, Resolved(payload.query or ""))


def _json(body: Mapping[str, Any], status: int, media_type: str, headers: Mapping[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type=media_type, headers=dict(headers or {}))


def _request_error(message: str, code: str = "BAD_REQUEST") -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


def _media_type(request: Request) -> str:
    """`application/graphql-response+json` when the client lists it; otherwise the legacy `application/json`."""
    return GRAPHQL_RESPONSE if GRAPHQL_RESPONSE in request.headers.get("accept", "") else "application/json"


async def graphql_endpoint(request: Request) -> Response:
    settings: RouterSettings = request.app.state.settings
    traffic: TrafficControl = request.app.state.traffic
    media_type = _media_type(request)
    if request.method == "GET" and "text/html" in request.headers.get("accept", "") and not request.query_params:
        if not settings.graphiql:
            return Response("GraphiQL is turned off", status_code=404)
        return HTMLResponse(GRAPHIQL_PAGE)
    started = time.perf_counter()
    named: str | None = None  # once the request is read

    def refused(body: dict[str, Any], status: int, headers: Mapping[str, str] | None = None) -> Response:
        """A request answered before its operation was planned, measured like any other (router/metrics.py)."""
        record_operation(named, started, body)
        return _json(body, status, media_type, headers)

    if forgery := traffic.csrf_refusal(request):
        return refused(_request_error(forgery, "CSRF_REFUSED"), 400)
    if request.method == "GET":
        if len(request.scope["query_string"]) > settings.max_body_bytes:
            return refused(_request_error(f"the query string is longer than {settings.max_body_bytes} bytes"), 414)
        parsed = _from_query_params(request)
        allowed = frozenset({"query"})
    else:
        try:
            parsed = await _from_body(request, settings.max_body_bytes)
        except BodyTooLarge as error:
            return refused(_request_error(str(error), "PAYLOAD_TOO_LARGE"), 413)
        allowed = frozenset({"query", "mutation"})
    if isinstance(parsed, str):
        return refused(_request_error(parsed), 400)
    named = named_operation(parsed.operation_name, parsed.query)
    try:
        resolved = await traffic.documents.resolve(parsed.query, parsed.extensions, parsed.document_id)
    except DocumentRefused as refusal:
        status = 400 if refusal.code == "BAD_REQUEST" or media_type == GRAPHQL_RESPONSE else 200
        return refused({"errors": [refusal.as_graphql()]}, status)
    query, variables, operation_name = resolved.query, parsed.variables, parsed.operation_name
    named = named_operation(operation_name, query)
    gate = traffic.gate(request, resolved)
    headers = {name: request.headers[name] for name in FORWARDED_HEADERS if name in request.headers}
    headers.setdefault("x-request-id", uuid.uuid4().hex)
    try:
        caller = await request.app.state.authenticator.caller(request.headers.get("authorization"))
    except Unauthenticated as error:
        body = {"errors": [{"message": error.message, "extensions": {"code": error.code}}]}
        challenge = {"www-authenticate": 'Bearer error="invalid_token"', "x-request-id": headers["x-request-id"]}
        return refused(body, 401, challenge)
    request.state.principal = caller.principal
    plan_mode = request.headers.get(PLAN_HEADER) if settings.expose_plans else None
    engine = request.app.state.source.engine  # the engine current now serves this request to its end
    if EVENT_STREAM in request.headers.get("accept", "") and request.method == "POST":
        payload = SubscribePayload(query, variables, operation_name)
        streamed = SocketOperation(payload, caller, headers, admit=gate)
        return event_stream(EngineOperations(engine, request.app.state.subscriptions), streamed, gate.headers)
    with operation_span(named):
        result: GraphQLResponse = await engine.handle(
            GraphQLRequest(
                query,
                variables,
                operation_name,
                headers,
                plan_mode,
                allowed,
                access=caller.access,
                claims=caller.forwarded_claims,
                admit=gate,
            )
        )
    record_operation(named, started, result.body)
    status = result.status
    extra = {"x-request-id": headers["x-request-id"], **gate.headers}
    if status == 405:
        extra["allow"] = "POST"
    elif status == 400 and media_type != GRAPHQL_RESPONSE:
        status = 200  # with application/json, GraphQL request errors travel in the body (GraphQL over HTTP)
    return _json(result.body, status, media_type, extra)


@dataclass(frozen=True)
class _Params:
    query: str | None
    """None when the client names a persisted document instead (`extensions.persistedQuery`, `documentId`)."""
    variables: dict[str, Any]
    operation_name: str | None
    extensions: dict[str, Any]
    document_id: Any


async def _from_body(request: Request, limit: int) -> _Params | str:
    """The request's parameters, or why not; raises BodyTooLarge past `limit` bytes."""
    content_type = request.headers.get("content-type", "")
    if "application/json" not in content_type and "application/graphql-response+json" not in content_type:
        return "POST requests need Content-Type: application/json"
    try:
        raw = await read_body(request, limit)
    except BadContentLength as error:
        return str(error)
    try:
        payload = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return "the request body is not valid JSON"
    return _params(payload)


def _from_query_params(request: Request) -> _Params | str:
    params: dict[str, Any] = dict(request.query_params)
    for name in ("variables", "extensions"):
        if name in params:
            try:
                params[name] = orjson.loads(params[name])
            except orjson.JSONDecodeError:
                return f"the {name} parameter is not valid JSON"
    return _params(params)


def _params(payload: Any) -> _Params | str:
    if not isinstance(payload, dict):
        return "the request must be a JSON object with a query"
    query, variables, name = payload.get("query"), payload.get("variables") or {}, payload.get("operationName")
    extensions = payload.get("extensions") or {}
    if query is not None and not isinstance(query, str):
        return "the query must be a string"
    if not isinstance(variables, dict):
        return "variables must be a JSON object"
    if name is not None and not isinstance(name, str):
        return "operationName must be a string"
    if not isinstance(extensions, dict):
        return "extensions must be a JSON object"
    return _Params(query if query and query.strip() else None, variables, name, extensions, payload.get("documentId"))


async def metrics_endpoint(request: Request) -> Response:
    """Prometheus text format: the router's metrics (and, in embedded mode, the services' beside them)."""
    access: MetricsAccess = request.app.state.metrics_access
    return access.refusal(request.headers.get("authorization")) or exposition()


async def health_endpoint(request: Request) -> Response:
    source: SupergraphSource = request.app.state.source
    engine = source.engine
    checks = await asyncio.gather(
        *(_probe(engine.client.session, name, url) for name, url in sorted(engine.client.urls.items()))
    )
    subgraphs = dict(checks)
    for name, check in subgraphs.items():
        check["circuit"] = engine.client.breakers[name].state
    healthy = all(check["up"] for check in subgraphs.values())
    body = {"service": "router", "status": "healthy" if healthy else "degraded", "subgraphs": subgraphs}
    return _json(body, 200, "application/json")


async def _probe(session: aiohttp.ClientSession, name: str, url: str) -> tuple[str, dict[str, Any]]:
    started = time.perf_counter()
    try:
        async with session.post(
            url, json={"query": "{ __typename }"}, timeout=aiohttp.ClientTimeout(total=2)
        ) as response:
            await response.read()
            up = response.status < 500
            detail = None if up else f"HTTP {response.status}"
    except (aiohttp.ClientError, TimeoutError) as error:
        up, detail = False, type(error).__name__
    latency = round((time.perf_counter() - started) * 1000, 2)
    return name, {"up": up, "url": url, "latencyMs": latency, "detail": detail}


GRAPHIQL_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Hockey Hub — GraphiQL</title>
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
  <link rel="stylesheet" href="/graphiql/graphiql.min.css" />
</head>
<body>
  <div id="graphiql">Loading…</div>
  <script src="/graphiql/react.production.min.js"></script>
  <script src="/graphiql/react-dom.production.min.js"></script>
  <script src="/graphiql/graphiql.min.js"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
    const root = ReactDOM.createRoot(document.getElementById("graphiql"));
    root.render(React.createElement(GraphiQL, {
      fetcher,
      defaultEditorToolsVisibility: true,
      defaultHeaders: JSON.stringify({ Authorization: "Bearer <paste: hockey-hub dev-token EMAIL>" }, null, 2),
    }));
  </script>
</body>
</html>
"""
