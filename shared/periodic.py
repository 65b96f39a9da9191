"""A background loop a service runs every so often (reminders due, weekly reports, alert escalation).

    loop = PeriodicTask("calendar-reminders", tick, interval=30.0)
    loop.start()          # in the app's lifespan; an interval of 0 or less leaves it off
    await loop.stop()     # on shutdown: the tick under way finishes first

A failing tick is logged and the loop goes on: the next tick tries again. Every tick that must not be done
twice by two processes guards itself in the database (a unique key, SKIP LOCKED): the loop does not.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Awaitable, Callable

logger = logging.getLogger(__name__)


def interval_from_environment(variable: str, default: float, *, seconds_per_unit: float = 1.0) -> float:
    """The interval in seconds from `variable` (counted in units of `seconds_per_unit`); the default when
    unset or not a number, never negative."""
    value = os.environ.get(variable, "").strip()
    try:
        units = max(float(value), 0.0) if value else default
    except ValueError:
        logger.warning("ignoring a bad %s", variable, extra={"value": value})
        units = default
    return units * seconds_per_unit


class PeriodicTask:
    def __init__(self, name: str, tick: Callable[[], Awaitable[object]], *, interval: float):
        self._name = name
        self._tick = tick
        self._interval = interval
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._interval <= 0:
            return
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name=self._name)

    async def stop(self) -> None:
        if self._task is None:
            return
        self._stopping.set()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                await self._tick()
            except Exception:
                logger.exception("%s failed; trying again next time", self._name)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=self._interval)
