"""Live chat at the communication subgraph, over graphql-transport-ws with a real socket: messages,
typing and read receipts reach the conversation's members (only them), notifications reach their
recipient, nothing is announced before it is committed, and a reconnecting client catches up."""

from __future__ import annotations

import asyncio

import pytest

from shared.auth.principal import Principal
from tests.communication.factories import Club, make_direct, make_group, notify, send
from tests.support.live import LiveClient, served
from tests.support.services import RunningService, running_service

MESSAGES = """
subscription Messages($id: ID!, $after: String) {
  messageAdded(conversationId: $id, after: $after) { id body cursor sender { id } conversationId }
}
"""
TYPING = "subscription Typing($id: ID!) { typing(conversationId: $id) { user { id } isTyping } }"
RECEIPTS = "subscription Receipts($id: ID!) { readReceipts(conversationId: $id) { user { id } readAt } }"
INBOX = "subscription { notificationAdded { title kind isRead } }"
SEND = """
mutation Send($id: ID!, $body: String!) { sendChatMessage(input: {conversationId: $id, body: $body}) { id cursor } }
"""
REPORT_TYPING = "mutation Typing($id: ID!, $on: Boolean!) { reportTyping(conversationId: $id, isTyping: $on) }"
MARK_READ = "mutation Read($id: ID!) { markConversationRead(conversationId: $id) { id } }"
CATCH_UP = """
query CatchUp($id: ID!, $after: String!) { chatMessages(conversationId: $id, after: $after) { items { body } } }
"""


async def say(communication: RunningService, by: Principal, conversation_id: str, body: str) -> dict[str, str]:
    sent: dict[str, str] = (
        await communication.graphql.execute(SEND, {"id": conversation_id, "body": body}, as_=by)
    ).ok()["sendChatMessage"]
    return sent


def token(communication: RunningService, who: Principal) -> str:
    return communication.graphql.token(who)


async def test_members_receive_each_message_as_it_is_sent(communication: RunningService, club: Club) -> None:
    # given a direct conversation between the coach and a player, the player following it
    conversation = await make_direct(communication, between=club.coach, and_=club.player)
    conversation_id = str(conversation.id)
    async with served(communication.app) as url, LiveClient.connected(url, token(communication, club.player)) as phone:
        await phone.subscribe("chat", MESSAGES, {"id": conversation_id})
        await asyncio.sleep(0.2)  # the subscription is open at the subgraph
        # when the coach sends two messages
        first = await say(communication, club.coach, conversation_id, "Bus leaves at 6")
        await say(communication, club.coach, conversation_id, "Bring both jerseys")
        # then the player receives both, in order, with their cursors
        received = [(await phone.data("chat"))["messageAdded"] for _ in range(2)]
        assert [message["body"] for message in received] == ["Bus leaves at 6", "Bring both jerseys"]
        assert received[0]["cursor"] == first["cursor"]
        assert received[0]["sender"]["id"] == str(club.coach.user_id)
        assert received[0]["conversationId"] == conversation_id


async def test_only_members_may_follow_a_conversation(communication: RunningService, club: Club) -> None:
    conversation = await make_direct(communication, between=club.coach, and_=club.player)
    async with served(communication.app) as url:
        # a teammate of the same club is refused; for a coach of another club the conversation does not exist
        for stranger, code in ((club.teammate, "FORBIDDEN"), (club.outsider, "NOT_FOUND")):
            async with LiveClient.connected(url, token(communication, stranger)) as client:
                await client.subscribe("chat", MESSAGES, {"id": str(conversation.id)})
                refused = await client.message("chat")
                errors = refused["payload"]["errors"] if refused["type"] == "next" else refused["payload"]
                assert errors[0]["extensions"]["code"] == code
                assert (await client.message("chat"))["type"] == "complete"


async def test_a_reconnecting_client_catches_up_from_its_last_cursor(communication: RunningService, club: Club) -> None:
    conversation = await make_group(communication, by=club.coach, members=[club.player, club.teammate])
    conversation_id = str(conversation.id)
    # given the player saw the first message, then lost the connection while two more were sent
    seen = await say(communication, club.coach, conversation_id, "Warm-up at 17:30")
    await say(communication, club.teammate, conversation_id, "On my way")
    await say(communication, club.coach, conversation_id, "Lines posted")
    async with served(communication.app) as url, LiveClient.connected(url, token(communication, club.player)) as phone:
        # when they follow the conversation again from their last cursor
        await phone.subscribe("chat", MESSAGES, {"id": conversation_id, "after": seen["cursor"]})
        # then the two missed messages come first, then new ones live
        missed = [(await phone.data("chat"))["messageAdded"]["body"] for _ in range(2)]
        assert missed == ["On my way", "Lines posted"]
        await asyncio.sleep(0.1)
        await say(communication, club.teammate, conversation_id, "Ice time!")
        assert (await phone.data("chat"))["messageAdded"]["body"] == "Ice time!"
    # and the same catch-up works as a query, oldest first
    page = (
        await communication.graphql.execute(CATCH_UP, {"id": conversation_id, "after": seen["cursor"]}, as_=club.player)
    ).ok()
    assert [item["body"] for item in page["chatMessages"]["items"]] == ["On my way", "Lines posted", "Ice time!"]


async def test_typing_and_read_receipts_reach_the_other_members(communication: RunningService, club: Club) -> None:
    conversation = await make_direct(communication, between=club.coach, and_=club.player)
    conversation_id = str(conversation.id)
    async with served(communication.app) as url, LiveClient.connected(url, token(communication, club.coach)) as tablet:
        await tablet.subscribe("typing", TYPING, {"id": conversation_id})
        await tablet.subscribe("receipts", RECEIPTS, {"id": conversation_id})
        await asyncio.sleep(0.2)
        # when the player types, stops, and reads; and the coach types too
        for on in (True, False):
            assert (
                await communication.graphql.execute(REPORT_TYPING, {"id": conversation_id, "on": on}, as_=club.player)
            ).ok()
        await communication.graphql.execute(REPORT_TYPING, {"id": conversation_id, "on": True}, as_=club.coach)
        (await communication.graphql.execute(MARK_READ, {"id": conversation_id}, as_=club.player)).ok()
        # then the coach sees the player's typing (not their own) and the player's read receipt
        player = {"id": str(club.player.user_id)}
        assert await tablet.data("typing") == {"typing": {"user": player, "isTyping": True}}
        assert await tablet.data("typing") == {"typing": {"user": player, "isTyping": False}}
        assert await tablet.nothing("typing")
        receipt = (await tablet.data("receipts"))["readReceipts"]
        assert receipt["user"] == player
        assert receipt["readAt"]
    # and someone outside the conversation cannot pretend to type in it
    refused = await communication.graphql.execute(REPORT_TYPING, {"id": conversation_id, "on": True}, as_=club.outsider)
    assert refused.error("NOT_FOUND")


async def test_a_notification_reaches_its_recipient_only(communication: RunningService, club: Club) -> None:
    async with (
        served(communication.app) as url,
        LiveClient.connected(url, token(communication, club.player)) as player,
        LiveClient.connected(url, token(communication, club.teammate)) as teammate,
    ):
        await player.subscribe("inbox", INBOX)
        await teammate.subscribe("inbox", INBOX)
        await asyncio.sleep(0.2)
        await notify(communication, to=[club.player], by=club.coach, title="Practice moved to 7")
        assert await player.data("inbox") == {
            "notificationAdded": {"title": "Practice moved to 7", "kind": "ANNOUNCEMENT", "isRead": False}
        }
        assert await teammate.nothing("inbox")


async def test_nothing_is_announced_for_a_change_that_rolled_back(communication: RunningService, club: Club) -> None:
    conversation = await make_direct(communication, between=club.coach, and_=club.player)
    conversation_id = str(conversation.id)
    async with served(communication.app) as url, LiveClient.connected(url, token(communication, club.player)) as phone:
        await phone.subscribe("chat", MESSAGES, {"id": conversation_id})
        await asyncio.sleep(0.2)
        # when a request sends a message and then fails in a later field, the whole request rolls back
        both = """
        mutation Twice($id: ID!) {
          ok: sendChatMessage(input: {conversationId: $id, body: "first"}) { id }
          bad: sendChatMessage(input: {conversationId: $id, body: ""}) { id }
        }
        """
        await communication.graphql.execute(both, {"id": conversation_id}, as_=club.coach)
        # then only what was committed is announced: the first field's message (its savepoint stood)
        assert (await phone.data("chat"))["messageAdded"]["body"] == "first"
        assert await phone.nothing("chat")


async def test_a_message_sent_on_one_replica_reaches_subscribers_of_another(
    communication: RunningService, club: Club
) -> None:
    settings = communication.runtime.settings
    if not settings.redis_url:
        pytest.skip("replicas share announcements through Redis (servers backend)")
    conversation = await make_direct(communication, between=club.coach, and_=club.player)
    async with (
        running_service("communication", settings, communication.graphql.issuer) as replica,
        served(replica.app) as url,
        LiveClient.connected(url, token(communication, club.player)) as phone,
    ):
        await phone.subscribe("chat", MESSAGES, {"id": str(conversation.id)})
        await asyncio.sleep(0.2)
        await send(communication, by=club.coach, conversation=conversation, body="From the other replica")
        assert (await phone.data("chat"))["messageAdded"]["body"] == "From the other replica"
