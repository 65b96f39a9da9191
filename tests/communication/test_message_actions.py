"""What members do with messages after sending them, through GraphQL over HTTP: edit, delete, reactions,
pins, mentions, attachments, search and read receipts."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

from sqlalchemy import update

from shared.database import utcnow
from subgraphs.communication.models import Message
from tests.communication.factories import (
    Club,
    make_direct,
    make_group,
    make_team_conversation,
    send,
    user_of,
)
from tests.support.live import LiveClient, served
from tests.support.services import RunningService
from tests.support.statements import count_statements

FIELDS = """
id body isDeleted isEdited editedAt deletedAt pinnedAt pinnedBy { id }
mentions { id }
attachments { fileName contentType sizeBytes url }
reactions { emoji count reactedByMe users { id } }
"""
SEND = f"mutation Send($input: SendChatMessageInput!) {{ sendChatMessage(input: $input) {{ {FIELDS} }} }}"
EDIT = f"mutation Edit($id: ID!, $body: String!) {{ editChatMessage(id: $id, body: $body) {{ {FIELDS} }} }}"
DELETE = f"mutation Delete($id: ID!) {{ deleteChatMessage(id: $id) {{ {FIELDS} }} }}"
REACT = f"mutation React($id: ID!, $emoji: String!) {{ toggleChatReaction(id: $id, emoji: $emoji) {{ {FIELDS} }} }}"
PIN = f"mutation Pin($id: ID!, $pinned: Boolean!) {{ pinChatMessage(id: $id, pinned: $pinned) {{ {FIELDS} }} }}"
SEARCH = """
query Search($text: String!, $conversationId: ID, $first: Int! = 20) {
  searchChatMessages(text: $text, conversationId: $conversationId, first: $first) { id body conversationId }
}
"""
CONVERSATION = """
query Conversation($id: ID!) {
  conversation(id: $id) {
    unreadCount
    pinnedMessages { id body pinnedBy { id } }
    participants { user { id } lastReadAt lastReadMessage { id body } }
  }
}
"""
READ = "mutation Read($id: ID!) { markConversationRead(conversationId: $id) { id unreadCount } }"
NOTIFICATIONS = "query Inbox { myNotifications { items { kind title body link sender { id } } } }"
MESSAGES = f"""
query Messages($conversationId: ID!) {{
  chatMessages(conversationId: $conversationId, first: 100) {{ items {{ {FIELDS} }} }}
}}
"""


async def _age(svc: RunningService, message_id: uuid.UUID, *, hours: float) -> None:
    """Pretend the message was sent `hours` ago."""
    async with svc.runtime.sessions() as session, session.begin():
        await session.execute(
            update(Message).where(Message.id == message_id).values(sent_at=utcnow() - timedelta(hours=hours))
        )


# Edits -------------------------------------------------------------------------------------------------


async def test_the_author_edits_within_48_hours(communication: RunningService, club: Club) -> None:
    # given a message the coach sent 47 hours ago
    direct = await make_direct(communication, between=club.coach, and_=club.player)
    message = await send(communication, by=club.coach, conversation=direct, body="Practice at 17:00")
    await _age(communication, message.id, hours=47)
    # when the coach corrects it
    edited = (
        await communication.graphql.execute(
            EDIT, {"id": str(message.id), "body": " Practice at 18:00 "}, as_=club.coach
        )
    ).ok()["editChatMessage"]
    # then the new text shows, marked as edited
    assert edited["body"] == "Practice at 18:00"
    assert edited["isEdited"] is True
    assert edited["editedAt"] is not None
    # and the player reads the edited text
    page = (await communication.graphql.execute(MESSAGES, {"conversationId": str(direct.id)}, as_=club.player)).ok()
    assert [item["body"] for item in page["chatMessages"]["items"]] == ["Practice at 18:00"]


async def test_only_the_author_edits_and_only_for_48_hours(communication: RunningService, club: Club) -> None:
    direct = await make_direct(communication, between=club.coach, and_=club.player)
    message = await send(communication, by=club.coach, conversation=direct)
    # the other member may not
    other = await communication.graphql.execute(EDIT, {"id": str(message.id), "body": "Mine now"}, as_=club.player)
    assert other.codes == ["FORBIDDEN"]
    # an outsider does not see it at all
    outside = await communication.graphql.execute(EDIT, {"id": str(message.id), "body": "x"}, as_=club.outsider)
    assert outside.codes == ["NOT_FOUND"]
    # blank text names the field
    blank = await communication.graphql.execute(EDIT, {"id": str(message.id), "body": "  "}, as_=club.coach)
    assert blank.error("BAD_USER_INPUT")["extensions"]["field"] == "body"
    # after 48 hours the author may not either
    await _age(communication, message.id, hours=48.1)
    late = await communication.graphql.execute(EDIT, {"id": str(message.id), "body": "Too late"}, as_=club.coach)
    assert late.codes == ["FORBIDDEN"]
    unknown = await communication.graphql.execute(EDIT, {"id": str(uuid.uuid4()), "body": "x"}, as_=club.coach)
    assert unknown.codes == ["NOT_FOUND"]


# Deletes -----------------------------------------------------------------------------------------------


async def test_a_deleted_message_keeps_its_place_without_text(communication: RunningService, club: Club) -> None:
    # given a pinned message with an attachment, and a reply to it
    direct = await make_direct(communication, between=club.coach, and_=club.player)
    sent = (
        await communication.graphql.execute(
            SEND,
            {
                "input": {
                    "conversationId": str(direct.id),
                    "body": "Wrong lineup",
                    "attachments": [
                        {
                            "fileName": "lines.pdf",
                            "contentType": "application/pdf",
                            "sizeBytes": 1200,
                            "url": "/files/1",
                        }
                    ],
                }
            },
            as_=club.coach,
        )
    ).ok()["sendChatMessage"]
    (await communication.graphql.execute(PIN, {"id": sent["id"], "pinned": True}, as_=club.player)).ok()
    # when its author deletes it
    deleted = (await communication.graphql.execute(DELETE, {"id": sent["id"]}, as_=club.coach)).ok()[
        "deleteChatMessage"
    ]
    # then it shows neither text, nor files, nor pin
    assert deleted["isDeleted"] is True
    assert deleted["body"] == ""
    assert deleted["attachments"] == []
    assert deleted["pinnedAt"] is None
    conversation = (await communication.graphql.execute(CONVERSATION, {"id": str(direct.id)}, as_=club.player)).ok()
    assert conversation["conversation"]["pinnedMessages"] == []
    assert conversation["conversation"]["unreadCount"] == 0  # a deleted message is nothing to read
    page = (await communication.graphql.execute(MESSAGES, {"conversationId": str(direct.id)}, as_=club.player)).ok()
    assert [(item["id"], item["body"]) for item in page["chatMessages"]["items"]] == [(sent["id"], "")]
    # and it can no longer be edited, reacted to or found
    edit = await communication.graphql.execute(EDIT, {"id": sent["id"], "body": "Again"}, as_=club.coach)
    assert edit.codes == ["CONFLICT"]
    react = await communication.graphql.execute(REACT, {"id": sent["id"], "emoji": "👍"}, as_=club.player)
    assert react.codes == ["CONFLICT"]
    found = (await communication.graphql.execute(SEARCH, {"text": "lineup"}, as_=club.coach)).ok()
    assert found["searchChatMessages"] == []


async def test_who_may_delete(communication: RunningService, club: Club) -> None:
    # in a direct conversation only the author deletes
    direct = await make_direct(communication, between=club.coach, and_=club.player)
    coach_says = await send(communication, by=club.coach, conversation=direct)
    refused = await communication.graphql.execute(DELETE, {"id": str(coach_says.id)}, as_=club.player)
    assert refused.codes == ["FORBIDDEN"]
    # in the team's thread a player does not delete a teammate's message, but the coach does
    team = await make_team_conversation(communication, by=club.coach, team_id=club.team_id)
    rude = await send(communication, by=club.teammate, conversation=team, body="Rude words")
    assert (await communication.graphql.execute(DELETE, {"id": str(rude.id)}, as_=club.player)).codes == ["FORBIDDEN"]
    moderated = (await communication.graphql.execute(DELETE, {"id": str(rude.id)}, as_=club.coach)).ok()
    assert moderated["deleteChatMessage"]["isDeleted"] is True
    # in a group its creator moderates; other members do not
    group = await make_group(communication, by=club.admin, members=[club.coach, club.player])
    said = await send(communication, by=club.player, conversation=group)
    assert (await communication.graphql.execute(DELETE, {"id": str(said.id)}, as_=club.coach)).codes == ["FORBIDDEN"]
    assert (await communication.graphql.execute(DELETE, {"id": str(said.id)}, as_=club.admin)).ok()
    # someone of another club does not see the message
    other = await send(communication, by=club.coach, conversation=team)
    assert (await communication.graphql.execute(DELETE, {"id": str(other.id)}, as_=club.outsider)).codes == [
        "NOT_FOUND"
    ]


# Reactions and pins ------------------------------------------------------------------------------------


async def test_reactions_toggle_per_person(communication: RunningService, club: Club) -> None:
    team = await make_team_conversation(communication, by=club.coach, team_id=club.team_id)
    message = await send(communication, by=club.coach, conversation=team, body="We won!")
    # when two players add the same emoji and one adds another
    for who, emoji in ((club.player, "🔥"), (club.teammate, "🔥"), (club.player, ":tada:")):
        (await communication.graphql.execute(REACT, {"id": str(message.id), "emoji": emoji}, as_=who)).ok()
    # then each emoji shows once with who added it
    seen = (await communication.graphql.execute(REACT, {"id": str(message.id), "emoji": "👍"}, as_=club.coach)).ok()[
        "toggleChatReaction"
    ]["reactions"]
    assert [(r["emoji"], r["count"], r["reactedByMe"]) for r in seen] == [
        ("🔥", 2, False),
        (":tada:", 1, False),
        ("👍", 1, True),
    ]
    assert [user["id"] for user in seen[0]["users"]] == [str(user_of(club.player)), str(user_of(club.teammate))]
    # when the player toggles their fire again, it is gone, the teammate's stays
    again = (await communication.graphql.execute(REACT, {"id": str(message.id), "emoji": "🔥"}, as_=club.player)).ok()[
        "toggleChatReaction"
    ]["reactions"]
    assert [(r["emoji"], r["count"], r["reactedByMe"]) for r in again] == [
        ("🔥", 1, False),
        (":tada:", 1, True),
        ("👍", 1, False),
    ]
    for emoji in ("", "ab", "a b", "x" * 40, "🔥 🔥"):
        bad = await communication.graphql.execute(REACT, {"id": str(message.id), "emoji": emoji}, as_=club.player)
        assert bad.error("BAD_USER_INPUT")["extensions"]["field"] == "emoji", emoji
    stranger = await communication.graphql.execute(REACT, {"id": str(message.id), "emoji": "🔥"}, as_=club.assistant)
    assert stranger.codes == ["FORBIDDEN"]


async def test_members_pin_and_unpin(communication: RunningService, club: Club) -> None:
    team = await make_team_conversation(communication, by=club.coach, team_id=club.team_id)
    bus = await send(communication, by=club.coach, conversation=team, body="Bus leaves at 6")
    rules = await send(communication, by=club.coach, conversation=team, body="Team rules")
    await send(communication, by=club.player, conversation=team, body="ok")
    for message in (rules, bus):
        pinned = (
            await communication.graphql.execute(PIN, {"id": str(message.id), "pinned": True}, as_=club.player)
        ).ok()["pinChatMessage"]
        assert pinned["pinnedBy"] == {"id": str(user_of(club.player))}
    listed = (await communication.graphql.execute(CONVERSATION, {"id": str(team.id)}, as_=club.teammate)).ok()
    assert [m["body"] for m in listed["conversation"]["pinnedMessages"]] == ["Bus leaves at 6", "Team rules"]
    unpinned = (await communication.graphql.execute(PIN, {"id": str(bus.id), "pinned": False}, as_=club.coach)).ok()[
        "pinChatMessage"
    ]
    assert unpinned["pinnedAt"] is None
    listed = (await communication.graphql.execute(CONVERSATION, {"id": str(team.id)}, as_=club.teammate)).ok()
    assert [m["body"] for m in listed["conversation"]["pinnedMessages"]] == ["Team rules"]
    stranger = await communication.graphql.execute(PIN, {"id": str(bus.id), "pinned": True}, as_=club.assistant)
    assert stranger.codes == ["FORBIDDEN"]


# Mentions and attachments ------------------------------------------------------------------------------


async def test_mentioned_members_are_notified(communication: RunningService, club: Club) -> None:
    # given a group of the coach, the player and the teammate
    group = await make_group(communication, by=club.coach, members=[club.player, club.teammate], name="Lines")
    # when the coach mentions the player by id and the teammate in the text
    sent = (
        await communication.graphql.execute(
            SEND,
            {
                "input": {
                    "conversationId": str(group.id),
                    "body": f"You two start, @[{user_of(club.teammate)}] on the left",
                    "mentionUserIds": [str(user_of(club.player)), str(user_of(club.coach))],
                }
            },
            as_=club.coach,
        )
    ).ok()["sendChatMessage"]
    # then both are mentioned (not the coach himself) and each gets a notification
    assert sorted(m["id"] for m in sent["mentions"]) == sorted([str(user_of(club.player)), str(user_of(club.teammate))])
    for who in (club.player, club.teammate):
        [notice] = (await communication.graphql.execute(NOTIFICATIONS, {}, as_=who)).ok()["myNotifications"]["items"]
        assert notice["kind"] == "MESSAGE"
        assert notice["link"] == f"/messages/{group.id}"
        assert notice["sender"] == {"id": str(user_of(club.coach))}
        assert "You two start" in notice["body"]
    coach_inbox = (await communication.graphql.execute(NOTIFICATIONS, {}, as_=club.coach)).ok()
    assert coach_inbox["myNotifications"]["items"] == []


async def test_only_members_can_be_mentioned(communication: RunningService, club: Club) -> None:
    direct = await make_direct(communication, between=club.coach, and_=club.player)
    for changes in (
        {"mentionUserIds": [str(user_of(club.teammate))]},
        {"body": f"hey @[{user_of(club.assistant)}]"},
    ):
        response = await communication.graphql.execute(
            SEND, {"input": {"conversationId": str(direct.id), "body": "hey", **changes}}, as_=club.coach
        )
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == "mentionUserIds", changes
    inbox = (await communication.graphql.execute(NOTIFICATIONS, {}, as_=club.teammate)).ok()
    assert inbox["myNotifications"]["items"] == []
    # text that only looks like a mention is just text
    plain = await communication.graphql.execute(
        SEND, {"input": {"conversationId": str(direct.id), "body": "@[" + "-" * 36 + "] hi"}}, as_=club.coach
    )
    assert plain.ok()["sendChatMessage"]["mentions"] == []


async def test_attachments_are_described_and_checked(communication: RunningService, club: Club) -> None:
    direct = await make_direct(communication, between=club.coach, and_=club.player)
    files = [
        {
            "fileName": "drill.mp4",
            "contentType": "Video/MP4",
            "sizeBytes": 50_000_000,
            "url": "https://cdn.example.com/d",
        },
        {"fileName": "plan.pdf", "contentType": "application/pdf", "sizeBytes": 1, "url": "/files/plan"},
    ]
    sent = (
        await communication.graphql.execute(
            SEND,
            {"input": {"conversationId": str(direct.id), "body": "Watch this", "attachments": files}},
            as_=club.coach,
        )
    ).ok()["sendChatMessage"]
    assert sent["attachments"] == [
        {
            "fileName": "drill.mp4",
            "contentType": "video/mp4",
            "sizeBytes": 50_000_000,
            "url": "https://cdn.example.com/d",
        },
        {"fileName": "plan.pdf", "contentType": "application/pdf", "sizeBytes": 1, "url": "/files/plan"},
    ]
    good = files[1]
    for change, field in (
        ({"fileName": "../etc/passwd"}, "attachments.0.fileName"),
        ({"fileName": " "}, "attachments.0.fileName"),
        ({"contentType": "pdf"}, "attachments.0.contentType"),
        ({"sizeBytes": 0}, "attachments.0.sizeBytes"),
        ({"sizeBytes": 100 * 1024 * 1024 + 1}, "attachments.0.sizeBytes"),
        ({"url": "http://insecure.example.com/x"}, "attachments.0.url"),
        ({"url": "javascript:alert(1)"}, "attachments.0.url"),
    ):
        response = await communication.graphql.execute(
            SEND,
            {"input": {"conversationId": str(direct.id), "body": "x", "attachments": [{**good, **change}]}},
            as_=club.coach,
        )
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field, change
    too_many = await communication.graphql.execute(
        SEND, {"input": {"conversationId": str(direct.id), "body": "x", "attachments": [good] * 11}}, as_=club.coach
    )
    assert too_many.error("BAD_USER_INPUT")["extensions"]["field"] == "attachments"


async def test_a_page_with_reactions_and_files_costs_a_fixed_number_of_statements(
    communication: RunningService, club: Club
) -> None:
    direct = await make_direct(communication, between=club.coach, and_=club.player)
    file = {"fileName": "a.png", "contentType": "image/png", "sizeBytes": 10, "url": "/files/a"}

    async def add(count: int) -> None:
        for _ in range(count):
            sent = await communication.graphql.execute(
                SEND,
                {"input": {"conversationId": str(direct.id), "body": "pic", "attachments": [file]}},
                as_=club.coach,
            )
            await communication.graphql.execute(
                REACT, {"id": sent.ok()["sendChatMessage"]["id"], "emoji": "👍"}, as_=club.player
            )

    async def load() -> tuple[int, int]:
        with count_statements(communication.engine) as log:
            page = (
                await communication.graphql.execute(MESSAGES, {"conversationId": str(direct.id)}, as_=club.coach)
            ).ok()
        assert all(item["reactions"][0]["count"] == 1 for item in page["chatMessages"]["items"])
        assert all(len(item["attachments"]) == 1 for item in page["chatMessages"]["items"])
        return len(page["chatMessages"]["items"]), log.count

    await add(2)
    small = await load()
    await add(8)
    large = await load()
    # the conversation with membership, the page, the attachments, the reactions
    assert (small[0], large[0]) == (2, 10)
    assert small[1] == large[1] == 4


# Search and read receipts ------------------------------------------------------------------------------


async def test_search_covers_only_the_callers_conversations(communication: RunningService, club: Club) -> None:
    team = await make_team_conversation(communication, by=club.coach, team_id=club.team_id)
    direct = await make_direct(communication, between=club.coach, and_=club.teammate)
    await send(communication, by=club.coach, conversation=team, body="Game day: BUS at 5")
    await send(communication, by=club.coach, conversation=direct, body="Your bus pass is ready")
    await send(communication, by=club.coach, conversation=team, body="100% effort")
    await send(communication, by=club.coach, conversation=team, body="1000 pucks")
    # the player sees the team thread only; the coach both, newest first
    player = (await communication.graphql.execute(SEARCH, {"text": "bus"}, as_=club.player)).ok()
    assert [m["body"] for m in player["searchChatMessages"]] == ["Game day: BUS at 5"]
    coach = (await communication.graphql.execute(SEARCH, {"text": "Bus"}, as_=club.coach)).ok()
    assert [m["body"] for m in coach["searchChatMessages"]] == ["Your bus pass is ready", "Game day: BUS at 5"]
    only_direct = (
        await communication.graphql.execute(SEARCH, {"text": "bus", "conversationId": str(direct.id)}, as_=club.coach)
    ).ok()
    assert [m["conversationId"] for m in only_direct["searchChatMessages"]] == [str(direct.id)]
    # the text is matched literally: `%` is no wildcard
    percent = (await communication.graphql.execute(SEARCH, {"text": "0%"}, as_=club.coach)).ok()
    assert [m["body"] for m in percent["searchChatMessages"]] == ["100% effort"]
    # and someone of another club finds nothing
    outsider = (await communication.graphql.execute(SEARCH, {"text": "bus"}, as_=club.outsider)).ok()
    assert outsider["searchChatMessages"] == []
    forbidden = await communication.graphql.execute(
        SEARCH, {"text": "bus", "conversationId": str(direct.id)}, as_=club.player
    )
    assert forbidden.codes == ["FORBIDDEN"]
    for variables, field in (({"text": "b"}, "text"), ({"text": "bus", "first": 0}, "first")):
        bad = await communication.graphql.execute(SEARCH, variables, as_=club.coach)
        assert bad.error("BAD_USER_INPUT")["extensions"]["field"] == field


async def test_read_receipts_show_the_last_message_each_member_read(communication: RunningService, club: Club) -> None:
    group = await make_group(communication, by=club.coach, members=[club.player, club.teammate])
    first = await send(communication, by=club.coach, conversation=group, body="one")
    await send(communication, by=club.coach, conversation=group, body="two")
    # before reading, the player has two unread
    before = (await communication.graphql.execute(CONVERSATION, {"id": str(group.id)}, as_=club.player)).ok()
    assert before["conversation"]["unreadCount"] == 2
    # the teammate replies to the first (having read up to their own message), the player reads all
    reply = await send(communication, by=club.teammate, conversation=group, body="three", reply_to=first)
    read = (await communication.graphql.execute(READ, {"id": str(group.id)}, as_=club.player)).ok()
    assert read["markConversationRead"]["unreadCount"] == 0
    receipts = (await communication.graphql.execute(CONVERSATION, {"id": str(group.id)}, as_=club.coach)).ok()
    by_user = {
        p["user"]["id"]: (p["lastReadMessage"] or {}).get("body") for p in receipts["conversation"]["participants"]
    }
    assert by_user == {
        str(user_of(club.coach)): "two",
        str(user_of(club.player)): "three",
        str(user_of(club.teammate)): "three",
    }
    assert reply.body == "three"
    # the coach has one unread: the teammate's reply
    assert receipts["conversation"]["unreadCount"] == 1


# Live --------------------------------------------------------------------------------------------------

CHANGES = """
subscription Changes($id: ID!) {
  messageChanged(conversationId: $id) { id body isEdited isDeleted pinnedAt reactions { emoji count reactedByMe } }
}
"""


async def test_members_see_edits_reactions_pins_and_deletes_live(communication: RunningService, club: Club) -> None:
    # given the player following the changes of their direct conversation with the coach
    direct = await make_direct(communication, between=club.coach, and_=club.player)
    message = await send(communication, by=club.coach, conversation=direct, body="Bus at 6")
    token = communication.graphql.token(club.player)
    async with served(communication.app) as url, LiveClient.connected(url, token) as phone:
        await phone.subscribe("changes", CHANGES, {"id": str(direct.id)})
        await asyncio.sleep(0.2)
        # when the coach edits, the player reacts, the coach pins and then deletes it
        await communication.graphql.execute(EDIT, {"id": str(message.id), "body": "Bus at 7"}, as_=club.coach)
        await communication.graphql.execute(REACT, {"id": str(message.id), "emoji": "👍"}, as_=club.player)
        await communication.graphql.execute(PIN, {"id": str(message.id), "pinned": True}, as_=club.coach)
        await communication.graphql.execute(DELETE, {"id": str(message.id)}, as_=club.coach)
        # then the player sees each change as the message now is
        seen = [(await phone.data("changes"))["messageChanged"] for _ in range(4)]
    assert [(m["body"], m["isEdited"], m["isDeleted"], m["pinnedAt"] is not None) for m in seen] == [
        ("Bus at 7", True, False, False),
        ("Bus at 7", True, False, False),
        ("Bus at 7", True, False, True),
        ("", True, True, False),
    ]
    assert [m["reactions"] for m in seen] == [
        [],
        [{"emoji": "👍", "count": 1, "reactedByMe": True}],
        [{"emoji": "👍", "count": 1, "reactedByMe": True}],
        [{"emoji": "👍", "count": 1, "reactedByMe": True}],
    ]
