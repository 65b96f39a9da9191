"""The communication service's tables.

Built to grow: reactions, edits, attachments and read receipts will be tables keyed by
`(conversation_id, message_id)` or by participant, without reshaping these.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    ARRAY,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.database import TYPE_ANNOTATION_MAP, IdMixin, TimestampMixin, new_metadata, pg_enum, utcnow
from shared.database.kernel import include_kernel_tables
from shared.roster import include_roster_table

MESSAGE_MAX_LENGTH = 4000
NOTIFICATION_TITLE_MAX_LENGTH = 200
NOTIFICATION_BODY_MAX_LENGTH = 2000


class Base(DeclarativeBase):
    metadata = new_metadata()
    type_annotation_map = TYPE_ANNOTATION_MAP


include_kernel_tables(Base.metadata)
include_roster_table(Base.metadata)


class ConversationKind(StrEnum):
    DIRECT = "direct"
    GROUP = "group"
    TEAM = "team"


class NotificationKind(StrEnum):
    EVENT_REMINDER = "event_reminder"
    TRAINING_ASSIGNED = "training_assigned"
    MEDICAL_UPDATE = "medical_update"
    MESSAGE = "message"
    ANNOUNCEMENT = "announcement"
    SYSTEM = "system"


class Conversation(IdMixin, TimestampMixin, Base):
    """A thread between people of one club.

    A direct conversation stores its two users in a fixed order (`direct_user_low < direct_user_high`),
    so the unique constraint on the pair makes starting it twice, even concurrently, find one row. A
    team conversation belongs to one team; its members are whoever the token lists on that team.
    """

    __tablename__ = "conversations"
    __table_args__ = (
        UniqueConstraint("direct_user_low", "direct_user_high"),
        UniqueConstraint("team_id"),
        CheckConstraint("direct_user_low < direct_user_high", name="direct_users_ordered"),
        CheckConstraint(
            "(kind = 'direct') = (direct_user_low IS NOT NULL AND direct_user_high IS NOT NULL)",
            name="direct_has_users",
        ),
        CheckConstraint("(kind = 'team') = (team_id IS NOT NULL)", name="team_has_team"),
        CheckConstraint("kind <> 'group' OR name IS NOT NULL", name="group_has_name"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(index=True)
    kind: Mapped[ConversationKind] = mapped_column(pg_enum(ConversationKind, "conversation_kind"))
    name: Mapped[str | None] = mapped_column(String(120))
    team_id: Mapped[uuid.UUID | None]
    direct_user_low: Mapped[uuid.UUID | None]
    direct_user_high: Mapped[uuid.UUID | None]
    created_by_user_id: Mapped[uuid.UUID | None]
    last_message_at: Mapped[datetime | None]
    """When the newest message was sent; orders a person's conversation list."""


class ConversationParticipant(Base):
    """A person in a conversation, with how far they have read.

    Direct and group conversations list every member here. A team conversation's members come from
    tokens; a member gets a row the first time they read or post, to remember `last_read_at`.
    """

    __tablename__ = "conversation_participants"

    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, index=True)
    joined_at: Mapped[datetime] = mapped_column(server_default=text("now()"), default=utcnow)
    last_read_at: Mapped[datetime | None]


class Message(IdMixin, Base):
    __tablename__ = "messages"
    __table_args__ = (
        # The reply target must be in the same conversation: the composite key says so.
        UniqueConstraint("conversation_id", "id"),
        ForeignKeyConstraint(
            ["conversation_id", "reply_to_id"],
            ["messages.conversation_id", "messages.id"],
            name="fk_messages_reply_to_id_messages",
        ),
        CheckConstraint(f"char_length(body) BETWEEN 1 AND {MESSAGE_MAX_LENGTH}", name="body_length"),
        Index("ix_messages_conversation_id_sent_at_id", "conversation_id", "sent_at", "id"),
    )

    conversation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    organization_id: Mapped[uuid.UUID]
    sender_user_id: Mapped[uuid.UUID]
    body: Mapped[str] = mapped_column(Text)
    reply_to_id: Mapped[uuid.UUID | None]
    sent_at: Mapped[datetime] = mapped_column(server_default=text("now()"), default=utcnow)


class Notification(IdMixin, Base):
    """Something one person should see; `organization_id` is null for platform-wide notices."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_id_created_at_id", "user_id", "created_at", "id"),
        Index("ix_notifications_unread", "user_id", postgresql_where=text("read_at IS NULL")),
    )

    organization_id: Mapped[uuid.UUID | None]
    user_id: Mapped[uuid.UUID]
    kind: Mapped[NotificationKind] = mapped_column(pg_enum(NotificationKind, "notification_kind"))
    title: Mapped[str] = mapped_column(String(NOTIFICATION_TITLE_MAX_LENGTH))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(500))
    sender_user_id: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime] = mapped_column(server_default=text("now()"), default=utcnow)
    read_at: Mapped[datetime | None]


# Local copies that address platform notifications -------------------------------------------------------
# The user service owns players, accounts and team staff; these copies, kept from its events, tell who to
# notify about a team without asking another service while an event is handled. Every row carries the
# time of the event that last wrote it, so a late, older event never overwrites a newer one.


class PlayerAccount(Base):
    """A roster player's own account (`user_id` null while they have none); their team is on the roster
    copy (`roster_players`)."""

    __tablename__ = "player_accounts"

    player_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID | None]
    source_occurred_at: Mapped[datetime]


class TeamStaffMember(Base):
    """A staff member's role on a team; a removal keeps the row, `is_current` false, so an older
    assignment delivered late cannot bring them back."""

    __tablename__ = "team_staff_members"

    team_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID]
    role: Mapped[str] = mapped_column(String(40))
    is_current: Mapped[bool]
    source_occurred_at: Mapped[datetime]


class InjuryNotice(Base):
    """What the team's coaches were last told about one injury (`unavailable:<date>`, `available`...), so a
    correction that changes nothing they see sends nothing, and a late older event is not announced."""

    __tablename__ = "injury_notices"

    injury_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    player_id: Mapped[uuid.UUID]
    announced: Mapped[str] = mapped_column(String(40))
    source_occurred_at: Mapped[datetime]


class CalendarEventNotice(Base):
    """The attendees of a calendar event as its newest announced change listed them: who is new, who
    was taken off, and which late, older changes to leave unannounced."""

    __tablename__ = "calendar_event_notices"

    event_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    attendee_user_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid))
    source_occurred_at: Mapped[datetime]
