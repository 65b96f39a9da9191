"""SQL of parent-coach channels and meeting requests."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.communication.models import Conversation, MeetingRequest, ParentCoachChannel


async def channel(
    session: AsyncSession, parent: uuid.UUID, coach: uuid.UUID, player_id: uuid.UUID
) -> Conversation | None:
    return await session.scalar(
        select(Conversation)
        .join(ParentCoachChannel, ParentCoachChannel.conversation_id == Conversation.id)
        .where(
            ParentCoachChannel.parent_user_id == parent,
            ParentCoachChannel.coach_user_id == coach,
            ParentCoachChannel.player_id == player_id,
        )
    )


async def add_channel(
    session: AsyncSession, parent: uuid.UUID, coach: uuid.UUID, player_id: uuid.UUID, conversation_id: uuid.UUID
) -> bool:
    """False when the trio already has its channel."""
    added = await session.execute(
        insert(ParentCoachChannel)
        .values(parent_user_id=parent, coach_user_id=coach, player_id=player_id, conversation_id=conversation_id)
        .on_conflict_do_nothing()
        .returning(ParentCoachChannel.conversation_id)
    )
    return added.first() is not None


async def sides(session: AsyncSession, conversation_id: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID] | None:
    """The parent and the coach of a parent-coach conversation; None for any other conversation."""
    row = (
        await session.execute(
            select(ParentCoachChannel.parent_user_id, ParentCoachChannel.coach_user_id).where(
                ParentCoachChannel.conversation_id == conversation_id
            )
        )
    ).first()
    return None if row is None else (row[0], row[1])


async def add_request(session: AsyncSession, request: MeetingRequest) -> MeetingRequest:
    session.add(request)
    await session.flush()
    return request


async def request_for_update(session: AsyncSession, request_id: uuid.UUID) -> MeetingRequest | None:
    return await session.scalar(
        select(MeetingRequest)
        .where(MeetingRequest.id == request_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def requests_of(session: AsyncSession, conversation_ids: Sequence[uuid.UUID]) -> list[MeetingRequest]:
    return list(
        await session.scalars(
            select(MeetingRequest)
            .where(MeetingRequest.conversation_id.in_(conversation_ids))
            .order_by(MeetingRequest.created_at.desc(), MeetingRequest.id.desc())
        )
    )
