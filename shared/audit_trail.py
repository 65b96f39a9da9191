"""Reading a service's audit trail (`GET /audit` of every service; the admin service asks them all).

Read-only by design: nothing here or anywhere else changes or deletes an entry. Platform administrators
read every organization's entries; a club administrator reads their own club's only.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.auth.principal import Principal, Role
from shared.database.kernel import audit_entries
from shared.errors import Forbidden, InvalidInput

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Who, what and when; `organization_id` None means every organization (platform administrators)."""

    organization_id: uuid.UUID | None = None
    actor_user_id: uuid.UUID | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = DEFAULT_LIMIT

    def as_params(self) -> dict[str, str]:
        """The query string of `GET /audit` that asks for this filter."""
        params = {
            "organizationId": str(self.organization_id) if self.organization_id else None,
            "actorUserId": str(self.actor_user_id) if self.actor_user_id else None,
            "action": self.action,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "limit": str(self.limit),
        }
        return {name: value for name, value in params.items() if value is not None}


def can_read_audit_trail(actor: Principal) -> bool:
    return actor.is_platform_admin or actor.has_role(Role.CLUB_ADMIN)


def scoped(actor: Principal, wanted: AuditFilter) -> AuditFilter:
    """The filter as this caller may run it: a club administrator is held to their own club."""
    if not can_read_audit_trail(actor):
        raise Forbidden("only platform and club administrators read the audit trail")
    if actor.is_platform_admin:
        return wanted
    own = actor.require_organization()
    if wanted.organization_id is not None and wanted.organization_id != own:
        raise Forbidden("a club administrator reads their own club's audit trail", field="organizationId")
    return AuditFilter(own, wanted.actor_user_id, wanted.action, wanted.since, wanted.until, wanted.limit)


def checked(wanted: AuditFilter) -> AuditFilter:
    """BAD_USER_INPUT for a filter that cannot mean anything."""
    if not 1 <= wanted.limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}", field="limit")
    if wanted.since is not None and wanted.until is not None and wanted.since > wanted.until:
        raise InvalidInput("since must not be after until", field="until")
    for name, moment in (("since", wanted.since), ("until", wanted.until)):
        if moment is not None and moment.tzinfo is None:
            raise InvalidInput(f"{name} needs a time zone offset", field=name)
    if wanted.action is not None and not 0 < len(wanted.action) <= 120:
        raise InvalidInput("action is 1 to 120 characters", field="action")
    return wanted


def parse_filter(params: Mapping[str, str]) -> AuditFilter:
    """The filter of a `GET /audit` query string."""

    def identifier(name: str) -> uuid.UUID | None:
        raw = params.get(name)
        if raw is None:
            return None
        try:
            return uuid.UUID(raw)
        except ValueError:
            raise InvalidInput(f"{name} is not an id", field=name) from None

    def moment(name: str) -> datetime | None:
        raw = params.get(name)
        if raw is None:
            return None
        try:
            return datetime.fromisoformat(raw)
        except ValueError:
            raise InvalidInput(f"{name} is not an ISO 8601 date and time", field=name) from None

    try:
        limit = int(params.get("limit", DEFAULT_LIMIT))
    except ValueError:
        raise InvalidInput("limit is a whole number", field="limit") from None
    return checked(
        AuditFilter(
            identifier("organizationId"),
            identifier("actorUserId"),
            params.get("action"),
            moment("since"),
            moment("until"),
            limit,
        )
    )


async def read_audit_trail(engine: AsyncEngine, wanted: AuditFilter) -> list[dict[str, Any]]:
    """The newest entries first, as JSON-ready dicts (what `GET /audit` answers)."""
    table = audit_entries
    query = select(table).order_by(table.c.occurred_at.desc(), table.c.id).limit(wanted.limit)
    if wanted.organization_id is not None:
        query = query.where(table.c.organization_id == wanted.organization_id)
    if wanted.actor_user_id is not None:
        query = query.where(table.c.actor_user_id == wanted.actor_user_id)
    if wanted.action is not None:
        query = query.where(table.c.action == wanted.action)
    if wanted.since is not None:
        query = query.where(table.c.occurred_at >= wanted.since)
    if wanted.until is not None:
        query = query.where(table.c.occurred_at < wanted.until)
    async with engine.connect() as connection:
        rows = (await connection.execute(query)).mappings().all()
    return [
        {
            "id": str(row["id"]),
            "occurredAt": row["occurred_at"].isoformat(),
            "actorUserId": str(row["actor_user_id"]) if row["actor_user_id"] else None,
            "organizationId": str(row["organization_id"]) if row["organization_id"] else None,
            "action": row["action"],
            "entityType": row["entity_type"],
            "entityId": row["entity_id"],
            "requestId": row["request_id"],
            "details": row["details"],
        }
        for row in rows
    ]
