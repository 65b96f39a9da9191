"""Events the communication service publishes. Message text and notification content stay out of them:
consumers (push, email, analytics) learn that something happened and to whom, and read it here."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from shared.events import record_event
from subgraphs.communication.models import Conversation, Message, Notification

PRODUCER = "communication"

MESSAGE_SENT = "message.sent"
NOTIFICATION_CREATED = "notification.created"


async def message_sent(
    session: AsyncSession,
    conversation: Conversation,
    message: Message,
    recipient_user_ids: Sequence[uuid.UUID],
) -> None:
    await record_event(
        session,
        producer=PRODUCER,
        type=MESSAGE_SENT,
        data={
            "message_id": message.id,
            "conversation_id": conversation.id,
            "conversation_kind": conversation.kind.value,
            "team_id": conversation.team_id,
            "sender_user_id": message.sender_user_id,
            "recipient_user_ids": sorted(recipient_user_ids),
            "reply_to_id": message.reply_to_id,
            "sent_at": message.sent_at,
        },
        organization_id=conversation.organization_id,
    )


async def notification_created(session: AsyncSession, notification: Notification, *, push: bool = True) -> None:
    """`push`: whether the recipient wants this kind pushed to their phone (for the push sender)."""
    await record_event(
        session,
        producer=PRODUCER,
        type=NOTIFICATION_CREATED,
        data={
            "notification_id": notification.id,
            "user_id": notification.user_id,
            "kind": notification.kind.value,
            "link": notification.link,
            "sender_user_id": notification.sender_user_id,
            "created_at": notification.created_at,
            "push": push,
        },
        organization_id=notification.organization_id,
    )
