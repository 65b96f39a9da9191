"""What members do with messages once they are sent: edit, delete, react, pin, search; and the rules for
what a new message may carry (mentions, attachments)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.database import utcnow
from shared.errors import Conflict, Forbidden, InvalidInput, Unauthenticated, not_found
from subgraphs.communication import live, message_repository, repository
from subgraphs.communication.models import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_NAME_MAX_LENGTH,
    ATTACHMENT_URL_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    Conversation,
    Message,
    MessageAttachment,
)
from subgraphs.communication.permissions import (
    can_delete_message,
    can_edit_message,
    can_post_in_conversation,
    can_view_conversation,
)

EDIT_WINDOW = timedelta(hours=48)
"""How long an author may still rewrite a message; later, the thread others answered stays as it was."""
ATTACHMENTS_MAX = 10
MENTIONS_MAX = 50
SEARCH_MIN_LENGTH = 2
SEARCH_MAX_LENGTH = 100
SEARCH_RESULTS_MAX = 100

_EMOJI = re.compile(r"^(:[a-z0-9_+-]{1,30}:|[^\x00-\x20\x7f]*[^\x00-\x7f][^\x00-\x20\x7f]*)$")
_CONTENT_TYPE = re.compile(r"^[a-z]+/[a-z0-9][a-z0-9!#$&^_.+-]{0,100}$")
_FILE_NAME_FORBIDDEN = re.compile(r"[/\\\x00-\x1f\x7f]")
_ATTACHMENT_URL = re.compile(r"^(/(?!/)\S*|https://[^\s/]+\S*)$")
_MENTION = re.compile(r"@\[([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\]")
"""A mention written in the text as `@[<user id>]`, which clients render as the person's name."""


@dataclass(frozen=True, slots=True)
class AttachmentSpec:
    file_name: str
    content_type: str
    size_bytes: int
    url: str


def _me(actor: Principal) -> uuid.UUID:
    if actor.user_id is None:
        raise Unauthenticated("sign in to use conversations")
    return actor.user_id


async def _message_in_reach(
    session: AsyncSession, actor: Principal, message_id: uuid.UUID, *, posting: bool
) -> tuple[Conversation, Message]:
    """The message, locked, and its conversation, when the caller may read (or post in) it; a message of a
    conversation the caller cannot see does not exist for them."""
    message = await message_repository.message_for_update(session, message_id)
    if message is None:
        raise not_found("ChatMessage", message_id)
    found = await repository.conversation_with_membership(session, message.conversation_id, actor.user_id)
    if found is None or not actor.in_organization(found[0].organization_id):
        raise not_found("ChatMessage", message_id)
    conversation, is_participant = found
    if not can_view_conversation(actor, conversation, is_participant=is_participant):
        raise Forbidden("only the conversation's members can see its messages")
    if posting and not can_post_in_conversation(actor, conversation, is_participant=is_participant):
        raise Forbidden("only the conversation's members can act on its messages")
    return conversation, message


async def _announce_change(session: AsyncSession, message: Message) -> None:
    live.message_changed(session, message, await message_repository.reactions_of(session, [message.id]))


def _not_deleted(message: Message) -> None:
    if message.deleted_at is not None:
        raise Conflict("the message was deleted", field="id")


# New messages' contents --------------------------------------------------------------------------------


def attachments(specs: Sequence[AttachmentSpec]) -> list[AttachmentSpec]:
    """The attachments' descriptions, checked and trimmed."""
    if len(specs) > ATTACHMENTS_MAX:
        raise InvalidInput(f"a message has at most {ATTACHMENTS_MAX} attachments", field="attachments")
    checked = []
    for index, spec in enumerate(specs):
        prefix = f"attachments.{index}"
        name = validation.text(spec.file_name, field=f"{prefix}.fileName", max_length=ATTACHMENT_NAME_MAX_LENGTH)
        if _FILE_NAME_FORBIDDEN.search(name) or name in {".", ".."}:
            raise InvalidInput("a file name has no slashes or control characters", field=f"{prefix}.fileName")
        content_type = spec.content_type.strip().lower()
        if not _CONTENT_TYPE.match(content_type):
            raise InvalidInput("a content type looks like image/png", field=f"{prefix}.contentType")
        size = validation.integer(spec.size_bytes, field=f"{prefix}.sizeBytes", minimum=1, maximum=ATTACHMENT_MAX_BYTES)
        url = validation.text(spec.url, field=f"{prefix}.url", max_length=ATTACHMENT_URL_MAX_LENGTH)
        if not _ATTACHMENT_URL.match(url):
            raise InvalidInput("an attachment's url is a path or an https:// address", field=f"{prefix}.url")
        checked.append(AttachmentSpec(file_name=name, content_type=content_type, size_bytes=size, url=url))
    return checked


async def mentions(
    session: AsyncSession,
    conversation: Conversation,
    *,
    body: str,
    given: Sequence[uuid.UUID],
    sender: uuid.UUID,
) -> list[uuid.UUID]:
    """The members a message mentions: those given plus those written `@[id]` in the text; each must be
    a member of the conversation."""
    written = [uuid.UUID(match) for match in _MENTION.findall(body)]
    wanted = [user for user in dict.fromkeys([*given, *written]) if user != sender]
    if len(wanted) > MENTIONS_MAX:
        raise InvalidInput(f"a message mentions at most {MENTIONS_MAX} people", field="mentionUserIds")
    members = await message_repository.member_user_ids(session, conversation, wanted)
    strangers = [user for user in wanted if user not in members]
    if strangers:
        raise InvalidInput(
            f"only the conversation's members can be mentioned, not {', '.join(map(str, strangers))}",
            field="mentionUserIds",
        )
    return wanted


async def add_attachments(session: AsyncSession, message: Message, specs: Sequence[AttachmentSpec]) -> None:
    await message_repository.add_attachments(
        session,
        [
            MessageAttachment(
                id=uuid.uuid4(),
                message_id=message.id,
                position=position,
                file_name=spec.file_name,
                content_type=spec.content_type,
                size_bytes=spec.size_bytes,
                url=spec.url,
            )
            for position, spec in enumerate(specs)
        ],
    )


# Changes -----------------------------------------------------------------------------------------------


async def edit_message(session: AsyncSession, actor: Principal, *, message_id: uuid.UUID, body: str) -> Message:
    """The author rewrites their message within 48 hours of sending it; `editedAt` tells the others."""
    _conversation, message = await _message_in_reach(session, actor, message_id, posting=True)
    if not can_edit_message(actor, message):
        raise Forbidden("only the author edits a message")
    _not_deleted(message)
    now = utcnow()
    if now - message.sent_at > EDIT_WINDOW:
        raise Forbidden("a message can be edited for 48 hours after it was sent")
    text = validation.text(body, field="body", max_length=MESSAGE_MAX_LENGTH)
    if text != message.body:
        message.body = text
        message.edited_at = now
        await message_repository.save_message(session, message)
        await _announce_change(session, message)
    return message


async def delete_message(session: AsyncSession, actor: Principal, *, message_id: uuid.UUID) -> Message:
    """Soft delete by its author or the conversation's moderator: the message keeps its place, without
    text, attachments or pin."""
    conversation, message = await _message_in_reach(session, actor, message_id, posting=True)
    if not can_delete_message(actor, conversation, message):
        raise Forbidden("only the author or the conversation's moderators delete a message")
    if message.deleted_at is None:
        message.deleted_at = utcnow()
        message.deleted_by_user_id = _me(actor)
        message.pinned_at = None
        message.pinned_by_user_id = None
        await message_repository.save_message(session, message)
        await _announce_change(session, message)
    return message


def _emoji(value: str) -> str:
    emoji = validation.text(value, field="emoji", max_length=32)
    if not _EMOJI.match(emoji):
        raise InvalidInput("an emoji such as 👍 or a short code such as :thumbsup:", field="emoji")
    return emoji


async def toggle_reaction(session: AsyncSession, actor: Principal, *, message_id: uuid.UUID, emoji: str) -> Message:
    """Add the caller's emoji to the message, or take it back when they had already added it."""
    chosen = _emoji(emoji)
    _conversation, message = await _message_in_reach(session, actor, message_id, posting=True)
    _not_deleted(message)
    await message_repository.toggle_reaction(session, message_id=message.id, user_id=_me(actor), emoji=chosen)
    await _announce_change(session, message)
    return message


async def set_pinned(session: AsyncSession, actor: Principal, *, message_id: uuid.UUID, pinned: bool) -> Message:
    """Any member pins a message to the top of the conversation, or unpins it."""
    _conversation, message = await _message_in_reach(session, actor, message_id, posting=True)
    _not_deleted(message)
    if pinned and message.pinned_at is None:
        message.pinned_at = utcnow()
        message.pinned_by_user_id = _me(actor)
    elif not pinned and message.pinned_at is not None:
        message.pinned_at = None
        message.pinned_by_user_id = None
    else:
        return message
    await message_repository.save_message(session, message)
    await _announce_change(session, message)
    return message


async def search_messages(
    session: AsyncSession,
    actor: Principal,
    *,
    text: str,
    conversation_id: uuid.UUID | None = None,
    first: int = 20,
) -> list[Message]:
    """Messages containing the text in the caller's conversations (or in one of them), newest first."""
    organization_id = actor.require_organization()
    query = validation.text(text, field="text", max_length=SEARCH_MAX_LENGTH, min_length=SEARCH_MIN_LENGTH)
    size = validation.integer(first, field="first", minimum=1, maximum=SEARCH_RESULTS_MAX)
    if conversation_id is not None:
        found = await repository.conversation_with_membership(session, conversation_id, actor.user_id)
        if found is None or not actor.in_organization(found[0].organization_id):
            raise not_found("Conversation", conversation_id)
        if not can_view_conversation(actor, found[0], is_participant=found[1]):
            raise Forbidden("only the conversation's members can search it")
    return await message_repository.search_messages(
        session,
        organization_id=organization_id,
        user_id=_me(actor),
        team_ids=actor.team_ids,
        text=query,
        conversation_id=conversation_id,
        limit=size,
    )
