"""Domain rules of conversations, messages and notifications. No GraphQL here: plain values in, models out."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.database import utcnow
from shared.errors import Forbidden, InvalidInput, Unauthenticated, not_found
from shared.graphql.ids import encode_cursor
from subgraphs.communication import events, live, message_actions, preferences, push_delivery, repository
from subgraphs.communication.models import (
    MESSAGE_MAX_LENGTH,
    NOTIFICATION_BODY_MAX_LENGTH,
    NOTIFICATION_TITLE_MAX_LENGTH,
    Conversation,
    ConversationKind,
    Message,
    Notification,
    NotificationKind,
)
from subgraphs.communication.permissions import (
    can_open_team_conversation,
    can_post_in_conversation,
    can_send_notification,
    can_view_conversation,
)

MESSAGES_PAGE_DEFAULT = 50
NOTIFICATIONS_PAGE_DEFAULT = 20
PAGE_MAX = 100
CONVERSATIONS_MAX = 200
GROUP_MEMBERS_MAX = 100
NOTIFICATION_RECIPIENTS_MAX = 500
CONVERSATION_NAME_MAX_LENGTH = 120

STAFF_NOTIFICATION_KINDS = frozenset(
    {NotificationKind.ANNOUNCEMENT, NotificationKind.EVENT_REMINDER, NotificationKind.TRAINING_ASSIGNED}
)
"""What staff may send by hand; medical, message and system notifications come from the platform."""

_LINK = re.compile(r"^(/(?!/)[^\s]*|https://[^\s/]+[^\s]*)$")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None
    has_more: bool


def _me(actor: Principal) -> uuid.UUID:
    if actor.user_id is None:
        raise Unauthenticated("sign in to use conversations and notifications")
    return actor.user_id


def _page_size(first: int, *, maximum: int) -> int:
    return validation.integer(first, field="first", minimum=1, maximum=maximum)


def _acting_organization(actor: Principal, organization_id: uuid.UUID | None) -> uuid.UUID:
    if organization_id is not None and organization_id != actor.organization_id:
        if not actor.is_platform_admin:
            raise Forbidden("you can only act within your own organization")
        return organization_id
    return actor.require_organization()


# Conversations -----------------------------------------------------------------------------------------


async def get_conversation(session: AsyncSession, actor: Principal, conversation_id: uuid.UUID) -> Conversation:
    return await _member_conversation(session, actor, conversation_id, posting=False)


async def _member_conversation(
    session: AsyncSession, actor: Principal, conversation_id: uuid.UUID, *, posting: bool
) -> Conversation:
    """The conversation if the caller may read it (or post in it); another club's does not exist for them."""
    found = await repository.conversation_with_membership(session, conversation_id, actor.user_id)
    if found is None or not actor.in_organization(found[0].organization_id):
        raise not_found("Conversation", conversation_id)
    conversation, is_participant = found
    if posting and not can_post_in_conversation(actor, conversation, is_participant=is_participant):
        raise Forbidden("only the conversation's members can post in it")
    if not can_view_conversation(actor, conversation, is_participant=is_participant):
        raise Forbidden("only the conversation's members can read it")
    return conversation


async def list_conversations(
    session: AsyncSession, actor: Principal, *, kind: ConversationKind | None = None, first: int = 50
) -> list[Conversation]:
    return await repository.conversations_of(
        session,
        organization_id=actor.require_organization(),
        user_id=_me(actor),
        team_ids=actor.team_ids,
        kind=kind,
        limit=_page_size(first, maximum=CONVERSATIONS_MAX),
    )


async def start_direct_conversation(session: AsyncSession, actor: Principal, *, user_id: uuid.UUID) -> Conversation:
    """The two people's conversation: created the first time, the same one every time after."""
    organization_id = actor.require_organization()
    me = _me(actor)
    if user_id == me:
        raise InvalidInput("a direct conversation is with someone else", field="userId")
    low, high = sorted((me, user_id))
    created = await repository.insert_conversation_once(
        session,
        {
            "id": uuid.uuid4(),
            "organization_id": organization_id,
            "kind": ConversationKind.DIRECT,
            "direct_user_low": low,
            "direct_user_high": high,
            "created_by_user_id": me,
        },
    )
    if created is not None:
        await repository.add_participants(session, created, [me, user_id])
    conversation = await repository.direct_conversation(session, low, high)
    if conversation is None or conversation.organization_id != organization_id:
        raise not_found("Conversation", f"with {user_id}")
    return conversation


async def create_group_conversation(
    session: AsyncSession, actor: Principal, *, name: str, member_ids: Sequence[uuid.UUID]
) -> Conversation:
    organization_id = actor.require_organization()
    me = _me(actor)
    members = list(dict.fromkeys(member for member in member_ids if member != me))
    if not members:
        raise InvalidInput("a group needs at least one member besides you", field="memberIds")
    if len(members) > GROUP_MEMBERS_MAX:
        raise InvalidInput(f"a group has at most {GROUP_MEMBERS_MAX} members", field="memberIds")
    conversation = Conversation(
        organization_id=organization_id,
        kind=ConversationKind.GROUP,
        name=validation.text(name, field="name", max_length=CONVERSATION_NAME_MAX_LENGTH),
        created_by_user_id=me,
    )
    session.add(conversation)
    await session.flush()
    await repository.add_participants(session, conversation.id, [me, *members])
    return conversation


async def open_team_conversation(
    session: AsyncSession, actor: Principal, *, team_id: uuid.UUID, name: str | None = None
) -> Conversation:
    """The team's conversation, created on first use by one of its members."""
    organization_id = actor.require_organization()
    if not can_open_team_conversation(actor, team_id):
        raise Forbidden("only the team's members open its conversation")
    await repository.insert_conversation_once(
        session,
        {
            "id": uuid.uuid4(),
            "organization_id": organization_id,
            "kind": ConversationKind.TEAM,
            "team_id": team_id,
            "name": validation.optional_text(name, field="name", max_length=CONVERSATION_NAME_MAX_LENGTH),
            "created_by_user_id": _me(actor),
        },
    )
    conversation = await repository.team_conversation(session, team_id)
    if conversation is None or conversation.organization_id != organization_id:
        raise not_found("Team", team_id)
    return conversation


async def mark_conversation_read(
    session: AsyncSession, actor: Principal, *, conversation_id: uuid.UUID
) -> Conversation:
    conversation = await get_conversation(session, actor, conversation_id)
    read_at = utcnow()
    newest = await repository.latest_messages(session, [conversation.id])
    await repository.mark_read(
        session, conversation.id, _me(actor), read_at, message_id=newest[0].id if newest else None
    )
    live.conversation_read(session, conversation.id, _me(actor), read_at)
    return conversation


async def report_typing(
    session: AsyncSession, actor: Principal, *, conversation_id: uuid.UUID, is_typing: bool
) -> Conversation:
    """Tell the conversation's other members that the caller is typing (or stopped); nothing is stored."""
    conversation = await _member_conversation(session, actor, conversation_id, posting=True)
    live.typing(session, conversation.id, _me(actor), is_typing=is_typing)
    return conversation


# Messages ----------------------------------------------------------------------------------------------


async def send_message(
    session: AsyncSession,
    actor: Principal,
    *,
    conversation_id: uuid.UUID,
    body: str,
    reply_to_id: uuid.UUID | None = None,
    mention_user_ids: Sequence[uuid.UUID] = (),
    attachments: Sequence[message_actions.AttachmentSpec] = (),
) -> Message:
    """Post a message; the members it mentions each get a notification."""
    conversation = await _member_conversation(session, actor, conversation_id, posting=True)
    me = _me(actor)
    text = validation.text(body, field="body", max_length=MESSAGE_MAX_LENGTH)
    if reply_to_id is not None and await repository.message_in(session, conversation.id, reply_to_id) is None:
        raise InvalidInput("replyToId must be a message of the same conversation", field="replyToId")
    files = message_actions.attachments(attachments)
    mentioned = await message_actions.mentions(session, conversation, body=text, given=mention_user_ids, sender=me)
    sent_at = utcnow()
    message = await repository.add_message(
        session,
        Message(
            conversation_id=conversation.id,
            organization_id=conversation.organization_id,
            sender_user_id=me,
            body=text,
            reply_to_id=reply_to_id,
            sent_at=sent_at,
            mentioned_user_ids=mentioned,
        ),
    )
    await message_actions.add_attachments(session, message, files)
    await repository.touch_conversation(session, conversation.id, sent_at)
    # The sender has read everything up to their own message.
    await repository.mark_read(session, conversation.id, me, sent_at, message_id=message.id)
    if mentioned:
        await create_notifications(
            session,
            organization_id=conversation.organization_id,
            user_ids=mentioned,
            kind=NotificationKind.MESSAGE,
            title="You were mentioned",
            body=text[:NOTIFICATION_BODY_MAX_LENGTH],
            link=f"/messages/{conversation.id}",
            sender_user_id=me,
        )
    recipients = (
        []
        if conversation.kind is ConversationKind.TEAM
        else [user for user in await repository.participant_user_ids(session, conversation.id) if user != me]
    )
    await events.message_sent(session, conversation, message, recipients)
    live.message_added(session, message)
    return message


async def list_messages(
    session: AsyncSession,
    actor: Principal,
    *,
    conversation_id: uuid.UUID,
    first: int = MESSAGES_PAGE_DEFAULT,
    before: str | None = None,
    after: str | None = None,
) -> Page[Message]:
    """Newest first, `before` being the `nextCursor` of the previous page; or, with `after` (a message's
    cursor), the messages sent since that one, oldest first."""
    if before is not None and after is not None:
        raise InvalidInput("give before or after, not both", field="after")
    size = _page_size(first, maximum=PAGE_MAX)
    conversation = await get_conversation(session, actor, conversation_id)
    if after is not None:
        rows = await live.catch_up(session, conversation.id, after=after, first=size + 1)
        return _keyset_page(rows, size, lambda row: (row.sent_at, row.id))
    position = live.message_cursor_position(before, field="before")
    rows = await repository.messages_page(session, conversation.id, before=position, limit=size + 1)
    return _keyset_page(rows, size, lambda row: (row.sent_at, row.id))


def _keyset_page(rows: list[T], size: int, position_of: Callable[[T], tuple[datetime, uuid.UUID]]) -> Page[T]:
    """A page of `size` from `size + 1` rows; the cursor points after the last item shown."""
    items = rows[:size]
    has_more = len(rows) > size
    cursor = None
    if has_more and items:
        at, identifier = position_of(items[-1])
        cursor = encode_cursor(at.isoformat(), str(identifier))
    return Page(items=items, next_cursor=cursor, has_more=has_more)


# Notifications -----------------------------------------------------------------------------------------


def _link(value: str | None) -> str | None:
    link = validation.optional_text(value, field="link", max_length=500)
    if link is not None and not _LINK.match(link):
        raise InvalidInput("link must be a path such as /calendar/123 or an https:// address", field="link")
    return link


async def my_notifications(
    session: AsyncSession,
    actor: Principal,
    *,
    unread_only: bool = False,
    first: int = NOTIFICATIONS_PAGE_DEFAULT,
    after: str | None = None,
) -> Page[Notification]:
    size = _page_size(first, maximum=PAGE_MAX)
    rows = await repository.notifications_page(
        session,
        user_id=_me(actor),
        organization_id=actor.organization_id,
        unread_only=unread_only,
        after=live.message_cursor_position(after, field="after"),
        limit=size + 1,
    )
    return _keyset_page(rows, size, lambda row: (row.created_at, row.id))


async def unread_notification_count(session: AsyncSession, actor: Principal) -> int:
    return await repository.unread_notification_count(
        session, user_id=_me(actor), organization_id=actor.organization_id
    )


async def mark_notification_read(
    session: AsyncSession, actor: Principal, *, notification_id: uuid.UUID
) -> Notification:
    notification = await repository.mark_notification_read(
        session, notification_id, user_id=_me(actor), organization_id=actor.organization_id, at=utcnow()
    )
    if notification is None:
        # Someone else's notification does not exist for the caller.
        raise not_found("Notification", notification_id)
    return notification


async def mark_all_notifications_read(session: AsyncSession, actor: Principal) -> int:
    return await repository.mark_all_notifications_read(
        session, user_id=_me(actor), organization_id=actor.organization_id, at=utcnow()
    )


async def create_notifications(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID | None,
    user_ids: Sequence[uuid.UUID],
    kind: NotificationKind,
    title: str,
    body: str,
    link: str | None = None,
    sender_user_id: uuid.UUID | None = None,
    urgent: bool = False,
) -> list[Notification]:
    """One notification per recipient, each announced with `notification.created`, as each recipient's
    preferences say: read already when they muted the kind in the app, emailed and pushed when they want
    it so. `urgent` ones (medical alerts) are emailed and pushed at once, whatever the quiet hours."""
    now = utcnow()
    title = validation.text(title, field="title", max_length=NOTIFICATION_TITLE_MAX_LENGTH)
    body = validation.text(body, field="body", max_length=NOTIFICATION_BODY_MAX_LENGTH)
    link = _link(link)
    recipients = list(dict.fromkeys(user_ids))
    chosen = await preferences.plan(session, recipients, kind)
    notifications = [
        Notification(
            id=uuid.uuid4(),
            organization_id=organization_id,
            user_id=user_id,
            kind=kind,
            title=title,
            body=body,
            link=link,
            sender_user_id=sender_user_id,
            created_at=now,
            read_at=now if user_id in chosen.muted else None,
        )
        for user_id in recipients
    ]
    await repository.add_notifications(session, notifications)
    for notification in notifications:
        await events.notification_created(session, notification, push=notification.user_id in chosen.push)
        if notification.user_id not in chosen.muted:
            live.notification_added(session, notification)
    await preferences.queue_emails(session, notifications, now, urgent=urgent)
    if await preferences.queue_pushes(session, notifications, now, urgent=urgent):
        push_delivery.wake_after_commit(session)
    return notifications


async def send_notification(
    session: AsyncSession,
    actor: Principal,
    *,
    user_ids: Sequence[uuid.UUID],
    kind: NotificationKind,
    title: str,
    body: str,
    link: str | None = None,
    organization_id: uuid.UUID | None = None,
) -> list[Notification]:
    """Staff notify chosen people of their club."""
    organization = _acting_organization(actor, organization_id)
    if not can_send_notification(actor, organization):
        raise Forbidden("only club administrators and coaches send notifications")
    if kind not in STAFF_NOTIFICATION_KINDS:
        allowed = ", ".join(sorted(k.name for k in STAFF_NOTIFICATION_KINDS))
        raise InvalidInput(f"staff send notifications of kind {allowed}", field="kind")
    recipients = list(dict.fromkeys(user_ids))
    if not recipients:
        raise InvalidInput("name at least one recipient", field="userIds")
    if len(recipients) > NOTIFICATION_RECIPIENTS_MAX:
        raise InvalidInput(f"at most {NOTIFICATION_RECIPIENTS_MAX} recipients at a time", field="userIds")
    return await create_notifications(
        session,
        organization_id=organization,
        user_ids=recipients,
        kind=kind,
        title=title,
        body=body,
        link=link,
        sender_user_id=actor.user_id,
    )
