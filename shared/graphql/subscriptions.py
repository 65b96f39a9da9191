"""`strawberry.subscription` for the platform's subscriptions, typed for mypy, and the audience a
subscription may declare: who sees the same events, so the router can serve them all from one stream."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import strawberry

F = TypeVar("F", bound=Callable[..., Any])

AUDIENCE = "hockey_hub.audience"
"""The key of a subscription field's `Audience` in its strawberry metadata."""


@dataclass(frozen=True, slots=True)
class Audience:
    """Declares that a subscription's events do not depend on who follows them, once admitted.

    `admit(context, **arguments)` checks the caller as the subscription itself would when it starts
    (raising the same NOT_FOUND or FORBIDDEN) and names the audience: everybody admitted under one name
    receives the very same events. It returns None where the events are the caller's own (a catch-up
    from the caller's cursor). Arguments come as GraphQL values under their Python names.

    `late_join`: a newcomer may join a stream that has already delivered events (a chat's new messages),
    as opposed to a stream whose first event is a state the newcomer needs (a live session's)."""

    admit: Callable[..., Awaitable[str | None]]
    late_join: bool = False


def subscription(*, description: str, audience: Audience | None = None, **options: Any) -> Callable[[F], F]:
    """A root subscription field. Like every root field it requires sign-in unless it is public, and its
    resolver is an async generator that must not hold the request's database session (use a short one)."""
    if audience is not None:
        options["metadata"] = {**options.get("metadata", {}), AUDIENCE: audience}
    return strawberry.subscription(description=description, **options)  # type: ignore[no-any-return]
