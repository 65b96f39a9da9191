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


def given_fields(arguments: Mapping[str, Any]) -> list[str]:
    """The names, never the values, of the arguments and input fields a mutation was given, in order.

    For the trail of mutations whose values must stay out of it (health data): `input.diagnosis` is a
    field of an input object, `input.sets[].reps` one of a list of them; unset fields are left out, an
    explicit null is given.
    """
    names: dict[str, None] = {}
    for name, value in arguments.items():
        _collect_names(name, value, names)
    return list(names)


def _is_input_object(value: Any) -> bool:
    return dataclasses.is_dataclass(value) and not isinstance(value, type)


def _collect_names(path: str, value: Any, names: dict[str, None]) -> None:
    if value is UNSET:
        return
    if _is_input_object(value):
        fields = [field.name for field in dataclasses.fields(value) if getattr(value, field.name) is not UNSET]
        if not fields:
            names[path] = None
        for name in fields:
            _collect_names(f"{path}.{name}", getattr(value, name), names)
        return
    if isinstance(value, list | tuple) and any(_is_input_object(item) for item in value):
        for item in value:
            _collect_names(f"{path}[]", item, names)
        return
    # A scalar, a list of scalars, or a JSON value: its keys can be data too, so only its name is kept.
    names[path] = None


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
