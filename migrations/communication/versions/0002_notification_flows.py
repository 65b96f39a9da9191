"""who to notify about a team, and what injuries and calendar events were announced

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_event_notices",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("attendee_user_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("source_occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_calendar_event_notices")),
    )
    op.create_table(
        "injury_notices",
        sa.Column("injury_id", sa.Uuid(), nullable=False),
        sa.Column("player_id", sa.Uuid(), nullable=False),
        sa.Column("announced", sa.String(length=40), nullable=False),
        sa.Column("source_occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("injury_id", name=op.f("pk_injury_notices")),
    )
    op.create_table(
        "player_accounts",
        sa.Column("player_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("source_occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("player_id", name=op.f("pk_player_accounts")),
    )
    op.create_table(
        "team_staff_members",
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("source_occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "user_id", name=op.f("pk_team_staff_members")),
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
    op.drop_table("team_staff_members")
    op.drop_table("player_accounts")
    op.drop_table("injury_notices")
    op.drop_table("calendar_event_notices")
