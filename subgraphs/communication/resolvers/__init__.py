"""Queries and mutations of the communication service: parse input, call the service, wrap the result."""

from __future__ import annotations

from typing import Annotated

import strawberry

from shared.auth.principal import Role
from shared.graphql import Ctx, actor, mutation, parse_id, parse_ids, requires_role, requires_sign_in
from subgraphs.communication import message_actions, service
from subgraphs.communication.message_actions import AttachmentSpec
from subgraphs.communication.models import ConversationKind, NotificationKind
from subgraphs.communication.resolvers.outreach import OutreachMutation, OutreachQuery
from subgraphs.communication.resolvers.preferences import PreferencesMutation, PreferencesQuery
from subgraphs.communication.resolvers.push import PushMutation, PushQuery
from subgraphs.communication.types import (
    ChatMessage,
    ChatMessagePage,
    Conversation,
    Notification,
    NotificationPage,
    SendNotificationPayload,
)


@strawberry.input(description="A new named conversation with chosen members of the caller's club.")
class CreateGroupConversationInput:
    name: str = strawberry.field(description="The group's name, up to 120 characters.")
    member_ids: list[strawberry.ID] = strawberry.field(description="The members besides the caller (1 to 100 users).")


@strawberry.input(description="A message to post.")
class SendChatMessageInput:
    conversation_id: strawberry.ID = strawberry.field(description="The conversation to post in.")
    body: str = strawberry.field(description="The text, 1 to 4000 characters.")
    reply_to_id: strawberry.ID | None = strawberry.field(
        default=None, description="A message of the same conversation this one answers."
    )
    mention_user_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="Members to mention (each is notified); mentions written `@[<user id>]` in the body count too.",
    )
    attachments: list[ChatAttachmentInput] = strawberry.field(
        default_factory=list, description="Files the message carries (at most 10), already uploaded."
    )


@strawberry.input(description="A file a message carries: the file is uploaded elsewhere; this describes it.")
class ChatAttachmentInput:
    file_name: str = strawberry.field(description="The file's name, up to 255 characters, without slashes.")
    content_type: str = strawberry.field(description="Its media type, such as image/png or application/pdf.")
    size_bytes: int = strawberry.field(description="Its size in bytes, 1 to 100 MiB.")
    url: str = strawberry.field(description="Where it is: a path such as /files/123 or an https address.")


@strawberry.input(description="A notification staff send to chosen people of their club.")
class SendNotificationInput:
    user_ids: list[strawberry.ID] = strawberry.field(description="The recipients (1 to 500 users).")
    title: str = strawberry.field(description="A short headline, up to 200 characters.")
    body: str = strawberry.field(description="The text, up to 2000 characters.")
    kind: NotificationKind = strawberry.field(
        default=NotificationKind.ANNOUNCEMENT,
        description="ANNOUNCEMENT, EVENT_REMINDER or TRAINING_ASSIGNED.",
    )
    link: str | None = strawberry.field(
        default=None, description="Where it leads: a path such as /calendar/123 or an https address."
    )
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="The club, for platform administrators; others send within their own."
    )


@strawberry.type(description="Reads of conversations, messages, notifications, broadcasts and alerts.")
class Query(OutreachQuery, PreferencesQuery, PushQuery):
    @strawberry.field(
        description="The caller's conversations, most recently active first.",
        extensions=[requires_sign_in()],
    )
    async def conversations(
        self,
        info: Ctx,
        kind: Annotated[
            ConversationKind | None, strawberry.argument(description="Only conversations of this kind.")
        ] = None,
        first: Annotated[int, strawberry.argument(description="How many, 1 to 200.")] = 50,
    ) -> list[Conversation]:
        rows = await service.list_conversations(info.context.session, actor(info), kind=kind, first=first)
        return [Conversation.from_row(row) for row in rows]

    @strawberry.field(description="One conversation the caller takes part in.", extensions=[requires_sign_in()])
    async def conversation(
        self, info: Ctx, id: Annotated[strawberry.ID, strawberry.argument(description="The conversation.")]
    ) -> Conversation:
        row = await service.get_conversation(info.context.session, actor(info), parse_id(id))
        return Conversation.from_row(row)

    @strawberry.field(
        description="A conversation's messages, newest first, one page at a time.",
        extensions=[requires_sign_in()],
    )
    async def chat_messages(
        self,
        info: Ctx,
        conversation_id: Annotated[strawberry.ID, strawberry.argument(description="The conversation.")],
        first: Annotated[int, strawberry.argument(description="Page size, 1 to 100.")] = 50,
        before: Annotated[str | None, strawberry.argument(description="The `nextCursor` of the previous page.")] = None,
        after: Annotated[
            str | None,
            strawberry.argument(
                description="A message's `cursor`: instead of older pages, the messages sent after that one, "
                "oldest first (what a client missed while offline)."
            ),
        ] = None,
    ) -> ChatMessagePage:
        page = await service.list_messages(
            info.context.session,
            actor(info),
            conversation_id=parse_id(conversation_id, field="conversationId"),
            first=first,
            before=before,
            after=after,
        )
        return ChatMessagePage.from_page(page)

    @strawberry.field(
        description="Messages containing a text (any case) in the caller's conversations, newest first.",
        extensions=[requires_sign_in()],
    )
    async def search_chat_messages(
        self,
        info: Ctx,
        text: Annotated[str, strawberry.argument(description="What to look for, 2 to 100 characters.")],
        conversation_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only in this conversation.")
        ] = None,
        first: Annotated[int, strawberry.argument(description="How many, 1 to 100.")] = 20,
    ) -> list[ChatMessage]:
        rows = await message_actions.search_messages(
            info.context.session,
            actor(info),
            text=text,
            conversation_id=parse_id(conversation_id, field="conversationId") if conversation_id else None,
            first=first,
        )
        return [ChatMessage.from_row(row) for row in rows]

    @strawberry.field(description="The caller's notifications, newest first.", extensions=[requires_sign_in()])
    async def my_notifications(
        self,
        info: Ctx,
        unread_only: Annotated[bool, strawberry.argument(description="Only those not read yet.")] = False,
        first: Annotated[int, strawberry.argument(description="Page size, 1 to 100.")] = 20,
        after: Annotated[str | None, strawberry.argument(description="The `nextCursor` of the previous page.")] = None,
    ) -> NotificationPage:
        page = await service.my_notifications(
            info.context.session, actor(info), unread_only=unread_only, first=first, after=after
        )
        return NotificationPage.from_page(page)

    @strawberry.field(description="How many of the caller's notifications are unread.", extensions=[requires_sign_in()])
    async def unread_notification_count(self, info: Ctx) -> int:
        return await service.unread_notification_count(info.context.session, actor(info))


@strawberry.type(description="Changes to conversations, messages and notifications.")
class Mutation(OutreachMutation, PreferencesMutation, PushMutation):
    @mutation(description="Start (or return the existing) direct conversation with another person.")
    async def start_direct_conversation(
        self,
        info: Ctx,
        user_id: Annotated[strawberry.ID, strawberry.argument(description="The other person.")],
    ) -> Conversation:
        row = await service.start_direct_conversation(
            info.context.session, actor(info), user_id=parse_id(user_id, field="userId")
        )
        return Conversation.from_row(row)

    @mutation(description="Create a named conversation with chosen members; the caller is one of them.")
    async def create_group_conversation(self, info: Ctx, input: CreateGroupConversationInput) -> Conversation:
        row = await service.create_group_conversation(
            info.context.session,
            actor(info),
            name=input.name,
            member_ids=parse_ids(input.member_ids, field="memberIds"),
        )
        return Conversation.from_row(row)

    @mutation(description="Open (or return) a team's conversation; for the team's members.")
    async def open_team_conversation(
        self,
        info: Ctx,
        team_id: Annotated[strawberry.ID, strawberry.argument(description="A team the caller belongs to.")],
        name: Annotated[str | None, strawberry.argument(description="A name, when it is created.")] = None,
    ) -> Conversation:
        row = await service.open_team_conversation(
            info.context.session, actor(info), team_id=parse_id(team_id, field="teamId"), name=name
        )
        return Conversation.from_row(row)

    @mutation(description="Post a message in a conversation the caller belongs to.")
    async def send_chat_message(self, info: Ctx, input: SendChatMessageInput) -> ChatMessage:
        row = await service.send_message(
            info.context.session,
            actor(info),
            conversation_id=parse_id(input.conversation_id, field="conversationId"),
            body=input.body,
            reply_to_id=parse_id(input.reply_to_id, field="replyToId") if input.reply_to_id else None,
            mention_user_ids=parse_ids(input.mention_user_ids, field="mentionUserIds"),
            attachments=[
                AttachmentSpec(
                    file_name=file.file_name, content_type=file.content_type, size_bytes=file.size_bytes, url=file.url
                )
                for file in input.attachments
            ],
        )
        return ChatMessage.from_row(row)

    @mutation(description="Rewrite one of the caller's own messages, within 48 hours of sending it.")
    async def edit_chat_message(
        self,
        info: Ctx,
        id: Annotated[strawberry.ID, strawberry.argument(description="The message.")],
        body: Annotated[str, strawberry.argument(description="The new text, 1 to 4000 characters.")],
    ) -> ChatMessage:
        row = await message_actions.edit_message(info.context.session, actor(info), message_id=parse_id(id), body=body)
        return ChatMessage.from_row(row)

    @mutation(
        description="Delete a message: the author's own, or any in a conversation the caller moderates (a group "
        "they created, their team's thread as its coach or the club's administrator). It keeps its place, "
        "without text."
    )
    async def delete_chat_message(
        self, info: Ctx, id: Annotated[strawberry.ID, strawberry.argument(description="The message.")]
    ) -> ChatMessage:
        row = await message_actions.delete_message(info.context.session, actor(info), message_id=parse_id(id))
        return ChatMessage.from_row(row)

    @mutation(description="Add the caller's emoji to a message, or take it back when they had already added it.")
    async def toggle_chat_reaction(
        self,
        info: Ctx,
        id: Annotated[strawberry.ID, strawberry.argument(description="The message.")],
        emoji: Annotated[str, strawberry.argument(description="An emoji such as 👍, or a short code such as :fire:.")],
    ) -> ChatMessage:
        row = await message_actions.toggle_reaction(
            info.context.session, actor(info), message_id=parse_id(id), emoji=emoji
        )
        return ChatMessage.from_row(row)

    @mutation(description="Pin a message to the top of its conversation, or unpin it; for the members.")
    async def pin_chat_message(
        self,
        info: Ctx,
        id: Annotated[strawberry.ID, strawberry.argument(description="The message.")],
        pinned: Annotated[bool, strawberry.argument(description="False to unpin.")] = True,
    ) -> ChatMessage:
        row = await message_actions.set_pinned(
            info.context.session, actor(info), message_id=parse_id(id), pinned=pinned
        )
        return ChatMessage.from_row(row)

    @mutation(description="Mark everything in a conversation as read by the caller.")
    async def mark_conversation_read(
        self,
        info: Ctx,
        conversation_id: Annotated[strawberry.ID, strawberry.argument(description="The conversation.")],
    ) -> Conversation:
        row = await service.mark_conversation_read(
            info.context.session,
            actor(info),
            conversation_id=parse_id(conversation_id, field="conversationId"),
        )
        return Conversation.from_row(row)

    @mutation(
        description="Tell the other members that the caller is typing (or stopped). Nothing is stored.",
        audited=False,
    )
    async def report_typing(
        self,
        info: Ctx,
        conversation_id: Annotated[strawberry.ID, strawberry.argument(description="The conversation.")],
        is_typing: Annotated[bool, strawberry.argument(description="False when they stopped.")] = True,
    ) -> bool:
        await service.report_typing(
            info.context.session,
            actor(info),
            conversation_id=parse_id(conversation_id, field="conversationId"),
            is_typing=is_typing,
        )
        return True

    @mutation(description="Mark one of the caller's notifications as read.")
    async def mark_notification_read(
        self, info: Ctx, id: Annotated[strawberry.ID, strawberry.argument(description="The notification.")]
    ) -> Notification:
        row = await service.mark_notification_read(info.context.session, actor(info), notification_id=parse_id(id))
        return Notification.from_row(row)

    @mutation(description="Mark all of the caller's notifications as read; returns how many changed.")
    async def mark_all_notifications_read(self, info: Ctx) -> int:
        return await service.mark_all_notifications_read(info.context.session, actor(info))

    @mutation(
        description="Send a notification to chosen people of the club (club administrators and coaches).",
        extensions=[requires_role(Role.CLUB_ADMIN, Role.COACH)],
    )
    async def send_notification(self, info: Ctx, input: SendNotificationInput) -> SendNotificationPayload:
        rows = await service.send_notification(
            info.context.session,
            actor(info),
            user_ids=parse_ids(input.user_ids, field="userIds"),
            kind=input.kind,
            title=input.title,
            body=input.body,
            link=input.link,
            organization_id=(
                parse_id(input.organization_id, field="organizationId") if input.organization_id else None
            ),
        )
        return SendNotificationPayload(notifications=[Notification.from_row(row) for row in rows])
