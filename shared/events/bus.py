"""The event bus interface and its two implementations' common vocabulary."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from shared.events.envelope import Event
from shared.health import ComponentHealth
from shared.settings import Settings

EventHandler = Callable[[Event], Awaitable[None]]
"""Handles one delivery; raising makes the bus retry it, then dead-letter it."""

LAST_ERROR_MAX_LENGTH = 500


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently a consumer retries an event before it dead-letters it."""

    max_attempts: int = 5
    """Deliveries in all, the first included."""
    base_seconds: float = 0.2
    """The delay before the first retry; each next one doubles."""
    max_seconds: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> RetryPolicy:
        return cls(
            max_attempts=settings.event_max_attempts,
            base_seconds=settings.event_retry_base_seconds,
            max_seconds=settings.event_retry_max_seconds,
        )

    def delay(self, attempt: int) -> float:
        """The wait after failed attempt `attempt` (1-based): exponential, capped."""
        return float(min(self.base_seconds * 2 ** (attempt - 1), self.max_seconds))


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """An event a consumer gave up on, as its queue's dead-letter queue holds it."""

    event: Event
    attempts: int | None
    """None when the broker dead-lettered it by itself (a malformed body, a failed hand-over)."""
    last_error: str | None
    dead_lettered_at: datetime | None


class BrokerUnavailable(Exception):
    """The broker cannot take a message now; the outbox keeps it for later."""


class EventBus(Protocol):
    async def start(self) -> None:
        """Connect; must not fail when the broker is down (publishing then raises BrokerUnavailable)."""

    async def publish(self, event: Event) -> None:
        """Hand one event to the broker, returning once it is confirmed."""

    async def consume(self, queue: str, routing_keys: Sequence[str], handler: EventHandler) -> None:
        """Deliver every event whose type matches one of `routing_keys` to `handler`, from a durable queue."""

    async def dead_letters(self, queue: str) -> list[DeadLetter]:
        """What `queue`'s dead-letter queue holds, oldest first; reading it leaves it as it was."""

    async def replay(self, queue: str, event_ids: Collection[uuid.UUID] | None = None) -> list[uuid.UUID]:
        """Move dead letters (all, or those of `event_ids`) back to `queue` for a fresh round of attempts.

        Returns the ids replayed. The consumer's idempotency makes a replay of a processed event harmless.
        """

    async def close(self) -> None: ...

    async def health(self) -> ComponentHealth: ...


def last_error(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:LAST_ERROR_MAX_LENGTH]
