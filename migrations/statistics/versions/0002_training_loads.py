"""training loads and the roster copy

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
        "training_loads",
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("player_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("workout_id", sa.Uuid(), nullable=True),
        sa.Column("workout_kind", sa.String(length=40), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("minutes", sa.SmallInteger(), nullable=False),
        sa.Column("rpe", sa.SmallInteger(), nullable=True),
        sa.Column("load", sa.Integer(), nullable=False),
        sa.Column("source", sa.Enum("session_rpe", "estimated", name="load_source"), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("load >= 0", name=op.f("ck_training_loads_load_not_negative")),
        sa.CheckConstraint("minutes > 0", name=op.f("ck_training_loads_minutes_positive")),
        sa.CheckConstraint("rpe IS NULL OR rpe BETWEEN 1 AND 10", name=op.f("ck_training_loads_rpe_in_scale")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_loads")),
        sa.UniqueConstraint("event_id", name=op.f("uq_training_loads_event_id")),
    )
    op.create_index(
        "ix_training_loads_player_id_completed_on", "training_loads", ["player_id", "completed_on"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_training_loads_player_id_completed_on", table_name="training_loads")
    op.drop_table("training_loads")
    op.drop_index("ix_roster_players_team_active", table_name="roster_players")
    op.drop_index(op.f("ix_roster_players_organization_id"), table_name="roster_players")
    op.drop_table("roster_players")
    drop_enum_types("load_source")
