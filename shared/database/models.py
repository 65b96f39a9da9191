"""What every subgraph's models share: stable constraint names, UTC timestamps, uuid keys, PG enums."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, Enum, MetaData, func
from sqlalchemy.orm import Mapped, mapped_column

# Alembic emits these names, so migrations and models agree on every constraint's name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

TYPE_ANNOTATION_MAP: dict[Any, Any] = {datetime: DateTime(timezone=True)}
"""Every `datetime` column is timezone-aware: instants are stored in UTC, never as local wall time."""


def new_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


def pg_enum(kind: type[StrEnum], name: str) -> Enum:
    """A native PostgreSQL enum storing the members' values (lowercase), as clients' inputs name them."""
    return Enum(kind, name=name, values_callable=lambda members: [member.value for member in members])


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow, onupdate=utcnow)
