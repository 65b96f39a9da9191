"""The communication service's operations: conversations, chat messages and notifications.

Each anchor player's team has a team conversation with a message in it, made at setup by a member.
"""

from __future__ import annotations

from tests.authorization.cases import Case, Operation, Variables, unique
from tests.authorization.operations.common import entity
from tests.authorization.table import Caller
from tests.authorization.world import World

OPEN_TEAM = "mutation Open($teamId: ID!) { openTeamConversation(teamId: $teamId) { id kind name } }"
SEND = "mutation Say($input: SendChatMessageInput!) { sendChatMessage(input: $input) { id body } }"
CREATE_GROUP = """
mutation Group($input: CreateGroupConversationInput!) { createGroupConversation(input: $input) { id kind name } }
"""
TYPING = "mutation Typing($conversationId: ID!) { reportTyping(conversationId: $conversationId) }"
READ = """
mutation Read($conversationId: ID!) { markConversationRead(conversationId: $conversationId) { id kind unreadCount } }
"""
NOTIFY = """
mutation Notify($input: SendNotificationInput!) {
  sendNotification(input: $input) { recipientCount notifications { id title } }
}
"""


_OUTSIDE = frozenset({Caller.PLATFORM_ADMIN, Caller.OTHER_CLUB_ADMIN, Caller.OTHER_COACH})


async def prepare(world: World) -> None:
    """A team conversation for each anchor's team, opened by a member (the club administrator's token
    lists every team), with one message."""
    for subject in (world.junior, world.senior):
        opened = await world.setup("communication", OPEN_TEAM, {"teamId": str(subject.team_id)}, as_=Caller.CLUB_ADMIN)
        conversation = opened["openTeamConversation"]["id"]
        message = {"input": {"conversationId": conversation, "body": f"Bus leaves at 17:30 ({subject.name})."}}
        await world.setup("communication", SEND, message, as_=Caller.CLUB_ADMIN)
        world.found[f"{subject.name}.conversation"] = conversation
    # and a group conversation and a notification for everyone of the club, so that each has one to read
    members = [caller for caller in Caller if caller not in _OUTSIDE and world.principal(caller) is not None]
    recipients = [str(world.person(caller)) for caller in members]
    group = {"input": {"name": "Lynx volunteers", "memberIds": recipients}}
    await world.setup("communication", CREATE_GROUP, group, as_=Caller.CLUB_ADMIN)
    notice = {"input": {"userIds": recipients, "title": "Season kick-off", "body": "Friday at the clubhouse."}}
    await world.setup("communication", NOTIFY, notice, as_=Caller.CLUB_ADMIN)


async def _conversation(case: Case) -> Variables:
    return {"id": case.found("conversation")}


async def _messages(case: Case) -> Variables:
    return {"conversationId": case.found("conversation")}


def _someone_else(case: Case) -> str:
    """The case's player's account, or the other anchor's when the caller is that player."""
    if case.world.principal(case.caller) is not None and case.world.person(case.caller) == case.subject.user_id:
        return str(case.world.away(case.caller).user_id)
    return str(case.subject.user_id)


async def _direct(case: Case) -> Variables:
    return {"userId": _someone_else(case)}


async def _group(case: Case) -> Variables:
    return {"input": {"name": unique("Carpool"), "memberIds": [_someone_else(case)]}}


async def _team(case: Case) -> Variables:
    return {"teamId": case.team_id}


async def _say(case: Case) -> Variables:
    return {"input": {"conversationId": case.found("conversation"), "body": "See you at the rink."}}


def _notification(case: Case) -> Variables:
    return {"input": {"userIds": [str(case.subject.user_id)], "title": unique("Ice time moved"), "body": "Now 18:00."}}


async def _notify(case: Case) -> Variables:
    return _notification(case)


async def _read_notification(case: Case) -> Variables:
    """A notification the club administrator sent to the case's person (the caller, for `self`)."""
    data = await case.setup("communication", NOTIFY, _notification(case), as_=Caller.CLUB_ADMIN)
    return {"id": data["sendNotification"]["notifications"][0]["id"]}


def _other_member(case: Case) -> Caller:
    """Someone else in both team conversations, whose actions the caller's subscription should see."""
    return Caller.PHYSICAL_TRAINER if case.caller is Caller.CLUB_ADMIN else Caller.CLUB_ADMIN


async def _someone_writes(case: Case) -> None:
    message = {"input": {"conversationId": case.found("conversation"), "body": "On my way."}}
    await case.setup("communication", SEND, message, as_=_other_member(case))


async def _someone_types(case: Case) -> None:
    await case.setup("communication", TYPING, {"conversationId": case.found("conversation")}, as_=_other_member(case))


async def _someone_reads(case: Case) -> None:
    await case.setup("communication", READ, {"conversationId": case.found("conversation")}, as_=_other_member(case))


async def _notified(case: Case) -> None:
    """A notification to the caller from their own club's administrator."""
    sender = (
        Caller.OTHER_CLUB_ADMIN if case.caller in (Caller.OTHER_CLUB_ADMIN, Caller.OTHER_COACH) else Caller.CLUB_ADMIN
    )
    notice = {
        "input": {
            "userIds": [str(case.world.person(case.caller))],
            "title": unique("Reminder"),
            "body": "Skates sharpened?",
        }
    }
    await case.setup("communication", NOTIFY, notice, as_=sender)


async def _conversation_key(case: Case) -> str:
    return str(case.found("conversation"))


OPERATIONS = {
    "Query.conversations": Operation("query Conversations { conversations { id kind name } }"),
    "Query.conversation": Operation(
        "query Conversation($id: ID!) { conversation(id: $id) { id kind name lastMessage { body } } }", _conversation
    ),
    "Query.chatMessages": Operation(
        "query Messages($conversationId: ID!) { chatMessages(conversationId: $conversationId) { items { id body } } }",
        _messages,
    ),
    "Query.myNotifications": Operation("query Notifications { myNotifications { items { id title body } } }"),
    "Query.unreadNotificationCount": Operation("query Unread { unreadNotificationCount }"),
    "Mutation.startDirectConversation": Operation(
        "mutation Direct($userId: ID!) { startDirectConversation(userId: $userId) { id kind createdAt } }", _direct
    ),
    "Mutation.createGroupConversation": Operation(CREATE_GROUP, _group),
    "Mutation.openTeamConversation": Operation(OPEN_TEAM, _team),
    "Mutation.sendChatMessage": Operation(SEND, _say),
    "Mutation.reportTyping": Operation(TYPING, _messages),
    "Mutation.markConversationRead": Operation(READ, _messages),
    "Mutation.markNotificationRead": Operation(
        "mutation ReadOne($id: ID!) { markNotificationRead(id: $id) { id title isRead } }", _read_notification
    ),
    "Mutation.markAllNotificationsRead": Operation("mutation ReadAll { markAllNotificationsRead }"),
    "Mutation.sendNotification": Operation(NOTIFY, _notify),
    "Subscription.messageAdded": Operation(
        "subscription Chat($conversationId: ID!) { messageAdded(conversationId: $conversationId) { id body } }",
        _messages,
        trigger=_someone_writes,
    ),
    "Subscription.typing": Operation(
        "subscription Typing($conversationId: ID!) { typing(conversationId: $conversationId) { isTyping at } }",
        _messages,
        trigger=_someone_types,
    ),
    "Subscription.readReceipts": Operation(
        "subscription Receipts($conversationId: ID!) { readReceipts(conversationId: $conversationId) { readAt } }",
        _messages,
        trigger=_someone_reads,
    ),
    "Subscription.notificationAdded": Operation(
        "subscription Inbox { notificationAdded { id title } }", trigger=_notified
    ),
    "_entities.Conversation": entity("Conversation", "id kind name lastMessage { body }", key=_conversation_key),
}
