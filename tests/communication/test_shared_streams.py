"""A team conversation followed by many people through the router: the communication subgraph declares
that its members all see the same new messages, so the router admits each of them at the subgraph and
serves them all from one subgraph stream; who is not a member is refused, and a selection that needs
other subgraphs per person keeps one stream per person."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from shared.auth.principal import Principal, Role
from tests.support.live import LiveClient, router_over
from tests.support.principals import person
from tests.support.services import ServicePool
from tests.support.waiting import eventually

OPEN_TEAM = "mutation Open($team: ID!) { openTeamConversation(teamId: $team) { id } }"
SEND = """
mutation Send($id: ID!, $body: String!) { sendChatMessage(input: {conversationId: $id, body: $body}) { cursor } }
"""
MARK_READ = "mutation Read($id: ID!) { markConversationRead(conversationId: $id) { id } }"
FOLLOW = "subscription Follow($id: ID!) { messageAdded(conversationId: $id) { body sender { id } } }"
FOLLOW_NAMED = """
subscription Follow($id: ID!) { messageAdded(conversationId: $id) { body sender { id ... on User { fullName } } } }
"""
RECEIPTS = "subscription Receipts($id: ID!) { readReceipts(conversationId: $id) { user { id } } }"
CATCH_UP = """
subscription CatchUp($id: ID!, $after: String) { messageAdded(conversationId: $id, after: $after) { body } }
"""


def member(organization: uuid.UUID, team: uuid.UUID, role: Role = Role.PLAYER) -> Principal:
    return Principal(
        user_id=uuid.uuid4(), organization_id=organization, roles=frozenset({role}), team_ids=frozenset({team})
    )


async def send(http: httpx.AsyncClient, token: str, conversation: str, body: str) -> str:
    """Sends a message: its cursor."""
    variables = {"id": conversation, "body": body}
    response = await http.post(
        "/graphql", json={"query": SEND, "variables": variables}, headers={"authorization": f"Bearer {token}"}
    )
    answer: dict[str, Any] = response.json()
    assert "errors" not in answer, answer
    return str(answer["data"]["sendChatMessage"]["cursor"])


async def team_conversation(http: httpx.AsyncClient, token: str, team: uuid.UUID) -> str:
    response = await http.post(
        "/graphql",
        json={"query": OPEN_TEAM, "variables": {"team": str(team)}},
        headers={"authorization": f"Bearer {token}"},
    )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return str(body["data"]["openTeamConversation"]["id"])


async def test_members_of_a_conversation_share_one_subgraph_stream(services: ServicePool) -> None:
    organization, team = uuid.uuid4(), uuid.uuid4()
    coach = member(organization, team, Role.COACH)
    players = [member(organization, team) for _ in range(3)]
    outsider = member(organization, uuid.uuid4())
    token = {who.user_id: services.issuer.issue(who) for who in (coach, *players, outsider)}
    async with router_over(services) as (url, http, router):
        hub = router.state.subscriptions
        conversation = await team_conversation(http, token[coach.user_id], team)
        async with (
            LiveClient.connected(url, token[players[0].user_id]) as first,
            LiveClient.connected(url, token[players[1].user_id]) as second,
            LiveClient.connected(url, token[players[2].user_id]) as late,
            LiveClient.connected(url, token[outsider.user_id]) as stranger,
        ):
            # given two players following the team conversation
            await first.subscribe("chat", FOLLOW, {"id": conversation})
            await second.subscribe("chat", FOLLOW, {"id": conversation})
            # then a player of another team is refused by the subgraph, before any stream is shared with them
            await stranger.subscribe("chat", FOLLOW, {"id": conversation})
            refused = await stranger.message("chat")
            assert refused["type"] == "error", refused
            assert refused["payload"][0]["extensions"]["code"] == "FORBIDDEN"
            assert refused["payload"][0]["extensions"]["service"] == "communication"
            # when the coach writes, both players receive it, from one stream for the two of them
            await eventually(lambda: open_streams(hub, 1))
            await send(http, token[coach.user_id], conversation, "Practice at 6")
            for phone in (first, second):
                assert (await phone.data("chat", within=10))["messageAdded"] == {
                    "body": "Practice at 6",
                    "sender": {"id": str(coach.user_id)},
                }
            # and a third player who follows after the first message joins the same stream
            await late.subscribe("chat", FOLLOW, {"id": conversation})
            await late.nothing("chat", within=0.5)
            assert hub.open_streams == 1
            await send(http, token[coach.user_id], conversation, "Bring white jerseys")
            for phone in (first, second, late):
                assert (await phone.data("chat", within=10))["messageAdded"]["body"] == "Bring white jerseys"
            # when one of them leaves, the others go on receiving
            await first.complete("chat")
            await send(http, token[coach.user_id], conversation, "Bus leaves at 5")
            for phone in (second, late):
                assert (await phone.data("chat", within=10))["messageAdded"]["body"] == "Bus leaves at 5"
            assert await first.nothing("chat")
            # and when the last one leaves, the subgraph stream is closed
            await second.complete("chat")
            await late.complete("chat")
            await eventually(lambda: open_streams(hub, 0))


@pytest.mark.usefixtures("demo")
async def test_a_selection_resolved_per_person_keeps_a_stream_per_person(services: ServicePool) -> None:
    coach, trainer = await person(services, "coach@lynx.example"), await person(services, "trainer@lynx.example")
    team = sorted(coach.team_ids & trainer.team_ids)[0]
    token = {who.user_id: services.issuer.issue(who) for who in (coach, trainer)}
    async with router_over(services) as (url, http, router):
        hub = router.state.subscriptions
        conversation = await team_conversation(http, token[coach.user_id], team)
        async with (
            LiveClient.connected(url, token[coach.user_id]) as tablet,
            LiveClient.connected(url, token[trainer.user_id]) as screen,
        ):
            # given two staff members whose selection reaches into the user subgraph, fetched with each one's
            # token for each event
            for device in (tablet, screen):
                await device.subscribe("chat", FOLLOW_NAMED, {"id": conversation})
            # then each has a stream of their own, and both receive the message with the sender's name
            await eventually(lambda: open_streams(hub, 2))
            await send(http, token[coach.user_id], conversation, "Video session moved")
            for device in (tablet, screen):
                received = (await device.data("chat", within=10))["messageAdded"]
                assert received == {
                    "body": "Video session moved",
                    "sender": {"id": str(coach.user_id), "fullName": received["sender"]["fullName"]},
                }
                assert received["sender"]["fullName"]


async def test_read_receipts_are_shared_and_a_catch_up_is_not(services: ServicePool) -> None:
    organization, team = uuid.uuid4(), uuid.uuid4()
    coach = member(organization, team, Role.COACH)
    players = [member(organization, team) for _ in range(2)]
    token = {who.user_id: services.issuer.issue(who) for who in (coach, *players)}
    async with router_over(services) as (url, http, router):
        hub = router.state.subscriptions
        conversation = await team_conversation(http, token[coach.user_id], team)
        cursor = await send(http, token[coach.user_id], conversation, "Warm-up at 5")
        await send(http, token[coach.user_id], conversation, "Lineup is up")
        async with (
            LiveClient.connected(url, token[players[0].user_id]) as first,
            LiveClient.connected(url, token[players[1].user_id]) as second,
        ):
            # given both players following the conversation's read receipts: one stream
            for phone in (first, second):
                await phone.subscribe("receipts", RECEIPTS, {"id": conversation})
            await eventually(lambda: open_streams(hub, 1))
            # when the first one reads the conversation, both see the receipt
            response = await http.post(
                "/graphql",
                json={"query": MARK_READ, "variables": {"id": conversation}},
                headers={"authorization": f"Bearer {token[players[0].user_id]}"},
            )
            assert "errors" not in response.json(), response.json()
            for phone in (first, second):
                receipt = (await phone.data("receipts", within=10))["readReceipts"]
                assert receipt == {"user": {"id": str(players[0].user_id)}}
            # and a catch-up from one's own cursor is one's own: a stream each, each with what came after it
            for phone in (first, second):
                await phone.subscribe("chat", CATCH_UP, {"id": conversation, "after": cursor})
            for phone in (first, second):
                assert (await phone.data("chat", within=10))["messageAdded"] == {"body": "Lineup is up"}
            assert hub.open_streams == 3


async def open_streams(hub: Any, count: int) -> bool:
    return bool(hub.open_streams == count)
