"""PostgreSQL for every service: embedded by default, a server when configured."""

from shared.database.engine import create_engine, create_sessionmaker, database_url, ensure_database
from shared.database.models import (
    NAMING_CONVENTION,
    TYPE_ANNOTATION_MAP,
    IdMixin,
    TimestampMixin,
    new_metadata,
    pg_enum,
    utcnow,
)

__all__ = [
    "NAMING_CONVENTION",
    "TYPE_ANNOTATION_MAP",
    "IdMixin",
    "TimestampMixin",
    "create_engine",
    "create_sessionmaker",
    "database_url",
    "ensure_database",
    "new_metadata",
    "pg_enum",
    "utcnow",
]
