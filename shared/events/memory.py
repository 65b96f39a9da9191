"""The in-process bus of embedded mode: topic routing, one worker per queue, retries, dead letters."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from shared.events.bus import MAX_DELIVERY_ATTEMPTS, EventHandler, retry_delay
from shared.events.envelope import Event, topic_matches
from shared.health import ComponentHealth

logger = logging.getLogger(__name__)


@dataclass
class _Queue:
    name: str
    routing_keys: tuple[str, ...]
    handler: EventHandler
    pending: asyncio.Queue[Event] = field(default_factory=asyncio.Queue)
    dead_letters: list[Event] = field(default_factory=list)
    worker: asyncio.Task[None] | None = None


class InProcessBus:
    """One per process, shared by its subgraphs; like RabbitMQ, a queue gets what arrives after it binds."""

    def __init__(self) -> None:
        self._queues: dict[str, _Queue] = {}

    async def start(self) -> None:
        return None

    async def publish(self, event: Event) -> None:
        for queue in self._queues.values():
            if any(topic_matches(key, event.type) for key in queue.routing_keys):
                queue.pending.put_nowait(event)

    async def consume(self, queue: str, routing_keys: Sequence[str], handler: EventHandler) -> None:
        if queue in self._queues:
            raise ValueError(f"queue {queue} already has a consumer")
        entry = _Queue(queue, tuple(routing_keys), handler)
        entry.worker = asyncio.create_task(self._work(entry), name=f"bus-consumer-{queue}")
        self._queues[queue] = entry

    def dead_letters(self, queue: str) -> list[Event]:
        return list(self._queues[queue].dead_letters)

    async def drain(self) -> None:
        """Wait until every queue has handled what it holds (tests and graceful shutdown)."""
        for entry in list(self._queues.values()):
            await entry.pending.join()

    async def _work(self, entry: _Queue) -> None:
        while True:
            event = await entry.pending.get()
            try:
                await self._deliver(entry, event)
            finally:
                entry.pending.task_done()

    async def _deliver(self, entry: _Queue, event: Event) -> None:
        for attempt in range(1, MAX_DELIVERY_ATTEMPTS + 1):
            try:
                await entry.handler(event)
                return
            except Exception:
                logger.exception(
                    "event handler failed",
                    extra={"queue": entry.name, "event_id": str(event.id), "attempt": attempt},
                )
                if attempt < MAX_DELIVERY_ATTEMPTS:
                    await asyncio.sleep(retry_delay(attempt))
        entry.dead_letters.append(event)
        logger.error("event dead-lettered", extra={"queue": entry.name, "event_id": str(event.id)})

    async def close(self) -> None:
        for entry in self._queues.values():
            if entry.worker:
                entry.worker.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await entry.worker
        self._queues.clear()

    async def health(self) -> ComponentHealth:
        return ComponentHealth("broker", True, "in-process")
