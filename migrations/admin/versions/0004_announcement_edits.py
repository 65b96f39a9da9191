"""system announcements can be edited and withdrawn

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 20:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("system_announcements", sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("system_announcements", sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("system_announcements", sa.Column("withdrawn_by_user_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    op.drop_column("system_announcements", "withdrawn_by_user_id")
    op.drop_column("system_announcements", "withdrawn_at")
    op.drop_column("system_announcements", "updated_at")
