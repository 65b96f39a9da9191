"""Retries and dead letters, on both buses: a failing event is retried with exponential backoff while the
events behind it go on; after the last attempt it waits in the dead-letter queue, which can be read
without losing anything and replayed once the cause is fixed, with its effect happening once."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from shared.events import EventBus, RetryPolicy
from tests.conftest import ServiceFactory
from tests.support.backend import SuiteEnvironment
from tests.support.dead_letters import DrillConsumer, drill, effect_count, own_bus
from tests.support.services import RunningService
from tests.support.waiting import eventually

QUEUE = "training"
RETRY = RetryPolicy(max_attempts=3, base_seconds=0.2, max_seconds=1.0)


@pytest.fixture
async def bus(environment: SuiteEnvironment) -> AsyncIterator[EventBus]:
    async with own_bus(environment, RETRY, [QUEUE]) as bus:
        yield bus


@pytest.fixture
async def admin(service: ServiceFactory) -> RunningService:
    """Its database holds the consumer's effect and processed events; emptied after each test."""
    return await service("admin")


@pytest.fixture
async def drills(bus: EventBus, admin: RunningService) -> DrillConsumer:
    consumer = DrillConsumer()
    await bus.consume(QUEUE, ["drill.#"], consumer.handler(admin.runtime.sessions))
    return consumer


def test_the_retry_delay_doubles_up_to_its_cap() -> None:
    assert [RETRY.delay(attempt) for attempt in range(1, 6)] == [0.2, 0.4, 0.8, 1.0, 1.0]


async def test_a_poison_event_is_dead_lettered_after_its_attempts_without_blocking_the_queue(
    bus: EventBus, admin: RunningService, drills: DrillConsumer
) -> None:
    # given an event its consumer cannot handle, followed by one it can, on the same queue
    poison, good = drill(uuid.uuid4()), drill()
    drills.broken.add(poison.id)
    # when both are published
    await bus.publish(poison)
    await bus.publish(good)
    # then the poison event lands in the dead-letter queue
    [letter] = await eventually(lambda: bus.dead_letters(QUEUE))
    # after three attempts, each retry waiting twice as long as the one before
    first, second, third = drills.attempts[poison.id]
    assert second - first >= 0.2 * 0.95
    assert third - second >= 0.4 * 0.95
    # while the good event behind it was handled once, without waiting for those retries
    [handled_at] = drills.attempts[good.id]
    assert handled_at < second
    assert await effect_count(admin.runtime.sessions, good.id) == 1
    # and none of the failed attempts left an effect behind
    assert await effect_count(admin.runtime.sessions, poison.id) == 0
    # and the dead letter says what it is and what went wrong
    assert letter.event == poison
    assert letter.attempts == 3
    assert letter.last_error == f"RuntimeError: the rink of drill {poison.id} is closed"
    assert letter.dead_lettered_at is not None
    assert letter.dead_lettered_at >= poison.occurred_at


async def test_reading_dead_letters_leaves_them_in_place(bus: EventBus, drills: DrillConsumer) -> None:
    # given two dead letters
    poisons = [drill(), drill()]
    drills.broken.update(event.id for event in poisons)
    for event in poisons:
        await bus.publish(event)

    async def both() -> list[uuid.UUID] | None:
        ids = [letter.event.id for letter in await bus.dead_letters(QUEUE)]
        return ids if len(ids) == 2 else None

    # when they are read several times
    first = await eventually(both)
    again = [[letter.event.id for letter in await bus.dead_letters(QUEUE)] for _ in range(3)]
    # then each read sees both, in the order they died
    assert sorted(first) == sorted(event.id for event in poisons)
    assert again == [first, first, first]


async def test_a_replay_after_the_fix_applies_the_event_once(
    bus: EventBus, admin: RunningService, drills: DrillConsumer
) -> None:
    # given two dead letters
    fixed, still_broken = drill(), drill()
    drills.broken.update({fixed.id, still_broken.id})
    await bus.publish(fixed)
    await bus.publish(still_broken)

    async def dead() -> set[uuid.UUID] | None:
        ids = {letter.event.id for letter in await bus.dead_letters(QUEUE)}
        return ids if len(ids) == 2 else None

    await eventually(dead)
    # when the cause of one is fixed and that one is replayed
    drills.broken.discard(fixed.id)
    assert await bus.replay(QUEUE, [fixed.id]) == [fixed.id]

    # then it takes effect once, and the other stays dead
    async def applied() -> bool:
        return await effect_count(admin.runtime.sessions, fixed.id) == 1

    await eventually(applied)
    assert [letter.event.id for letter in await bus.dead_letters(QUEUE)] == [still_broken.id]
    # and replaying an id that is no longer dead, or publishing the event again, changes nothing
    assert await bus.replay(QUEUE, [fixed.id]) == []
    await bus.publish(fixed)
    await eventually(lambda: _delivered(drills, fixed.id, times=5))  # three failures, the replay, this one
    assert await effect_count(admin.runtime.sessions, fixed.id) == 1


async def test_a_queue_nobody_consumed_has_no_dead_letters(bus: EventBus) -> None:
    assert await bus.dead_letters("statistics") == []
    assert await bus.replay("statistics") == []


async def _delivered(drills: DrillConsumer, event_id: uuid.UUID, *, times: int) -> bool:
    return drills.deliveries.count(event_id) >= times
