"""message edits, deletes, reactions, pins, mentions, attachments and read receipts; broadcasts and
urgent medical alerts; notification preferences and email delivery; parent-coach channels and meetings

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 18:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("conversation_participants", sa.Column("last_read_message_id", sa.Uuid(), nullable=True))
    op.add_column("messages", sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("messages", sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("messages", sa.Column("deleted_by_user_id", sa.Uuid(), nullable=True))
    op.add_column("messages", sa.Column("pinned_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("messages", sa.Column("pinned_by_user_id", sa.Uuid(), nullable=True))
    op.add_column(
        "messages",
        sa.Column(
            "mentioned_user_ids",
            postgresql.ARRAY(sa.Uuid()),
            server_default=sa.text("'{}'::uuid[]"),
            nullable=False,
        ),
    )
    op.create_table(
        "message_reactions",
        sa.Column("message_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("emoji", sa.String(length=32), nullable=False),
        sa.Column("reacted_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_message_reactions_message_id_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("message_id", "user_id", "emoji", name=op.f("pk_message_reactions")),
    )
    op.create_table(
        "message_attachments",
        sa.Column("message_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=127), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("size_bytes BETWEEN 1 AND 104857600", name=op.f("ck_message_attachments_size_range")),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_message_attachments_message_id_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_attachments")),
        sa.UniqueConstraint("message_id", "position", name=op.f("uq_message_attachments_message_id_position")),
    )
    op.create_table(
        "broadcasts",
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("sender_user_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("audience", sa.String(length=20), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("role", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("audience IN ('team', 'role', 'people')", name=op.f("ck_broadcasts_audience_known")),
        sa.CheckConstraint("audience <> 'team' OR team_id IS NOT NULL", name=op.f("ck_broadcasts_team_has_team")),
        sa.CheckConstraint("audience <> 'role' OR role IS NOT NULL", name=op.f("ck_broadcasts_role_has_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broadcasts")),
    )
    op.create_index(op.f("ix_broadcasts_organization_id"), "broadcasts", ["organization_id"], unique=False)
    op.create_index("ix_broadcasts_sender_created_at", "broadcasts", ["sender_user_id", "created_at"], unique=False)
    op.create_table(
        "broadcast_recipients",
        sa.Column("broadcast_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("notification_id", sa.Uuid(), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["broadcast_id"],
            ["broadcasts.id"],
            name=op.f("fk_broadcast_recipients_broadcast_id_broadcasts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("broadcast_id", "user_id", name=op.f("pk_broadcast_recipients")),
    )
    op.create_index(op.f("ix_broadcast_recipients_user_id"), "broadcast_recipients", ["user_id"], unique=False)
    op.create_table(
        "medical_alerts",
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("player_id", sa.Uuid(), nullable=False),
        sa.Column("sender_user_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("tier", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("escalate_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medical_alerts")),
    )
    op.create_index(op.f("ix_medical_alerts_organization_id"), "medical_alerts", ["organization_id"], unique=False)
    op.create_index(
        "ix_medical_alerts_escalate_at",
        "medical_alerts",
        ["escalate_at"],
        unique=False,
        postgresql_where=sa.text("escalate_at IS NOT NULL"),
    )
    op.create_table(
        "medical_alert_recipients",
        sa.Column("alert_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("tier", sa.Integer(), nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["medical_alerts.id"],
            name=op.f("fk_medical_alert_recipients_alert_id_medical_alerts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("alert_id", "user_id", name=op.f("pk_medical_alert_recipients")),
    )
    op.create_index(op.f("ix_medical_alert_recipients_user_id"), "medical_alert_recipients", ["user_id"], unique=False)
    op.create_table(
        "notification_preferences",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "kind", "channel", name=op.f("pk_notification_preferences")),
    )
    op.create_table(
        "notification_settings",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("time_zone", sa.String(length=64), nullable=True),
        sa.Column("quiet_hours_start", sa.Time(), nullable=True),
        sa.Column("quiet_hours_end", sa.Time(), nullable=True),
        sa.Column("digest", sa.String(length=10), server_default=sa.text("'off'"), nullable=False),
        sa.Column("digest_hour", sa.Integer(), server_default=sa.text("7"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("digest IN ('off', 'daily')", name=op.f("ck_notification_settings_digest_known")),
        sa.CheckConstraint("digest_hour BETWEEN 0 AND 23", name=op.f("ck_notification_settings_digest_hour_range")),
        sa.CheckConstraint(
            "(quiet_hours_start IS NULL) = (quiet_hours_end IS NULL)",
            name=op.f("ck_notification_settings_quiet_hours_both"),
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notification_settings")),
    )
    op.create_table(
        "email_deliveries",
        sa.Column("notification_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("address", sa.String(length=320), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("in_digest", sa.Boolean(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name=op.f("fk_email_deliveries_notification_id_notifications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("notification_id", name=op.f("pk_email_deliveries")),
    )
    op.create_index(op.f("ix_email_deliveries_user_id"), "email_deliveries", ["user_id"], unique=False)
    op.create_index(
        "ix_email_deliveries_due",
        "email_deliveries",
        ["due_at"],
        unique=False,
        postgresql_where=sa.text("sent_at IS NULL"),
    )
    op.create_table(
        "parent_coach_channels",
        sa.Column("parent_user_id", sa.Uuid(), nullable=False),
        sa.Column("coach_user_id", sa.Uuid(), nullable=False),
        sa.Column("player_id", sa.Uuid(), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_parent_coach_channels_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("parent_user_id", "coach_user_id", "player_id", name=op.f("pk_parent_coach_channels")),
        sa.UniqueConstraint("conversation_id", name=op.f("uq_parent_coach_channels_conversation_id")),
    )
    op.create_table(
        "meeting_requests",
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("requested_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("requested_of_user_id", sa.Uuid(), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("proposed_times", postgresql.ARRAY(sa.DateTime(timezone=True)), nullable=False),
        sa.Column("status", sa.String(length=20), server_default=sa.text("'pending'"), nullable=False),
        sa.Column("accepted_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'declined')", name=op.f("ck_meeting_requests_status_known")
        ),
        sa.CheckConstraint(
            "(status = 'accepted') = (accepted_time IS NOT NULL)", name=op.f("ck_meeting_requests_accepted_has_time")
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_meeting_requests_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_requests")),
    )
    op.create_index(
        "ix_meeting_requests_conversation_id_created_at",
        "meeting_requests",
        ["conversation_id", "created_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_meeting_requests_conversation_id_created_at", table_name="meeting_requests")
    op.drop_table("meeting_requests")
    op.drop_table("parent_coach_channels")
    op.drop_index("ix_email_deliveries_due", table_name="email_deliveries")
    op.drop_index(op.f("ix_email_deliveries_user_id"), table_name="email_deliveries")
    op.drop_table("email_deliveries")
    op.drop_table("notification_settings")
    op.drop_table("notification_preferences")
    op.drop_index(op.f("ix_medical_alert_recipients_user_id"), table_name="medical_alert_recipients")
    op.drop_table("medical_alert_recipients")
    op.drop_index("ix_medical_alerts_escalate_at", table_name="medical_alerts")
    op.drop_index(op.f("ix_medical_alerts_organization_id"), table_name="medical_alerts")
    op.drop_table("medical_alerts")
    op.drop_index(op.f("ix_broadcast_recipients_user_id"), table_name="broadcast_recipients")
    op.drop_table("broadcast_recipients")
    op.drop_index("ix_broadcasts_sender_created_at", table_name="broadcasts")
    op.drop_index(op.f("ix_broadcasts_organization_id"), table_name="broadcasts")
    op.drop_table("broadcasts")
    op.drop_table("message_attachments")
    op.drop_table("message_reactions")
    op.drop_column("messages", "mentioned_user_ids")
    op.drop_column("messages", "pinned_by_user_id")
    op.drop_column("messages", "pinned_at")
    op.drop_column("messages", "deleted_by_user_id")
    op.drop_column("messages", "deleted_at")
    op.drop_column("messages", "edited_at")
    op.drop_column("conversation_participants", "last_read_message_id")
