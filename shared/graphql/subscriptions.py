"""`strawberry.subscription` for the platform's subscriptions, typed for mypy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import strawberry

F = TypeVar("F", bound=Callable[..., Any])


def subscription(*, description: str, **options: Any) -> Callable[[F], F]:
    """A root subscription field. Like every root field it requires sign-in unless it is public, and its
    resolver is an async generator that must not hold the request's database session (use a short one)."""
    return strawberry.subscription(description=description, **options)  # type: ignore[no-any-return]
