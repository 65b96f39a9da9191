"""email and push deliveries count their attempts, wait longer after each failure and are given up;
pushes of urgent alerts are marked so

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("email_deliveries", "push_deliveries")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False))
        op.add_column(table, sa.Column("last_error", sa.String(length=500), nullable=True))
        op.add_column(table, sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("push_deliveries", sa.Column("urgent", sa.Boolean(), server_default=sa.text("false"), nullable=False))


def downgrade() -> None:
    op.drop_column("push_deliveries", "urgent")
    for table in TABLES:
        op.drop_column(table, "failed_at")
        op.drop_column(table, "last_error")
        op.drop_column(table, "attempts")
