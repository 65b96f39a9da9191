"""Constraint violations as domain errors: the database enforces the rule, the service names it."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shared.errors import DomainError


def sqlstate(error: DBAPIError) -> str | None:
    original = getattr(error, "orig", None)
    return getattr(original, "sqlstate", None) or getattr(getattr(original, "__cause__", None), "sqlstate", None)


def constraint_name(error: DBAPIError) -> str | None:
    original = getattr(error, "orig", None)
    cause = getattr(original, "__cause__", None)
    return getattr(cause, "constraint_name", None) or getattr(original, "constraint_name", None)


async def flush(session: AsyncSession, *, violations: Mapping[str, DomainError]) -> None:
    """Flush, turning a violation of a named constraint into its domain error.

    Checking first and writing after races with concurrent requests; the constraint does not.
    """
    try:
        await session.flush()
    except IntegrityError as error:
        name = constraint_name(error)
        if name is not None and name in violations:
            raise violations[name] from None
        raise
