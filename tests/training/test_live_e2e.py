"""A live session end to end through the router over the real subgraphs: the demo club's trainer and three
senior players follow it over WebSocket (graphql-transport-ws, the token in `connection_init`), each event
completed with the players' names from the user service; the players report over HTTP; the end completes
every stream. A player of another team is refused."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect

from hockey_hub.demo import load_demo
from hockey_hub.services import SERVICES, create_app
from router.app import create_router_app
from router.settings import RouterSettings
from shared.auth.principal import Principal
from shared.demo import demo_club
from subgraphs.user.service import principal_for_email
from tests.router.club.harness import serve_anywhere
from tests.support.backend import SuiteEnvironment
from tests.support.live import closed, receive, send
from tests.support.services import ServicePool

WATCH = """
subscription Watch($id: ID!) {
  liveSession(id: $id) {
    version status
    players { player { id fullName } status completionPercent heartRate }
  }
}
"""

START = """
mutation Start($input: StartLiveSessionInput!) { startLiveSession(input: $input) { id version } }
"""

REPORT = """
mutation Report($input: ReportLiveProgressInput!) { reportLiveProgress(input: $input) { completionPercent } }
"""

END = "mutation End($id: ID!) { endLiveSession(id: $id) { status } }"


@dataclass
class Stack:
    http: httpx.AsyncClient
    socket_url: str


@pytest.fixture
async def stack(services: ServicePool, migrated: SuiteEnvironment) -> AsyncIterator[Stack]:
    """The router, and the services a live session involves (training, and user for the players' names and
    the key set), each on a real port, over the demo club. Fewer services: fewer connection pools."""
    settings = migrated.settings
    await load_demo(settings)
    servers, urls = [], {}
    for service in ("user", "training"):
        server, task, port = await serve_anywhere(create_app(service, settings), lifespan="on")
        servers.append((server, task))
        urls[service] = f"http://127.0.0.1:{port}/graphql"
    jwks_url = urls["user"].replace("/graphql", "/.well-known/jwks.json")
    router = create_router_app(RouterSettings(subgraph_urls=urls, watch_seconds=0, jwks_url=jwks_url))
    server, task, router_port = await serve_anywhere(router, lifespan="on")
    servers.append((server, task))
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{router_port}", timeout=30) as http:
            yield Stack(http, f"ws://127.0.0.1:{router_port}/graphql")
    finally:
        for server, _ in servers:
            server.should_exit = True
        await asyncio.gather(*(task for _, task in servers), return_exceptions=True)
        for service in SERVICES:
            await (await services.get(service)).truncate()


async def principal_of(services: ServicePool, email: str) -> Principal:
    user = await services.get("user")
    async with user.runtime.sessions() as session:
        return await principal_for_email(session, email)


async def call(stack: Stack, token: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = await stack.http.post(
        "/graphql", json={"query": query, "variables": variables}, headers={"authorization": f"Bearer {token}"}
    )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data


async def following(stack: Stack, token: str, session_id: str) -> ClientConnection:
    socket = await connect(stack.socket_url, subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
    await send(socket, "connection_init", payload={"Authorization": f"Bearer {token}"})
    assert await receive(socket) == {"type": "connection_ack"}
    await send(socket, "subscribe", "live", {"query": WATCH, "variables": {"id": session_id}})
    return socket


async def message_of(socket: ClientConnection) -> dict[str, Any]:
    """The next message for the client, answering the router's keep-alive pings on the way."""
    while (message := await receive(socket, within=15))["type"] == "ping":
        await send(socket, "pong")
    return message


async def state_of(socket: ClientConnection) -> dict[str, Any]:
    message = await message_of(socket)
    assert message["type"] == "next", message
    assert "errors" not in message["payload"], message["payload"]
    state: dict[str, Any] = message["payload"]["data"]["liveSession"]
    return state


async def states_until(socket: ClientConnection, version: int) -> list[dict[str, Any]]:
    """The states the client receives until the one of `version`."""
    states = [await state_of(socket)]
    while states[-1]["version"] < version:
        states.append(await state_of(socket))
    return states


async def test_a_trainer_and_three_players_follow_a_live_session_through_the_router(
    stack: Stack, services: ServicePool
) -> None:
    # given the demo club's trainer and three senior players, with their tokens
    club = demo_club()
    senior, junior = club.teams[0], club.teams[1]
    players = club.roster(senior.id)[:3]
    tokens = services.issuer
    trainer = tokens.issue(await principal_of(services, "trainer@lynx.example"))
    player_tokens = [tokens.issue(await principal_of(services, player.user.email)) for player in players]
    outsider = tokens.issue(await principal_of(services, club.roster(junior.id)[0].user.email))
    # and a live session the trainer starts through the router for one of the club's workouts
    workout_id = (await call(stack, trainer, "{ workouts { id } }", {}))["workouts"][0]["id"]
    started = await call(
        stack,
        trainer,
        START,
        {"input": {"workoutId": workout_id, "teamId": str(senior.id), "playerIds": [str(p.id) for p in players]}},
    )
    session_id = started["startLiveSession"]["id"]

    # when the trainer and the three players subscribe through the router
    screens = [await following(stack, token, session_id) for token in (trainer, *player_tokens)]
    # then each first receives the current state, with the players' names from the user service
    for screen in screens:
        state = await state_of(screen)
        assert state["version"] == 1
        assert {row["player"]["fullName"] for row in state["players"]} == {p.full_name for p in players}

    # when each player reports their progress (over HTTP, through the router)
    for index, token in enumerate(player_tokens):
        progress = {"completionPercent": 30 * (index + 1), "heartRate": 150 + index}
        await call(stack, token, REPORT, {"input": {"sessionId": session_id, **progress}})
    # then every screen receives the updates in order, up to the last (a screen reads the latest committed
    # state when told of a change, so changes committed close together may reach it as one)
    seen = await asyncio.gather(*(states_until(screen, 4) for screen in screens))
    for updates in seen:
        versions = [update["version"] for update in updates]
        assert versions == sorted(set(versions)), versions
        assert versions[-1] == 4
        final = {row["player"]["id"]: row["completionPercent"] for row in updates[-1]["players"]}
        assert final == {str(p.id): 30 * (i + 1) for i, p in enumerate(players)}
    # and the trainer sees everyone's heart rate; a player only their own
    trainer_view = {row["player"]["id"]: row["heartRate"] for row in seen[0][-1]["players"]}
    assert trainer_view == {str(p.id): 150 + i for i, p in enumerate(players)}
    first_player_view = {row["player"]["id"]: row["heartRate"] for row in seen[1][-1]["players"]}
    assert first_player_view == {str(players[0].id): 150, str(players[1].id): None, str(players[2].id): None}

    # when a player of another team tries to follow it, then the router passes on the refusal
    refused = await following(stack, outsider, session_id)
    refusal = await message_of(refused)
    errors = refusal["payload"] if refusal["type"] == "error" else refusal["payload"]["errors"]
    assert [error["extensions"]["code"] for error in errors] == ["FORBIDDEN"]
    await closed(refused)

    # when the trainer ends the session, then every screen sees it ended and its stream completes
    assert (await call(stack, trainer, END, {"id": session_id}))["endLiveSession"]["status"] == "ENDED"
    for screen in screens:
        ended = await state_of(screen)
        assert ended["status"] == "ENDED"
        assert {row["status"] for row in ended["players"]} == {"COMPLETED"}
        assert await message_of(screen) == {"type": "complete", "id": "live"}
        await closed(screen)
