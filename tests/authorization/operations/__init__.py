"""Every row's operation, by row key (`service.Type.field`), and what each service's rows need made first."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from tests.authorization.cases import Operation
from tests.authorization.operations import (
    admin,
    calendar,
    communication,
    identity,
    live,
    medical,
    payment,
    planning,
    statistics,
    training,
    user,
)
from tests.authorization.world import World

_BY_SERVICE = {
    "user": {**user.OPERATIONS, **identity.OPERATIONS},
    "communication": communication.OPERATIONS,
    "calendar": calendar.OPERATIONS,
    "training": {**training.OPERATIONS, **live.OPERATIONS},
    "medical": medical.OPERATIONS,
    "planning": planning.OPERATIONS,
    "statistics": statistics.OPERATIONS,
    "payment": payment.OPERATIONS,
    "admin": admin.OPERATIONS,
}

OPERATIONS: dict[str, Operation] = {
    f"{service}.{field}": operation
    for service, operations in _BY_SERVICE.items()
    for field, operation in operations.items()
}

PREPARE: tuple[Callable[[World], Awaitable[None]], ...] = (
    identity.prepare,
    communication.prepare,
    calendar.prepare,
    live.prepare,
    planning.prepare,
    statistics.prepare,
)
"""Records each service's rows read, made through GraphQL by their proper owners once per session."""
