"""GraphQL types of the communication service."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import strawberry
from strawberry import Private

from shared.errors import not_found
from shared.graphql import Ctx, TeamReference, UserReference, parse_id, to_id
from shared.graphql.ids import encode_cursor
from subgraphs.communication import loaders, models, permissions
from subgraphs.communication.service import Page

strawberry.enum(
    models.ConversationKind,
    name="ConversationKind",
    description="Direct (two people), group (named, chosen members) or team (the team's own thread).",
)
strawberry.enum(models.NotificationKind, name="NotificationKind", description="What a notification is about.")


@strawberry.type(description="A person in a conversation and how far they have read.")
class ConversationParticipant:
    user: UserReference = strawberry.field(description="The participant.")
    joined_at: datetime = strawberry.field(description="When they joined (or first read a team thread).")
    last_read_at: datetime | None = strawberry.field(
        description="Messages sent after this are unread for them; null when they have read nothing."
    )
    last_read_message_id: Private[uuid.UUID | None]

    @classmethod
    def from_row(cls, row: models.ConversationParticipant) -> ConversationParticipant:
        return cls(
            user=UserReference.from_id(row.user_id),
            joined_at=row.joined_at,
            last_read_at=row.last_read_at,
            last_read_message_id=row.last_read_message_id,
        )

    @strawberry.field(description="Their read receipt: the newest message they had seen when they last read.")
    async def last_read_message(self, info: Ctx) -> ChatMessage | None:
        if self.last_read_message_id is None:
            return None
        row = await loaders.messages(info).load(self.last_read_message_id)
        return ChatMessage.from_row(row) if row else None


@strawberry.type(description="A file a message carries: its description; the file lives at `url`.")
class ChatAttachment:
    file_name: str = strawberry.field(description="The file's name, up to 255 characters.")
    content_type: str = strawberry.field(description="Its media type, such as image/png.")
    size_bytes: int = strawberry.field(description="Its size in bytes, up to 100 MiB.")
    url: str = strawberry.field(description="Where to download it: a path or an https address.")

    @classmethod
    def from_row(cls, row: models.MessageAttachment) -> ChatAttachment:
        return cls(file_name=row.file_name, content_type=row.content_type, size_bytes=row.size_bytes, url=row.url)


@strawberry.type(description="One emoji on a message and who added it.")
class ChatReaction:
    emoji: str = strawberry.field(description="The emoji (or a short code such as :thumbsup:).")
    users: list[UserReference] = strawberry.field(description="Who added it, first first.")
    reacted_by_me: bool = strawberry.field(description="True when the caller is one of them.")

    @strawberry.field(description="How many people added it.")
    def count(self) -> int:
        return len(self.users)


@strawberry.type(description="A message in a conversation.")
class ChatMessage:
    id: strawberry.ID = strawberry.field(description="The message's id.")
    conversation_id: strawberry.ID = strawberry.field(description="The conversation it was posted in.")
    sender: UserReference = strawberry.field(description="Who sent it.")
    sent_at: datetime = strawberry.field(description="When it was sent.")
    edited_at: datetime | None = strawberry.field(description="When its author last edited it; null if never.")
    deleted_at: datetime | None = strawberry.field(
        description="When it was deleted; a deleted message keeps its place but shows no text or files."
    )
    pinned_at: datetime | None = strawberry.field(description="When it was pinned to the conversation; null if not.")
    pinned_by: UserReference | None = strawberry.field(description="Who pinned it.")
    text: Private[str]
    reply_to_id: Private[uuid.UUID | None]
    mentioned_user_ids: Private[list[uuid.UUID]]
    message_id: Private[uuid.UUID]
    announced_reactions: Private[list[tuple[str, uuid.UUID]] | None] = None
    """The reactions a live announcement carried; None for a message read from the database."""

    @classmethod
    def from_row(cls, row: models.Message) -> ChatMessage:
        return cls(
            id=to_id(row.id),
            conversation_id=to_id(row.conversation_id),
            sender=UserReference.from_id(row.sender_user_id),
            sent_at=row.sent_at,
            edited_at=row.edited_at,
            deleted_at=row.deleted_at,
            pinned_at=row.pinned_at,
            pinned_by=UserReference.from_id(row.pinned_by_user_id) if row.pinned_by_user_id else None,
            text=row.body,
            reply_to_id=row.reply_to_id,
            mentioned_user_ids=list(row.mentioned_user_ids or []),
            message_id=row.id,
        )

    @classmethod
    def from_announced(cls, payload: dict[str, Any]) -> ChatMessage:
        """From a live announcement (communication/live.py), without a model: built per subscriber."""

        def moment(name: str) -> datetime | None:
            value = payload.get(name)
            return datetime.fromisoformat(str(value)) if value else None

        reply_to = payload.get("reply_to_id")
        pinned_by = payload.get("pinned_by_user_id")
        return cls(
            id=strawberry.ID(str(payload["id"])),
            conversation_id=strawberry.ID(str(payload["conversation_id"])),
            sender=UserReference.from_id(uuid.UUID(str(payload["sender_user_id"]))),
            sent_at=datetime.fromisoformat(str(payload["sent_at"])),
            edited_at=moment("edited_at"),
            deleted_at=moment("deleted_at"),
            pinned_at=moment("pinned_at"),
            pinned_by=UserReference.from_id(uuid.UUID(str(pinned_by))) if pinned_by else None,
            text=str(payload["body"]),
            reply_to_id=uuid.UUID(str(reply_to)) if reply_to else None,
            mentioned_user_ids=[uuid.UUID(str(user)) for user in payload.get("mentioned_user_ids") or []],
            message_id=uuid.UUID(str(payload["id"])),
            announced_reactions=[(str(emoji), uuid.UUID(str(user))) for emoji, user in payload.get("reactions") or []],
        )

    @strawberry.field(description="The text, 1 to 4000 characters; empty once the message is deleted.")
    def body(self) -> str:
        return "" if self.deleted_at is not None else self.text

    @strawberry.field(description="True once the message was deleted.")
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @strawberry.field(description="True once its author edited it.")
    def is_edited(self) -> bool:
        return self.edited_at is not None

    @strawberry.field(
        description="Where this message stands: pass it as `after` to `messageAdded` or `chatMessages` to get "
        "what came after it (catching up after a reconnect)."
    )
    def cursor(self) -> str:
        return encode_cursor(self.sent_at.isoformat(), str(self.id))

    @strawberry.field(description="The message this one answers, in the same conversation.")
    async def reply_to(self, info: Ctx) -> ChatMessage | None:
        if self.reply_to_id is None:
            return None
        row = await loaders.messages(info).load(self.reply_to_id)
        return ChatMessage.from_row(row) if row else None

    @strawberry.field(description="The members the message mentions (each was notified).")
    def mentions(self) -> list[UserReference]:
        if self.deleted_at is not None:
            return []
        return [UserReference.from_id(user) for user in self.mentioned_user_ids]

    @strawberry.field(description="The files it carries, in the order they were attached.")
    async def attachments(self, info: Ctx) -> list[ChatAttachment]:
        if self.deleted_at is not None:
            return []
        rows = await loaders.attachments(info).load(self.message_id)
        return [ChatAttachment.from_row(row) for row in rows]

    @strawberry.field(description="The emoji members added, each once with who added it, first added first.")
    async def reactions(self, info: Ctx) -> list[ChatReaction]:
        if self.announced_reactions is not None:
            pairs = self.announced_reactions
        else:
            pairs = [(row.emoji, row.user_id) for row in await loaders.reactions(info).load(self.message_id)]
        me = info.context.principal.user_id
        by_emoji: dict[str, list[uuid.UUID]] = {}
        for emoji, user in pairs:
            by_emoji.setdefault(emoji, []).append(user)
        return [
            ChatReaction(emoji=emoji, users=[UserReference.from_id(user) for user in users], reacted_by_me=me in users)
            for emoji, users in by_emoji.items()
        ]


strawberry.enum(models.MeetingStatus, name="MeetingStatus", description="Pending, accepted or declined.")


@strawberry.type(description="A proposal to meet, made in a parent-coach channel, and its answer.")
class MeetingRequest:
    id: strawberry.ID = strawberry.field(description="The request's id.")
    topic: str = strawberry.field(description="What it is about.")
    requested_by: UserReference = strawberry.field(description="Who asked.")
    requested_of: UserReference = strawberry.field(description="Who is asked to answer.")
    proposed_times: list[datetime] = strawberry.field(description="The times proposed, earliest first.")
    status: models.MeetingStatus = strawberry.field(description="Pending until answered.")
    accepted_time: datetime | None = strawberry.field(description="The time accepted; null unless accepted.")
    responded_at: datetime | None = strawberry.field(description="When it was answered.")
    created_at: datetime = strawberry.field(description="When it was asked.")

    @classmethod
    def from_row(cls, row: models.MeetingRequest) -> MeetingRequest:
        return cls(
            id=to_id(row.id),
            topic=row.topic,
            requested_by=UserReference.from_id(row.requested_by_user_id),
            requested_of=UserReference.from_id(row.requested_of_user_id),
            proposed_times=list(row.proposed_times),
            status=models.MeetingStatus(row.status),
            accepted_time=row.accepted_time,
            responded_at=row.responded_at,
            created_at=row.created_at,
        )


@strawberry.type(description="One page of a conversation's messages, newest first.")
class ChatMessagePage:
    items: list[ChatMessage] = strawberry.field(description="The messages, newest first.")
    next_cursor: str | None = strawberry.field(
        description="Pass as `before` to get the older messages; null on the last page."
    )
    has_more: bool = strawberry.field(description="True when older messages exist.")

    @classmethod
    def from_page(cls, page: Page[models.Message]) -> ChatMessagePage:
        return cls(
            items=[ChatMessage.from_row(row) for row in page.items],
            next_cursor=page.next_cursor,
            has_more=page.has_more,
        )


@strawberry.federation.type(keys=["id"], description="A conversation between people of the club.")
class Conversation:
    id: strawberry.ID = strawberry.field(description="The conversation's id.")
    kind: models.ConversationKind = strawberry.field(description="Direct, group or team.")
    name: str | None = strawberry.field(description="The group's name; null for direct conversations.")
    team: TeamReference | None = strawberry.field(description="The team, for a team conversation.")
    created_at: datetime = strawberry.field(description="When the conversation started.")
    last_message_at: datetime | None = strawberry.field(description="When the newest message was sent.")
    row: Private[models.Conversation]

    @classmethod
    def from_row(cls, row: models.Conversation) -> Conversation:
        return cls(
            id=to_id(row.id),
            kind=row.kind,
            name=row.name,
            team=TeamReference.from_id(row.team_id) if row.team_id else None,
            created_at=row.created_at,
            last_message_at=row.last_message_at,
            row=row,
        )

    @strawberry.field(
        description=(
            "The participants. A team conversation's members are the team's players and staff; "
            "it lists those who have read or posted in it."
        )
    )
    async def participants(self, info: Ctx) -> list[ConversationParticipant]:
        rows = await loaders.participants(info).load(self.row.id)
        return [ConversationParticipant.from_row(row) for row in rows]

    @strawberry.field(description="The newest message, if any.")
    async def last_message(self, info: Ctx) -> ChatMessage | None:
        row = await loaders.last_message(info).load(self.row.id)
        return ChatMessage.from_row(row) if row else None

    @strawberry.field(description="The messages pinned to the conversation, most recently pinned first.")
    async def pinned_messages(self, info: Ctx) -> list[ChatMessage]:
        rows = await loaders.pinned_messages(info).load(self.row.id)
        return [ChatMessage.from_row(row) for row in rows]

    @strawberry.field(
        description="Meeting requests in a parent-coach channel, newest first; empty in other conversations."
    )
    async def meeting_requests(self, info: Ctx) -> list[MeetingRequest]:
        rows = await loaders.meeting_requests(info).load(self.row.id)
        return [MeetingRequest.from_row(row) for row in rows]

    @strawberry.field(description="Messages from others the caller has not read yet.")
    async def unread_count(self, info: Ctx) -> int:
        user_id = info.context.principal.user_id
        if user_id is None:
            return 0
        return await loaders.unread_count(info, user_id).load(self.row.id)

    @classmethod
    async def resolve_reference(cls, info: Ctx, id: strawberry.ID) -> Conversation:
        row = await loaders.conversations(info).load(parse_id(id))
        principal = info.context.principal
        if row is None:
            raise not_found("Conversation", id)
        members = await loaders.participants(info).load(row.id)
        is_participant = any(member.user_id == principal.user_id for member in members)
        if not permissions.can_view_conversation(principal, row, is_participant=is_participant):
            raise not_found("Conversation", id)
        return cls.from_row(row)


@strawberry.type(description="Something a person should see: a reminder, an assignment, an announcement.")
class Notification:
    id: strawberry.ID = strawberry.field(description="The notification's id.")
    kind: models.NotificationKind = strawberry.field(description="What it is about.")
    title: str = strawberry.field(description="A short headline.")
    body: str = strawberry.field(description="The text.")
    link: str | None = strawberry.field(description="Where in the app it leads: a path or an https address.")
    created_at: datetime = strawberry.field(description="When it was created.")
    read_at: datetime | None = strawberry.field(description="When the recipient read it; null while unread.")
    sender: UserReference | None = strawberry.field(description="Who sent it; null for the platform's own.")

    @classmethod
    def from_row(cls, row: models.Notification) -> Notification:
        return cls(
            id=to_id(row.id),
            kind=row.kind,
            title=row.title,
            body=row.body,
            link=row.link,
            created_at=row.created_at,
            read_at=row.read_at,
            sender=UserReference.from_id(row.sender_user_id) if row.sender_user_id else None,
        )

    @classmethod
    def from_announced(cls, payload: dict[str, Any]) -> Notification:
        """From a live announcement: a new notification, unread."""
        sender = payload.get("sender_user_id")
        return cls(
            id=strawberry.ID(str(payload["id"])),
            kind=models.NotificationKind(payload["kind"]),
            title=str(payload["title"]),
            body=str(payload["body"]),
            link=payload.get("link"),
            created_at=datetime.fromisoformat(str(payload["created_at"])),
            read_at=None,
            sender=UserReference.from_id(uuid.UUID(str(sender))) if sender else None,
        )

    @strawberry.field(description="True once read.")
    def is_read(self) -> bool:
        return self.read_at is not None


@strawberry.type(description="What sending a notification created: one notification per recipient.")
class SendNotificationPayload:
    notifications: list[Notification] = strawberry.field(description="The notifications, one per recipient.")

    @strawberry.field(description="How many people were notified.")
    def recipient_count(self) -> int:
        return len(self.notifications)


@strawberry.type(description="One page of the caller's notifications, newest first.")
class NotificationPage:
    items: list[Notification] = strawberry.field(description="The notifications, newest first.")
    next_cursor: str | None = strawberry.field(
        description="Pass as `after` to get the next (older) page; null on the last page."
    )
    has_more: bool = strawberry.field(description="True when older notifications exist.")

    @classmethod
    def from_page(cls, page: Page[models.Notification]) -> NotificationPage:
        return cls(
            items=[Notification.from_row(row) for row in page.items],
            next_cursor=page.next_cursor,
            has_more=page.has_more,
        )


__all__ = [
    "ChatAttachment",
    "ChatMessage",
    "ChatMessagePage",
    "ChatReaction",
    "Conversation",
    "ConversationParticipant",
    "MeetingRequest",
    "Notification",
    "NotificationPage",
    "SendNotificationPayload",
]
