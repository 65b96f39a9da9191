"""The hook between the engine and the traffic stages that need a prepared operation (rate limits, APQ
registration): the engine calls a request's gate once the operation is known to be valid and within its
limits, and before anything is planned for the caller or executed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from router.planner.operation import Field, Operation


@dataclass(frozen=True)
class Admission:
    operation: Operation
    variables: Mapping[str, Any]
    cost: int
    """The operation's estimated cost with these variables (router/traffic_control/cost.py)."""

    def root_fields(self) -> list[Field]:
        """The root field selections, through inline fragments and spreads (already inlined)."""
        found: list[Field] = []
        pending = list(self.operation.selections)
        while pending:
            selection = pending.pop(0)
            if isinstance(selection, Field):
                found.append(selection)
            else:
                pending[:0] = selection.selections
        return found


@dataclass(frozen=True)
class Refusal:
    status: int
    error: dict[str, Any]


Gate = Callable[[Admission], Awaitable[Refusal | None]]
"""None lets the request through; a refusal answers it instead."""
