"""Per-request DataLoaders of the communication service: one SQL statement per batch."""

from __future__ import annotations

import uuid

from strawberry.dataloader import DataLoader

from shared.graphql import Ctx
from shared.graphql.loaders import many_per_key, one_per_key
from subgraphs.communication import repository
from subgraphs.communication.models import Conversation, ConversationParticipant, Message


def conversations(info: Ctx) -> DataLoader[uuid.UUID, Conversation | None]:
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[Conversation | None]:
        return one_per_key(await repository.conversations_by_ids(session, ids), ids, lambda row: row.id)

    return info.context.loader("communication.conversations", load)


def messages(info: Ctx) -> DataLoader[uuid.UUID, Message | None]:
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[Message | None]:
        return one_per_key(await repository.messages_by_ids(session, ids), ids, lambda row: row.id)

    return info.context.loader("communication.messages", load)


def last_message(info: Ctx) -> DataLoader[uuid.UUID, Message | None]:
    session = info.context.session

    async def load(conversation_ids: list[uuid.UUID]) -> list[Message | None]:
        rows = await repository.latest_messages(session, conversation_ids)
        return one_per_key(rows, conversation_ids, lambda row: row.conversation_id)

    return info.context.loader("communication.last_message", load)


def participants(info: Ctx) -> DataLoader[uuid.UUID, list[ConversationParticipant]]:
    session = info.context.session

    async def load(conversation_ids: list[uuid.UUID]) -> list[list[ConversationParticipant]]:
        rows = await repository.participants_of(session, conversation_ids)
        return many_per_key(rows, conversation_ids, lambda row: row.conversation_id)

    return info.context.loader("communication.participants", load)


def unread_count(info: Ctx, user_id: uuid.UUID) -> DataLoader[uuid.UUID, int]:
    """Unread messages per conversation for one reader (the caller)."""
    session = info.context.session

    async def load(conversation_ids: list[uuid.UUID]) -> list[int]:
        counts = await repository.unread_counts(session, conversation_ids, user_id)
        return [counts.get(conversation_id, 0) for conversation_id in conversation_ids]

    return info.context.loader(("communication.unread_count", user_id), load)
