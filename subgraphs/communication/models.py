"""The communication service's tables.

Built to grow: reactions, edits, attachments and read receipts will be tables keyed by
`(conversation_id, message_id)` or by participant, without reshaping these.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time
from enum import StrEnum

from sqlalchemy import (
    ARRAY,
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
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
MESSAGE_REACTION_MAX_LENGTH = 32
ATTACHMENT_NAME_MAX_LENGTH = 255
ATTACHMENT_URL_MAX_LENGTH = 1000
ATTACHMENT_MAX_BYTES = 100 * 1024 * 1024


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
    last_read_message_id: Mapped[uuid.UUID | None]
    """The newest message they had seen when they last read: their read receipt, shown to the others."""


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
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    """A deleted message keeps its place in the thread (replies point at it) but shows no text."""
    deleted_by_user_id: Mapped[uuid.UUID | None]
    pinned_at: Mapped[datetime | None]
    pinned_by_user_id: Mapped[uuid.UUID | None]
    mentioned_user_ids: Mapped[list[uuid.UUID]] = mapped_column(
        ARRAY(Uuid), server_default=text("'{}'::uuid[]"), default=list
    )


class MessageReaction(Base):
    """One person's emoji on one message; the key makes adding it twice impossible, so toggling is an
    insert that may find the row already there."""

    __tablename__ = "message_reactions"

    message_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    emoji: Mapped[str] = mapped_column(String(MESSAGE_REACTION_MAX_LENGTH), primary_key=True)
    reacted_at: Mapped[datetime] = mapped_column(server_default=text("now()"), default=utcnow)


class MessageAttachment(IdMixin, Base):
    """What a message links to: the file itself lives in file storage, this is its description."""

    __tablename__ = "message_attachments"
    __table_args__ = (
        CheckConstraint(f"size_bytes BETWEEN 1 AND {ATTACHMENT_MAX_BYTES}", name="size_range"),
        UniqueConstraint("message_id", "position"),
    )

    message_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    position: Mapped[int]
    file_name: Mapped[str] = mapped_column(String(ATTACHMENT_NAME_MAX_LENGTH))
    content_type: Mapped[str] = mapped_column(String(127))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    url: Mapped[str] = mapped_column(String(ATTACHMENT_URL_MAX_LENGTH))


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


class ParentLink(Base):
    """A parent of a roster player; an unlink keeps the row, `is_current` false, so an older link delivered
    late cannot bring it back. Parents hear of changes to their child's team's schedule."""

    __tablename__ = "parent_links"

    parent_user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    player_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, index=True)
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


# Broadcasts and urgent medical alerts --------------------------------------------------------------------


class BroadcastAudience(StrEnum):
    TEAM = "team"
    ROLE = "role"
    PEOPLE = "people"


class Broadcast(IdMixin, Base):
    """A message from a coach or the club's administrators to many people, each of whom acknowledges it."""

    __tablename__ = "broadcasts"
    __table_args__ = (
        CheckConstraint("audience IN ('team', 'role', 'people')", name="audience_known"),
        CheckConstraint("audience <> 'team' OR team_id IS NOT NULL", name="team_has_team"),
        CheckConstraint("audience <> 'role' OR role IS NOT NULL", name="role_has_role"),
        Index("ix_broadcasts_sender_created_at", "sender_user_id", "created_at"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(index=True)
    sender_user_id: Mapped[uuid.UUID]
    title: Mapped[str] = mapped_column(String(NOTIFICATION_TITLE_MAX_LENGTH))
    body: Mapped[str] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(String(20))
    team_id: Mapped[uuid.UUID | None]
    role: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(server_default=text("now()"), default=utcnow)


class BroadcastRecipient(Base):
    """One recipient of a broadcast and when they acknowledged it (null while they have not)."""

    __tablename__ = "broadcast_recipients"

    broadcast_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("broadcasts.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, index=True)
    notification_id: Mapped[uuid.UUID | None]
    acknowledged_at: Mapped[datetime | None]


class MedicalAlert(IdMixin, Base):
    """An urgent alert about a player from medical staff to the team's staff. Until someone acknowledges
    it, it escalates a tier at `escalate_at`: the team's staff, then its coaches, then the club's
    administrators. `tier` is the last tier notified; moving it is the guard that makes each step
    happen once, however many processes look."""

    __tablename__ = "medical_alerts"
    __table_args__ = (
        Index("ix_medical_alerts_escalate_at", "escalate_at", postgresql_where=text("escalate_at IS NOT NULL")),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(index=True)
    team_id: Mapped[uuid.UUID]
    player_id: Mapped[uuid.UUID]
    sender_user_id: Mapped[uuid.UUID]
    title: Mapped[str] = mapped_column(String(NOTIFICATION_TITLE_MAX_LENGTH))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(server_default=text("now()"), default=utcnow)
    tier: Mapped[int] = mapped_column(server_default=text("0"), default=0)
    escalate_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_user_id: Mapped[uuid.UUID | None]


class MedicalAlertRecipient(Base):
    """Someone an alert reached, at which tier and when."""

    __tablename__ = "medical_alert_recipients"

    alert_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("medical_alerts.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, index=True)
    tier: Mapped[int]
    notified_at: Mapped[datetime] = mapped_column(server_default=text("now()"), default=utcnow)


# Notification preferences and email delivery ---------------------------------------------------------------


class NotificationChannel(StrEnum):
    IN_APP = "in_app"
    EMAIL = "email"
    PUSH = "push"


class DigestFrequency(StrEnum):
    OFF = "off"
    DAILY = "daily"


class NotificationPreference(Base):
    """One person's choice for one kind of notification on one channel; no row means the default (on)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    enabled: Mapped[bool]


class NotificationSettings(Base):
    """How one person wants to be reached: their address, quiet hours in their time zone, digests."""

    __tablename__ = "notification_settings"
    __table_args__ = (
        CheckConstraint("digest IN ('off', 'daily')", name="digest_known"),
        CheckConstraint("digest_hour BETWEEN 0 AND 23", name="digest_hour_range"),
        CheckConstraint("(quiet_hours_start IS NULL) = (quiet_hours_end IS NULL)", name="quiet_hours_both"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(String(320))
    time_zone: Mapped[str | None] = mapped_column(String(64))
    quiet_hours_start: Mapped[time | None]
    quiet_hours_end: Mapped[time | None]
    digest: Mapped[str] = mapped_column(String(10), server_default=text("'off'"), default="off")
    digest_hour: Mapped[int] = mapped_column(server_default=text("7"), default=7)
    updated_at: Mapped[datetime] = mapped_column(server_default=text("now()"), default=utcnow)


class EmailDelivery(Base):
    """A notification waiting to be emailed: at `due_at` on its own, or in the recipient's daily digest."""

    __tablename__ = "email_deliveries"
    __table_args__ = (Index("ix_email_deliveries_due", "due_at", postgresql_where=text("sent_at IS NULL")),)

    notification_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("notifications.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(index=True)
    address: Mapped[str] = mapped_column(String(320))
    due_at: Mapped[datetime]
    """When it is (next) tried: later after each failed attempt (`delivery_retry`)."""
    in_digest: Mapped[bool]
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"), default=0)
    """Failed attempts so far."""
    last_error: Mapped[str | None] = mapped_column(String(500))
    failed_at: Mapped[datetime | None]
    """Given up: refused for good, or failed too often."""


PUSH_ENDPOINT_MAX_LENGTH = 1000
PUSH_LABEL_MAX_LENGTH = 100


class PushSubscription(IdMixin, Base):
    """One browser or phone of a person that takes Web Push: where its push service listens (`endpoint`)
    and the keys that encrypt messages to it (RFC 8291). The endpoint is unique: a browser that subscribes
    again, even as someone else, replaces its row."""

    __tablename__ = "push_subscriptions"

    user_id: Mapped[uuid.UUID] = mapped_column(index=True)
    endpoint: Mapped[str] = mapped_column(String(PUSH_ENDPOINT_MAX_LENGTH), unique=True)
    p256dh: Mapped[str] = mapped_column(String(100))
    """The device's P-256 public key, base64url as the browser gives it."""
    auth: Mapped[str] = mapped_column(String(50))
    """The device's 16-byte authentication secret, base64url."""
    label: Mapped[str | None] = mapped_column(String(PUSH_LABEL_MAX_LENGTH))
    created_at: Mapped[datetime] = mapped_column(server_default=text("now()"), default=utcnow)
    last_pushed_at: Mapped[datetime | None]


class PushDelivery(Base):
    """A notification waiting to be pushed to one device, when due or in the daily digest (as emails)."""

    __tablename__ = "push_deliveries"
    __table_args__ = (Index("ix_push_deliveries_due", "due_at", postgresql_where=text("sent_at IS NULL")),)

    notification_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("notifications.id", ondelete="CASCADE"), primary_key=True
    )
    subscription_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("push_subscriptions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    urgent: Mapped[bool] = mapped_column(server_default=text("false"), default=False)
    """An urgent medical alert: the push asks the device to wake for it (`Urgency: high`, RFC 8030)."""
    due_at: Mapped[datetime]
    """When it is (next) tried: later after each failed attempt (`delivery_retry`)."""
    in_digest: Mapped[bool]
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"), default=0)
    """Failed attempts so far."""
    last_error: Mapped[str | None] = mapped_column(String(500))
    failed_at: Mapped[datetime | None]
    """Given up: refused for good, or failed too often."""


class OrganizationTimeZone(Base):
    """A club's time zone, kept from the user service's `organization.*` events: quiet hours and digests
    of a person who chose no zone of their own count in it."""

    __tablename__ = "organization_time_zones"

    organization_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    time_zone: Mapped[str] = mapped_column(String(64))
    source_occurred_at: Mapped[datetime]


# Parent-coach channels and meeting requests -------------------------------------------------------------


class ParentCoachChannel(Base):
    """A private conversation between a player's parent and one of the player's coaches, one per trio."""

    __tablename__ = "parent_coach_channels"

    parent_user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    coach_user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    player_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    conversation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), unique=True)


class MeetingStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class MeetingRequest(IdMixin, Base):
    """One side of a parent-coach channel proposes times to meet; the other accepts one or declines."""

    __tablename__ = "meeting_requests"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'accepted', 'declined')", name="status_known"),
        CheckConstraint("(status = 'accepted') = (accepted_time IS NOT NULL)", name="accepted_has_time"),
        Index("ix_meeting_requests_conversation_id_created_at", "conversation_id", "created_at"),
    )

    conversation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    organization_id: Mapped[uuid.UUID]
    requested_by_user_id: Mapped[uuid.UUID]
    requested_of_user_id: Mapped[uuid.UUID]
    topic: Mapped[str] = mapped_column(String(200))
    proposed_times: Mapped[list[datetime]] = mapped_column(ARRAY(DateTime(timezone=True)))
    status: Mapped[str] = mapped_column(String(20), server_default=text("'pending'"), default="pending")
    accepted_time: Mapped[datetime | None]
    responded_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(server_default=text("now()"), default=utcnow)
