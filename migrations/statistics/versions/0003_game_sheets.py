"""game sheets (goals, penalties, team numbers), fuller stat lines, and stored reports

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 17:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.database.migrations import drop_enum_types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SKATER_COUNTS = (
    "missed_shots",
    "blocked_attempts",
    "blocks",
    "hits",
    "faceoff_wins",
    "faceoff_losses",
    "power_play_goals",
    "shorthanded_goals",
)
_SIDE = sa.Enum("team", "opponent", name="game_side")
# The penalties table shares the type the goals table creates.
_SIDE_EXISTING = postgresql.ENUM("team", "opponent", name="game_side", create_type=False)


def upgrade() -> None:
    op.add_column("games", sa.Column("sheet_recorded_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("player_game_stats", sa.Column("jersey_number", sa.SmallInteger(), nullable=True))
    for name in _SKATER_COUNTS:
        op.add_column(
            "player_game_stats", sa.Column(name, sa.SmallInteger(), server_default=sa.text("0"), nullable=False)
        )
    op.create_check_constraint(
        op.f("ck_player_game_stats_sheet_counts_not_negative"),
        "player_game_stats",
        "missed_shots >= 0 AND blocked_attempts >= 0 AND blocks >= 0 AND hits >= 0 "
        "AND faceoff_wins >= 0 AND faceoff_losses >= 0",
    )
    op.create_check_constraint(
        op.f("ck_player_game_stats_special_team_goals_within_goals"),
        "player_game_stats",
        "power_play_goals >= 0 AND shorthanded_goals >= 0 AND power_play_goals + shorthanded_goals <= goals",
    )
    op.add_column("goalie_game_stats", sa.Column("jersey_number", sa.SmallInteger(), nullable=True))

    op.create_table(
        "game_goals",
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("game_id", sa.Uuid(), nullable=False),
        sa.Column("sequence", sa.SmallInteger(), nullable=False),
        sa.Column("side", _SIDE, nullable=False),
        sa.Column("period", sa.SmallInteger(), nullable=False),
        sa.Column("period_seconds", sa.SmallInteger(), nullable=False),
        sa.Column(
            "strength",
            sa.Enum("even", "power_play", "shorthanded", "empty_net", name="goal_strength"),
            nullable=False,
        ),
        sa.Column("scorer_id", sa.Uuid(), nullable=True),
        sa.Column("primary_assist_id", sa.Uuid(), nullable=True),
        sa.Column("secondary_assist_id", sa.Uuid(), nullable=True),
        sa.Column("on_ice", sa.ARRAY(sa.Uuid()), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("period BETWEEN 1 AND 4 AND period_seconds >= 0", name=op.f("ck_game_goals_time_in_game")),
        sa.CheckConstraint("side = 'team' OR scorer_id IS NULL", name=op.f("ck_game_goals_opponent_scorer_untracked")),
        sa.ForeignKeyConstraint(
            ["game_id"], ["games.id"], name=op.f("fk_game_goals_game_id_games"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_game_goals")),
        sa.UniqueConstraint("game_id", "sequence", name=op.f("uq_game_goals_game_id_sequence")),
    )
    op.create_table(
        "game_penalties",
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("game_id", sa.Uuid(), nullable=False),
        sa.Column("sequence", sa.SmallInteger(), nullable=False),
        sa.Column("side", _SIDE_EXISTING, nullable=False),
        sa.Column("player_id", sa.Uuid(), nullable=True),
        sa.Column("minutes", sa.SmallInteger(), nullable=False),
        sa.Column("infraction", sa.String(length=60), nullable=False),
        sa.Column("period", sa.SmallInteger(), nullable=False),
        sa.Column("period_seconds", sa.SmallInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("minutes > 0", name=op.f("ck_game_penalties_minutes_positive")),
        sa.CheckConstraint(
            "period BETWEEN 1 AND 4 AND period_seconds >= 0", name=op.f("ck_game_penalties_time_in_game")
        ),
        sa.ForeignKeyConstraint(
            ["game_id"], ["games.id"], name=op.f("fk_game_penalties_game_id_games"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_game_penalties")),
        sa.UniqueConstraint("game_id", "sequence", name=op.f("uq_game_penalties_game_id_sequence")),
    )
    op.create_table(
        "game_team_stats",
        sa.Column("game_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        *(
            sa.Column(name, sa.SmallInteger(), nullable=False)
            for name in (
                "shots_for",
                "shots_against",
                "missed_for",
                "missed_against",
                "blocked_for",
                "blocked_against",
                "power_play_goals",
                "power_play_opportunities",
                "power_play_goals_against",
                "times_shorthanded",
                "faceoff_wins",
                "faceoff_losses",
                "penalty_minutes",
            )
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "shots_for >= 0 AND shots_against >= 0 AND missed_for >= 0 AND missed_against >= 0 "
            "AND blocked_for >= 0 AND blocked_against >= 0",
            name=op.f("ck_game_team_stats_attempts_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["game_id"], ["games.id"], name=op.f("fk_game_team_stats_game_id_games"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("game_id", name=op.f("pk_game_team_stats")),
    )
    op.create_table(
        "reports",
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.Enum("player", "team", name="report_kind"), nullable=False),
        sa.Column("format", sa.Enum("pdf", "csv", name="report_format"), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("season_id", sa.Uuid(), nullable=False),
        sa.Column("week_of", sa.Date(), nullable=True),
        sa.Column("includes_training_load", sa.Boolean(), nullable=False),
        sa.Column("requested_by", sa.Uuid(), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
        sa.UniqueConstraint(
            "kind",
            "subject_id",
            "season_id",
            "format",
            "week_of",
            name=op.f("uq_reports_kind_subject_id_season_id_format_week_of"),
        ),
    )
    op.create_index("ix_reports_organization_id_created_at", "reports", ["organization_id", "created_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_reports_organization_id_created_at", table_name="reports")
    op.drop_table("reports")
    op.drop_table("game_team_stats")
    op.drop_table("game_penalties")
    op.drop_table("game_goals")
    op.drop_column("goalie_game_stats", "jersey_number")
    op.drop_constraint(op.f("ck_player_game_stats_special_team_goals_within_goals"), "player_game_stats")
    op.drop_constraint(op.f("ck_player_game_stats_sheet_counts_not_negative"), "player_game_stats")
    for name in reversed(_SKATER_COUNTS):
        op.drop_column("player_game_stats", name)
    op.drop_column("player_game_stats", "jersey_number")
    op.drop_column("games", "sheet_recorded_at")
    drop_enum_types("report_kind", "report_format", "goal_strength", "game_side")
