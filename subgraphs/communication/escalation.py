"""The communication service's escalation loop: every `medical_alert_check_seconds` one tick escalates
the urgent medical alerts left unacknowledged for `medical_alert_escalation_seconds` (settings), in its
own transaction. Several processes may run it: the row locks and the tier guard let only one take each
step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.database import utcnow
from shared.periodic import PeriodicTask
from subgraphs.communication.medical_alerts import Escalation, escalate_due


class EscalationScheduler:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        interval: float,
        timeout: timedelta,
        sent: Callable[[], None] | None = None,
        clock: Callable[[], datetime] = utcnow,
    ):
        self._sessions = sessions
        self._timeout = timeout
        self._sent = sent
        self._clock = clock
        self._loop = PeriodicTask("communication-alert-escalation", self.tick, interval=interval)

    def start(self) -> None:
        self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def tick(self, now: datetime | None = None) -> list[Escalation]:
        """Escalate what is due at `now` (the clock's time by default); one transaction."""
        async with self._sessions() as session, session.begin():
            done = await escalate_due(session, now or self._clock(), wait=self._timeout)
        if done and self._sent is not None:
            self._sent()
        return done
