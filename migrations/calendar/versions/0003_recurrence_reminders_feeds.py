"""recurrence, participants' roles and check-in, resource rules, reminders, visibility, feeds

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

_VISIBILITY = sa.Enum("public", "team", "private", "roles", name="event_visibility")
_BOOKING = sa.Enum("pending", "confirmed", "rejected", name="booking_status")
_ROLE = sa.Enum("organizer", "required", "optional", "staff", name="attendee_role")


def upgrade() -> None:
    bind = op.get_bind()
    for kind in (_VISIBILITY, _BOOKING, _ROLE):
        kind.create(bind, checkfirst=False)

    op.add_column(
        "calendar_resources", sa.Column("buffer_minutes", sa.Integer(), server_default=sa.text("0"), nullable=False)
    )
    op.add_column(
        "calendar_resources", sa.Column("opening_hours", postgresql.JSONB(astext_type=sa.Text()), nullable=True)
    )
    op.add_column(
        "calendar_resources",
        sa.Column("requires_approval", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )

    op.add_column(
        "calendar_events",
        sa.Column("time_zone", sa.String(length=64), server_default=sa.text("'Europe/Stockholm'"), nullable=False),
    )
    op.add_column("calendar_events", sa.Column("recurrence_rule", sa.Text(), nullable=True))
    op.add_column("calendar_events", sa.Column("recurs_until", sa.DateTime(timezone=True), nullable=True))
    op.add_column("calendar_events", sa.Column("series_id", sa.Uuid(), nullable=True))
    op.add_column("calendar_events", sa.Column("original_starts_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("calendar_events", sa.Column("reminder_minutes", sa.ARRAY(sa.Integer()), nullable=True))
    op.add_column(
        "calendar_events",
        sa.Column(
            "visibility",
            postgresql.ENUM(name="event_visibility", create_type=False),
            server_default=sa.text("'team'"),
            nullable=False,
        ),
    )
    op.add_column("calendar_events", sa.Column("visible_to_roles", sa.ARRAY(sa.String(length=40)), nullable=True))
    op.add_column(
        "calendar_events",
        sa.Column("booking_status", postgresql.ENUM(name="booking_status", create_type=False), nullable=True),
    )
    op.execute("UPDATE calendar_events SET booking_status = 'confirmed' WHERE resource_id IS NOT NULL")
    op.create_foreign_key(
        op.f("fk_calendar_events_series_id_calendar_events"),
        "calendar_events",
        "calendar_events",
        ["series_id"],
        ["id"],
        ondelete="CASCADE",
    )
    op.create_unique_constraint(
        op.f("uq_calendar_events_series_id_original_starts_at"), "calendar_events", ["series_id", "original_starts_at"]
    )
    # Written by hand, as in 0001: a series row holds only its first occurrence's times, and a rejected
    # request holds nothing, so both are left to the service (which locks the resource row to check).
    op.execute("ALTER TABLE calendar_events DROP CONSTRAINT ex_calendar_events_resource_overlap")
    op.execute(
        """
        ALTER TABLE calendar_events ADD CONSTRAINT ex_calendar_events_resource_overlap
        EXCLUDE USING gist (resource_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
        WHERE (status <> 'cancelled' AND resource_id IS NOT NULL AND recurrence_rule IS NULL
               AND booking_status IS DISTINCT FROM 'rejected')
        """
    )

    op.add_column(
        "calendar_event_attendees",
        sa.Column(
            "role",
            postgresql.ENUM(name="attendee_role", create_type=False),
            server_default=sa.text("'required'"),
            nullable=False,
        ),
    )
    op.execute(
        "UPDATE calendar_event_attendees a SET role = 'organizer' FROM calendar_events e "
        "WHERE e.id = a.event_id AND e.organizer_user_id = a.user_id"
    )
    op.add_column("calendar_event_attendees", sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("calendar_event_attendees", sa.Column("checked_in_by", sa.Uuid(), nullable=True))

    op.create_table(
        "calendar_settings",
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("organization_id", name=op.f("pk_calendar_settings")),
    )
    op.create_table(
        "calendar_reminders_sent",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("occurrence_starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["calendar_events.id"],
            name=op.f("fk_calendar_reminders_sent_event_id_calendar_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "event_id", "occurrence_starts_at", "user_id", "minutes", name=op.f("pk_calendar_reminders_sent")
        ),
    )
    op.create_table(
        "calendar_feed_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("team_ids", sa.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("roles", sa.ARRAY(sa.String(length=40)), nullable=False),
        sa.Column("is_staff", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feed_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feed_tokens_token_hash")),
    )
    op.create_index(op.f("ix_calendar_feed_tokens_user_id"), "calendar_feed_tokens", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_calendar_feed_tokens_user_id"), table_name="calendar_feed_tokens")
    op.drop_table("calendar_feed_tokens")
    op.drop_table("calendar_reminders_sent")
    op.drop_table("calendar_settings")
    op.drop_column("calendar_event_attendees", "checked_in_by")
    op.drop_column("calendar_event_attendees", "checked_in_at")
    op.drop_column("calendar_event_attendees", "role")
    op.execute("ALTER TABLE calendar_events DROP CONSTRAINT ex_calendar_events_resource_overlap")
    # Exceptions and later occurrences have no place in the older schema.
    op.execute("DELETE FROM calendar_events WHERE series_id IS NOT NULL")
    op.execute(
        """
        ALTER TABLE calendar_events ADD CONSTRAINT ex_calendar_events_resource_overlap
        EXCLUDE USING gist (resource_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
        WHERE (status <> 'cancelled' AND resource_id IS NOT NULL)
        """
    )
    op.drop_constraint(op.f("uq_calendar_events_series_id_original_starts_at"), "calendar_events", type_="unique")
    op.drop_constraint(op.f("fk_calendar_events_series_id_calendar_events"), "calendar_events", type_="foreignkey")
    for column in (
        "booking_status",
        "visible_to_roles",
        "visibility",
        "reminder_minutes",
        "original_starts_at",
        "series_id",
        "recurs_until",
        "recurrence_rule",
        "time_zone",
    ):
        op.drop_column("calendar_events", column)
    op.drop_column("calendar_resources", "requires_approval")
    op.drop_column("calendar_resources", "opening_hours")
    op.drop_column("calendar_resources", "buffer_minutes")
    drop_enum_types("event_visibility", "booking_status", "attendee_role")
