"""A GraphQL-over-HTTP client for tests: real requests to a service's /graphql, as any principal."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from shared.auth.principal import Principal
from shared.auth.tokens import TokenIssuer


@dataclass(frozen=True)
class GraphQLResponse:
    status: int
    body: dict[str, Any]
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def data(self) -> Any:
        return self.body.get("data")

    @property
    def errors(self) -> list[dict[str, Any]]:
        return list(self.body.get("errors") or [])

    @property
    def codes(self) -> list[str]:
        return [error.get("extensions", {}).get("code") for error in self.errors]

    def ok(self) -> Any:
        """The data of a response that must have no errors."""
        assert self.status == 200, f"HTTP {self.status}: {self.body}"
        assert not self.errors, f"unexpected errors: {self.errors}"
        return self.data

    def error(self, code: str) -> dict[str, Any]:
        """The one error with this code."""
        matching = [error for error in self.errors if error.get("extensions", {}).get("code") == code]
        assert len(matching) == 1, f"expected one {code} error, got {self.errors}"
        return matching[0]


class GraphQLClient:
    def __init__(self, http: httpx.AsyncClient, issuer: TokenIssuer, *, path: str = "/graphql"):
        self.http = http
        self.issuer = issuer
        self.path = path

    def token(self, principal: Principal) -> str:
        return self.issuer.issue(principal)

    async def execute(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        as_: Principal | None = None,
        headers: Mapping[str, str] | None = None,
        operation_name: str | None = None,
    ) -> GraphQLResponse:
        sent = dict(headers or {})
        if as_ is not None:
            sent["Authorization"] = f"Bearer {self.token(as_)}"
        payload: dict[str, Any] = {"query": query, "variables": dict(variables or {})}
        if operation_name:
            payload["operationName"] = operation_name
        response = await self.http.post(self.path, json=payload, headers=sent)
        return GraphQLResponse(response.status_code, response.json(), response.headers)
