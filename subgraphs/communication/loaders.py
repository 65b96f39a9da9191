"""Per-request DataLoaders of the communication service: one SQL statement per batch."""

from __future__ import annotations

import uuid

from strawberry.dataloader import DataLoader

from shared.graphql import Ctx
from shared.graphql.loaders import many_per_key, one_per_key
from subgraphs.communication import message_repository, outreach_repository, parent_channel_repository, repository
from subgraphs.communication.models import (
    BroadcastRecipient,
    Conversation,
    ConversationParticipant,
    MedicalAlertRecipient,
    MeetingRequest,
    Message,
    MessageAttachment,
    MessageReaction,
)


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


def reactions(info: Ctx) -> DataLoader[uuid.UUID, list[MessageReaction]]:
    session = info.context.session

    async def load(message_ids: list[uuid.UUID]) -> list[list[MessageReaction]]:
        rows = await message_repository.reactions_of(session, message_ids)
        return many_per_key(rows, message_ids, lambda row: row.message_id)

    return info.context.loader("communication.reactions", load)


def attachments(info: Ctx) -> DataLoader[uuid.UUID, list[MessageAttachment]]:
    session = info.context.session

    async def load(message_ids: list[uuid.UUID]) -> list[list[MessageAttachment]]:
        rows = await message_repository.attachments_of(session, message_ids)
        return many_per_key(rows, message_ids, lambda row: row.message_id)

    return info.context.loader("communication.attachments", load)


def pinned_messages(info: Ctx) -> DataLoader[uuid.UUID, list[Message]]:
    session = info.context.session

    async def load(conversation_ids: list[uuid.UUID]) -> list[list[Message]]:
        rows = await message_repository.pinned_messages(session, conversation_ids)
        return many_per_key(rows, conversation_ids, lambda row: row.conversation_id)

    return info.context.loader("communication.pinned_messages", load)


def broadcast_recipients(info: Ctx) -> DataLoader[uuid.UUID, list[BroadcastRecipient]]:
    session = info.context.session

    async def load(broadcast_ids: list[uuid.UUID]) -> list[list[BroadcastRecipient]]:
        rows = await outreach_repository.broadcast_recipients(session, broadcast_ids)
        return many_per_key(rows, broadcast_ids, lambda row: row.broadcast_id)

    return info.context.loader("communication.broadcast_recipients", load)


def alert_recipients(info: Ctx) -> DataLoader[uuid.UUID, list[MedicalAlertRecipient]]:
    session = info.context.session

    async def load(alert_ids: list[uuid.UUID]) -> list[list[MedicalAlertRecipient]]:
        rows = await outreach_repository.alert_recipients(session, alert_ids)
        return many_per_key(rows, alert_ids, lambda row: row.alert_id)

    return info.context.loader("communication.alert_recipients", load)


def meeting_requests(info: Ctx) -> DataLoader[uuid.UUID, list[MeetingRequest]]:
    session = info.context.session

    async def load(conversation_ids: list[uuid.UUID]) -> list[list[MeetingRequest]]:
        rows = await parent_channel_repository.requests_of(session, conversation_ids)
        return many_per_key(rows, conversation_ids, lambda row: row.conversation_id)

    return info.context.loader("communication.meeting_requests", load)
