"""The in-process bus of embedded mode: topic routing, one worker per queue, retries, dead letters."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from shared.events.bus import DeadLetter, EventHandler, RetryPolicy, last_error
from shared.events.envelope import Event, topic_matches
from shared.health import ComponentHealth

logger = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 10.0
"""How long a shutdown waits for the events queued to be handled."""


@dataclass(frozen=True, slots=True)
class _Delivery:
    event: Event
    attempt: int = 1


@dataclass
class _Queue:
    name: str
    routing_keys: tuple[str, ...]
    handler: EventHandler
    pending: asyncio.Queue[_Delivery] = field(default_factory=asyncio.Queue)
    retries: set[asyncio.Task[None]] = field(default_factory=set)
    """Failed deliveries waiting out their backoff, off the queue so later events go first."""
    dead_letters: list[DeadLetter] = field(default_factory=list)
    worker: asyncio.Task[None] | None = None


class InProcessBus:
    """One per process, shared by its subgraphs; like RabbitMQ, a queue gets what arrives after it binds.

    Nothing here outlives the process: embedded mode trades durability for zero setup.
    """

    def __init__(self, *, retry: RetryPolicy | None = None) -> None:
        self._queues: dict[str, _Queue] = {}
        self._retry = retry or RetryPolicy()

    async def start(self) -> None:
        return None

    async def publish(self, event: Event) -> None:
        for queue in self._queues.values():
            if any(topic_matches(key, event.type) for key in queue.routing_keys):
                queue.pending.put_nowait(_Delivery(event))

    async def consume(self, queue: str, routing_keys: Sequence[str], handler: EventHandler) -> None:
        if queue in self._queues:
            raise ValueError(f"queue {queue} already has a consumer")
        entry = _Queue(queue, tuple(routing_keys), handler)
        entry.worker = asyncio.create_task(self._work(entry), name=f"bus-consumer-{queue}")
        self._queues[queue] = entry

    async def dead_letters(self, queue: str) -> list[DeadLetter]:
        entry = self._queues.get(queue)
        return list(entry.dead_letters) if entry else []

    async def queue_depth(self, queue: str) -> int | None:
        """Events waiting in `queue` (retries waiting out their backoff included); None if nobody consumes it."""
        entry = self._queues.get(queue)
        return entry.pending.qsize() + len(entry.retries) if entry else None

    async def replay(self, queue: str, event_ids: Collection[uuid.UUID] | None = None) -> list[uuid.UUID]:
        entry = self._queues.get(queue)
        if entry is None:
            return []
        chosen = [letter for letter in entry.dead_letters if event_ids is None or letter.event.id in event_ids]
        for letter in chosen:
            entry.dead_letters.remove(letter)
            entry.pending.put_nowait(_Delivery(letter.event))
        return [letter.event.id for letter in chosen]

    async def drain(self) -> None:
        """Wait until every queue has handled what it holds, retries included (tests, graceful shutdown)."""
        while True:
            for entry in list(self._queues.values()):
                await entry.pending.join()
            waiting = [retry for entry in self._queues.values() for retry in entry.retries]
            if not waiting:
                return
            await asyncio.gather(*waiting, return_exceptions=True)

    async def _handle_queued(self) -> None:
        for entry in list(self._queues.values()):
            await entry.pending.join()

    async def _work(self, entry: _Queue) -> None:
        while True:
            delivery = await entry.pending.get()
            try:
                await self._deliver(entry, delivery)
            finally:
                entry.pending.task_done()

    async def _deliver(self, entry: _Queue, delivery: _Delivery) -> None:
        event, attempt = delivery.event, delivery.attempt
        try:
            await entry.handler(event)
            return
        except Exception as error:
            logger.exception(
                "event handler failed",
                extra={"queue": entry.name, "event_id": str(event.id), "attempt": attempt},
            )
            failure = last_error(error)
        if attempt >= self._retry.max_attempts:
            entry.dead_letters.append(DeadLetter(event, attempt, failure, datetime.now(UTC)))
            logger.error("event dead-lettered", extra={"queue": entry.name, "event_id": str(event.id)})
            return
        retry = asyncio.create_task(self._redeliver(entry, _Delivery(event, attempt + 1), self._retry.delay(attempt)))
        entry.retries.add(retry)
        retry.add_done_callback(entry.retries.discard)

    @staticmethod
    async def _redeliver(entry: _Queue, delivery: _Delivery, delay: float) -> None:
        await asyncio.sleep(delay)
        entry.pending.put_nowait(delivery)

    async def close(self, *, grace_seconds: float = STOP_GRACE_SECONDS) -> None:
        """Handle what the queues hold first (for `grace_seconds`): their events were marked published
        when they got here, and nothing in memory survives the process. Retries still waiting are dropped."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._handle_queued(), timeout=grace_seconds)
        for entry in self._queues.values():
            tasks = [*entry.retries, *([entry.worker] if entry.worker else [])]
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._queues.clear()

    async def health(self) -> ComponentHealth:
        return ComponentHealth("broker", True, "in-process")
