"""team fees invoiced through Stripe: the fee's Stripe invoice and its state, and who pays for a player
(payers and their links, copied from the user service's events)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("team_fees", sa.Column("payer_user_id", sa.Uuid(), nullable=True))
    op.add_column("team_fees", sa.Column("external_invoice_id", sa.String(length=120), nullable=True))
    op.add_column("team_fees", sa.Column("invoice_number", sa.String(length=40), nullable=True))
    op.add_column("team_fees", sa.Column("hosted_invoice_url", sa.Text(), nullable=True))
    op.add_column("team_fees", sa.Column("provider_status", sa.String(length=20), nullable=True))
    op.add_column("team_fees", sa.Column("payment_failed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("team_fees", sa.Column("payment_failure", sa.String(length=300), nullable=True))
    op.add_column("team_fees", sa.Column("provider_state_at", sa.DateTime(timezone=True), nullable=True))
    op.create_unique_constraint(op.f("uq_team_fees_external_invoice_id"), "team_fees", ["external_invoice_id"])
    op.create_table(
        "payers",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("name", sa.String(length=201), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("source_occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("external_customer_id", sa.String(length=120), nullable=True),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_payers")),
        sa.UniqueConstraint("external_customer_id", name=op.f("uq_payers_external_customer_id")),
    )
    op.create_index(op.f("ix_payers_organization_id"), "payers", ["organization_id"], unique=False)
    op.create_table(
        "payer_links",
        sa.Column("player_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("is_parent", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("source_occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("player_id", "user_id", name=op.f("pk_payer_links")),
    )


def downgrade() -> None:
    op.drop_table("payer_links")
    op.drop_index(op.f("ix_payers_organization_id"), table_name="payers")
    op.drop_table("payers")
    op.drop_constraint(op.f("uq_team_fees_external_invoice_id"), "team_fees", type_="unique")
    for column in (
        "provider_state_at",
        "payment_failure",
        "payment_failed_at",
        "provider_status",
        "hosted_invoice_url",
        "invoice_number",
        "external_invoice_id",
        "payer_user_id",
    ):
        op.drop_column("team_fees", column)
