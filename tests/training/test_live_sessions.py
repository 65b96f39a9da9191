"""Live sessions: starting, reporting progress, joining, leaving and ending over GraphQL HTTP; the
`liveSession` subscription with a real WebSocket client against the training service on a real port;
announcements across two replicas sharing Redis; nothing left subscribed after a client goes."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from redis.asyncio import Redis
from websockets.asyncio.client import ClientConnection, connect

from shared.auth.principal import Principal, Role
from subgraphs.training.live import broadcast
from subgraphs.training.live import service as live_service
from subgraphs.training.models import Exercise, Workout
from tests.support.backend import Backend, SuiteEnvironment
from tests.support.live import closed, receive, send, served
from tests.support.principals import principal
from tests.support.services import RunningService, running_service
from tests.support.waiting import eventually
from tests.training.factories import (
    Club,
    make_assignment,
    make_exercise,
    make_strength_workout,
    outbox,
)

STATE = """
fragment State on LiveSession {
  id status version endedAt team { id } workout { id name }
  players { player { id } status completionPercent exerciseId setNumber intervalNumber heartRate completedAt leftAt }
}
"""

START = (
    """
mutation Start($input: StartLiveSessionInput!) { startLiveSession(input: $input) { ...State } }
"""
    + STATE
)

REPORT = """
mutation Report($input: ReportLiveProgressInput!) {
  reportLiveProgress(input: $input) {
    player { id } status exerciseId setNumber intervalNumber heartRate completionPercent reportedAt
  }
}
"""

JOIN = "mutation Join($id: ID!, $playerId: ID) { joinLiveSession(id: $id, playerId: $playerId) { ...State } }" + STATE
LEAVE = (
    "mutation Leave($id: ID!, $playerId: ID) { leaveLiveSession(id: $id, playerId: $playerId) { ...State } }" + STATE
)
END = "mutation End($id: ID!) { endLiveSession(id: $id) { ...State } }" + STATE
LIVE = "query Live($id: ID!) { liveSession(id: $id) { ...State } }" + STATE
WATCH = "subscription Watch($id: ID!) { liveSession(id: $id) { ...State } }" + STATE


@pytest.fixture
async def squat(training: RunningService, club: Club) -> Exercise:
    return await make_exercise(training, by=club.trainer)


@pytest.fixture
async def workout(training: RunningService, club: Club, squat: Exercise) -> Workout:
    return await make_strength_workout(training, by=club.trainer, exercise=squat)


async def start(training: RunningService, club: Club, workout: Workout, **input: Any) -> dict[str, Any]:
    variables = {"input": {"workoutId": str(workout.id), "teamId": str(club.senior_id), **input}}
    response = await training.graphql.execute(START, variables, as_=club.trainer)
    started: dict[str, Any] = response.ok()["startLiveSession"]
    return started


async def report(training: RunningService, session_id: str, by: Principal, **progress: Any) -> Any:
    return await training.graphql.execute(REPORT, {"input": {"sessionId": session_id, **progress}}, as_=by)


def progress_of(state: dict[str, Any], player_id: uuid.UUID) -> dict[str, Any]:
    return next(row for row in state["players"] if row["player"]["id"] == str(player_id))


# WebSocket client ------------------------------------------------------------------------------------


@pytest.fixture
async def socket_url(training: RunningService) -> AsyncIterator[str]:
    """The training service (its running app and runtime) on a real port."""
    async with served(training.app) as url:
        yield url


async def watch(url: str, token: str | None, session_id: str, query: str = WATCH) -> ClientConnection:
    """A socket (authenticated as the router does it: the caller's header on the upgrade request)
    subscribed to the session as operation "live"."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    socket = await connect(url, subprotocols=["graphql-transport-ws"], additional_headers=headers)  # type: ignore[list-item]
    await send(socket, "connection_init", payload={})
    assert await receive(socket) == {"type": "connection_ack"}
    await send(socket, "subscribe", "live", {"query": query, "variables": {"id": session_id}})
    return socket


async def next_state(socket: ClientConnection) -> dict[str, Any]:
    message = await receive(socket)
    assert message["type"] == "next", message
    assert "errors" not in message["payload"], message["payload"]
    state: dict[str, Any] = message["payload"]["data"]["liveSession"]
    return state


async def nothing_more(socket: ClientConnection, within: float = 0.5) -> bool:
    try:
        await receive(socket, within=within)
    except TimeoutError:
        return True
    return False


# Over HTTP ---------------------------------------------------------------------------------------------


async def test_a_trainer_starts_a_session_with_the_team_s_active_players(
    training: RunningService, club: Club, workout: Workout
) -> None:
    # when the team's trainer starts a live session for a workout, naming no players
    started = await start(training, club, workout)
    # then the team's active players take part, none with progress yet
    assert started["status"] == "ACTIVE"
    assert started["version"] == 1
    assert started["team"] == {"id": str(club.senior_id)}
    assert started["workout"] == {"id": str(workout.id), "name": workout.name}
    assert sorted(row["player"]["id"] for row in started["players"]) == sorted(map(str, club.senior_players))
    assert {(row["status"], row["completionPercent"]) for row in started["players"]} == {("ACTIVE", 0)}


async def test_progress_is_persisted_and_the_query_resumes_from_the_latest_state(
    training: RunningService, club: Club, workout: Workout, squat: Exercise
) -> None:
    # given a session, a player who reports their own progress twice, and the trainer reporting for another
    session_id = (await start(training, club, workout))["id"]
    first, second, third = club.senior_players
    reported = await report(
        training, session_id, club.player(first), exerciseId=str(squat.id), setNumber=1, heartRate=120
    )
    assert reported.ok()["reportLiveProgress"]["setNumber"] == 1
    await report(training, session_id, club.player(first), setNumber=2, heartRate=150, completionPercent=40)
    await report(training, session_id, club.trainer, playerId=str(second), completionPercent=10)
    # when a screen reconnects and reads the session
    state = (await training.graphql.execute(LIVE, {"id": session_id}, as_=club.trainer)).ok()["liveSession"]
    # then it holds each player's latest progress (fields not reported again kept their value)
    assert state["version"] == 4
    assert progress_of(state, first) == {
        "player": {"id": str(first)},
        "status": "ACTIVE",
        "completionPercent": 40,
        "exerciseId": str(squat.id),
        "setNumber": 2,
        "intervalNumber": None,
        "heartRate": 150,
        "completedAt": None,
        "leftAt": None,
    }
    assert progress_of(state, second)["completionPercent"] == 10
    assert progress_of(state, third)["completionPercent"] == 0
    # and a team mate sees the progress but not the heart rate; the player sees their own
    seen_by_mate = (await training.graphql.execute(LIVE, {"id": session_id}, as_=club.player(second))).ok()
    assert progress_of(seen_by_mate["liveSession"], first)["completionPercent"] == 40
    assert progress_of(seen_by_mate["liveSession"], first)["heartRate"] is None
    seen_by_self = (await training.graphql.execute(LIVE, {"id": session_id}, as_=club.player(first))).ok()
    assert progress_of(seen_by_self["liveSession"], first)["heartRate"] == 150


@pytest.mark.parametrize(
    ("progress", "field"),
    [
        ({"completionPercent": 101}, "completionPercent"),
        ({"heartRate": 400}, "heartRate"),
        ({"setNumber": 0}, "setNumber"),
        ({"completionPercent": None}, "completionPercent"),
        ({"exerciseId": str(uuid.uuid4())}, "exerciseId"),
        ({}, "completionPercent"),
    ],
)
async def test_invalid_progress_is_refused_with_the_field(
    training: RunningService, club: Club, workout: Workout, progress: dict[str, Any], field: str
) -> None:
    session_id = (await start(training, club, workout))["id"]
    response = await report(training, session_id, club.player(club.senior_players[0]), **progress)
    assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field
    # and nothing changed
    state = (await training.graphql.execute(LIVE, {"id": session_id}, as_=club.trainer)).ok()["liveSession"]
    assert state["version"] == 1


async def test_who_may_start_read_report_and_end(training: RunningService, club: Club, workout: Workout) -> None:
    session_id = (await start(training, club, workout))["id"]
    first, second, _ = club.senior_players
    other_club_trainer = principal(Role.PHYSICAL_TRAINER, organization_id=uuid.uuid4(), teams=[club.senior_id])
    junior_coach = club.staff(Role.COACH, club.junior_id)
    bystander = club.player(club.junior_players[0])
    # a player reports only their own progress
    assert (
        await report(training, session_id, club.player(first), playerId=str(second), completionPercent=5)
    ).codes == ["FORBIDDEN"]
    # staff of another club do not learn the session exists, whatever they try
    assert (await training.graphql.execute(LIVE, {"id": session_id}, as_=other_club_trainer)).codes == ["NOT_FOUND"]
    assert (await report(training, session_id, other_club_trainer, playerId=str(first), completionPercent=5)).codes == [
        "NOT_FOUND"
    ]
    assert (await training.graphql.execute(END, {"id": session_id}, as_=other_club_trainer)).codes == ["NOT_FOUND"]
    # the club's coach of another team and a player not taking part may not follow it
    assert (await training.graphql.execute(LIVE, {"id": session_id}, as_=junior_coach)).codes == ["FORBIDDEN"]
    assert (await training.graphql.execute(LIVE, {"id": session_id}, as_=bystander)).codes == ["FORBIDDEN"]
    # players neither start nor end sessions; a coach of another team does not start one for this team
    started_by_player = await training.graphql.execute(
        START,
        {"input": {"workoutId": str(workout.id), "teamId": str(club.senior_id)}},
        as_=club.player(first),
    )
    assert started_by_player.codes == ["FORBIDDEN"]
    started_by_junior_coach = await training.graphql.execute(
        START, {"input": {"workoutId": str(workout.id), "teamId": str(club.senior_id)}}, as_=junior_coach
    )
    assert started_by_junior_coach.codes == ["FORBIDDEN"]
    assert (await training.graphql.execute(END, {"id": session_id}, as_=club.player(first))).codes == ["FORBIDDEN"]
    # an anonymous caller is told to sign in
    assert (await training.graphql.execute(LIVE, {"id": session_id})).codes == ["UNAUTHENTICATED"]
    # and the senior head coach follows it
    coach = club.staff(Role.COACH, club.senior_id)
    assert (await training.graphql.execute(LIVE, {"id": session_id}, as_=coach)).ok()["liveSession"]["id"] == session_id


async def test_players_join_and_leave(training: RunningService, club: Club, workout: Workout) -> None:
    # given a session started with two of the team's players
    first, second, third = club.senior_players
    session_id = (await start(training, club, workout, playerIds=[str(first), str(second)]))["id"]
    # when the third joins on their own, and the first leaves
    joined = await training.graphql.execute(JOIN, {"id": session_id}, as_=club.player(third))
    assert progress_of(joined.ok()["joinLiveSession"], third)["status"] == "ACTIVE"
    left = await training.graphql.execute(LEAVE, {"id": session_id}, as_=club.player(first))
    # then the first is marked gone, and may no longer report
    assert progress_of(left.ok()["leaveLiveSession"], first)["status"] == "LEFT"
    assert (await report(training, session_id, club.player(first), completionPercent=50)).codes == ["CONFLICT"]
    # and joining twice is a conflict; a junior player may not join a senior session on their own
    assert (await training.graphql.execute(JOIN, {"id": session_id}, as_=club.player(third))).codes == ["CONFLICT"]
    junior = club.junior_players[0]
    assert (await training.graphql.execute(JOIN, {"id": session_id}, as_=club.player(junior))).codes == ["FORBIDDEN"]
    # but the trainer may add them
    added = await training.graphql.execute(JOIN, {"id": session_id, "playerId": str(junior)}, as_=club.trainer)
    assert progress_of(added.ok()["joinLiveSession"], junior)["status"] == "ACTIVE"


async def test_ending_records_each_player_s_completion_and_publishes_workout_completed(
    training: RunningService, club: Club, workout: Workout
) -> None:
    # given a session for an assignment of the team, where one player left and the others reported
    assignment = await make_assignment(training, by=club.trainer, workout=workout, team_id=club.senior_id)
    started = await training.graphql.execute(START, {"input": {"assignmentId": str(assignment.id)}}, as_=club.trainer)
    session_id = started.ok()["startLiveSession"]["id"]
    first, second, third = club.senior_players
    await report(training, session_id, club.player(first), completionPercent=100)
    await report(training, session_id, club.player(second), completionPercent=70)
    await training.graphql.execute(LEAVE, {"id": session_id}, as_=club.player(third))
    # when the trainer ends it
    ended = (await training.graphql.execute(END, {"id": session_id}, as_=club.trainer)).ok()["endLiveSession"]
    # then the players still in it completed it; the one who left did not
    assert ended["status"] == "ENDED"
    assert ended["endedAt"] is not None
    assert progress_of(ended, first)["status"] == "COMPLETED"
    assert progress_of(ended, first)["completedAt"] == ended["endedAt"]
    assert progress_of(ended, third)["status"] == "LEFT"
    # and one workout.completed per completing player, in the shape statistics reads
    completed = [event["data"] for event in await outbox(training) if event["type"] == "workout.completed"]
    assert sorted(data["player_id"] for data in completed) == sorted([str(first), str(second)])
    for data in completed:
        assert data["workout_id"] == str(workout.id)
        assert data["assignment_id"] == str(assignment.id)
        assert data["live_session_id"] == session_id
        assert data["team_id"] == str(club.senior_id)
        assert data["player_workout_id"] is not None
        assert data["duration_seconds"] >= 0
        assert data["minutes"] >= 1
        assert data["load"] is None
        assert data["completed_at"] is not None
    assert {data["player_id"]: data["completion_percent"] for data in completed} == {str(first): 100, str(second): 70}
    # and their part of the assignment is done
    done = await training.graphql.execute(
        "query($id: ID!) { workoutAssignments(teamId: $id) { players { player { id } status } } }",
        {"id": str(club.senior_id)},
        as_=club.trainer,
    )
    statuses = {row["player"]["id"]: row["status"] for row in done.ok()["workoutAssignments"][0]["players"]}
    assert statuses == {str(first): "COMPLETED", str(second): "COMPLETED", str(third): "ASSIGNED"}
    # and an ended session changes no more
    assert (await report(training, session_id, club.player(first), completionPercent=5)).codes == ["CONFLICT"]
    assert (await training.graphql.execute(END, {"id": session_id}, as_=club.trainer)).codes == ["CONFLICT"]


async def test_a_session_is_for_a_workout_or_an_assignment(
    training: RunningService, club: Club, workout: Workout
) -> None:
    neither = await training.graphql.execute(START, {"input": {"teamId": str(club.senior_id)}}, as_=club.trainer)
    assert neither.error("BAD_USER_INPUT")["extensions"]["field"] == "workoutId"
    unknown = await training.graphql.execute(
        START, {"input": {"workoutId": str(uuid.uuid4()), "teamId": str(club.senior_id)}}, as_=club.trainer
    )
    assert unknown.error("NOT_FOUND")["extensions"]["field"] == "workoutId"


# The subscription --------------------------------------------------------------------------------------


async def test_a_subscriber_gets_the_current_state_then_every_change_until_the_end(
    training: RunningService, club: Club, workout: Workout, socket_url: str
) -> None:
    # given a session with some progress already, and the trainer's screen subscribing
    first, second, third = club.senior_players
    session_id = (await start(training, club, workout, playerIds=[str(first), str(second)]))["id"]
    await report(training, session_id, club.player(first), completionPercent=20)
    screen = await watch(socket_url, training.graphql.token(club.trainer), session_id)
    # then it first receives the current state
    current = await next_state(screen)
    assert current["version"] == 2
    assert progress_of(current, first)["completionPercent"] == 20
    # when a player reports, a player joins, one leaves, and the trainer ends the session
    await report(training, session_id, club.player(second), completionPercent=35, heartRate=140)
    reported = await next_state(screen)
    await training.graphql.execute(JOIN, {"id": session_id}, as_=club.player(third))
    joined = await next_state(screen)
    await training.graphql.execute(LEAVE, {"id": session_id}, as_=club.player(first))
    left = await next_state(screen)
    await training.graphql.execute(END, {"id": session_id}, as_=club.trainer)
    ended = await next_state(screen)
    # then it received each change once, in order, and then the stream completed
    assert [state["version"] for state in (reported, joined, left, ended)] == [3, 4, 5, 6]
    assert progress_of(reported, second)["completionPercent"] == 35
    assert progress_of(reported, second)["heartRate"] == 140
    assert progress_of(joined, third)["status"] == "ACTIVE"
    assert progress_of(left, first)["status"] == "LEFT"
    assert ended["status"] == "ENDED"
    assert await receive(screen) == {"type": "complete", "id": "live"}
    await closed(screen)


async def test_a_refused_change_is_not_announced(
    training: RunningService, club: Club, workout: Workout, socket_url: str
) -> None:
    # given a player's screen following a session
    first, second, _ = club.senior_players
    session_id = (await start(training, club, workout))["id"]
    screen = await watch(socket_url, training.graphql.token(club.player(first)), session_id)
    assert (await next_state(screen))["version"] == 1
    # when changes are refused (a rolled-back savepoint, a broken rule), then nothing reaches the screen
    assert (await report(training, session_id, club.player(first), completionPercent=300)).codes == ["BAD_USER_INPUT"]
    assert (await report(training, session_id, club.player(first), playerId=str(second))).codes == ["FORBIDDEN"]
    assert await nothing_more(screen)
    # and the next accepted change arrives as the next version; a team mate's heart rate stays hidden
    await report(training, session_id, club.player(second), completionPercent=15, heartRate=133)
    state = await next_state(screen)
    assert state["version"] == 2
    assert progress_of(state, second)["heartRate"] is None
    await closed(screen)


@pytest.mark.parametrize("caller", ["other club", "bystander", "anonymous"])
async def test_a_subscription_is_refused_with_a_coded_error(
    training: RunningService, club: Club, workout: Workout, socket_url: str, caller: str
) -> None:
    session_id = (await start(training, club, workout))["id"]
    who = {
        "other club": principal(Role.COACH, organization_id=uuid.uuid4(), teams=[club.senior_id]),
        "bystander": club.player(club.junior_players[0]),
        "anonymous": None,
    }[caller]
    expected = {"other club": "NOT_FOUND", "bystander": "FORBIDDEN", "anonymous": "UNAUTHENTICATED"}[caller]
    token = training.graphql.token(who) if who is not None else None
    socket = await watch(socket_url, token, session_id)
    refusal = await receive(socket)
    errors = refusal["payload"] if refusal["type"] == "error" else refusal["payload"]["errors"]
    assert [error["extensions"]["code"] for error in errors] == [expected]
    assert "Traceback" not in str(errors)
    await closed(socket)


async def test_a_waiting_subscription_holds_no_database_connection(
    training: RunningService, club: Club, workout: Workout, socket_url: str
) -> None:
    session_id = (await start(training, club, workout))["id"]
    pool = training.engine.pool

    async def none_checked_out() -> bool:
        # polled: the service's outbox relay borrows a connection now and then, and gives it back
        return bool(pool.checkedout() == 0)  # type: ignore[attr-defined]

    # (one of them also reading the workout's exercises from the library, through the operation's session)
    with_exercises = WATCH.replace("workout { id name }", "workout { id name exercises { exercise { name } } }")
    screens = [
        await watch(socket_url, training.graphql.token(club.trainer), session_id, query)
        for query in (WATCH, WATCH, with_exercises)
    ]
    states = [await next_state(screen) for screen in screens]
    assert states[2]["workout"]["exercises"] == [{"exercise": {"name": "Back Squat"}}]
    # while three subscriptions wait for changes, no connection is checked out for them
    assert await eventually(none_checked_out, within=5)
    await report(training, session_id, club.player(club.senior_players[0]), completionPercent=50)
    for screen in screens:
        assert (await next_state(screen))["version"] == 2
    assert await eventually(none_checked_out, within=5)
    for screen in screens:
        await closed(screen)


async def subscribed_in_redis(environment: SuiteEnvironment, session_id: str) -> int:
    assert environment.settings.redis_url
    redis = Redis.from_url(environment.settings.redis_url)
    try:
        name = environment.settings.redis_key_prefix + broadcast.channel(uuid.UUID(session_id))
        counts = await redis.pubsub_numsub(name)
        return int(counts[0][1])
    finally:
        await redis.aclose()


async def test_unsubscribing_or_disconnecting_leaves_no_pubsub_subscription(
    training: RunningService, club: Club, workout: Workout, socket_url: str, migrated: SuiteEnvironment
) -> None:
    session_id = (await start(training, club, workout))["id"]
    live_id = uuid.UUID(session_id)
    servers = migrated.backend is Backend.SERVERS

    async def open_channels(count: int) -> bool:
        if broadcast.watching(live_id) != count:
            return False
        # the process follows a channel in Redis once, however many of its subscribers read it
        return not servers or await subscribed_in_redis(migrated, session_id) == min(count, 1)

    # given two screens following the session
    tablet = await watch(socket_url, training.graphql.token(club.trainer), session_id)
    phone = await watch(socket_url, training.graphql.token(club.trainer), session_id)
    await next_state(tablet)
    await next_state(phone)
    assert await eventually(lambda: open_channels(2), within=5)
    # when one completes its subscription, its pub/sub subscription is gone, and the socket stays usable
    await send(tablet, "complete", "live")
    assert await eventually(lambda: open_channels(1), within=5)
    await send(tablet, "ping")
    assert await receive(tablet) == {"type": "pong"}
    # when the other just disconnects, nothing is left
    await phone.close()
    assert await eventually(lambda: open_channels(0), within=5)
    await closed(tablet)


async def test_a_change_on_one_replica_reaches_subscribers_of_another(
    training: RunningService, club: Club, workout: Workout, migrated: SuiteEnvironment, socket_url: str
) -> None:
    if migrated.backend is not Backend.SERVERS:
        pytest.skip("replicas share pub/sub through Redis; the embedded mode is one process")
    # given a second replica of the training service (same database, same Redis), on its own port
    async with (
        running_service("training", migrated.settings, training.graphql.issuer) as replica,
        served(replica.app) as replica_url,
    ):
        session_id = (await start(training, club, workout))["id"]
        # and screens following the session on both replicas
        here = await watch(socket_url, training.graphql.token(club.trainer), session_id)
        there = await watch(replica_url, replica.graphql.token(club.player(club.senior_players[0])), session_id)
        assert (await next_state(here))["version"] == (await next_state(there))["version"] == 1
        # when a player reports through the first replica and the trainer ends through the second
        await report(training, session_id, club.player(club.senior_players[0]), completionPercent=60)
        assert [(await next_state(here))["version"], (await next_state(there))["version"]] == [2, 2]
        await replica.graphql.execute(END, {"id": session_id}, as_=club.trainer)
        # then both replicas' subscribers see both changes, and both streams complete
        for screen in (here, there):
            assert (await next_state(screen))["status"] == "ENDED"
            assert await receive(screen) == {"type": "complete", "id": "live"}
            await closed(screen)


async def test_a_change_is_announced_only_once_its_transaction_commits(
    training: RunningService, club: Club, workout: Workout
) -> None:
    session_id = uuid.UUID((await start(training, club, workout))["id"])
    runtime = training.runtime
    player = club.player(club.senior_players[0])
    async with broadcast.changes(runtime.pubsub, session_id) as versions:
        announced: asyncio.Queue[int] = asyncio.Queue()

        async def collect() -> None:
            async for version in versions:
                if version > 1:  # the start's own announcement may still be on its way
                    announced.put_nowait(version)

        collector = asyncio.create_task(collect())

        async def next_version(within: float) -> int | None:
            try:
                return await asyncio.wait_for(announced.get(), timeout=within)
            except TimeoutError:
                return None

        async with runtime.sessions() as session:
            # a change whose savepoint rolls back is never announced, even when the transaction commits
            with contextlib.suppress(RuntimeError):
                async with session.begin_nested():
                    await live_service.report_live_progress(
                        session, player, runtime.pubsub, session_id, progress={"completion_percent": 10}
                    )
                    raise RuntimeError("the rest of the mutation failed")
            await session.commit()
        assert await next_version(within=0.5) is None
        async with runtime.sessions() as session:
            # a change is not announced while its transaction is open
            await live_service.report_live_progress(
                session, player, runtime.pubsub, session_id, progress={"completion_percent": 20}
            )
            assert await next_version(within=0.5) is None
            await session.commit()
        # but once it has committed
        assert await next_version(within=5) == 2
        # and a transaction that rolls back announces nothing
        async with runtime.sessions() as session:
            await live_service.report_live_progress(
                session, player, runtime.pubsub, session_id, progress={"completion_percent": 30}
            )
            await session.rollback()
        assert await next_version(within=0.5) is None
        collector.cancel()
