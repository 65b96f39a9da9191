"""The one error hierarchy of the domain layer; each error reaches clients with `extensions.code`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar


class DomainError(Exception):
    """An expected failure a client can act on: its code is part of the API contract."""

    code: ClassVar[str] = "INTERNAL_SERVER_ERROR"

    def __init__(self, message: str, *, field: str | None = None, details: Mapping[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = dict(details or {})

    def extensions(self) -> dict[str, Any]:
        extensions: dict[str, Any] = {"code": self.code}
        if self.field:
            extensions["field"] = self.field
        extensions.update(self.details)
        return extensions


class NotFound(DomainError):
    code = "NOT_FOUND"


class Forbidden(DomainError):
    code = "FORBIDDEN"


class Unauthenticated(DomainError):
    code = "UNAUTHENTICATED"


class InvalidInput(DomainError):
    code = "BAD_USER_INPUT"


class Conflict(DomainError):
    code = "CONFLICT"


class ServiceUnavailable(DomainError):
    """A dependency (the database) dropped or refused the connection: nothing was half-written, and the
    same request may be sent again."""

    code = "SERVICE_UNAVAILABLE"


class SubscriptionSourceLost(DomainError):
    """A live subscription lost the feed of its announcements (Redis): it ends here, and the client
    subscribes again (with its cursor, where the subscription has one) to catch up."""

    code = "SUBSCRIPTION_SOURCE_LOST"


def not_found(entity: str, identifier: object) -> NotFound:
    return NotFound(f"{entity} {identifier} does not exist", details={"entity": entity})
