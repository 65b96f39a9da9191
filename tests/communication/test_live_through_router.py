"""Chat through the router, as the frontend does it: two people of the demo club on WebSockets to the
router; a message sent with a mutation over HTTP reaches the other one live, with the sender's name
resolved by the user subgraph for that event, and someone outside the conversation cannot follow it."""

from __future__ import annotations

import pytest

from shared.auth.principal import Principal
from tests.support.live import LiveClient, router_over
from tests.support.principals import person
from tests.support.services import ServicePool

START = "mutation Start($userId: ID!) { startDirectConversation(userId: $userId) { id } }"
SEND = """
mutation Send($id: ID!, $body: String!) { sendChatMessage(input: {conversationId: $id, body: $body}) { id } }
"""
FOLLOW = """
subscription Follow($id: ID!) { messageAdded(conversationId: $id) { body sender { id ... on User { fullName } } } }
"""


@pytest.mark.usefixtures("demo")
async def test_a_message_reaches_the_other_person_through_the_router(services: ServicePool) -> None:
    coach, player = await person(services, "coach@lynx.example"), await person(services, "parent@lynx.example")
    stranger = await person(services, "medic@lynx.example")
    tokens = {who: services.issuer.issue(who) for who in (coach, player, stranger)}
    async with router_over(services) as (url, http, _):

        async def graphql(query: str, variables: dict[str, str], who: Principal) -> dict[str, dict[str, str]]:
            headers = {"authorization": f"Bearer {tokens[who]}"}
            response = await http.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
            body = response.json()
            assert "errors" not in body, body
            data: dict[str, dict[str, str]] = body["data"]
            return data

        # given a direct conversation between the coach and a parent, the parent following it through the router
        conversation = (await graphql(START, {"userId": str(player.user_id)}, coach))["startDirectConversation"]["id"]
        async with (
            LiveClient.connected(url, tokens[player]) as phone,
            LiveClient.connected(url, tokens[stranger]) as other,
        ):
            await phone.subscribe("chat", FOLLOW, {"id": conversation})
            await other.subscribe("chat", FOLLOW, {"id": conversation})
            # then someone outside the conversation is refused
            refused = await other.message("chat")
            errors = refused["payload"]["errors"] if refused["type"] == "next" else refused["payload"]
            assert errors[0]["extensions"]["code"] in ("FORBIDDEN", "NOT_FOUND")
            # when the coach sends a message over HTTP
            await graphql(SEND, {"id": conversation, "body": "Game moved to Sunday"}, coach)
            # then the parent receives it live, the sender's name filled in by the user subgraph
            received = (await phone.data("chat", within=10))["messageAdded"]
            assert received == {
                "body": "Game moved to Sunday",
                "sender": {"id": str(coach.user_id), "fullName": received["sender"]["fullName"]},
            }
            assert received["sender"]["fullName"]
