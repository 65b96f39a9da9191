"""health data protection: encrypted columns, an append-only access log, availability history,
return to play, wellness check-ins, injury documents and reports

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 17:30:00.000000

Values written before this revision stay plaintext until `hockey-hub keys reencrypt-health-data`
encrypts them (reads accept both meanwhile); a migration cannot know the service's keys.
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

ACTION = postgresql.ENUM("read", "write", "export", name="health_data_action", create_type=False)
AVAILABILITY = postgresql.ENUM(
    "available", "limited", "load_management", "injured", "ill", name="availability_status", create_type=False
)
PHASE = postgresql.ENUM(
    "rest",
    "light_activity",
    "sport_specific",
    "non_contact_training",
    "full_contact_practice",
    "game_clearance",
    name="return_to_play_phase",
    create_type=False,
)
DOCUMENT_KIND = postgresql.ENUM(
    "imaging", "medical_report", "referral", "clearance", "other", name="document_kind", create_type=False
)
BODY_PART = postgresql.ENUM(name="body_part", create_type=False)

APPEND_ONLY_FUNCTION = """
CREATE FUNCTION health_data_access_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the health-data access log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$
"""
APPEND_ONLY_TRIGGER = """
CREATE TRIGGER health_data_access_append_only BEFORE UPDATE OR DELETE ON health_data_access
    FOR EACH ROW EXECUTE FUNCTION health_data_access_append_only()
"""


def upgrade() -> None:
    bind = op.get_bind()
    for kind in (ACTION, AVAILABILITY, PHASE, DOCUMENT_KIND):
        kind.create(bind)  # explicitly, once: two tables share some of them

    # Fernet tokens are longer than the text they hold: no length limits on encrypted columns.
    op.alter_column("injuries", "diagnosis", type_=sa.Text(), existing_nullable=False)
    op.alter_column("injury_treatments", "provider", type_=sa.Text(), existing_nullable=True)

    op.add_column("health_data_access", sa.Column("action", ACTION, server_default="read", nullable=False))
    op.add_column(
        "health_data_access",
        sa.Column("fields", sa.ARRAY(sa.String(length=60)), server_default=sa.text("'{}'"), nullable=False),
    )
    op.create_index(
        op.f("ix_health_data_access_organization_id"), "health_data_access", ["organization_id"], unique=False
    )
    # The API offers no way to change the log; this refuses it to anyone with SQL access short of a
    # superuser who drops the trigger (TRUNCATE, used by the tests between cases, is not row-level).
    op.execute(APPEND_ONLY_FUNCTION)
    op.execute(APPEND_ONLY_TRIGGER)

    op.create_table(
        "availability_changes",
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("player_id", sa.Uuid(), nullable=False),
        sa.Column("status", AVAILABILITY, nullable=False),
        sa.Column("previous_status", AVAILABILITY, nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("changed_by", sa.Uuid(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_availability_changes")),
    )
    op.create_index(
        "ix_availability_changes_player_changed", "availability_changes", ["player_id", "changed_at"], unique=False
    )
    op.create_index(
        op.f("ix_availability_changes_organization_id"), "availability_changes", ["organization_id"], unique=False
    )

    op.create_table(
        "return_to_play_protocols",
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("player_id", sa.Uuid(), nullable=False),
        sa.Column("injury_id", sa.Uuid(), nullable=False),
        sa.Column("phase", PHASE, nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_by", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["injury_id"],
            ["injuries.id"],
            name=op.f("fk_return_to_play_protocols_injury_id_injuries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_to_play_protocols")),
    )
    op.create_index(
        op.f("ix_return_to_play_protocols_organization_id"),
        "return_to_play_protocols",
        ["organization_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_return_to_play_protocols_player_id"), "return_to_play_protocols", ["player_id"], unique=False
    )
    op.create_index(
        "uq_return_to_play_protocols_open_injury",
        "return_to_play_protocols",
        ["injury_id"],
        unique=True,
        postgresql_where=sa.text("completed_at IS NULL"),
    )

    op.create_table(
        "return_to_play_steps",
        sa.Column("protocol_id", sa.Uuid(), nullable=False),
        sa.Column("phase", PHASE, nullable=False),
        sa.Column("cleared_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("cleared_by", sa.Uuid(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["protocol_id"],
            ["return_to_play_protocols.id"],
            name=op.f("fk_return_to_play_steps_protocol_id_return_to_play_protocols"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_to_play_steps")),
        sa.UniqueConstraint("protocol_id", "phase", name=op.f("uq_return_to_play_steps_protocol_id_phase")),
    )

    op.add_column("restrictions", sa.Column("return_to_play_id", sa.Uuid(), nullable=True))
    op.create_index(op.f("ix_restrictions_return_to_play_id"), "restrictions", ["return_to_play_id"], unique=False)
    op.create_foreign_key(
        op.f("fk_restrictions_return_to_play_id_return_to_play_protocols"),
        "restrictions",
        "return_to_play_protocols",
        ["return_to_play_id"],
        ["id"],
        ondelete="SET NULL",
    )

    op.create_table(
        "wellness_check_ins",
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("player_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("sleep_hours", sa.Numeric(precision=3, scale=1), nullable=False),
        sa.Column("sleep_quality", sa.SmallInteger(), nullable=False),
        sa.Column("energy", sa.SmallInteger(), nullable=False),
        sa.Column("stress", sa.SmallInteger(), nullable=False),
        sa.Column("soreness", sa.SmallInteger(), nullable=False),
        sa.Column("mood", sa.SmallInteger(), nullable=False),
        sa.Column("resting_heart_rate", sa.SmallInteger(), nullable=True),
        sa.Column("hrv_ms", sa.SmallInteger(), nullable=True),
        sa.Column("pain_areas", sa.ARRAY(BODY_PART), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("sleep_hours BETWEEN 0 AND 24", name=op.f("ck_wellness_check_ins_sleep_hours")),
        sa.CheckConstraint(
            "sleep_quality BETWEEN 1 AND 10 AND energy BETWEEN 1 AND 10 AND stress BETWEEN 1 AND 10 "
            "AND soreness BETWEEN 1 AND 10 AND mood BETWEEN 1 AND 10",
            name=op.f("ck_wellness_check_ins_scales"),
        ),
        sa.CheckConstraint(
            "resting_heart_rate IS NULL OR resting_heart_rate BETWEEN 20 AND 250",
            name=op.f("ck_wellness_check_ins_heart_rate"),
        ),
        sa.CheckConstraint("hrv_ms IS NULL OR hrv_ms BETWEEN 1 AND 500", name=op.f("ck_wellness_check_ins_hrv")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wellness_check_ins")),
        sa.UniqueConstraint("player_id", "day", name=op.f("uq_wellness_check_ins_player_id_day")),
    )
    op.create_index(
        op.f("ix_wellness_check_ins_organization_id"), "wellness_check_ins", ["organization_id"], unique=False
    )
    op.create_index("ix_wellness_check_ins_team_day", "wellness_check_ins", ["team_id", "day"], unique=False)

    op.create_table(
        "injury_documents",
        sa.Column("injury_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("kind", DOCUMENT_KIND, nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("uploaded_by", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("size_bytes >= 0", name=op.f("ck_injury_documents_size")),
        sa.ForeignKeyConstraint(
            ["injury_id"], ["injuries.id"], name=op.f("fk_injury_documents_injury_id_injuries"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_injury_documents")),
    )
    op.create_index(op.f("ix_injury_documents_injury_id"), "injury_documents", ["injury_id"], unique=False)

    op.create_table(
        "injury_reports",
        sa.Column("injury_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("written_on", sa.Date(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("written_by", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["injury_id"], ["injuries.id"], name=op.f("fk_injury_reports_injury_id_injuries"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_injury_reports")),
    )
    op.create_index(op.f("ix_injury_reports_injury_id"), "injury_reports", ["injury_id"], unique=False)


def downgrade() -> None:
    op.drop_table("injury_reports")
    op.drop_table("injury_documents")
    op.drop_table("wellness_check_ins")
    op.drop_constraint(
        op.f("fk_restrictions_return_to_play_id_return_to_play_protocols"), "restrictions", type_="foreignkey"
    )
    op.drop_index(op.f("ix_restrictions_return_to_play_id"), table_name="restrictions")
    op.drop_column("restrictions", "return_to_play_id")
    op.drop_table("return_to_play_steps")
    op.drop_table("return_to_play_protocols")
    op.drop_table("availability_changes")
    op.execute("DROP TRIGGER health_data_access_append_only ON health_data_access")
    op.execute("DROP FUNCTION health_data_access_append_only()")
    op.drop_index(op.f("ix_health_data_access_organization_id"), table_name="health_data_access")
    op.drop_column("health_data_access", "fields")
    op.drop_column("health_data_access", "action")
    # Fails rather than cut a token short while values are still encrypted: decrypt them first.
    op.alter_column("injury_treatments", "provider", type_=sa.String(length=200), existing_nullable=True)
    op.alter_column("injuries", "diagnosis", type_=sa.String(length=300), existing_nullable=False)
    drop_enum_types("document_kind", "return_to_play_phase", "availability_status", "health_data_action")
