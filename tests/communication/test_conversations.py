"""Conversations through GraphQL over HTTP: direct, group and team threads, who may read them, the list."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from shared.auth.principal import Role
from subgraphs.communication.models import Conversation
from tests.communication.factories import (
    Club,
    make_direct,
    make_group,
    make_team_conversation,
    send,
    user_of,
)
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.support.statements import count_statements

START_DIRECT = """
mutation Start($userId: ID!) {
  startDirectConversation(userId: $userId) { id kind name participants { user { id } } }
}
"""

CREATE_GROUP = """
mutation Group($input: CreateGroupConversationInput!) {
  createGroupConversation(input: $input) { id kind name participants { user { id } lastReadAt } }
}
"""

OPEN_TEAM = """
mutation Team($teamId: ID!) {
  openTeamConversation(teamId: $teamId, name: "First team") { id kind name team { id } }
}
"""

CONVERSATION = """
query Conversation($id: ID!) { conversation(id: $id) { id kind unreadCount lastMessage { body } } }
"""

CONVERSATIONS = """
query Conversations($kind: ConversationKind) {
  conversations(kind: $kind) {
    id kind name team { id } unreadCount lastMessageAt
    lastMessage { id body sentAt sender { id } replyTo { id } }
    participants { user { id } lastReadAt }
  }
}
"""

MARK_READ = """
mutation Read($id: ID!) { markConversationRead(conversationId: $id) { id unreadCount } }
"""


async def test_a_direct_conversation_is_started_once(communication: RunningService, club: Club) -> None:
    # given a coach and a player
    variables = {"userId": str(user_of(club.player))}
    # when the coach starts a conversation with the player twice
    first = (await communication.graphql.execute(START_DIRECT, variables, as_=club.coach)).ok()
    again = (await communication.graphql.execute(START_DIRECT, variables, as_=club.coach)).ok()
    # and the player starts one with the coach
    back = (
        await communication.graphql.execute(START_DIRECT, {"userId": str(user_of(club.coach))}, as_=club.player)
    ).ok()
    # then it is the same conversation every time, with both of them in it
    conversation = first["startDirectConversation"]
    assert conversation["kind"] == "DIRECT"
    assert again["startDirectConversation"]["id"] == back["startDirectConversation"]["id"] == conversation["id"]
    assert {p["user"]["id"] for p in conversation["participants"]} == {
        str(user_of(club.coach)),
        str(user_of(club.player)),
    }


async def test_starting_the_same_direct_conversation_concurrently_makes_one(
    communication: RunningService, club: Club
) -> None:
    # when both people start their conversation at the same moment, several times over
    requests = [
        communication.graphql.execute(START_DIRECT, {"userId": str(user_of(other))}, as_=caller)
        for caller, other in [(club.coach, club.player), (club.player, club.coach)] * 4
    ]
    responses = await asyncio.gather(*requests)
    # then every request succeeds with the one conversation the constraint allows
    ids = {response.ok()["startDirectConversation"]["id"] for response in responses}
    assert len(ids) == 1
    async with communication.runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Conversation)) == 1


async def test_direct_conversation_input_errors_name_the_field(communication: RunningService, club: Club) -> None:
    with_self = await communication.graphql.execute(START_DIRECT, {"userId": str(user_of(club.coach))}, as_=club.coach)
    assert with_self.error("BAD_USER_INPUT")["extensions"]["field"] == "userId"
    malformed = await communication.graphql.execute(START_DIRECT, {"userId": "nobody"}, as_=club.coach)
    assert malformed.error("BAD_USER_INPUT")["extensions"]["field"] == "userId"
    anonymous = await communication.graphql.execute(START_DIRECT, {"userId": str(user_of(club.player))})
    assert anonymous.codes == ["UNAUTHENTICATED"]


async def test_a_group_has_its_creator_and_chosen_members(communication: RunningService, club: Club) -> None:
    members = [str(user_of(club.player)), str(user_of(club.teammate)), str(user_of(club.player))]
    data = (
        await communication.graphql.execute(
            CREATE_GROUP, {"input": {"name": "  Penalty kill unit  ", "memberIds": members}}, as_=club.coach
        )
    ).ok()["createGroupConversation"]
    assert (data["kind"], data["name"]) == ("GROUP", "Penalty kill unit")
    assert sorted(p["user"]["id"] for p in data["participants"]) == sorted(
        str(user_of(person)) for person in (club.coach, club.player, club.teammate)
    )


async def test_group_input_errors_name_the_field(communication: RunningService, club: Club) -> None:
    for input_, field in (
        ({"name": " ", "memberIds": [str(user_of(club.player))]}, "name"),
        ({"name": "x" * 121, "memberIds": [str(user_of(club.player))]}, "name"),
        ({"name": "Just me", "memberIds": [str(user_of(club.coach))]}, "memberIds"),
        ({"name": "Typo", "memberIds": ["not-an-id"]}, "memberIds"),
    ):
        response = await communication.graphql.execute(CREATE_GROUP, {"input": input_}, as_=club.coach)
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field, input_
        assert response.data is None


async def test_team_members_share_the_team_conversation(communication: RunningService, club: Club) -> None:
    # given the coach opens the team's conversation and the player opens it too
    opened = (await communication.graphql.execute(OPEN_TEAM, {"teamId": str(club.team_id)}, as_=club.coach)).ok()[
        "openTeamConversation"
    ]
    again = (await communication.graphql.execute(OPEN_TEAM, {"teamId": str(club.team_id)}, as_=club.player)).ok()[
        "openTeamConversation"
    ]
    # then there is one conversation for the team, referencing the team
    assert opened == again
    assert (opened["kind"], opened["name"], opened["team"]) == (
        "TEAM",
        "First team",
        {"id": str(club.team_id)},
    )
    # and a teammate who never joined reads it, as the club administrator does
    for member in (club.teammate, club.admin):
        read = await communication.graphql.execute(CONVERSATION, {"id": opened["id"]}, as_=member)
        assert read.ok()["conversation"]["id"] == opened["id"]


async def test_only_members_read_a_conversation(communication: RunningService, club: Club) -> None:
    # given a direct conversation between coach and player, and the team's conversation
    direct = await make_direct(communication, between=club.coach, and_=club.player)
    team = await make_team_conversation(communication, by=club.coach, team_id=club.team_id)
    parent = principal(Role.PARENT, organization_id=club.organization_id)
    # then a coach of another team of the club may not read either (FORBIDDEN: the club's own record)
    for conversation in (direct, team):
        response = await communication.graphql.execute(CONVERSATION, {"id": str(conversation.id)}, as_=club.assistant)
        assert response.codes == ["FORBIDDEN"]
    assert (await communication.graphql.execute(CONVERSATION, {"id": str(direct.id)}, as_=club.teammate)).codes == [
        "FORBIDDEN"
    ]
    assert (await communication.graphql.execute(CONVERSATION, {"id": str(team.id)}, as_=parent)).codes == ["FORBIDDEN"]
    # and for another club they do not exist
    outside = await communication.graphql.execute(CONVERSATION, {"id": str(team.id)}, as_=club.outsider)
    assert outside.codes == ["NOT_FOUND"]
    # nor may a non-member open another team's conversation
    refused = await communication.graphql.execute(OPEN_TEAM, {"teamId": str(club.team_id)}, as_=club.assistant)
    assert refused.codes == ["FORBIDDEN"]


async def test_the_list_shows_last_message_and_unread_count(communication: RunningService, club: Club) -> None:
    # given a direct conversation with two unread messages, then a team thread the coach wrote last
    direct = await make_direct(communication, between=club.coach, and_=club.player)
    await send(communication, by=club.player, conversation=direct, body="Coach, am I in the lineup?")
    question = await send(communication, by=club.player, conversation=direct, body="And who is in goal?")
    team = await make_team_conversation(communication, by=club.coach, team_id=club.team_id)
    await send(communication, by=club.teammate, conversation=team, body="Ice is resurfaced")
    await send(communication, by=club.coach, conversation=team, body="Thanks")
    # and a conversation the coach is not in
    await make_direct(communication, between=club.player, and_=club.teammate)
    # when the coach lists their conversations
    listed = (await communication.graphql.execute(CONVERSATIONS, as_=club.coach)).ok()["conversations"]
    # then both show, most recent first, with their last message and what the coach has not read
    assert [c["id"] for c in listed] == [str(team.id), str(direct.id)]
    assert [c["lastMessage"]["body"] for c in listed] == ["Thanks", "And who is in goal?"]
    assert [c["unreadCount"] for c in listed] == [0, 2]
    assert listed[1]["lastMessage"]["id"] == str(question.id)
    # and the player sees the teammate's message as unread in the team thread they never opened
    as_player = (await communication.graphql.execute(CONVERSATIONS, {"kind": "TEAM"}, as_=club.player)).ok()
    assert [(c["id"], c["unreadCount"]) for c in as_player["conversations"]] == [(str(team.id), 2)]


async def test_marking_read_clears_the_unread_count(communication: RunningService, club: Club) -> None:
    direct = await make_direct(communication, between=club.coach, and_=club.player)
    await send(communication, by=club.player, conversation=direct)
    marked = (await communication.graphql.execute(MARK_READ, {"id": str(direct.id)}, as_=club.coach)).ok()
    assert marked["markConversationRead"]["unreadCount"] == 0
    await send(communication, by=club.player, conversation=direct, body="One more thing")
    after = (await communication.graphql.execute(CONVERSATION, {"id": str(direct.id)}, as_=club.coach)).ok()
    assert after["conversation"]["unreadCount"] == 1
    # a team member with no row yet gets one when marking the team thread read
    team = await make_team_conversation(communication, by=club.coach, team_id=club.team_id)
    await send(communication, by=club.coach, conversation=team)
    read = await communication.graphql.execute(MARK_READ, {"id": str(team.id)}, as_=club.teammate)
    assert read.ok()["markConversationRead"]["unreadCount"] == 0
    assert (await communication.graphql.execute(MARK_READ, {"id": str(team.id)}, as_=club.assistant)).codes == [
        "FORBIDDEN"
    ]


async def test_the_list_costs_a_fixed_number_of_statements(communication: RunningService, club: Club) -> None:
    async def add_conversations(count: int) -> None:
        for _ in range(count):
            other = principal(Role.PLAYER, organization_id=club.organization_id)
            direct = await make_direct(communication, between=club.coach, and_=other)
            first = await send(communication, by=other, conversation=direct)
            await send(communication, by=club.coach, conversation=direct, reply_to=first)

    async def load() -> tuple[int, int]:
        with count_statements(communication.engine) as log:
            data = (await communication.graphql.execute(CONVERSATIONS, as_=club.coach)).ok()
        return len(data["conversations"]), log.count

    # given a few conversations, then many more
    await add_conversations(2)
    await make_group(communication, by=club.coach, members=[club.player])
    small = await load()
    await add_conversations(8)
    large = await load()
    # then listing them with last messages, replies, unread counts and participants costs the same:
    # conversations, last messages, unread counts, participants, reply targets
    assert (small[0], large[0]) == (3, 11)
    assert small[1] == large[1] == 5
