"""restriction severity

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 17:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.database.migrations import drop_enum_types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEVERITY = sa.Enum("mild", "moderate", "severe", "complete", name="restriction_severity")


def upgrade() -> None:
    SEVERITY.create(op.get_bind())
    # Restrictions recorded before severities existed held back as MODERATE does (REST: COMPLETE).
    op.add_column("restrictions", sa.Column("severity", SEVERITY, nullable=False, server_default="moderate"))
    op.execute("UPDATE restrictions SET severity = 'complete' WHERE kind = 'rest'")
    op.alter_column("restrictions", "severity", server_default=None)


def downgrade() -> None:
    op.drop_column("restrictions", "severity")
    drop_enum_types("restriction_severity")
