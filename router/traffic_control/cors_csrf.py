"""Browsers: which other sites' pages may call the router (CORS), and refusing the requests a hostile page can
make without asking (CSRF).

CORS is an allow-list of origins, methods and headers; a preflight from anywhere else is answered 403 with no
`Access-Control-Allow-*` headers, so the browser never sends the real request.

CSRF prevention refuses "simple" requests, the ones a browser sends cross-site without a preflight (a form
post, an image, a `fetch` with `no-cors`): a request needs a content type that is not one of the three a
form can send (in practice `application/json`), or one of the configured headers (for GET requests), which no
cross-site page can set without passing CORS first. This is what Apollo Server and the Apollo and Hive routers
do.
"""

from __future__ import annotations

from dataclasses import dataclass

import orjson
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from router.settings import RouterSettings

SIMPLE_CONTENT_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"})
EXPOSED_HEADERS = (
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
    "retry-after",
    "x-request-id",
)
"""Response headers a cross-origin page may read (fetch hides all but a few otherwise)."""


def csrf_refusal(headers: Headers, required_headers: frozenset[str]) -> str | None:
    """Why the request could be a cross-site forgery, or None when a browser must have preflighted it."""
    if any(name in headers for name in required_headers):
        return None
    media_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type and media_type not in SIMPLE_CONTENT_TYPES:
        return None
    return (
        "this request was refused as a possible cross-site request forgery: send it with "
        "Content-Type: application/json, or (for GET) with one of the headers " + ", ".join(sorted(required_headers))
    )


@dataclass(frozen=True)
class CorsPolicy:
    origins: frozenset[str]
    methods: frozenset[str]
    headers: frozenset[str]
    credentials: bool = False
    max_age_seconds: int = 600

    def __post_init__(self) -> None:
        if self.credentials and "*" in self.origins:
            raise ValueError("CORS with credentials needs the allowed origins listed, not '*'")

    @classmethod
    def from_settings(cls, settings: RouterSettings) -> CorsPolicy:
        return cls(
            origins=frozenset(o.rstrip("/") for o in settings.cors_origins),
            methods=frozenset(m.upper() for m in settings.cors_methods),
            headers=frozenset(h.lower() for h in settings.cors_headers),
            credentials=settings.cors_credentials,
            max_age_seconds=settings.cors_max_age_seconds,
        )

    def allows_origin(self, origin: str) -> bool:
        return "*" in self.origins or origin in self.origins

    def preflight_refusal(self, origin: str, method: str, requested_headers: str) -> str | None:
        if not self.allows_origin(origin):
            return f"the origin {origin} may not call this router"
        if method.upper() not in self.methods:
            return f"the method {method} is not allowed"
        unknown = sorted({h.strip().lower() for h in requested_headers.split(",") if h.strip()} - self.headers)
        if unknown:
            return "these headers are not allowed: " + ", ".join(unknown)
        return None

    def allow_origin_value(self, origin: str) -> str:
        return "*" if "*" in self.origins and not self.credentials else origin


class CorsMiddleware:
    """Answers preflights and marks the responses to allowed origins; requests without `Origin` pass as they
    are (same-origin pages and non-browser clients)."""

    def __init__(self, app: ASGIApp, policy: CorsPolicy):
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if origin is None:
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await self._preflight(origin, headers, send)
            return
        allowed = self.policy.allows_origin(origin)

        async def marked(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                response_headers.add_vary_header("Origin")
                if allowed:
                    response_headers["access-control-allow-origin"] = self.policy.allow_origin_value(origin)
                    response_headers["access-control-expose-headers"] = ", ".join(EXPOSED_HEADERS)
                    if self.policy.credentials:
                        response_headers["access-control-allow-credentials"] = "true"
            await send(message)

        await self.app(scope, receive, marked)

    async def _preflight(self, origin: str, headers: Headers, send: Send) -> None:
        requested = headers.get("access-control-request-headers", "")
        refusal = self.policy.preflight_refusal(origin, headers["access-control-request-method"], requested)
        response: list[tuple[bytes, bytes]] = [(b"vary", b"Origin")]
        if refusal is None:
            status, body = 204, b""
            allowed = {
                "access-control-allow-origin": self.policy.allow_origin_value(origin),
                "access-control-allow-methods": ", ".join(sorted(self.policy.methods)),
                "access-control-allow-headers": ", ".join(sorted(self.policy.headers)),
                "access-control-max-age": str(self.policy.max_age_seconds),
            }
            if self.policy.credentials:
                allowed["access-control-allow-credentials"] = "true"
            response += [(name.encode(), value.encode()) for name, value in allowed.items()]
        else:
            status = 403
            body = orjson.dumps({"errors": [{"message": refusal, "extensions": {"code": "CORS_REFUSED"}}]})
            response.append((b"content-type", b"application/json"))
        response.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": response})
        await send({"type": "http.response.body", "body": body})
