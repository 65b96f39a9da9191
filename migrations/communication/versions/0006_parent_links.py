"""a copy of who is a parent of which player, for the team schedule notices parents get

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 21:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "parent_links",
        sa.Column("parent_user_id", sa.Uuid(), nullable=False),
        sa.Column("player_id", sa.Uuid(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("source_occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("parent_user_id", "player_id", name=op.f("pk_parent_links")),
    )
    op.create_index(op.f("ix_parent_links_player_id"), "parent_links", ["player_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_parent_links_player_id"), table_name="parent_links")
    op.drop_table("parent_links")
