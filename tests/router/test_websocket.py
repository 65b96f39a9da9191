"""GraphQL over WebSocket at the router (graphql-transport-ws), with a real client on a real port: the
handshake and its refusals (close codes 4401, 4403, 4408, 4409, 4429), queries over the socket, and
subscriptions whose events are completed with entity fetches into other subgraphs, as the caller."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import orjson
import pytest
from gql import Client, GraphQLRequest
from gql.transport.websockets import WebsocketsTransport
from starlette.types import Receive, Scope, Send
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from router import supergraph_source
from shared.auth.principal import Role
from tests.router.club import data
from tests.router.club.harness import TOKENS, Club, fresh_data, running_club, serve_anywhere
from tests.support.live import receive, send
from tests.support.principals import principal
from tests.support.waiting import eventually

GOALS = "subscription Goals($limit: Int!) { goalScored(limit: $limit) { minute scorer { name goals } } }"


@dataclass
class Socketed:
    club: Club
    url: str


@pytest.fixture
async def router(tmp_path: Path) -> AsyncIterator[Socketed]:
    with fresh_data():
        async with running_club(tmp_path, websocket_init_timeout_seconds=0.5, websocket_keepalive_seconds=0) as club:
            server, task, port = await serve_anywhere(club.app)
            try:
                yield Socketed(club, f"ws://127.0.0.1:{port}/graphql")
            finally:
                server.should_exit = True
                await task


def coach_token(lifetime: timedelta | None = None) -> str:
    return TOKENS.issue(principal(Role.COACH, organization_id=uuid.uuid4()), lifetime=lifetime)


async def opened(url: str, token: str | None) -> ClientConnection:
    socket = await connect(url, subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
    await send(socket, "connection_init", payload={"Authorization": f"Bearer {token}"} if token else {})
    assert await receive(socket) == {"type": "connection_ack"}
    return socket


async def close_code(socket: ClientConnection) -> tuple[int | None, str | None]:
    """How the router closed the socket, after any messages it sent before."""
    try:
        async with asyncio.timeout(15):
            async for _ in socket:
                pass
    except ConnectionClosed:
        pass
    return socket.close_code, socket.close_reason


async def test_a_subscription_streams_events_completed_from_other_subgraphs(router: Socketed) -> None:
    # given a coach's socket
    token = coach_token()
    socket = await opened(router.url, token)
    # when they subscribe to three goals
    await send(socket, "subscribe", "goals", {"query": GOALS, "variables": {"limit": 3}})
    events = [await receive(socket) for _ in range(3)]
    # then each event arrives with the scorer's name from roster and goals from stats, then the end
    assert [event["payload"]["data"]["goalScored"] for event in events] == [
        {"minute": 1, "scorer": {"name": "Elias Lund", "goals": 12}},
        {"minute": 2, "scorer": {"name": "Noah Berg", "goals": 0}},
        {"minute": 3, "scorer": {"name": "Viktor Holm", "goals": 2}},
    ]
    assert {event["id"] for event in events} == {"goals"}
    assert await receive(socket) == {"type": "complete", "id": "goals"}
    # and every entity fetch made for the events carried the caller's own token
    lookups = [request for request in router.club.requests["roster"] if "_entities" in request["query"]]
    assert len(lookups) == 3
    assert {request["_headers"]["authorization"] for request in lookups} == {f"Bearer {token}"}
    await socket.close()


async def test_queries_and_mutations_run_over_the_socket_too(router: Socketed) -> None:
    socket = await opened(router.url, coach_token())
    await send(socket, "subscribe", "q", {"query": "{ topScorer { name goals } }"})
    assert await receive(socket) == {
        "type": "next",
        "id": "q",
        "payload": {"data": {"topScorer": {"name": "Elias Lund", "goals": 12}}},
    }
    assert await receive(socket) == {"type": "complete", "id": "q"}
    await socket.close()


async def test_an_invalid_operation_is_answered_with_an_error_message_and_the_socket_stays(router: Socketed) -> None:
    socket = await opened(router.url, coach_token())
    await send(socket, "subscribe", "bad", {"query": "subscription { goalScored { nope } }"})
    refusal = await receive(socket)
    assert refusal["type"] == "error"
    assert refusal["id"] == "bad"
    assert refusal["payload"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    await send(socket, "ping")
    assert await receive(socket) == {"type": "pong"}
    await socket.close()


async def test_the_apollo_style_client_receives_a_subscription(router: Socketed) -> None:
    # gql speaks graphql-transport-ws as Apollo Client does, the token in connection_init
    transport = WebsocketsTransport(
        url=router.url, subprotocols=["graphql-transport-ws"], init_payload={"Authorization": f"Bearer {coach_token()}"}
    )
    async with Client(transport=transport) as session:
        minutes = [
            result["goalScored"]["minute"]
            async for result in session.subscribe(GraphQLRequest(GOALS, variable_values={"limit": 2}))
        ]
    assert minutes == [1, 2]


@pytest.mark.parametrize(
    ("init", "code"),
    [
        ({"Authorization": "Bearer not-a-token"}, 4401),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, 4401),
    ],
)
async def test_a_bad_token_in_connection_init_closes_with_4401(
    router: Socketed, init: dict[str, str], code: int
) -> None:
    socket = await connect(router.url, subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
    await send(socket, "connection_init", payload=init)
    assert (await close_code(socket))[0] == code


async def test_the_protocol_is_enforced(router: Socketed) -> None:
    # a subscribe before the acknowledgement: 4401
    socket = await connect(router.url, subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
    await send(socket, "subscribe", "1", {"query": "{ topScorer { name } }"})
    assert (await close_code(socket))[0] == 4401
    # no connection_init in time: 4408
    socket = await connect(router.url, subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
    assert (await close_code(socket))[0] == 4408
    # a second connection_init: 4429
    socket = await opened(router.url, coach_token())
    await send(socket, "connection_init", payload={})
    assert (await close_code(socket))[0] == 4429
    # two running operations with one id: 4409
    socket = await opened(router.url, coach_token())
    await send(socket, "subscribe", "same", {"query": GOALS, "variables": {"limit": 0}})
    await receive(socket)
    await send(socket, "subscribe", "same", {"query": GOALS, "variables": {"limit": 0}})
    code, reason = await close_code(socket)
    assert (code, reason) == (4409, "Subscriber for same already exists")
    # a message that is not JSON: 4400
    socket = await opened(router.url, coach_token())
    await socket.send("{")
    assert (await close_code(socket))[0] == 4400


async def test_an_expired_token_closes_the_socket_with_4403(router: Socketed) -> None:
    socket = await opened(router.url, coach_token(lifetime=timedelta(seconds=2)))
    slow = "subscription { goalScored(limit: 0, everyMs: 200) { minute } }"
    await send(socket, "subscribe", "live", {"query": slow})
    code, reason = await close_code(socket)
    assert code == 4403
    assert reason == "Forbidden: the token has expired"


async def test_unsubscribing_or_disconnecting_closes_the_subgraph_subscription(router: Socketed) -> None:
    async def none_live() -> bool:
        return not data.LIVE_STREAMS

    # given an endless subscription running at the subgraph
    socket = await opened(router.url, coach_token())
    await send(socket, "subscribe", "live", {"query": GOALS, "variables": {"limit": 0}})
    await receive(socket)
    assert data.LIVE_STREAMS == ["goalScored"]
    # when the client completes it, then the subgraph's stream ends, and the socket is still usable
    await send(socket, "complete", "live")
    assert await eventually(none_live, within=5)
    await send(socket, "subscribe", "again", {"query": GOALS, "variables": {"limit": 0}})
    while (await receive(socket))["id"] != "again":  # events of "live" sent before it was completed
        pass
    assert data.LIVE_STREAMS == ["goalScored"]
    # when the client just goes away, then the subgraph's stream ends too
    await socket.close()
    assert await eventually(none_live, within=5)


async def test_many_clients_coming_and_going_leave_no_task_stream_or_connection_behind(router: Socketed) -> None:
    hub = router.club.app.state.subscriptions
    upstream = router.club.app.state.source.engine.client.sockets.connector
    baseline = len(asyncio.all_tasks())

    def tasks() -> int:
        return len(asyncio.all_tasks() - {asyncio.current_task()})  # not the poller's own

    async def streams_closed() -> bool:
        return not data.LIVE_STREAMS and hub.open_streams == 0

    async def settled() -> bool:
        return await streams_closed() and tasks() <= baseline and not upstream._acquired  # connections in use

    # given 40 clients, each with two endless subscriptions running at the subgraph (80 streams: distinct people)
    sockets = [await opened(router.url, coach_token()) for _ in range(40)]
    slow = "subscription Slow { goalScored(limit: 0, everyMs: 1000) { minute scorer { name goals } } }"
    minutes = "subscription Minutes { goalScored(limit: 0, everyMs: 1000) { minute } }"
    for socket in sockets:
        await send(socket, "subscribe", "goals", {"query": slow})
        await send(socket, "subscribe", "more", {"query": minutes})
    for socket in sockets:
        assert {(await receive(socket))["id"] for _ in range(2)} == {"goals", "more"}
    assert len(data.LIVE_STREAMS) == 80
    assert len(asyncio.all_tasks()) > baseline + 160  # a task per socket operation and per stream, at least
    # when half complete their subscriptions and the other half just drop their sockets
    for socket in sockets[:20]:
        await send(socket, "complete", "goals")
        await send(socket, "complete", "more")
    for socket in sockets[20:]:
        await socket.close()
    # then every subgraph stream is closed
    assert await eventually(streams_closed, within=10)
    # and once the other sockets close too, no task and no upstream connection is left
    for socket in sockets[:20]:
        await socket.close()
    assert await eventually(settled, within=10)


async def test_a_subgraph_that_fails_the_subscription_ends_it_with_an_error(router: Socketed) -> None:
    socket = await opened(router.url, coach_token())
    query = "subscription { goalScored(limit: 5, failAfter: 1) { minute } }"
    await send(socket, "subscribe", "feed", {"query": query})
    first = await receive(socket)
    assert first["payload"] == {"data": {"goalScored": {"minute": 1}}}
    # then the subgraph's error reaches the client, naming the subgraph, and the subscription ends
    failed = await receive(socket)
    assert failed["type"] == "next"
    assert failed["payload"]["data"] is None
    assert failed["payload"]["errors"] == [
        {"message": "the scoreboard feed broke", "extensions": {"code": "SUBGRAPH_ERROR", "service": "stats"}}
    ]
    assert await receive(socket) == {"type": "complete", "id": "feed"}
    await socket.close()


async def test_identical_subscriptions_of_one_person_share_one_subgraph_stream(router: Socketed) -> None:
    async def live(count: int) -> bool:
        return len(data.LIVE_STREAMS) == count

    # given a coach on a tablet and a phone (two tokens), and another coach
    coach = principal(Role.COACH, organization_id=uuid.uuid4())
    tablet, phone = await opened(router.url, TOKENS.issue(coach)), await opened(router.url, TOKENS.issue(coach))
    other = await opened(router.url, coach_token())
    query = "subscription($limit: Int!, $wait: Int!) { goalScored(limit: $limit, firstAfterMs: $wait) { minute } }"
    subscription = {"query": query, "variables": {"limit": 0, "wait": 500}}
    # when all three subscribe to the same goals, together (before the first goal)
    for socket in (tablet, phone, other):
        await send(socket, "subscribe", "goals", subscription)
    # then the coach's two devices share one stream at the subgraph; the other coach has their own
    assert await eventually(lambda: live(2), within=5)
    assert router.club.app.state.subscriptions.open_streams == 2
    # and both devices receive every event from the first on
    for _ in range(3):
        tablet_event, phone_event = await receive(tablet), await receive(phone)
        assert tablet_event["payload"] == phone_event["payload"]
    assert tablet_event["payload"]["data"]["goalScored"]["minute"] == 3
    # when the tablet leaves, the phone's stream goes on; when the phone leaves too, it is closed
    await tablet.close()
    await receive(phone)
    assert len(data.LIVE_STREAMS) == 2
    await phone.close()
    assert await eventually(lambda: live(1), within=5)
    await other.close()
    assert await eventually(lambda: live(0), within=5)
    assert router.club.app.state.subscriptions.open_streams == 0


async def test_a_device_that_subscribes_later_gets_a_stream_of_its_own_from_the_start(router: Socketed) -> None:
    # given a coach's tablet following goals that have begun
    coach = principal(Role.COACH, organization_id=uuid.uuid4())
    tablet, phone = await opened(router.url, TOKENS.issue(coach)), await opened(router.url, TOKENS.issue(coach))
    await send(tablet, "subscribe", "goals", {"query": GOALS, "variables": {"limit": 0}})
    for _ in range(3):
        await receive(tablet)
    # when the phone subscribes to the same goals later
    await send(phone, "subscribe", "goals", {"query": GOALS, "variables": {"limit": 0}})
    # then it starts from the first event (a state-first subscription must not be joined halfway)
    assert (await receive(phone))["payload"]["data"]["goalScored"]["minute"] == 1
    assert router.club.app.state.subscriptions.open_streams == 2
    await tablet.close()
    await phone.close()


async def test_a_supergraph_reload_keeps_subscriptions_whose_fields_remain_and_ends_the_others(
    router: Socketed,
) -> None:
    socket = await opened(router.url, coach_token())
    await send(socket, "subscribe", "goals", {"query": GOALS, "variables": {"limit": 0}})
    await receive(socket)
    source = router.club.app.state.source
    sdl = router.club.supergraph_file.read_text()
    # when the supergraph changes elsewhere, then the subscription goes on, on the same subgraph stream
    engine = source.engine
    router.club.supergraph_file.write_text(sdl.replace("lastActivity: String", "lastActivityRenamed: String"))
    assert await eventually(lambda: asyncio.sleep(0.01, source.engine is not engine), within=5)
    for _ in range(3):
        assert (await receive(socket))["type"] == "next"
    assert data.LIVE_STREAMS == ["goalScored"]
    # when the field it selects disappears, then it ends with an error saying why, and the stream closes
    engine = source.engine
    router.club.supergraph_file.write_text(sdl.replace("goalScored(", "goalsScored("))
    assert await eventually(lambda: asyncio.sleep(0.01, source.engine is not engine), within=5)
    while (message := await receive(socket))["type"] == "next":
        pass
    assert message["type"] == "error"
    assert message["payload"][0]["extensions"]["code"] == "SUBSCRIPTION_SCHEMA_CHANGED"

    async def none_live() -> bool:
        return not data.LIVE_STREAMS

    assert await eventually(none_live, within=5)
    await socket.close()


async def test_a_replaced_engine_is_let_go_once_nothing_runs_on_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(supergraph_source, "RETIRE_GRACE_SECONDS", 0.1)
    with fresh_data():
        async with running_club(tmp_path, timeout_seconds=0.2, websocket_keepalive_seconds=0) as club:
            server, task, port = await serve_anywhere(club.app)
            try:
                source = club.app.state.source
                socket = await opened(f"ws://127.0.0.1:{port}/graphql", coach_token())
                await send(socket, "subscribe", "goals", {"query": GOALS, "variables": {"limit": 0}})
                await receive(socket)
                sdl = club.supergraph_file.read_text()
                # given a subscription running on the engine a reload replaces
                first = source.engine
                club.supergraph_file.write_text(sdl.replace("lastActivity: String", "lastActivityRenamed: String"))
                assert await eventually(lambda: asyncio.sleep(0.01, source.engine is not first), within=5)
                # then the old engine is kept (with its connections) while the subscription runs on it
                await asyncio.sleep(1.0)
                assert first in source._retired
                assert not first.client.sockets.closed
                # and let go once it ends, while the current engine keeps serving
                await socket.close()

                async def released() -> bool:
                    return first not in source._retired

                assert await eventually(released, within=10)
                upstream = first.client._sockets  # the property would open a new session
                assert upstream is not None
                assert upstream.closed
                assert await query_answers(f"http://127.0.0.1:{port}/graphql")
            finally:
                server.should_exit = True
                await task


async def query_answers(url: str) -> bool:
    async with httpx.AsyncClient() as client:
        response = await client.post(
            url,
            json={"query": "{ players { name } }"},
            headers={"authorization": f"Bearer {coach_token()}"},
        )
    return response.status_code == 200 and bool(response.json().get("data", {}).get("players"))


async def dropping_stats(scope: Scope, receive: Receive, send: Send) -> None:
    """A stats subgraph whose subscription socket dies after one event (a crash, a deploy)."""
    assert scope["type"] == "websocket"
    await receive()  # websocket.connect
    await send({"type": "websocket.accept", "subprotocol": "graphql-transport-ws"})
    await receive()  # connection_init
    await send({"type": "websocket.send", "text": '{"type": "connection_ack"}'})
    subscribe = orjson.loads((await receive())["text"])
    event = {"data": {"goalScored": {"minute": 1, "scorer": {"__typename": "Player", "id": "p1", "goals": 12}}}}
    await send(
        {
            "type": "websocket.send",
            "text": orjson.dumps({"type": "next", "id": subscribe["id"], "payload": event}).decode(),
        }
    )
    await send({"type": "websocket.close", "code": 1011})


async def test_a_subgraph_that_drops_the_subscription_ends_it_with_an_error(tmp_path: Path) -> None:
    with fresh_data():
        async with running_club(tmp_path, replace={"stats": dropping_stats}, websocket_keepalive_seconds=0) as club:
            server, task, port = await serve_anywhere(club.app)
            try:
                socket = await opened(f"ws://127.0.0.1:{port}/graphql", coach_token())
                await send(socket, "subscribe", "goals", {"query": GOALS, "variables": {"limit": 0}})
                first = await receive(socket)
                assert first["payload"]["data"]["goalScored"] == {
                    "minute": 1,
                    "scorer": {"name": "Elias Lund", "goals": 12},
                }
                ended = await receive(socket)
                assert ended["type"] == "error"
                assert ended["payload"][0]["extensions"] == {"code": "SUBSCRIPTION_UPSTREAM_ENDED", "service": "stats"}
                assert "closed the subscription" in ended["payload"][0]["message"]
                await socket.close()
            finally:
                server.should_exit = True
                await task


async def test_a_page_of_another_site_cannot_open_a_socket(router: Socketed) -> None:
    # a browser sends the page's origin; CORS does not protect WebSockets, the router's allow-list does
    port = router.url.split(":")[2].split("/")[0]
    with pytest.raises(InvalidStatus) as refused:
        await connect(router.url, subprotocols=["graphql-transport-ws"], origin="https://evil.example")  # type: ignore[list-item,arg-type]
    assert refused.value.response.status_code == 403  # refused at the handshake
    # GraphiQL, served by the router itself, may
    own = await connect(router.url, subprotocols=["graphql-transport-ws"], origin=f"http://127.0.0.1:{port}")  # type: ignore[list-item,arg-type]
    await send(own, "connection_init", payload={})
    assert await receive(own) == {"type": "connection_ack"}
    await own.close()
