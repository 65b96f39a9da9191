"""The router over HTTP: GraphQL over HTTP at /graphql (POST, and GET for queries), GraphiQL served from
the router's own files, and /health with every subgraph's reachability."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import aiohttp
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from router.auth.authenticate import Authenticator
from router.engine import GraphQLRequest, GraphQLResponse
from router.settings import RouterSettings
from router.supergraph_source import SupergraphSource
from shared.errors import Unauthenticated

STATIC = Path(__file__).parent / "static"
GRAPHQL_RESPONSE = "application/graphql-response+json"
PLAN_HEADER = "hockey-hub-query-plan"
FORWARDED_HEADERS = ("authorization", "x-request-id")
MAX_BODY_BYTES = 2 * 1024 * 1024


def create_router_app(
    settings: RouterSettings | None = None, *, authenticator: Authenticator | None = None
) -> Starlette:
    settings = settings or RouterSettings()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        source = SupergraphSource(settings)
        source.start()
        app.state.source = source
        try:
            yield
        finally:
            await source.close()

    routes = [
        Route("/graphql", graphql_endpoint, methods=["GET", "POST"]),
        Route("/health", health_endpoint, methods=["GET"]),
        Mount("/graphiql", app=StaticFiles(directory=STATIC / "graphiql"), name="graphiql"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.settings = settings
    app.state.authenticator = authenticator or Authenticator(settings)
    return app


def _json(body: Mapping[str, Any], status: int, media_type: str, headers: Mapping[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type=media_type, headers=dict(headers or {}))


def _request_error(message: str, status: int, media_type: str, code: str = "BAD_REQUEST") -> Response:
    return _json({"errors": [{"message": message, "extensions": {"code": code}}]}, status, media_type)


def _media_type(request: Request) -> str:
    """`application/graphql-response+json` when the client lists it; otherwise the legacy `application/json`."""
    return GRAPHQL_RESPONSE if GRAPHQL_RESPONSE in request.headers.get("accept", "") else "application/json"


async def graphql_endpoint(request: Request) -> Response:
    settings: RouterSettings = request.app.state.settings
    media_type = _media_type(request)
    if request.method == "GET":
        if "text/html" in request.headers.get("accept", "") and "query" not in request.query_params:
            if not settings.graphiql:
                return Response("GraphiQL is turned off", status_code=404)
            return HTMLResponse(GRAPHIQL_PAGE)
        parsed = _from_query_params(request)
        allowed = frozenset({"query"})
    else:
        parsed = await _from_body(request)
        allowed = frozenset({"query", "mutation"})
    if isinstance(parsed, str):
        return _request_error(parsed, 400, media_type)
    query, variables, operation_name = parsed
    headers = {name: request.headers[name] for name in FORWARDED_HEADERS if name in request.headers}
    headers.setdefault("x-request-id", uuid.uuid4().hex)
    try:
        caller = await request.app.state.authenticator.caller(request.headers.get("authorization"))
    except Unauthenticated as error:
        body = {"errors": [{"message": error.message, "extensions": {"code": error.code}}]}
        challenge = {"www-authenticate": 'Bearer error="invalid_token"', "x-request-id": headers["x-request-id"]}
        return _json(body, 401, media_type, challenge)
    request.state.principal = caller.principal
    plan_mode = request.headers.get(PLAN_HEADER) if settings.expose_plans else None
    engine = request.app.state.source.engine  # the engine current now serves this request to its end
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
        )
    )
    status = result.status
    extra = {"x-request-id": headers["x-request-id"]}
    if status == 405:
        extra["allow"] = "POST"
    elif status == 400 and media_type != GRAPHQL_RESPONSE:
        status = 200  # with application/json, GraphQL request errors travel in the body (GraphQL over HTTP)
    return _json(result.body, status, media_type, extra)


async def _from_body(request: Request) -> tuple[str, dict[str, Any], str | None] | str:
    content_type = request.headers.get("content-type", "")
    if "application/json" not in content_type and "application/graphql-response+json" not in content_type:
        return "POST requests need Content-Type: application/json"
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        return f"the request body is larger than {MAX_BODY_BYTES} bytes"
    try:
        payload = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return "the request body is not valid JSON"
    return _params(payload)


def _from_query_params(request: Request) -> tuple[str, dict[str, Any], str | None] | str:
    params: dict[str, Any] = dict(request.query_params)
    if "variables" in params:
        try:
            params["variables"] = orjson.loads(params["variables"])
        except orjson.JSONDecodeError:
            return "the variables parameter is not valid JSON"
    return _params(params)


def _params(payload: Any) -> tuple[str, dict[str, Any], str | None] | str:
    if not isinstance(payload, dict):
        return "the request must be a JSON object with a query"
    query, variables, name = payload.get("query"), payload.get("variables") or {}, payload.get("operationName")
    if not isinstance(query, str) or not query.strip():
        return "the request has no query"
    if not isinstance(variables, dict):
        return "variables must be a JSON object"
    if name is not None and not isinstance(name, str):
        return "operationName must be a string"
    return query, variables, name


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
