"""What the planning services share: the acting organization, today, writes guarded by a constraint."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, date, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import Principal
from shared.database.integrity import constraint_name, flush
from shared.errors import DomainError, Forbidden


def today() -> date:
    return datetime.now(UTC).date()


def acting_organization(actor: Principal, organization_id: uuid.UUID | None) -> uuid.UUID:
    if organization_id is not None and organization_id != actor.organization_id:
        if not actor.is_platform_admin:
            raise Forbidden("you can only act within your own organization")
        return organization_id
    return actor.require_organization()


async def write_checked(
    session: AsyncSession,
    apply: Callable[[], object],
    *,
    constraint: str,
    conflict: Callable[[], Awaitable[DomainError]],
    violations: Mapping[str, DomainError] | None = None,
) -> None:
    """`apply` the change and write it in a savepoint; when the exclusion `constraint` refuses it (a rival
    write committed after our check), roll back to the savepoint and raise `conflict()`, which can read the
    rival row now. Opening the savepoint flushes pending changes, so the change is applied inside it."""
    try:
        async with session.begin_nested():
            apply()
            await flush(session, violations=violations or {})
    except IntegrityError as error:
        if constraint_name(error) != constraint:
            raise
        raise await conflict() from None
