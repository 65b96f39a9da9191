"""The calendar's reminder scheduler: a background loop of the calendar service that sends due reminders.

Every `interval` seconds one tick runs `service.reminders.send_due` in its own transaction; after a tick
that sent something the outbox relay is woken so the events leave at once. Several processes may run
the loop: the reminders-sent table lets only one of them send each reminder. Set
`HOCKEY_HUB_CALENDAR_REMINDER_SECONDS` to change the interval (default 30; 0 turns the loop off).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.database.models import utcnow
from shared.periodic import PeriodicTask
from shared.periodic import interval_from_environment as _interval
from subgraphs.calendar.service.reminders import SentReminder, send_due

INTERVAL_VARIABLE = "HOCKEY_HUB_CALENDAR_REMINDER_SECONDS"
DEFAULT_INTERVAL_SECONDS = 30.0


def interval_from_environment() -> float:
    return _interval(INTERVAL_VARIABLE, DEFAULT_INTERVAL_SECONDS)


class ReminderScheduler:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        interval: float,
        sent: Callable[[], None] | None = None,
        clock: Callable[[], datetime] = utcnow,
    ):
        self._sessions = sessions
        self._sent = sent
        self._clock = clock
        self._loop = PeriodicTask("calendar-reminders", self.tick, interval=interval)

    def start(self) -> None:
        self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def tick(self, now: datetime | None = None) -> list[SentReminder]:
        """Send the reminders due at `now` (the clock's time by default); one transaction."""
        async with self._sessions() as session, session.begin():
            sent = await send_due(session, now or self._clock())
        if sent and self._sent is not None:
            self._sent()
        return sent
