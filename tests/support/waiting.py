"""Waiting for state outside the test's control (a database row, a broker queue) to arrive."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def eventually(probe: Callable[[], Awaitable[T | None]], *, within: float = 20.0, every: float = 0.05) -> T:
    """Poll `probe` until it returns something other than None or False, at most `within` seconds."""

    async def poll() -> T:
        while not (found := await probe()):  # noqa: ASYNC110 (the state lives in another process)
            await asyncio.sleep(every)
        return found

    return await asyncio.wait_for(poll(), timeout=within)
