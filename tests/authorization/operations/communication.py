"""The communication service's operations: conversations, chat messages and notifications.

Each anchor player's team has a team conversation with a message in it, made at setup by a member.
"""

from __future__ import annotations

import base64
import os
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from shared.auth.principal import Principal, Role
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
        said = await world.setup("communication", SEND, message, as_=Caller.CLUB_ADMIN)
        world.found[f"{subject.name}.conversation"] = conversation
        world.found[f"{subject.name}.message"] = said["sendChatMessage"]["id"]
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


async def _message(case: Case) -> Variables:
    """The club administrator's message in the case's team conversation."""
    return {"id": case.found("message")}


async def _edit(case: Case) -> Variables:
    return {"id": case.found("message"), "body": f"Bus leaves at 17:30 ({case.subject.name}), gate B."}


async def _fresh_message(case: Case) -> Variables:
    """A new message of the club administrator in the case's team conversation, for the caller to delete."""
    message = {"input": {"conversationId": case.found("conversation"), "body": unique("Wrong rink")}}
    said = await case.setup("communication", SEND, message, as_=Caller.CLUB_ADMIN)
    return {"id": said["sendChatMessage"]["id"]}


async def _react(case: Case) -> Variables:
    return {"id": case.found("message"), "emoji": "👍"}


async def _search(case: Case) -> Variables:
    return {"text": "Bus leaves"}


async def _someone_reacts(case: Case) -> None:
    await case.setup("communication", REACT, {"id": case.found("message"), "emoji": "🔥"}, as_=_other_member(case))


BROADCAST = "mutation Broadcast($input: SendBroadcastInput!) { sendBroadcast(input: $input) { id title } }"
_BROADCASTERS = frozenset({Caller.CLUB_ADMIN, Caller.COACH, Caller.OTHER_CLUB_ADMIN, Caller.OTHER_COACH})


def _broadcast_to(user_id: object) -> Variables:
    return {
        "input": {
            "title": unique("Jerseys"),
            "body": "Bring both jerseys.",
            "audience": "PEOPLE",
            "userIds": [str(user_id)],
        }
    }


async def _broadcast(case: Case) -> Variables:
    return _broadcast_to(case.subject.user_id)


async def _received_broadcast(case: Case) -> Variables:
    """A broadcast to the case's person (the caller, for `self`) from the club administrator, or from the
    coach when that person is the administrator (nobody broadcasts to themselves)."""
    sender = Caller.COACH if case.subject.user_id == case.world.person(Caller.CLUB_ADMIN) else Caller.CLUB_ADMIN
    data = await case.setup("communication", BROADCAST, _broadcast_to(case.subject.user_id), as_=sender)
    return {"id": data["sendBroadcast"]["id"]}


async def _own_broadcasts(case: Case) -> Variables:
    """Those who may broadcast send one first, so that they have one to list."""
    if case.caller in _BROADCASTERS:
        await case.setup("communication", BROADCAST, _broadcast_to(_someone_else(case)), as_=case.caller)
    return {}


ALERT = "mutation Alert($input: SendMedicalAlertInput!) { sendMedicalAlert(input: $input) { id title } }"


def _alert_about(case: Case) -> Variables:
    return {
        "input": {
            "playerId": str(case.subject.player_id),
            "teamId": case.team_id,
            "title": unique("Concussion protocol"),
            "body": "Not available today.",
        }
    }


async def _alert(case: Case) -> Variables:
    return _alert_about(case)


async def _sent_alert(case: Case) -> Variables:
    """An alert of the club's medical staff about the case's player."""
    data = await case.setup("communication", ALERT, _alert_about(case), as_=Caller.MEDICAL_STAFF)
    return {"id": data["sendMedicalAlert"]["id"]}


async def _quiet_evenings(case: Case) -> Variables:
    return {"input": {"timeZone": "Europe/Stockholm", "quietHoursStart": "22:00:00", "quietHoursEnd": "07:00:00"}}


REGISTER_DEVICE = """
mutation Device($input: RegisterPushDeviceInput!) { registerPushDevice(input: $input) { id label endpoint } }
"""


def _device() -> Variables:
    """A browser's subscription as the Push API gives it: a made-up endpoint, well-formed keys."""
    point = base64.urlsafe_b64encode(b"\x04" + os.urandom(64)).decode().rstrip("=")
    secret = base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip("=")
    endpoint = f"https://push.example.test/{unique('device').replace(' ', '-')}"
    return {"input": {"endpoint": endpoint, "p256dh": point, "auth": secret, "label": "Phone"}}


async def _new_device(case: Case) -> Variables:
    return _device()


async def _own_device(case: Case) -> Variables:
    """The caller registers a device first, so the list has something in it."""
    if case.principal is not None:
        await case.setup("communication", REGISTER_DEVICE, _device(), as_=case.caller)
    return {}


async def _subjects_device(case: Case) -> Variables:
    """A device of the case's person (the caller, for `self`), registered as them."""
    person = Principal(user_id=case.subject.user_id, roles=frozenset({Role.PLAYER}))
    response = await case.world.services["communication"].graphql.execute(REGISTER_DEVICE, _device(), as_=person)
    return {"id": response.ok()["registerPushDevice"]["id"]}


OPEN_PARENT_CHANNEL = """
mutation ParentChannel($playerId: ID!, $coachUserId: ID!) {
  openParentCoachConversation(playerId: $playerId, coachUserId: $coachUserId) { id kind name }
}
"""
REQUEST_MEETING = "mutation Meet($input: RequestMeetingInput!) { requestMeeting(input: $input) { id topic } }"


def _head_coach(case: Case) -> str:
    """The head coach of the case's player's team."""
    coach = next(
        person
        for person in case.world.club.staff
        if person.staff_role is Role.COACH and case.subject.team_id in person.team_ids
    )
    return str(coach.id)


async def _parent_channel(case: Case) -> Variables:
    return {"playerId": str(case.subject.player_id), "coachUserId": _head_coach(case)}


def _meeting_input(channel: str) -> Variables:
    soon = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0).isoformat()
    return {"input": {"conversationId": channel, "topic": unique("Ice time"), "proposedTimes": [soon]}}


async def _channel_of(case: Case) -> str:
    """The private channel of the junior's parent with the head coach of the case's player's team; opened
    by that parent (the channel exists only for a parent's own child)."""
    junior = case.world.junior
    variables = {"playerId": str(junior.player_id), "coachUserId": _head_coach(replace(case, subject=junior))}
    data = await case.setup("communication", OPEN_PARENT_CHANNEL, variables, as_=Caller.PARENT)
    channel: str = data["openParentCoachConversation"]["id"]
    return channel


async def _meeting(case: Case) -> Variables:
    return _meeting_input(await _channel_of(case))


async def _asked_meeting(case: Case) -> Variables:
    """A meeting the junior's parent asked of the junior's head coach, for the caller to answer (decline)."""
    data = await case.setup(
        "communication", REQUEST_MEETING, _meeting_input(await _channel_of(case)), as_=Caller.PARENT
    )
    return {"id": data["requestMeeting"]["id"]}


async def _conversation_key(case: Case) -> str:
    return str(case.found("conversation"))


REACT = "mutation React($id: ID!, $emoji: String!) { toggleChatReaction(id: $id, emoji: $emoji) { id body } }"

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
    "Mutation.editChatMessage": Operation(
        "mutation Edit($id: ID!, $body: String!) { editChatMessage(id: $id, body: $body) { id body } }", _edit
    ),
    "Mutation.deleteChatMessage": Operation(
        "mutation Delete($id: ID!) { deleteChatMessage(id: $id) { id isDeleted } }", _fresh_message
    ),
    "Mutation.toggleChatReaction": Operation(REACT, _react),
    "Mutation.pinChatMessage": Operation("mutation Pin($id: ID!) { pinChatMessage(id: $id) { id body } }", _message),
    "Query.broadcast": Operation(
        "query ReadBroadcast($id: ID!) { broadcast(id: $id) { id title recipients { acknowledgedAt } } }",
        _received_broadcast,
    ),
    "Query.sentBroadcasts": Operation("query Sent { sentBroadcasts { id title } }", _own_broadcasts),
    "Mutation.sendBroadcast": Operation(BROADCAST, _broadcast),
    "Mutation.acknowledgeBroadcast": Operation(
        "mutation Ack($id: ID!) { acknowledgeBroadcast(id: $id) { id title } }", _received_broadcast
    ),
    "Query.medicalAlert": Operation(
        "query ReadAlert($id: ID!) { medicalAlert(id: $id) { id title recipients { tier } } }", _sent_alert
    ),
    "Mutation.sendMedicalAlert": Operation(ALERT, _alert),
    "Mutation.acknowledgeMedicalAlert": Operation(
        "mutation AckAlert($id: ID!) { acknowledgeMedicalAlert(id: $id) { id title } }", _sent_alert
    ),
    "Query.myNotificationPreferences": Operation(
        "query Prefs { myNotificationPreferences { timeZone digest channels { kind channel enabled } } }"
    ),
    "Mutation.updateNotificationPreferences": Operation(
        "mutation SetPrefs($input: NotificationPreferencesInput!) {"
        " updateNotificationPreferences(input: $input) { timeZone quietHoursStart } }",
        _quiet_evenings,
    ),
    "Query.pushPublicKey": Operation("query PushKey { pushPublicKey }"),
    "Query.myPushDevices": Operation("query Devices { myPushDevices { id label endpoint } }", _own_device),
    "Mutation.registerPushDevice": Operation(REGISTER_DEVICE, _new_device),
    "Mutation.removePushDevice": Operation("mutation Forget($id: ID!) { removePushDevice(id: $id) }", _subjects_device),
    "Mutation.openParentCoachConversation": Operation(OPEN_PARENT_CHANNEL, _parent_channel),
    "Mutation.requestMeeting": Operation(REQUEST_MEETING, _meeting),
    "Mutation.respondToMeetingRequest": Operation(
        "mutation Answer($id: ID!) { respondToMeetingRequest(id: $id) { id topic status } }", _asked_meeting
    ),
    "Query.searchChatMessages": Operation(
        "query Search($text: String!) { searchChatMessages(text: $text) { id body } }", _search
    ),
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
    "Subscription.messageChanged": Operation(
        "subscription Changes($conversationId: ID!) { messageChanged(conversationId: $conversationId) { id body } }",
        _messages,
        trigger=_someone_reacts,
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
