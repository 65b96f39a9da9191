"""From exceptions to GraphQL errors with a stable `extensions.code`; everything unexpected is masked."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import asyncpg
from graphql import GraphQLError, GraphQLSyntaxError
from sqlalchemy.exc import DBAPIError, IntegrityError, PendingRollbackError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from strawberry.extensions import SchemaExtension

from shared.database.integrity import constraint_name, sqlstate
from shared.errors import Conflict, DomainError, InvalidInput, ServiceUnavailable
from shared.log import request_id_var

logger = logging.getLogger("hockey_hub.graphql")

INTERNAL_MESSAGE = "Internal server error"

# PostgreSQL SQLSTATEs of constraint violations a client caused.
_UNIQUE_VIOLATION = "23505"
_INPUT_VIOLATIONS = {
    "23503": "refers to a record that does not exist",
    "23502": "is missing a required value",
    "23514": "breaks a rule of the data",
    "23P01": "overlaps an existing record",
    "22001": "is too long",
    "22003": "is out of range",
    "22P02": "is not in the expected format",
    "22007": "is not a valid date or time",
    "22008": "is out of the date/time range",
}


def domain_error_for(error: BaseException) -> DomainError | None:
    """The client-facing meaning of an exception, or None when it is a fault of ours."""
    if isinstance(error, DomainError):
        return error
    if database_unavailable(error):
        return ServiceUnavailable("the database is unavailable; try again shortly")
    if isinstance(error, DBAPIError):
        state = sqlstate(error)
        name = constraint_name(error)
        details = {"constraint": name} if name else None
        if state == _UNIQUE_VIOLATION:
            return Conflict("a record with these values already exists", details=details)
        if state == "23P01":
            return Conflict("the change overlaps an existing record", details=details)
        if isinstance(error, IntegrityError) or state in _INPUT_VIOLATIONS:
            reason = _INPUT_VIOLATIONS.get(state or "", "is not valid")
            return InvalidInput(f"the input {reason}", details=details)
    return None


def database_unavailable(error: BaseException) -> bool:
    """The connection was lost or refused (a database restart, a network cut), or none was free in time.
    PostgreSQL rolls back the transaction of a lost connection, so nothing is half-written."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, PoolTimeout):
        return True
    # SQLAlchemy's refusal to go on with a transaction whose connection was lost (no other cause).
    if isinstance(error, PendingRollbackError) and str(error).startswith("Can't reconnect until invalid transaction"):
        return True
    # Connecting failed: refused or cut (OSError), or timed out.
    return isinstance(error, OSError | TimeoutError | asyncpg.PostgresConnectionError)


def format_error(error: GraphQLError) -> GraphQLError:
    """The error as the client sees it."""
    original = error.original_error
    if original is None:
        return _with(error, error.message, {**(error.extensions or {}), "code": _code_of_request_error(error)})
    # Resolver exceptions arrive wrapped, possibly twice; unwrap to the one that was raised.
    while isinstance(original, GraphQLError) and original.original_error is not None:
        original = original.original_error
    if isinstance(original, GraphQLError):
        # Raised by the GraphQL library itself while converting a client's arguments.
        return _with(error, original.message, {"code": "BAD_USER_INPUT", **(original.extensions or {})})
    domain = domain_error_for(original)
    if domain is not None:
        return _with(error, domain.message, domain.extensions())
    logger.error(
        "unexpected error in resolver",
        exc_info=(type(original), original, original.__traceback__),
        extra={"path": list(error.path or [])},
    )
    return _with(error, INTERNAL_MESSAGE, {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id_var.get()})


def _code_of_request_error(error: GraphQLError) -> str:
    """Errors with no exception behind them: the request itself, or GraphQL's own result checks."""
    if code := (error.extensions or {}).get("code"):
        return str(code)
    if isinstance(error, GraphQLSyntaxError) or error.message.startswith("Syntax Error"):
        return "GRAPHQL_PARSE_FAILED"
    if error.path is None:
        return "BAD_USER_INPUT" if error.message.startswith("Variable '$") else "GRAPHQL_VALIDATION_FAILED"
    # e.g. "Cannot return null for non-nullable field": a result that broke the schema's promise.
    return "INTERNAL_SERVER_ERROR"


def _with(error: GraphQLError, message: str, extensions: dict[str, Any]) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )


class ErrorCodes(SchemaExtension):
    """Give every error a code and hide the internals of unexpected ones (no traceback, SQL or secret)."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [format_error(error) for error in result.errors]

    def on_stream_result(self, result: Any) -> Iterator[None]:
        """Each event of a subscription, before it is sent: the same codes and masking."""
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = [format_error(error) for error in errors]
        yield
