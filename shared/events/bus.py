"""The event bus interface and its two implementations' common vocabulary."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from shared.events.envelope import Event
from shared.health import ComponentHealth

EventHandler = Callable[[Event], Awaitable[None]]
"""Handles one delivery; raising makes the bus retry it, then dead-letter it."""

MAX_DELIVERY_ATTEMPTS = 5
RETRY_BACKOFF_SECONDS = (0.2, 1.0, 3.0, 10.0)


class BrokerUnavailable(Exception):
    """The broker cannot take a message now; the outbox keeps it for later."""


class EventBus(Protocol):
    async def start(self) -> None:
        """Connect; must not fail when the broker is down (publishing then raises BrokerUnavailable)."""

    async def publish(self, event: Event) -> None:
        """Hand one event to the broker, returning once it is confirmed."""

    async def consume(self, queue: str, routing_keys: Sequence[str], handler: EventHandler) -> None:
        """Deliver every event whose type matches one of `routing_keys` to `handler`, from a durable queue."""

    async def close(self) -> None: ...

    async def health(self) -> ComponentHealth: ...


def retry_delay(attempt: int) -> float:
    return RETRY_BACKOFF_SECONDS[min(attempt - 1, len(RETRY_BACKOFF_SECONDS) - 1)]
