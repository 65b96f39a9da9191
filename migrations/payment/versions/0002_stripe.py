"""stripe webhooks (processed events, the provider's time of a subscription's state); team fees with the
roster copy they are billed from

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 18:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.database.migrations import drop_enum_types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stripe_events",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("type", sa.String(length=120), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stripe_events")),
    )
    op.add_column("subscriptions", sa.Column("provider_state_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "roster_players",
        sa.Column("player_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("source_occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("player_id", name=op.f("pk_roster_players")),
    )
    op.create_index(op.f("ix_roster_players_organization_id"), "roster_players", ["organization_id"], unique=False)
    op.create_index("ix_roster_players_team_active", "roster_players", ["team_id", "is_active"], unique=False)
    op.create_table(
        "team_fees",
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("player_id", sa.Uuid(), nullable=False),
        sa.Column("season", sa.String(length=40), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.Enum("open", "paid", "void", name="team_fee_status"), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_team_fees_amount_positive")),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_team_fees_currency_iso")),
        sa.CheckConstraint("(status = 'paid') = (paid_at IS NOT NULL)", name=op.f("ck_team_fees_paid_when_paid_at")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_fees")),
        sa.UniqueConstraint("team_id", "season", "player_id", name=op.f("uq_team_fees_team_id_season_player_id")),
    )
    op.create_index(op.f("ix_team_fees_player_id"), "team_fees", ["player_id"], unique=False)
    op.create_index("ix_team_fees_organization_id_due_date", "team_fees", ["organization_id", "due_date"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_team_fees_organization_id_due_date", table_name="team_fees")
    op.drop_index(op.f("ix_team_fees_player_id"), table_name="team_fees")
    op.drop_table("team_fees")
    op.drop_index("ix_roster_players_team_active", table_name="roster_players")
    op.drop_index(op.f("ix_roster_players_organization_id"), table_name="roster_players")
    op.drop_table("roster_players")
    drop_enum_types("team_fee_status")
    op.drop_column("subscriptions", "provider_state_at")
    op.drop_table("stripe_events")
