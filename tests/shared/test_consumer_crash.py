"""A consumer that crashes in the middle of handling an event: the event is delivered again and its effect
happens once.

With RabbitMQ the consumer is a process of its own (the platform's bus and idempotent consumer, see
crashing_consumer.py) killed with SIGKILL mid-handler, then replaced: before its transaction commits, or
after the commit but before its acknowledgement reached the broker. The in-process bus of the embedded
mode lives and dies with its process, so there the crash is a handler failing after writing its effect.
"""

from __future__ import annotations

import asyncio
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from shared.events import RabbitMQBus, RetryPolicy
from tests.conftest import ServiceFactory
from tests.shared.crashing_consumer import COMMITTED, EFFECT_WRITTEN, QUEUE, READY
from tests.support.backend import AMQP_URL, SuiteEnvironment
from tests.support.dead_letters import (
    DrillConsumer,
    delete_broker_objects,
    drill,
    effect_count,
    isolated_names,
    own_bus,
)
from tests.support.services import RunningService
from tests.support.waiting import eventually

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def admin(service: ServiceFactory) -> RunningService:
    """Its database holds the consumer's effect and processed events; emptied after each test."""
    return await service("admin")


@pytest.fixture
async def broker_name(environment: SuiteEnvironment) -> AsyncIterator[str]:
    if not environment.uses_servers:
        pytest.skip("a killed process redelivers only from a broker (RabbitMQ, servers backend)")
    name = isolated_names(environment)
    yield name
    await delete_broker_objects(name, [QUEUE])


async def _read_line(process: asyncio.subprocess.Process) -> str:
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), timeout=30)
    return line.decode().strip()


@pytest.mark.parametrize(
    ("crash", "reached", "handled_again"), [("before-commit", EFFECT_WRITTEN, 1), ("after-commit", COMMITTED, 0)]
)
async def test_an_event_whose_consumer_process_was_killed_mid_handler_takes_effect_once(
    admin: RunningService, broker_name: str, crash: str, reached: str, handled_again: int
) -> None:
    # given a consumer process on the queue
    database = admin.runtime.settings.database_url_for("admin")
    assert database is not None
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.shared.crashing_consumer",
        AMQP_URL,
        broker_name,
        database,
        crash,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    publisher = RabbitMQBus(AMQP_URL, exchange=broker_name, queue_prefix=broker_name)
    replacement = RabbitMQBus(AMQP_URL, exchange=broker_name, queue_prefix=broker_name)
    try:
        assert await _read_line(process) == READY
        await publisher.start()
        event = drill(uuid.uuid4())
        # when it is killed while handling an event, at the point under test
        await publisher.publish(event)
        assert await _read_line(process) == reached
        process.kill()
        await process.wait()
        # then a consumer that takes its place gets the event again
        drills = DrillConsumer()
        await replacement.start()
        await replacement.consume(QUEUE, ["drill.#"], drills.handler(admin.runtime.sessions))
        await eventually(lambda: _delivered(drills, event.id))

        # and its effect is there exactly once: written by the replacement when the killed one's
        # transaction rolled back, or skipped as processed when it had committed
        async def once() -> bool:
            return await effect_count(admin.runtime.sessions, event.id) == 1

        await eventually(once)
        assert len(drills.attempts.get(event.id, [])) == handled_again
        await asyncio.sleep(0.3)  # a second redelivery would show up by now
        assert drills.deliveries == [event.id]
        assert await effect_count(admin.runtime.sessions, event.id) == 1
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await publisher.close()
        await replacement.close()


async def test_a_handler_that_fails_after_writing_its_effect_is_retried_and_takes_effect_once(
    environment: SuiteEnvironment, admin: RunningService
) -> None:
    # given a consumer whose first attempt at an event writes its effect and then fails
    event = drill()
    drills = DrillConsumer(fail_once={event.id})
    retry = RetryPolicy(max_attempts=3, base_seconds=0.2, max_seconds=1.0)
    async with own_bus(environment, retry, [QUEUE]) as bus:
        await bus.consume(QUEUE, ["drill.#"], drills.handler(admin.runtime.sessions))
        # when the event arrives
        await bus.publish(event)

        # then the retry takes effect, once: the failed attempt's write was rolled back
        async def once() -> bool:
            return await effect_count(admin.runtime.sessions, event.id) == 1

        await eventually(once)
        assert len(drills.attempts[event.id]) == 2
        assert await bus.dead_letters(QUEUE) == []


async def _delivered(drills: DrillConsumer, event_id: uuid.UUID) -> bool:
    return event_id in drills.deliveries
