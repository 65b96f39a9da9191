"""What conversations and inboxes announce live, and how a reconnecting client catches up. Announcements
carry the whole message or notification, so a thousand subscribers cost no database reads; they are
published after the transaction commits (shared/live.py)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import overload

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.database import utcnow
from shared.errors import InvalidInput, Unauthenticated
from shared.graphql.ids import decode_cursor, encode_cursor
from shared.live import announce
from subgraphs.communication import repository
from subgraphs.communication.models import Message, MessageReaction, Notification

CATCH_UP_MAX = 500
"""Messages a reconnecting client gets replayed at most; older gaps are read page by page."""


def conversation_channel(conversation_id: uuid.UUID) -> str:
    return f"communication.conversation.{conversation_id}"


def inbox_channel(user_id: uuid.UUID) -> str:
    return f"communication.inbox.{user_id}"


def message_cursor(message: Message) -> str:
    return encode_cursor(message.sent_at.isoformat(), str(message.id))


@overload
def message_cursor_position(cursor: str, *, field: str) -> tuple[datetime, uuid.UUID]: ...
@overload
def message_cursor_position(cursor: None, *, field: str) -> None: ...
def message_cursor_position(cursor: str | None, *, field: str) -> tuple[datetime, uuid.UUID] | None:
    """The (time, id) position a cursor of ours encodes (messages' and notifications' alike)."""
    if cursor is None:
        return None
    values = decode_cursor(cursor, field=field)
    try:
        if len(values) != 2:
            raise ValueError(cursor)
        at, identifier = datetime.fromisoformat(str(values[0])), uuid.UUID(str(values[1]))
        if at.tzinfo is None:
            raise ValueError(cursor)
    except ValueError:
        raise InvalidInput(f"{field} is not a cursor this API issued", field=field) from None
    return at, identifier


# Announcements -----------------------------------------------------------------------------------------


def _message_payload(message: Message, reactions: Sequence[MessageReaction]) -> dict[str, object]:
    return {
        "id": message.id,
        "conversation_id": message.conversation_id,
        "organization_id": message.organization_id,
        "sender_user_id": message.sender_user_id,
        "body": message.body,
        "reply_to_id": message.reply_to_id,
        "sent_at": message.sent_at,
        "edited_at": message.edited_at,
        "deleted_at": message.deleted_at,
        "pinned_at": message.pinned_at,
        "pinned_by_user_id": message.pinned_by_user_id,
        "mentioned_user_ids": list(message.mentioned_user_ids or []),
        # Subscribers see reactions as they are now; a long-lived subscription's loaders would hold on to old ones.
        "reactions": [[reaction.emoji, reaction.user_id] for reaction in reactions],
    }


def message_added(session: AsyncSession, message: Message) -> None:
    payload = _message_payload(message, [])
    announce(session, conversation_channel(message.conversation_id), {"kind": "message", "message": payload})


def message_changed(session: AsyncSession, message: Message, reactions: Sequence[MessageReaction]) -> None:
    """An edit, a delete, a pin or a reaction: subscribers get the message as it now is."""
    payload = _message_payload(message, reactions)
    announce(session, conversation_channel(message.conversation_id), {"kind": "message_changed", "message": payload})


def conversation_read(session: AsyncSession, conversation_id: uuid.UUID, user_id: uuid.UUID, at: datetime) -> None:
    payload = {"kind": "read", "user_id": user_id, "read_at": at}
    announce(session, conversation_channel(conversation_id), payload)


def typing(session: AsyncSession, conversation_id: uuid.UUID, user_id: uuid.UUID, *, is_typing: bool) -> None:
    payload = {"kind": "typing", "user_id": user_id, "is_typing": is_typing, "at": utcnow()}
    announce(session, conversation_channel(conversation_id), payload)


def notification_added(session: AsyncSession, notification: Notification) -> None:
    payload = {
        "id": notification.id,
        "organization_id": notification.organization_id,
        "user_id": notification.user_id,
        "kind": notification.kind.value,
        "title": notification.title,
        "body": notification.body,
        "link": notification.link,
        "sender_user_id": notification.sender_user_id,
        "created_at": notification.created_at,
    }
    announce(session, inbox_channel(notification.user_id), {"kind": "notification", "notification": payload})


# Rules -------------------------------------------------------------------------------------------------


def me(actor: Principal) -> uuid.UUID:
    if actor.user_id is None:
        raise Unauthenticated("sign in to follow conversations and notifications")
    return actor.user_id


async def catch_up(
    session: AsyncSession, conversation_id: uuid.UUID, *, after: str, first: int = CATCH_UP_MAX
) -> list[Message]:
    """Messages newer than the `after` cursor, oldest first (the caller's membership already checked)."""
    size = validation.integer(first, field="first", minimum=1, maximum=CATCH_UP_MAX)
    position = message_cursor_position(after, field="after")
    return await repository.messages_after(session, conversation_id, after=position, limit=size)
