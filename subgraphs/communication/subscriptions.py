"""Live conversations and notifications: each subscription checks the caller once when it starts, then
follows its channel. Reads use a short session of their own: a subscription that lasts hours must not
hold a database connection."""

from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Annotated

import strawberry

from shared.graphql import Audience, Ctx, RequestContext, UserReference, actor, parse_id, subscription, to_id
from shared.live import follow
from subgraphs.communication import live, service
from subgraphs.communication.types import ChatMessage, Notification


@strawberry.type(description="Someone started or stopped typing in a conversation.")
class TypingIndicator:
    conversation_id: strawberry.ID = strawberry.field(description="The conversation.")
    user: UserReference = strawberry.field(description="Who is typing.")
    is_typing: bool = strawberry.field(description="False when they stopped (or sent their message).")
    at: datetime = strawberry.field(description="When they reported it.")


@strawberry.type(description="Someone read a conversation up to a moment: their read receipt.")
class ReadReceipt:
    conversation_id: strawberry.ID = strawberry.field(description="The conversation.")
    user: UserReference = strawberry.field(description="Who read it.")
    read_at: datetime = strawberry.field(description="Everything sent up to this moment is read by them.")


async def _member_of(info: Ctx, conversation_id: strawberry.ID) -> uuid.UUID:
    """The conversation's id, once the caller is known to be one of its members (else NOT_FOUND)."""
    return await _admit_member(info.context, conversation_id)


async def _admit_member(context: RequestContext, conversation_id: strawberry.ID) -> uuid.UUID:
    conversation = parse_id(conversation_id, field="conversationId")
    async with context.runtime.sessions() as session:
        await service.get_conversation(session, context.signed_in(), conversation)
    return conversation


async def _conversation_audience(
    context: RequestContext, conversation_id: strawberry.ID, after: str | None = None
) -> str | None:
    """Every member sees a conversation's new messages and read receipts alike; a catch-up from the
    caller's own cursor is the caller's alone."""
    if after is not None:
        return None
    return f"conversation:{await _admit_member(context, conversation_id)}"


CONVERSATION_MEMBERS = Audience(_conversation_audience, late_join=True)
"""Sharing a conversation's stream: joining late misses nothing a newcomer was promised (new messages)."""


@strawberry.type(description="Live updates of conversations and of the caller's notifications.")
class Subscription:
    @subscription(
        description="Each new message of a conversation the caller belongs to. With `after` (a message's "
        "`cursor`), the messages sent since then come first, so a client that reconnects misses nothing.",
        audience=CONVERSATION_MEMBERS,
    )
    async def message_added(
        self,
        info: Ctx,
        conversation_id: Annotated[strawberry.ID, strawberry.argument(description="The conversation.")],
        after: Annotated[
            str | None, strawberry.argument(description="The cursor of the last message the client has.")
        ] = None,
    ) -> AsyncGenerator[ChatMessage, None]:
        conversation = parse_id(conversation_id, field="conversationId")
        # Follow first, then read: a message sent in between arrives twice at most, never not at all.
        async with follow(info.context.runtime.pubsub, live.conversation_channel(conversation)) as events:
            async with info.context.runtime.sessions() as session:
                await service.get_conversation(session, actor(info), conversation)
                missed = await live.catch_up(session, conversation, after=after) if after is not None else []
            seen = {str(message.id) for message in missed}
            for message in missed:
                yield ChatMessage.from_row(message)
            async for event in events:
                if event.get("kind") == "message" and event["message"]["id"] not in seen:
                    yield ChatMessage.from_announced(event["message"])

    @subscription(
        description="Changes to a conversation's messages: an edit, a delete, a pin or unpin, a reaction; each "
        "time the message as it now is.",
        # No shared audience: `reactedByMe` differs from one member to the next.
    )
    async def message_changed(
        self,
        info: Ctx,
        conversation_id: Annotated[strawberry.ID, strawberry.argument(description="The conversation.")],
    ) -> AsyncGenerator[ChatMessage, None]:
        conversation = parse_id(conversation_id, field="conversationId")
        async with follow(info.context.runtime.pubsub, live.conversation_channel(conversation)) as events:
            await _member_of(info, conversation_id)
            async for event in events:
                if event.get("kind") == "message_changed":
                    yield ChatMessage.from_announced(event["message"])

    @subscription(description="Who starts and stops typing in a conversation (not the caller).")
    async def typing(
        self,
        info: Ctx,
        conversation_id: Annotated[strawberry.ID, strawberry.argument(description="The conversation.")],
    ) -> AsyncGenerator[TypingIndicator, None]:
        me = live.me(actor(info))
        conversation = parse_id(conversation_id, field="conversationId")
        async with follow(info.context.runtime.pubsub, live.conversation_channel(conversation)) as events:
            await _member_of(info, conversation_id)
            async for event in events:
                if event.get("kind") == "typing" and event.get("user_id") != str(me):
                    yield TypingIndicator(
                        conversation_id=to_id(conversation),
                        user=UserReference.from_id(uuid.UUID(str(event["user_id"]))),
                        is_typing=bool(event.get("is_typing")),
                        at=datetime.fromisoformat(str(event["at"])),
                    )

    @subscription(
        description="Read receipts: a member read the conversation up to a moment.", audience=CONVERSATION_MEMBERS
    )
    async def read_receipts(
        self,
        info: Ctx,
        conversation_id: Annotated[strawberry.ID, strawberry.argument(description="The conversation.")],
    ) -> AsyncGenerator[ReadReceipt, None]:
        conversation = parse_id(conversation_id, field="conversationId")
        async with follow(info.context.runtime.pubsub, live.conversation_channel(conversation)) as events:
            await _member_of(info, conversation_id)
            async for event in events:
                if event.get("kind") == "read":
                    yield ReadReceipt(
                        conversation_id=to_id(conversation),
                        user=UserReference.from_id(uuid.UUID(str(event["user_id"]))),
                        read_at=datetime.fromisoformat(str(event["read_at"])),
                    )

    @subscription(description="Each new notification for the caller, as it is created.")
    async def notification_added(self, info: Ctx) -> AsyncGenerator[Notification, None]:
        me = live.me(actor(info))
        async with follow(info.context.runtime.pubsub, live.inbox_channel(me)) as events:
            async for event in events:
                if event.get("kind") == "notification":
                    yield Notification.from_announced(event["notification"])
