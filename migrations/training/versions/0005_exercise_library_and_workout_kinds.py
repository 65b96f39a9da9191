"""exercise library defaults, progression and alternatives; recovery and flexibility workouts; drill attempts;
template usage

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 17:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_KINDS = ("strength", "conditioning", "hybrid", "agility")
_NEW_KINDS = ("recovery", "flexibility")
_CHECKS = {
    "default_sets_range": "default_sets IS NULL OR default_sets BETWEEN 1 AND 20",
    "default_reps_range": "default_reps IS NULL OR default_reps BETWEEN 1 AND 200",
    "default_load_range": "default_load_kg IS NULL OR default_load_kg BETWEEN 0 AND 500",
    "default_seconds_range": "default_seconds IS NULL OR default_seconds BETWEEN 1 AND 3600",
    "default_meters_range": "default_meters IS NULL OR default_meters BETWEEN 1 AND 100000",
    "default_watts_range": "default_watts IS NULL OR default_watts BETWEEN 1 AND 2500",
    "default_rest_range": "default_rest_seconds IS NULL OR default_rest_seconds BETWEEN 0 AND 900",
    "progression_increment_has_unit": "(progression_increment IS NULL) = (progression_unit IS NULL)",
    "progression_increment_positive": "progression_increment IS NULL OR progression_increment > 0",
}


def upgrade() -> None:
    # New enum values may be added inside the migration's transaction (PostgreSQL 12+) as long as nothing
    # in the same transaction uses them.
    for kind in _NEW_KINDS:
        op.execute(f"ALTER TYPE workout_kind ADD VALUE IF NOT EXISTS '{kind}'")

    op.add_column("exercises", sa.Column("default_sets", sa.SmallInteger(), nullable=True))
    op.add_column("exercises", sa.Column("default_reps", sa.SmallInteger(), nullable=True))
    op.add_column("exercises", sa.Column("default_load_kg", sa.Numeric(precision=6, scale=2), nullable=True))
    op.add_column("exercises", sa.Column("default_seconds", sa.Integer(), nullable=True))
    op.add_column("exercises", sa.Column("default_meters", sa.Integer(), nullable=True))
    op.add_column("exercises", sa.Column("default_watts", sa.SmallInteger(), nullable=True))
    op.add_column("exercises", sa.Column("default_rest_seconds", sa.SmallInteger(), nullable=True))
    op.add_column("exercises", sa.Column("progression_increment", sa.Numeric(precision=7, scale=2), nullable=True))
    op.add_column(
        "exercises",
        sa.Column(
            "progression_unit",
            sa.Enum("reps", "seconds", "meters", "watts", "kilograms", name="exercise_unit", create_type=False),
            nullable=True,
        ),
    )
    op.add_column("exercises", sa.Column("progression_condition", sa.String(length=300), nullable=True))
    op.add_column("exercises", sa.Column("progression_notes", sa.Text(), nullable=True))
    for name, condition in _CHECKS.items():
        op.create_check_constraint(op.f(f"ck_exercises_{name}"), "exercises", condition)

    op.create_table(
        "exercise_alternatives",
        sa.Column("exercise_id", sa.Uuid(), nullable=False),
        sa.Column("alternative_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.CheckConstraint("exercise_id <> alternative_id", name=op.f("ck_exercise_alternatives_not_itself")),
        sa.CheckConstraint("position >= 0", name=op.f("ck_exercise_alternatives_position_not_negative")),
        sa.ForeignKeyConstraint(
            ["alternative_id"],
            ["exercises.id"],
            name=op.f("fk_exercise_alternatives_alternative_id_exercises"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["exercise_id"],
            ["exercises.id"],
            name=op.f("fk_exercise_alternatives_exercise_id_exercises"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("exercise_id", "alternative_id", name=op.f("pk_exercise_alternatives")),
    )
    op.create_index(
        op.f("ix_exercise_alternatives_alternative_id"), "exercise_alternatives", ["alternative_id"], unique=False
    )

    op.create_table(
        "performed_drill_attempts",
        sa.Column("player_workout_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("player_id", sa.Uuid(), nullable=False),
        sa.Column("drill_index", sa.SmallInteger(), nullable=False),
        sa.Column("drill_name", sa.String(length=120), nullable=False),
        sa.Column("target_seconds", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("allowed_errors", sa.SmallInteger(), nullable=True),
        sa.Column("attempt_number", sa.SmallInteger(), nullable=False),
        sa.Column("seconds", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("errors", sa.SmallInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("attempt_number >= 1", name=op.f("ck_performed_drill_attempts_attempt_number_positive")),
        sa.CheckConstraint("drill_index >= 0", name=op.f("ck_performed_drill_attempts_drill_index_not_negative")),
        sa.CheckConstraint("errors BETWEEN 0 AND 100", name=op.f("ck_performed_drill_attempts_errors_range")),
        sa.CheckConstraint("seconds > 0 AND seconds <= 600", name=op.f("ck_performed_drill_attempts_seconds_range")),
        sa.ForeignKeyConstraint(
            ["player_workout_id"],
            ["player_workouts.id"],
            name=op.f("fk_performed_drill_attempts_player_workout_id_player_workouts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_performed_drill_attempts")),
        sa.UniqueConstraint(
            "player_workout_id",
            "drill_index",
            "attempt_number",
            name=op.f("uq_performed_drill_attempts_player_workout_id_drill_ind_d63d"),
        ),
    )
    op.create_index(
        op.f("ix_performed_drill_attempts_player_workout_id"),
        "performed_drill_attempts",
        ["player_workout_id"],
        unique=False,
    )
    op.create_index(
        "ix_performed_drill_attempts_player_drill",
        "performed_drill_attempts",
        ["player_id", "drill_name"],
        unique=False,
    )

    op.add_column("workout_templates", sa.Column("usage_count", sa.Integer(), server_default="0", nullable=False))
    op.add_column("workout_templates", sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True))
    op.create_check_constraint(
        op.f("ck_workout_templates_usage_count_not_negative"), "workout_templates", "usage_count >= 0"
    )


def downgrade() -> None:
    op.drop_constraint(op.f("ck_workout_templates_usage_count_not_negative"), "workout_templates", type_="check")
    op.drop_column("workout_templates", "last_used_at")
    op.drop_column("workout_templates", "usage_count")

    op.drop_index("ix_performed_drill_attempts_player_drill", table_name="performed_drill_attempts")
    op.drop_index(op.f("ix_performed_drill_attempts_player_workout_id"), table_name="performed_drill_attempts")
    op.drop_table("performed_drill_attempts")
    op.drop_index(op.f("ix_exercise_alternatives_alternative_id"), table_name="exercise_alternatives")
    op.drop_table("exercise_alternatives")
    for name in _CHECKS:
        op.drop_constraint(op.f(f"ck_exercises_{name}"), "exercises", type_="check")
    for column in (
        "progression_notes",
        "progression_condition",
        "progression_unit",
        "progression_increment",
        "default_rest_seconds",
        "default_watts",
        "default_meters",
        "default_seconds",
        "default_load_kg",
        "default_reps",
        "default_sets",
    ):
        op.drop_column("exercises", column)

    # PostgreSQL cannot drop an enum value: the type is rebuilt without the new kinds, whose workouts and
    # templates cannot be kept.
    kinds = ", ".join(f"'{kind}'" for kind in _NEW_KINDS)
    op.execute(f"DELETE FROM workout_templates WHERE kind::text IN ({kinds})")
    op.execute(f"DELETE FROM workouts WHERE kind::text IN ({kinds})")
    op.execute("ALTER TYPE workout_kind RENAME TO workout_kind_0005")
    op.execute(f"CREATE TYPE workout_kind AS ENUM ({', '.join(repr(kind) for kind in _OLD_KINDS)})")
    for table in ("workouts", "workout_templates"):
        op.execute(f"ALTER TABLE {table} ALTER COLUMN kind TYPE workout_kind USING kind::text::workout_kind")
    op.execute("DROP TYPE workout_kind_0005")
