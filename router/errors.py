"""The router's own error codes, stable for clients (as the leading routers name them)."""

from __future__ import annotations

from typing import Any


class RouterError(Exception):
    def __init__(self, code: str, message: str, *, service: str | None = None, retryable: bool = False):
        super().__init__(message)
        self.code = code
        self.message = message
        self.service = service
        self.retryable = retryable

    def as_graphql(self, path: list[str | int] | None = None) -> dict[str, Any]:
        error: dict[str, Any] = {"message": self.message, "extensions": {"code": self.code}}
        if self.service:
            error["extensions"]["service"] = self.service
        if path is not None:
            error["path"] = path
        return error
