"""Events: outbox in the writing transaction, relay in order, nothing lost while the broker is down,
consumers idempotent by event id."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import aio_pika
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hockey_hub.database import migrate_service
from shared.audit import record_audit
from shared.database import database_url
from shared.database.engine import drop_database
from shared.database.kernel import audit_entries, outbox_events
from shared.events import Event, InProcessBus, record_event
from shared.events.consumer import idempotent
from shared.events.relay import OutboxRelay
from tests.conftest import ServiceFactory
from tests.support.backend import AMQP_URL, POSTGRES_URL, SuiteEnvironment
from tests.support.principals import platform_admin
from tests.support.services import RunningService, issuer_for, running_service
from tests.support.tcp_proxy import TcpProxy
from tests.support.waiting import eventually
from tests.user.factories import make_club

ADD_PLAYER = """
mutation AddPlayer($input: AddPlayerInput!) { addPlayer(input: $input) { id } }
"""


def _player(team_id: uuid.UUID) -> dict[str, object]:
    return {
        "firstName": "Oskar",
        "lastName": "Dahl",
        "birthDate": "1999-02-02",
        "position": "CENTER",
        "shoots": "LEFT",
        "teamId": str(team_id),
        "jerseyNumber": 91,
    }


@pytest.fixture
async def user(service: ServiceFactory) -> RunningService:
    return await service("user")


async def test_relay_publishes_committed_events_in_order_once(user: RunningService) -> None:
    # given three events committed to the outbox, and a bus with a listener
    bus = InProcessBus()
    received: list[Event] = []

    async def listen(event: Event) -> None:
        received.append(event)

    await bus.consume("listener", ["demo.#"], listen)
    async with user.runtime.sessions() as session, session.begin():
        written = [
            await record_event(session, producer="user", type=f"demo.step{n}", data={"n": n}, organization_id=None)
            for n in range(3)
        ]
    relay = OutboxRelay(user.runtime.sessions, bus, service="user")
    # when the relay runs twice
    first, second = await relay.publish_pending(), await relay.publish_pending()
    await bus.drain()
    # then each event went out once, in commit order, with its envelope intact
    assert (first, second) == (3, 0)
    assert [event.id for event in received] == [event.id for event in written]
    assert received[1].data == {"n": 1}
    await bus.close()


async def test_an_event_of_a_rolled_back_transaction_is_never_published(user: RunningService) -> None:
    async def failing_change() -> None:
        async with user.runtime.sessions() as session, session.begin():
            await record_event(session, producer="user", type="demo.lost", data={}, organization_id=None)
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        await failing_change()
    async with user.runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(outbox_events)) == 0


async def test_a_mutation_publishes_its_event_through_the_service_bus(user: RunningService) -> None:
    # given a listener on the service's own bus (in-process, or RabbitMQ with the servers backend)
    club = await make_club(user)
    received: asyncio.Queue[Event] = asyncio.Queue()
    queue = f"test-listener-{uuid.uuid4().hex[:8]}"

    async def listen(event: Event) -> None:
        await received.put(event)

    await user.runtime.bus.consume(queue, ["player.added"], listen)
    try:
        # when a coach adds a player
        added = (await user.graphql.execute(ADD_PLAYER, {"input": _player(club.team.id)}, as_=club.coach)).ok()
        # then player.added arrives with the player's id and the club's organization
        event = await asyncio.wait_for(received.get(), timeout=20)
        assert event.type == "player.added"
        assert event.data["player_id"] == added["addPlayer"]["id"]
        assert event.organization_id == club.organization.id
        assert event.producer == "user"
    finally:
        await _delete_queue(user, queue)


async def _delete_queue(user: RunningService, queue: str) -> None:
    settings = user.runtime.settings
    if settings.amqp_url:
        connection = await aio_pika.connect(settings.amqp_url)
        async with connection:
            channel = await connection.channel()
            for name in (
                f"{settings.amqp_queue_prefix}.{queue}",
                f"{settings.amqp_queue_prefix}.{queue}.dead-letter",
            ):
                await channel.queue_delete(name)


@pytest.fixture
async def rabbitmq_behind_proxy(
    environment: SuiteEnvironment, migrated: SuiteEnvironment
) -> AsyncIterator[tuple[RunningService, TcpProxy]]:
    if not environment.uses_servers:
        pytest.skip("the broker outage needs RabbitMQ (servers backend)")
    proxy = TcpProxy("127.0.0.1", 5672)  # not listening yet: RabbitMQ is unreachable
    # A database of its own: the suite's user service (connected to RabbitMQ) would otherwise relay this
    # service's outbox rows for it, and the outage would go unnoticed.
    database = f"{POSTGRES_URL}/hockey_hub_test_{environment.run_id}_outage_{{service}}"
    settings = environment.settings.model_copy(
        update={
            "amqp_url": f"amqp://guest:guest@127.0.0.1:{proxy.port}/",
            "outbox_poll_seconds": 0.2,
            "database_url": database,
        }
    )
    await migrate_service(settings, "user")
    try:
        async with running_service("user", settings, issuer_for(environment)) as user:
            yield user, proxy
            await proxy.cut()
    finally:
        await drop_database(await database_url(settings, "user"))


async def test_events_written_while_rabbitmq_is_down_are_delivered_once_it_is_back(
    rabbitmq_behind_proxy: tuple[RunningService, TcpProxy],
) -> None:
    user, proxy = rabbitmq_behind_proxy
    settings = user.runtime.settings
    # given a listener queue on the real exchange, and the service unable to reach RabbitMQ
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(settings.amqp_exchange, aio_pika.ExchangeType.TOPIC, durable=True)
        listener = await channel.declare_queue(exclusive=True)
        await listener.bind(exchange, "player.added")
        club = await make_club(user)

        # when a coach adds a player while the broker is down
        added = (await user.graphql.execute(ADD_PLAYER, {"input": _player(club.team.id)}, as_=club.coach)).ok()

        # then the change is committed, the event waits in the outbox, and health says the broker is down
        health = (await user.http.get("/health")).json()
        assert health["status"] == "degraded"
        assert health["checks"]["broker"]["up"] is False
        async with user.runtime.sessions() as session:
            pending = (await session.execute(select(outbox_events).where(outbox_events.c.type == "player.added"))).one()
        assert pending.published_at is None

        # when RabbitMQ is reachable again
        await proxy.restore()

        # then the event is delivered, marked published, and delivered only once
        message = await eventually(lambda: listener.get(fail=False), within=30)
        await message.ack()
        delivered = Event.from_json(message.body)
        assert delivered.id == pending.id
        assert delivered.data["player_id"] == added["addPlayer"]["id"]

        async def published() -> bool:
            async with user.runtime.sessions() as session:
                row = (await session.execute(select(outbox_events).where(outbox_events.c.id == pending.id))).one()
            return row.published_at is not None

        await eventually(published)
        await asyncio.sleep(1.0)  # long enough for a duplicate relay pass to show up
        assert await listener.get(fail=False) is None

        async def broker_up() -> bool:
            up: bool = (await user.http.get("/health")).json()["checks"]["broker"]["up"]
            return up

        # and health recovers once its publisher and its consumer (each on its own backoff) are back
        assert await eventually(broker_up, within=20)


async def test_a_consumer_applies_each_event_once_even_when_delivered_twice(user: RunningService) -> None:
    # given a handler whose effect is one audit row per handled event
    async def handle(session: AsyncSession, event: Event) -> None:
        await record_audit(
            session,
            platform_admin(),
            action=event.type,
            entity_type="Event",
            entity_id=str(event.id),
        )

    consume = idempotent(user.runtime.sessions, {"roster.*": handle})
    event = Event(type="roster.synced", producer="test", data={})
    # when the same event arrives twice (redelivery), and one that no handler wants
    await consume(event)
    await consume(event)
    await consume(Event(type="unrelated.thing", producer="test", data={}))
    # then its effect happened once
    async with user.runtime.sessions() as session:
        count = await session.scalar(
            select(func.count()).select_from(audit_entries).where(audit_entries.c.entity_id == str(event.id))
        )
    assert count == 1


async def test_a_failed_handler_leaves_the_event_unprocessed_for_redelivery(user: RunningService) -> None:
    attempts: list[int] = []

    async def flaky(session: AsyncSession, event: Event) -> None:
        attempts.append(1)
        await record_audit(
            session,
            platform_admin(),
            action="try",
            entity_type="Event",
            entity_id=str(event.id),
        )
        if len(attempts) == 1:
            raise RuntimeError("crashed halfway")

    consume = idempotent(user.runtime.sessions, {"#": flaky})
    event = Event(type="roster.synced", producer="test", data={})
    with pytest.raises(RuntimeError):
        await consume(event)
    await consume(event)  # redelivered
    await consume(event)  # and once more: already processed
    async with user.runtime.sessions() as session:
        count = await session.scalar(
            select(func.count()).select_from(audit_entries).where(audit_entries.c.entity_id == str(event.id))
        )
    assert len(attempts) == 2
    assert count == 1  # the half-done first attempt left nothing behind
