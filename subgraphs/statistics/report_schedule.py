"""The weekly team reports: a background loop of the statistics service that stores each active team's
report of the week (reports.store_weekly_team_reports) every `interval` seconds.

Each run replaces the week's reports (one per team, season, format and week) of the teams whose games
changed since they were stored, so a team's weekly report is up to date with the week's games, several
processes running the loop store each report once, and a restart renders nothing that is still current.
`HOCKEY_HUB_STATISTICS_REPORT_HOURS` (`Settings.statistics_report_hours`) sets the interval (default 24:
a daily refresh of the week's reports; 0 turns the loop off).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.periodic import PeriodicTask
from subgraphs.statistics import reports, workload

logger = logging.getLogger(__name__)


class ReportSchedule:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        interval: float,
        today: Callable[[], date] = workload.today,
    ):
        self._sessions = sessions
        self._today = today
        self._loop = PeriodicTask("statistics-weekly-reports", self._store, interval=interval)

    def start(self) -> None:
        self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def run_once(self, today: date | None = None) -> int:
        """Store this week's team reports; one transaction. Returns how many were stored."""
        async with self._sessions() as session, session.begin():
            return await reports.store_weekly_team_reports(session, today=today or self._today())

    async def _store(self) -> None:
        stored = await self.run_once()
        logger.info("weekly team reports stored", extra={"reports": stored})
