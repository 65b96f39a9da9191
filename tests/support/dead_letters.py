"""A consumer whose effect is countable and whose failure is switchable, and buses of a test's own, for the
tests of retries, dead letters and crashes (tests/shared/test_dead_letters.py, tests/admin/...)."""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field

import aio_pika
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.audit import record_audit
from shared.database.kernel import audit_entries
from shared.events import Event, EventBus, InProcessBus, RabbitMQBus, RetryPolicy
from shared.events.bus import EventHandler
from shared.events.consumer import idempotent
from tests.support.backend import AMQP_URL, SuiteEnvironment
from tests.support.principals import platform_admin

EFFECT = "DrillScheduled"
"""The audit rows' entity type: one row per handled event is the consumer's whole effect."""


@dataclass
class DrillConsumer:
    """Writes one audit row per event; raises (after writing, so the write must roll back) for the events
    of `broken`, the way a handler meets a bug or a missing row until someone fixes the cause."""

    broken: set[uuid.UUID] = field(default_factory=set)
    fail_once: set[uuid.UUID] = field(default_factory=set)
    """Events whose first attempt fails after writing, like a handler dying halfway."""
    attempts: dict[uuid.UUID, list[float]] = field(default_factory=dict)
    """Monotonic times of each event's attempts."""
    deliveries: list[uuid.UUID] = field(default_factory=list)
    """Every delivery, those the consumer skipped as processed before included."""

    def handler(self, sessions: async_sessionmaker[AsyncSession]) -> EventHandler:
        """The bus handler: idempotent by event id, like every service's consumer."""
        consume = idempotent(sessions, {"drill.#": self})

        async def deliver(event: Event) -> None:
            self.deliveries.append(event.id)
            await consume(event)

        return deliver

    async def __call__(self, session: AsyncSession, event: Event) -> None:
        self.attempts.setdefault(event.id, []).append(time.monotonic())
        await record_audit(session, platform_admin(), action=event.type, entity_type=EFFECT, entity_id=str(event.id))
        await session.flush()
        if event.id in self.broken:
            raise RuntimeError(f"the rink of drill {event.id} is closed")
        if event.id in self.fail_once:
            self.fail_once.discard(event.id)
            raise RuntimeError("the consumer died halfway")


async def effect_count(sessions: async_sessionmaker[AsyncSession], event_id: uuid.UUID) -> int:
    async with sessions() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(audit_entries)
            .where(audit_entries.c.entity_type == EFFECT, audit_entries.c.entity_id == str(event_id))
        )
    return int(count or 0)


def drill(organization_id: uuid.UUID | None = None) -> Event:
    return Event(type="drill.scheduled", producer="training", data={"rink": "B"}, organization_id=organization_id)


def isolated_names(environment: SuiteEnvironment) -> str:
    """An exchange name and queue prefix no other test (or run) shares."""
    return f"hockey-hub-test-{environment.run_id}-dlq-{uuid.uuid4().hex[:8]}"


async def delete_broker_objects(name: str, queues: Iterable[str]) -> None:
    """The queues (and their dead-letter queues) of prefix `name`, and the exchange `name`."""
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        for queue in queues:
            await channel.queue_delete(f"{name}.{queue}")
            await channel.queue_delete(f"{name}.{queue}.dead-letter")
        await channel.exchange_delete(name)


@contextlib.asynccontextmanager
async def own_bus(environment: SuiteEnvironment, retry: RetryPolicy, queues: Iterable[str]) -> AsyncIterator[EventBus]:
    """The backend's bus, on an exchange and queues of the test's own (RabbitMQ), or a fresh in-process one."""
    if not environment.uses_servers:
        memory = InProcessBus(retry=retry)
        try:
            yield memory
        finally:
            await memory.close()
        return
    name = isolated_names(environment)
    bus = RabbitMQBus(AMQP_URL, exchange=name, queue_prefix=name, retry=retry)
    await bus.start()
    try:
        yield bus
    finally:
        await bus.close()
        await delete_broker_objects(name, queues)
