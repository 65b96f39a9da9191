"""SQL of what happens to messages after they are sent: edits, deletes, reactions, pins, attachments,
mentions and search."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import and_, delete, false, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.communication import repository
from subgraphs.communication.models import (
    Conversation,
    ConversationKind,
    ConversationParticipant,
    Message,
    MessageAttachment,
    MessageReaction,
)


async def message_for_update(session: AsyncSession, message_id: uuid.UUID) -> Message | None:
    """The message, locked until the transaction ends: its edits, deletes and pins happen one at a time."""
    return await session.scalar(
        select(Message).where(Message.id == message_id).with_for_update().execution_options(populate_existing=True)
    )


async def save_message(session: AsyncSession, message: Message) -> Message:
    await session.flush()
    return message


async def toggle_reaction(session: AsyncSession, *, message_id: uuid.UUID, user_id: uuid.UUID, emoji: str) -> bool:
    """Add the person's emoji, or take it away when they had it; True when it is now there."""
    added = await session.execute(
        insert(MessageReaction)
        .values(message_id=message_id, user_id=user_id, emoji=emoji)
        .on_conflict_do_nothing()
        .returning(MessageReaction.emoji)
    )
    if added.first() is not None:
        return True
    await session.execute(
        delete(MessageReaction).where(
            MessageReaction.message_id == message_id,
            MessageReaction.user_id == user_id,
            MessageReaction.emoji == emoji,
        )
    )
    return False


async def reactions_of(session: AsyncSession, message_ids: Sequence[uuid.UUID]) -> list[MessageReaction]:
    return list(
        await session.scalars(
            select(MessageReaction)
            .where(MessageReaction.message_id.in_(message_ids))
            .order_by(MessageReaction.reacted_at, MessageReaction.user_id)
        )
    )


async def add_attachments(session: AsyncSession, attachments: Sequence[MessageAttachment]) -> None:
    if attachments:
        session.add_all(attachments)
        await session.flush()


async def attachments_of(session: AsyncSession, message_ids: Sequence[uuid.UUID]) -> list[MessageAttachment]:
    return list(
        await session.scalars(
            select(MessageAttachment)
            .where(MessageAttachment.message_id.in_(message_ids))
            .order_by(MessageAttachment.message_id, MessageAttachment.position)
        )
    )


async def pinned_messages(session: AsyncSession, conversation_ids: Sequence[uuid.UUID]) -> list[Message]:
    return list(
        await session.scalars(
            select(Message)
            .where(
                Message.conversation_id.in_(conversation_ids),
                Message.pinned_at.is_not(None),
                Message.deleted_at.is_(None),
            )
            .order_by(Message.pinned_at.desc(), Message.id.desc())
        )
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def search_messages(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    user_id: uuid.UUID,
    team_ids: Collection[uuid.UUID],
    text: str,
    conversation_id: uuid.UUID | None,
    limit: int,
) -> list[Message]:
    """Messages containing `text` (any case) in the person's conversations, newest first; deleted ones
    never match."""
    mine = Conversation.id.in_(
        select(ConversationParticipant.conversation_id).where(ConversationParticipant.user_id == user_id)
    )
    of_my_teams = (
        and_(Conversation.kind == ConversationKind.TEAM, Conversation.team_id.in_(list(team_ids)))
        if team_ids
        else false()
    )
    visible = select(Conversation.id).where(Conversation.organization_id == organization_id, or_(mine, of_my_teams))
    if conversation_id is not None:
        visible = visible.where(Conversation.id == conversation_id)
    query = (
        select(Message)
        .where(
            Message.conversation_id.in_(visible),
            Message.deleted_at.is_(None),
            Message.body.ilike(f"%{_escape_like(text)}%", escape="\\"),
        )
        .order_by(Message.sent_at.desc(), Message.id.desc())
        .limit(limit)
    )
    return list(await session.scalars(query))


async def member_user_ids(
    session: AsyncSession, conversation: Conversation, candidates: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of the candidates belong to the conversation: its participants or, for a team conversation,
    also the team's players and staff as this service knows them."""
    if not candidates:
        return set()
    members = set(
        await session.scalars(
            select(ConversationParticipant.user_id).where(
                ConversationParticipant.conversation_id == conversation.id,
                ConversationParticipant.user_id.in_(list(candidates)),
            )
        )
    )
    if conversation.kind is ConversationKind.TEAM and conversation.team_id is not None:
        members |= set(
            await repository.team_staff_user_ids(session, conversation.organization_id, conversation.team_id)
        )
        members |= set(
            await repository.team_player_user_ids(session, conversation.organization_id, conversation.team_id)
        )
    return members & set(candidates)
