"""Federation: the communication service resolves Conversation references, batched and scoped."""

from __future__ import annotations

from shared.auth.principal import Role
from tests.communication.factories import Club, make_direct, make_team_conversation, send
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.support.statements import count_statements

ENTITIES = """
query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Conversation { id kind unreadCount lastMessage { body sender { id } } }
  }
}
"""


async def test_twenty_conversations_resolve_in_a_fixed_number_of_statements(
    communication: RunningService, club: Club
) -> None:
    # given twenty direct conversations of the coach, each with a message
    conversations = []
    for _ in range(20):
        other = principal(Role.PLAYER, organization_id=club.organization_id)
        conversation = await make_direct(communication, between=club.coach, and_=other)
        await send(communication, by=other, conversation=conversation, body="Ready")
        conversations.append(conversation)
    representations = [{"__typename": "Conversation", "id": str(c.id)} for c in conversations]
    # when the router asks for all of them
    with count_statements(communication.engine) as log:
        data = (
            await communication.graphql.execute(ENTITIES, {"representations": representations}, as_=club.coach)
        ).ok()
    # then they come back in order: conversations, participants, last messages, unread counts
    assert [entity["id"] for entity in data["_entities"]] == [str(c.id) for c in conversations]
    assert {(entity["unreadCount"], entity["lastMessage"]["body"]) for entity in data["_entities"]} == {(1, "Ready")}
    assert log.count == 4, [statement[:60] for statement in log.statements]


async def test_references_fail_one_by_one_for_non_members(communication: RunningService, club: Club) -> None:
    team = await make_team_conversation(communication, by=club.coach, team_id=club.team_id)
    direct = await make_direct(communication, between=club.coach, and_=club.player)
    representations = [
        {"__typename": "Conversation", "id": str(team.id)},
        {"__typename": "Conversation", "id": str(direct.id)},
        {"__typename": "Conversation", "id": "not-an-id"},
    ]
    # the teammate is in the team thread but not in the coach's direct conversation
    response = await communication.graphql.execute(ENTITIES, {"representations": representations}, as_=club.teammate)
    assert response.data["_entities"][0]["id"] == str(team.id)
    assert response.data["_entities"][1:] == [None, None]
    assert sorted(response.codes) == ["BAD_USER_INPUT", "NOT_FOUND"]
    # another club sees none of them
    outside = await communication.graphql.execute(ENTITIES, {"representations": representations[:2]}, as_=club.outsider)
    assert outside.data == {"_entities": [None, None]}
    assert outside.codes == ["NOT_FOUND", "NOT_FOUND"]
