"""compliance, override requests, assignment series, position and line targets, planning copies

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 17:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.database.migrations import drop_enum_types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEVERITY = sa.Enum("mild", "moderate", "severe", "complete", name="restriction_severity")
COMPLIANCE = sa.Enum("compliant", "partially_compliant", "exempt", "not_compliant", name="workout_compliance")
OVERRIDE_STATUS = sa.Enum("pending", "approved", "rejected", name="override_status")


def upgrade() -> None:
    bind = op.get_bind()
    SEVERITY.create(bind)
    COMPLIANCE.create(bind)
    # Copies written before severities were published: injuries and rest orders allow nothing; the rest
    # held back as MODERATE does.
    op.add_column("player_restrictions", sa.Column("severity", SEVERITY, nullable=False, server_default="moderate"))
    op.execute("UPDATE player_restrictions SET severity = 'complete' WHERE kind IN ('rest', 'unavailable')")
    op.alter_column("player_restrictions", "severity", server_default=None)

    op.add_column("player_workouts", sa.Column("compliance", COMPLIANCE, nullable=False, server_default="compliant"))
    op.add_column(
        "player_workouts",
        sa.Column("load_factor", sa.Numeric(precision=3, scale=2), nullable=False, server_default="1.00"),
    )
    op.add_column(
        "player_workouts",
        sa.Column("rest_factor", sa.Numeric(precision=3, scale=2), nullable=False, server_default="1.00"),
    )
    op.add_column(
        "player_workouts",
        sa.Column(
            "adaptation", postgresql.JSONB(astext_type=sa.Text()), nullable=False, server_default=sa.text("'{}'")
        ),
    )
    for column in ("compliance", "load_factor", "rest_factor", "adaptation"):
        op.alter_column("player_workouts", column, server_default=None)

    op.add_column("workout_assignments", sa.Column("series_id", sa.Uuid(), nullable=True))
    op.add_column("workout_assignments", sa.Column("target_position", sa.String(length=20), nullable=True))
    op.add_column("workout_assignments", sa.Column("target_line_type", sa.String(length=20), nullable=True))
    op.add_column("workout_assignments", sa.Column("target_line_unit", sa.SmallInteger(), nullable=True))
    op.create_index(op.f("ix_workout_assignments_series_id"), "workout_assignments", ["series_id"], unique=False)

    op.create_table(
        "restriction_override_requests",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("player_workout_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("player_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("requested_by", sa.Uuid(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", OVERRIDE_STATUS, nullable=False),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "(status = 'pending') = (decided_at IS NULL)",
            name=op.f("ck_restriction_override_requests_decided_has_time"),
        ),
        sa.ForeignKeyConstraint(
            ["player_workout_id"],
            ["player_workouts.id"],
            name=op.f("fk_restriction_override_requests_player_workout_id_player_workouts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_restriction_override_requests")),
        sa.UniqueConstraint("player_workout_id", name=op.f("uq_restriction_override_requests_player_workout_id")),
    )
    op.create_index(
        "ix_restriction_override_requests_org_status",
        "restriction_override_requests",
        ["organization_id", "status"],
        unique=False,
    )
    op.create_table(
        "player_positions",
        sa.Column("player_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.String(length=20), nullable=False),
        sa.Column("source_occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("player_id", name=op.f("pk_player_positions")),
    )

    op.create_table(
        "planned_phases",
        sa.Column("phase_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.Column("source_occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("phase_id", name=op.f("pk_planned_phases")),
    )
    op.create_table(
        "planned_blocks",
        sa.Column("block_id", sa.Uuid(), nullable=False),
        sa.Column("phase_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("intensity", sa.String(length=20), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["phase_id"],
            ["planned_phases.phase_id"],
            name=op.f("fk_planned_blocks_phase_id_planned_phases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("block_id", name=op.f("pk_planned_blocks")),
    )
    op.create_index(op.f("ix_planned_blocks_phase_id"), "planned_blocks", ["phase_id"], unique=False)
    op.create_index(
        "ix_planned_blocks_organization_dates",
        "planned_blocks",
        ["organization_id", "start_date", "end_date"],
        unique=False,
    )
    op.create_table(
        "team_lineups",
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("line_type", sa.String(length=20), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("game_plan_id", sa.Uuid(), nullable=False),
        sa.Column("game_date", sa.Date(), nullable=False),
        sa.Column("slots", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("source_occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "line_type", name=op.f("pk_team_lineups")),
    )


def downgrade() -> None:
    op.drop_table("team_lineups")
    op.drop_index("ix_planned_blocks_organization_dates", table_name="planned_blocks")
    op.drop_index(op.f("ix_planned_blocks_phase_id"), table_name="planned_blocks")
    op.drop_table("planned_blocks")
    op.drop_table("planned_phases")
    op.drop_table("player_positions")
    op.drop_index("ix_restriction_override_requests_org_status", table_name="restriction_override_requests")
    op.drop_table("restriction_override_requests")
    op.drop_index(op.f("ix_workout_assignments_series_id"), table_name="workout_assignments")
    op.drop_column("workout_assignments", "target_line_unit")
    op.drop_column("workout_assignments", "target_line_type")
    op.drop_column("workout_assignments", "target_position")
    op.drop_column("workout_assignments", "series_id")
    for column in ("adaptation", "rest_factor", "load_factor", "compliance"):
        op.drop_column("player_workouts", column)
    op.drop_column("player_restrictions", "severity")
    drop_enum_types("override_status", "workout_compliance", "restriction_severity")
