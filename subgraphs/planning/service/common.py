"""What the planning services share: the acting organization, today, writes guarded by a constraint, the
roster check of players."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Collection, Mapping
from datetime import UTC, date, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import Principal
from shared.database.integrity import constraint_name, flush
from shared.errors import DomainError, Forbidden, InvalidInput
from shared.roster import roster_entries


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


async def require_team_players(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    team_id: uuid.UUID,
    player_ids: Collection[uuid.UUID],
    field: str,
) -> None:
    """Refuse players the roster copy does not have, active, on the team (a copy fed by the user
    service's player events, so a player added a moment ago may not be there yet)."""
    entries = {entry.player_id: entry for entry in await roster_entries(session, sorted(set(player_ids)))}
    strangers = sorted(
        str(player_id)
        for player_id in set(player_ids)
        if (entry := entries.get(player_id)) is None
        or not entry.is_active
        or entry.organization_id != organization_id
        or entry.team_id != team_id
    )
    if strangers:
        raise InvalidInput(
            f"not on the team's roster: {', '.join(strangers)}", field=field, details={"playerIds": strangers}
        )
