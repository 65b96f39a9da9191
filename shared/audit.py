"""The audit trail: every mutation writes who did what to which entity, in its service's database."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping
from enum import Enum
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import UNSET

from shared.auth.principal import Principal
from shared.database.kernel import audit_entries
from shared.log import request_id_var

_SECRET_WORDS = ("password", "token", "secret")


def redact(value: Any) -> Any:
    """Input as recorded in the trail: secrets replaced, unset fields left out, everything else kept."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {
            field.name: getattr(value, field.name)
            for field in dataclasses.fields(value)
            if getattr(value, field.name) is not UNSET
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {
            key: "[redacted]" if any(word in str(key).lower() for word in _SECRET_WORDS) else redact(item)
            for key, item in value.items()
            if item is not UNSET
        }
    if isinstance(value, list | tuple):
        return [redact(item) for item in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


async def record_audit(
    session: AsyncSession,
    actor: Principal,
    *,
    action: str,
    entity_type: str | None,
    entity_id: str | None,
    details: Mapping[str, Any] | None = None,
) -> None:
    await session.execute(
        insert(audit_entries).values(
            id=uuid.uuid4(),
            actor_user_id=actor.user_id,
            organization_id=actor.organization_id,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            request_id=request_id_var.get(),
            details=redact(details or {}),
        )
    )
