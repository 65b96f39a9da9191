"""player unavailability and the roster copy

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 13:55:00.000000
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
        "player_unavailability",
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("player_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.Enum("injury", "rest_order", name="unavailability_reason"), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("available_from", sa.Date(), nullable=True),
        sa.Column("source_occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("source_id", name=op.f("pk_player_unavailability")),
    )
    op.create_index(
        "ix_player_unavailability_player_id_starts_on",
        "player_unavailability",
        ["player_id", "starts_on"],
        unique=False,
    )
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


def downgrade() -> None:
    op.drop_index("ix_roster_players_team_active", table_name="roster_players")
    op.drop_index(op.f("ix_roster_players_organization_id"), table_name="roster_players")
    op.drop_table("roster_players")
    op.drop_index("ix_player_unavailability_player_id_starts_on", table_name="player_unavailability")
    op.drop_table("player_unavailability")
    drop_enum_types("unavailability_reason")
