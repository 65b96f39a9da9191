"""Messages through GraphQL over HTTP: sending, replies, pages newest first, the event they publish."""

from __future__ import annotations

from shared.auth.principal import Role
from subgraphs.communication.events import MESSAGE_SENT
from tests.communication.factories import (
    Club,
    make_direct,
    make_team_conversation,
    outbox,
    send,
    user_of,
)
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.support.statements import count_statements

SEND = """
mutation Send($input: SendChatMessageInput!) {
  sendChatMessage(input: $input) { id body conversationId sentAt sender { id } replyTo { id body } }
}
"""

MESSAGES = """
query Messages($conversationId: ID!, $first: Int!, $before: String) {
  chatMessages(conversationId: $conversationId, first: $first, before: $before) {
    items { id body sender { id } replyTo { id body } }
    nextCursor
    hasMore
  }
}
"""


async def test_a_member_posts_and_replies(communication: RunningService, club: Club) -> None:
    # given the team's conversation with a question from the coach
    team = await make_team_conversation(communication, by=club.coach, team_id=club.team_id)
    question = await send(communication, by=club.coach, conversation=team, body="Who needs a ride Saturday?")
    # when a player answers it
    data = (
        await communication.graphql.execute(
            SEND,
            {"input": {"conversationId": str(team.id), "body": " I do! ", "replyToId": str(question.id)}},
            as_=club.player,
        )
    ).ok()["sendChatMessage"]
    # then the reply is stored trimmed, from the player, pointing at the question
    assert data["body"] == "I do!"
    assert data["sender"] == {"id": str(user_of(club.player))}
    assert data["replyTo"] == {"id": str(question.id), "body": "Who needs a ride Saturday?"}
    assert data["conversationId"] == str(team.id)


async def test_messages_come_newest_first_a_page_at_a_time(communication: RunningService, club: Club) -> None:
    # given seven messages
    direct = await make_direct(communication, between=club.coach, and_=club.player)
    sent = [
        await send(communication, by=club.coach if n % 2 else club.player, conversation=direct, body=f"m{n}")
        for n in range(7)
    ]
    # when the player pages through them three at a time
    pages, cursor = [], None
    while True:
        page = (
            await communication.graphql.execute(
                MESSAGES, {"conversationId": str(direct.id), "first": 3, "before": cursor}, as_=club.player
            )
        ).ok()["chatMessages"]
        pages.append(page)
        cursor = page["nextCursor"]
        if cursor is None:
            break
    # then every message comes exactly once, newest first, and the last page says there is no more
    assert [[m["body"] for m in page["items"]] for page in pages] == [
        ["m6", "m5", "m4"],
        ["m3", "m2", "m1"],
        ["m0"],
    ]
    assert [page["hasMore"] for page in pages] == [True, True, False]
    assert pages[0]["items"][0]["id"] == str(sent[-1].id)


async def test_message_input_errors_name_the_field(communication: RunningService, club: Club) -> None:
    direct = await make_direct(communication, between=club.coach, and_=club.player)
    other = await make_direct(communication, between=club.coach, and_=club.teammate)
    elsewhere = await send(communication, by=club.coach, conversation=other)
    base = {"conversationId": str(direct.id), "body": "Hello"}
    for changes, field in (
        ({"body": "   "}, "body"),
        ({"body": "x" * 4001}, "body"),
        ({"replyToId": str(elsewhere.id)}, "replyToId"),
        ({"replyToId": "not-an-id"}, "replyToId"),
        ({"conversationId": "not-an-id"}, "conversationId"),
    ):
        response = await communication.graphql.execute(SEND, {"input": {**base, **changes}}, as_=club.coach)
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field, changes
    longest = await communication.graphql.execute(SEND, {"input": {**base, "body": "x" * 4000}}, as_=club.coach)
    assert len(longest.ok()["sendChatMessage"]["body"]) == 4000
    for variables, field in (
        ({"first": 101}, "first"),
        ({"first": 0}, "first"),
        ({"first": 10, "before": "garbage"}, "before"),
        ({"first": 10, "before": "WyJub3QgYSB0aW1lIiwgIngiXQ"}, "before"),
    ):
        response = await communication.graphql.execute(
            MESSAGES, {"conversationId": str(direct.id), **variables}, as_=club.coach
        )
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field, variables


async def test_only_members_post_and_read(communication: RunningService, club: Club) -> None:
    direct = await make_direct(communication, between=club.coach, and_=club.player)
    team = await make_team_conversation(communication, by=club.coach, team_id=club.team_id)
    for conversation in (direct, team):
        posted = await communication.graphql.execute(
            SEND, {"input": {"conversationId": str(conversation.id), "body": "Hi"}}, as_=club.assistant
        )
        assert posted.codes == ["FORBIDDEN"]
        read = await communication.graphql.execute(
            MESSAGES, {"conversationId": str(conversation.id), "first": 5}, as_=club.assistant
        )
        assert read.codes == ["FORBIDDEN"]
    outside = await communication.graphql.execute(
        SEND, {"input": {"conversationId": str(team.id), "body": "Hi"}}, as_=club.outsider
    )
    assert outside.codes == ["NOT_FOUND"]
    unknown = await communication.graphql.execute(
        MESSAGES, {"conversationId": "00000000-0000-4000-8000-000000000000", "first": 5}, as_=club.coach
    )
    assert unknown.codes == ["NOT_FOUND"]


async def test_sending_publishes_message_sent_without_the_text(communication: RunningService, club: Club) -> None:
    direct = await make_direct(communication, between=club.coach, and_=club.player)
    response = await communication.graphql.execute(
        SEND, {"input": {"conversationId": str(direct.id), "body": "Private: your knee?"}}, as_=club.coach
    )
    message_id = response.ok()["sendChatMessage"]["id"]
    [event] = await outbox(communication, MESSAGE_SENT)
    assert event["message_id"] == message_id
    assert event["conversation_id"] == str(direct.id)
    assert event["conversation_kind"] == "direct"
    assert event["sender_user_id"] == str(user_of(club.coach))
    assert event["recipient_user_ids"] == [str(user_of(club.player))]
    assert "Private" not in str(event)


async def test_a_page_costs_a_fixed_number_of_statements(communication: RunningService, club: Club) -> None:
    direct = await make_direct(communication, between=club.coach, and_=club.player)

    async def add(count: int) -> None:
        for _ in range(count):
            first = await send(communication, by=club.player, conversation=direct)
            await send(communication, by=club.coach, conversation=direct, reply_to=first)

    async def load() -> tuple[int, int]:
        with count_statements(communication.engine) as log:
            page = (
                await communication.graphql.execute(
                    MESSAGES, {"conversationId": str(direct.id), "first": 100}, as_=club.coach
                )
            ).ok()["chatMessages"]
        return len(page["items"]), log.count

    await add(2)
    small = await load()
    await add(20)
    large = await load()
    # the conversation with the caller's membership, the page, the messages replied to
    assert (small[0], large[0]) == (4, 44)
    assert small[1] == large[1] == 3


async def test_a_parent_cannot_post_in_a_team_thread(communication: RunningService, club: Club) -> None:
    team = await make_team_conversation(communication, by=club.coach, team_id=club.team_id)
    parent = principal(
        Role.PARENT, organization_id=club.organization_id, children=[club.player.player_id or club.team_id]
    )
    response = await communication.graphql.execute(
        SEND, {"input": {"conversationId": str(team.id), "body": "When is the game?"}}, as_=parent
    )
    assert response.codes == ["FORBIDDEN"]
