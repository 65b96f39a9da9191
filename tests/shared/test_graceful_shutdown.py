"""Graceful shutdown: requests in flight finish, consumers stop after acknowledging what they finished (the
rest goes back to the queue, handled once after a restart), and the outbox relay resumes where it stopped,
sending nothing twice."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aio_pika
import httpx
import pytest
import strawberry
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hockey_hub.database import migrate_service
from hockey_hub.services import create_app
from shared.app import Subgraph, create_subgraph_app
from shared.audit import record_audit
from shared.auth.principal import ANONYMOUS, Role
from shared.auth.revocation import SessionRevocations
from shared.cache import MemoryCache
from shared.database import create_engine, create_sessionmaker, database_url
from shared.database.embedded import embedded_server
from shared.database.engine import drop_database
from shared.database.kernel import audit_entries, outbox_events, processed_events
from shared.events import create_bus
from shared.events.bus import EventBus
from shared.events.consumer import idempotent
from shared.events.envelope import Event
from shared.events.memory import InProcessBus
from shared.events.outbox import record_event
from shared.events.rabbitmq import RabbitMQBus
from shared.events.relay import BATCH_SIZE
from shared.graphql import Ctx, build_schema, mutation
from shared.graphql.context import actor
from shared.pubsub import MemoryPubSub
from shared.runtime import ProcessResources
from shared.settings import Settings
from subgraphs.user.models import Base
from tests.router.club.harness import serve
from tests.support.backend import POSTGRES_URL, SuiteEnvironment
from tests.support.principals import principal
from tests.support.services import issuer_for
from tests.support.tcp_proxy import free_port
from tests.support.waiting import eventually


@pytest.fixture
async def own_database(environment: SuiteEnvironment, migrated: SuiteEnvironment) -> AsyncIterator[Settings]:
    """The user service's settings on a database of its own: no other running service relays its outbox."""
    name = f"hockey_hub_test_{environment.run_id}_shutdown_{uuid.uuid4().hex[:6]}"
    if environment.uses_servers:
        url = f"{POSTGRES_URL}/{name}"
    else:
        url = (await embedded_server(environment.settings.data_dir)).url(name)
    settings = environment.settings.model_copy(update={"database_urls": {"user": url}})
    await migrate_service(settings, "user")
    try:
        yield settings
    finally:
        await drop_database(url)


@contextlib.asynccontextmanager
async def sessions_on(settings: Settings) -> AsyncIterator[Callable[[], AsyncSession]]:
    engine = create_engine(await database_url(settings, "user"), pool_size=2)
    try:
        yield create_sessionmaker(engine)
    finally:
        await engine.dispose()


async def _delete_queue(settings: Settings, queue: str) -> None:
    if settings.amqp_url:
        connection = await aio_pika.connect(settings.amqp_url)
        async with connection:
            channel = await connection.channel()
            for suffix in ("", ".dead-letter"):
                await channel.queue_delete(f"{settings.amqp_queue_prefix}.{queue}{suffix}")


# -- Requests in flight ---------------------------------------------------------------------------------


class Gate:
    def __init__(self) -> None:
        self.entered = asyncio.Event()
        self.go_on = asyncio.Event()


GATE = Gate()


@strawberry.type
class Done:
    id: strawberry.ID


@strawberry.type
class ProbeQuery:
    @strawberry.field
    def ready(self) -> bool:
        return True


@strawberry.type
class ProbeMutation:
    @mutation(description="Waits for the test in the middle of its transaction.")
    async def take_a_while(self, info: Ctx, name: str) -> Done:
        await record_audit(info.context.session, actor(info), action="started", entity_type="Done", entity_id=name)
        GATE.entered.set()
        await GATE.go_on.wait()
        return Done(id=strawberry.ID(name))


async def test_a_request_in_flight_when_the_service_is_told_to_stop_finishes_and_commits(
    own_database: Settings, environment: SuiteEnvironment
) -> None:
    global GATE  # noqa: PLW0603 (the probe schema's resolver reads it)
    GATE = Gate()
    schema = build_schema(query=ProbeQuery, mutation=ProbeMutation)
    app = create_subgraph_app(Subgraph(name="user", schema=schema, metadata=Base.metadata), own_database)
    port = free_port()
    server, serving = await serve(app, port, lifespan="on")
    token = issuer_for(environment).issue(principal(Role.CLUB_ADMIN, organization_id=uuid.uuid4()))
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
        # given a mutation in the middle of its transaction
        request = asyncio.create_task(
            http.post(
                "/graphql",
                json={"query": 'mutation { takeAWhile(name: "late") { id } }'},
                headers={"Authorization": f"Bearer {token}"},
            )
        )
        await asyncio.wait_for(GATE.entered.wait(), timeout=10)

        # when the service is told to stop (what uvicorn does on SIGTERM)
        server.should_exit = True
        await asyncio.sleep(0.5)
        assert not serving.done()  # it waits for the request
        GATE.go_on.set()

        # then the request finishes with its answer, and the service stops after it
        response = await asyncio.wait_for(request, timeout=20)
        assert response.status_code == 200
        assert response.json() == {"data": {"takeAWhile": {"id": "late"}}}
        await asyncio.wait_for(serving, timeout=20)
    # and what it wrote was committed
    async with sessions_on(own_database) as sessions, sessions() as session:
        actions = sorted((await session.execute(select(audit_entries.c.action))).scalars())
    assert actions == ["started", "takeAWhile"]


# -- The outbox relay -------------------------------------------------------------------------------------


async def test_the_relay_stopped_mid_batch_resumes_after_a_restart_and_sends_nothing_twice(
    own_database: Settings,
) -> None:
    settings = own_database
    queue = f"shutdown-relay-{uuid.uuid4().hex[:8]}"
    delivered: list[uuid.UUID] = []
    first = asyncio.Event()

    async def receive(event: Event) -> None:
        delivered.append(event.id)
        first.set()

    total = 3 * BATCH_SIZE
    try:
        async with _lifetime(settings, queue, receive) as app:
            # given many events committed to the outbox at once
            async with app.state.runtime.sessions() as session, session.begin():
                for number in range(total):
                    await record_event(
                        session, producer="user", type="probe.relayed", data={"n": number}, organization_id=None
                    )
            # when the service stops while the relay publishes them
            await asyncio.wait_for(first.wait(), timeout=20)

        # then the batch in flight was finished and marked, and the rest waits in the outbox
        published = await _published(settings)
        assert 0 < published < total
        await eventually(lambda: _at_least(delivered, published))

        # when the service starts again, then the relay resumes where it stopped
        async with _lifetime(settings, queue, receive):
            await eventually(lambda: _all_published(settings, total), within=60)
            await eventually(lambda: _at_least(delivered, total), within=30)
            await asyncio.sleep(0.5)  # long enough for a duplicate to show up
        # and every event was delivered exactly once
        assert len(delivered) == len(set(delivered)) == total
    finally:
        await _delete_queue(settings, queue)


@contextlib.asynccontextmanager
async def _lifetime(
    settings: Settings, queue: str, receive: Callable[[Event], Awaitable[None]]
) -> AsyncIterator[FastAPI]:
    """One run of the user service (one process: its own bus), with a listener on the bus for the test."""
    bus = create_bus(settings)
    await bus.start()
    await bus.consume(queue, ["probe.relayed"], receive)
    publish = bus.publish

    async def slow_publish(event: Event) -> None:  # a batch takes a while: the stop lands inside one
        await asyncio.sleep(0.005)
        await publish(event)

    bus.publish = slow_publish  # type: ignore[method-assign]
    pubsub = MemoryPubSub()
    resources = ProcessResources(
        bus=bus,
        cache=MemoryCache(),
        pubsub=pubsub,
        revocations=SessionRevocations.connect(None, prefix="test:", pubsub=pubsub),
    )
    app = create_app("user", settings, resources=resources)
    try:
        async with app.router.lifespan_context(app):
            yield app
    finally:
        await bus.close()


async def _published(settings: Settings) -> int:
    async with sessions_on(settings) as sessions, sessions() as session:
        count = await session.scalar(
            select(func.count()).select_from(outbox_events).where(outbox_events.c.published_at.is_not(None))
        )
    return int(count or 0)


async def _all_published(settings: Settings, total: int) -> bool:
    return await _published(settings) == total


async def _at_least(delivered: list[uuid.UUID], count: int) -> bool:
    return len(delivered) >= count


# -- Consumers ----------------------------------------------------------------------------------------------


class Handling:
    """A consumer's domain handler: records its effect, and holds `slow` events until `release` is set."""

    def __init__(self) -> None:
        self.deliveries: list[str] = []
        self.started = asyncio.Event()
        self.release = asyncio.Event()

    async def __call__(self, session: AsyncSession, event: Event) -> None:
        name = str(event.data["name"])
        self.deliveries.append(name)
        await record_audit(session, ANONYMOUS, action="handled", entity_type="Probe", entity_id=name)
        if event.data.get("slow"):
            self.started.set()
            await self.release.wait()


async def _effects(sessions: Callable[[], AsyncSession]) -> list[str]:
    async with sessions() as session:
        await session.connection(execution_options={"isolation_level": "REPEATABLE READ"})  # one snapshot
        rows = await session.execute(select(audit_entries.c.entity_id).where(audit_entries.c.action == "handled"))
        processed = await session.scalar(select(func.count()).select_from(processed_events))
    names = sorted(str(name) for name in rows.scalars())
    assert processed == len(names), (processed, names)  # an event counts as processed exactly when its effect is there
    return names


async def test_a_stopped_consumer_acknowledges_what_it_finished_and_leaves_the_rest_to_its_successor(
    own_database: Settings,
) -> None:
    settings = own_database
    if not settings.amqp_url:
        pytest.skip("messages going back to their queue across a restart needs RabbitMQ (servers backend)")
    queue = f"shutdown-consumer-{uuid.uuid4().hex[:8]}"
    async with sessions_on(settings) as sessions:
        try:
            # given a consumer that has handled one event and is in the middle of a second
            first = Handling()
            bus = _rabbitmq(settings)
            await bus.start()
            await bus.consume(queue, ["probe.consumed"], _counted(first, sessions))
            await _publish(bus, "quick")
            await eventually(lambda: _has(sessions, ["quick"]))
            await _publish(bus, "slow", slow=True)
            await asyncio.wait_for(first.started.wait(), timeout=20)

            # when it is stopped, and the unfinished handler outlasts the grace period
            await bus.close(grace_seconds=0.5)

            # then what it finished stays done, and the unfinished one left nothing behind
            assert await _effects(sessions) == ["quick"]

            # when the next consumer starts on the same queue
            second = Handling()
            second.release.set()
            successor = _rabbitmq(settings)
            await successor.start()
            await successor.consume(queue, ["probe.consumed"], _counted(second, sessions))
            try:
                # then it gets the unfinished event back, and only that one, and handles it once
                await eventually(lambda: _has(sessions, ["quick", "slow"]), within=30)
                await asyncio.sleep(0.5)
                assert second.deliveries == ["slow"]
                assert await _effects(sessions) == ["quick", "slow"]
            finally:
                await successor.close()
        finally:
            await _delete_queue(settings, queue)


async def test_a_stopping_consumer_finishes_the_handler_in_progress_within_the_grace_period(
    own_database: Settings,
) -> None:
    settings = own_database
    queue = f"shutdown-finish-{uuid.uuid4().hex[:8]}"
    async with sessions_on(settings) as sessions:
        handling = Handling()
        bus = _rabbitmq(settings) if settings.amqp_url else InProcessBus()
        await bus.start()
        try:
            await bus.consume(queue, ["probe.consumed"], _counted(handling, sessions))
            # given a handler in progress, and more events queued behind it
            await _publish(bus, "slow", slow=True)
            await asyncio.wait_for(handling.started.wait(), timeout=20)

            # when the consumer is stopped, and the handler finishes within the grace period
            asyncio.get_running_loop().call_later(0.3, handling.release.set)
            await bus.close(grace_seconds=10)

            # then its effect is committed (and acknowledged: nothing comes back to a successor)
            assert await _effects(sessions) == ["slow"]
            if settings.amqp_url:
                successor = _rabbitmq(settings)
                await successor.start()
                again = Handling()
                await successor.consume(queue, ["probe.consumed"], _counted(again, sessions))
                await asyncio.sleep(1.0)
                await successor.close()
                assert again.deliveries == []
        finally:
            await _delete_queue(settings, queue)


def _rabbitmq(settings: Settings) -> RabbitMQBus:
    assert settings.amqp_url
    return RabbitMQBus(settings.amqp_url, exchange=settings.amqp_exchange, queue_prefix=settings.amqp_queue_prefix)


def _counted(handling: Handling, sessions: Callable[[], AsyncSession]) -> Callable[[Event], Awaitable[None]]:
    return idempotent(sessions, {"probe.consumed": handling})  # type: ignore[arg-type]


async def _publish(bus: EventBus, name: str, *, slow: bool = False) -> None:
    data: dict[str, Any] = {"name": name, "slow": slow}
    await bus.publish(Event(type="probe.consumed", producer="test", data=data))


async def _has(sessions: Callable[[], AsyncSession], names: list[str]) -> bool:
    return await _effects(sessions) == names
