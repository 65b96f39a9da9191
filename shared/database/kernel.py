"""Tables every service database has besides its domain tables: outbox, processed events, audit trail.

They are defined once here and copied into each subgraph's MetaData, so each service's migrations
create them in its own database and the shared code can address them by the same Table objects.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from shared.database.models import new_metadata

kernel_metadata = new_metadata()

outbox_events = Table(
    "outbox_events",
    kernel_metadata,
    # seq orders delivery; id is the event's identity that consumers deduplicate on.
    Column("seq", BigInteger, Identity(), primary_key=True),
    Column("id", Uuid, nullable=False, unique=True),
    Column("type", String(120), nullable=False),
    Column("producer", String(40), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("organization_id", Uuid, nullable=True),
    Column("data", JSONB, nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=True),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("last_error", Text, nullable=True),
    Index("ix_outbox_events_pending", "seq", postgresql_where=text("published_at IS NULL")),
)

processed_events = Table(
    "processed_events",
    kernel_metadata,
    Column("event_id", Uuid, primary_key=True),
    Column("event_type", String(120), nullable=False),
    Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

audit_entries = Table(
    "audit_entries",
    kernel_metadata,
    Column("id", Uuid, primary_key=True),
    Column("occurred_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("actor_user_id", Uuid, nullable=True),
    Column("organization_id", Uuid, nullable=True),
    Column("action", String(120), nullable=False),
    Column("entity_type", String(120), nullable=True),
    Column("entity_id", String(120), nullable=True),
    Column("request_id", String(64), nullable=True),
    Column("details", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Index("ix_audit_entries_entity", "entity_type", "entity_id"),
    Index("ix_audit_entries_actor_user_id", "actor_user_id"),
    Index("ix_audit_entries_occurred_at", "occurred_at"),
)


def include_kernel_tables(metadata: MetaData) -> None:
    """Copy the kernel tables into a subgraph's MetaData so its migrations create them."""
    for table in kernel_metadata.tables.values():
        table.to_metadata(metadata)
