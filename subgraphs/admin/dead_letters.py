"""Dead letters: the events a service's consumer gave up on, listed and replayed by the platform's operators.

Every service consumes from a queue named after it, on the bus admin shares (the broker, or the one
in-process bus of `hockey-hub up`), so admin reads and replays them without knowing any service's code.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass

from shared.auth.principal import Principal
from shared.errors import Forbidden, InvalidInput, ServiceUnavailable
from shared.events import BrokerUnavailable, DeadLetter, EventBus
from shared.settings import SERVICE_PORTS
from subgraphs.admin.permissions import can_manage_dead_letters


@dataclass(frozen=True, slots=True)
class ServiceDeadLetter:
    service: str
    """Whose consumer gave up on it."""
    letter: DeadLetter


def _authorize(actor: Principal) -> None:
    if not can_manage_dead_letters(actor):
        raise Forbidden("only platform administrators see and replay dead letters")


def _service(name: str) -> str:
    if name not in SERVICE_PORTS:
        raise InvalidInput(f"service is one of: {', '.join(SERVICE_PORTS)}", field="service")
    return name


async def list_dead_letters(actor: Principal, bus: EventBus, *, service: str | None) -> list[ServiceDeadLetter]:
    """One service's dead letters, or every service's in port order; each service's oldest first."""
    _authorize(actor)
    services = [_service(service)] if service is not None else list(SERVICE_PORTS)
    try:
        return [ServiceDeadLetter(name, letter) for name in services for letter in await bus.dead_letters(name)]
    except BrokerUnavailable as error:
        raise ServiceUnavailable("the event broker is not reachable; try again shortly") from error


async def replay_dead_letters(
    actor: Principal, bus: EventBus, *, service: str, event_ids: Collection[uuid.UUID] | None
) -> list[uuid.UUID]:
    """Back into the service's queue for a fresh round of attempts: all of them, or those named.

    Ids not (or no longer) among the dead letters are left out of the answer rather than failing the
    others; the consumer's idempotency makes a replay of an already processed event harmless.
    """
    _authorize(actor)
    queue = _service(service)
    try:
        return await bus.replay(queue, None if event_ids is None else frozenset(event_ids))
    except BrokerUnavailable as error:
        raise ServiceUnavailable("the event broker is not reachable; try again shortly") from error
