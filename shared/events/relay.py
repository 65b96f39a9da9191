"""The outbox relay: publishes committed events in order and marks them sent.

A crash or a broker outage between commit and publish loses nothing: rows stay unpublished until the
broker confirms them. Delivery is at least once; consumers deduplicate by event id. A graceful stop lets
the batch being published finish and be marked, so a restart resumes after it instead of sending it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.database.kernel import outbox_events
from shared.events.bus import BrokerUnavailable, EventBus
from shared.events.envelope import Event

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
MAX_BACKOFF_SECONDS = 15.0
STOP_GRACE_SECONDS = 10.0
"""How long a stop waits for the batch in flight (a broker that stalls gets its publish timeout, 5 s)."""


class OutboxRelay:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        bus: EventBus,
        *,
        service: str,
        poll_seconds: float = 1.0,
    ):
        self._sessions = sessions
        self._bus = bus
        self._service = service
        self._poll_seconds = poll_seconds
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name=f"outbox-relay-{self._service}")

    def wake(self) -> None:
        """Called after a commit that wrote events, so they leave without waiting for the next poll."""
        self._wake.set()

    async def stop(self, *, grace_seconds: float = STOP_GRACE_SECONDS) -> None:
        """Finish the batch in flight (published and marked in one go), then stop; cancelled only past
        `grace_seconds`, when the batch's rows stay unmarked and are sent again after a restart."""
        if self._task is None:
            return
        self._stopping.set()
        self._wake.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), timeout=grace_seconds)
        except TimeoutError:
            logger.warning("outbox relay stopped mid-batch; its events are sent again after a restart")
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None

    async def _run(self) -> None:
        backoff = self._poll_seconds
        while not self._stopping.is_set():
            try:
                sent = await self.publish_pending()
                backoff = self._poll_seconds
            except BrokerUnavailable as error:
                logger.warning("outbox waits for the broker", extra={"error": str(error), "retry_in": backoff})
                await self._pause(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                continue
            except Exception:
                logger.exception("outbox relay failed; retrying")
                await self._pause(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                continue
            if sent < BATCH_SIZE:
                self._wake.clear()
                if self._stopping.is_set():  # stop() sets it before waking: checked after the clear
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self._poll_seconds)

    async def _pause(self, seconds: float) -> None:
        """Sleep, unless a stop comes first."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)

    async def publish_pending(self) -> int:
        """Publish one batch in commit order; returns how many were published."""
        async with self._sessions() as session, session.begin():
            rows = (
                await session.execute(
                    select(outbox_events)
                    .where(outbox_events.c.published_at.is_(None))
                    .order_by(outbox_events.c.seq)
                    .limit(BATCH_SIZE)
                    # Several replicas of one service may relay; each row goes through one of them.
                    .with_for_update(skip_locked=True)
                )
            ).all()
            published: list[int] = []
            failure: BrokerUnavailable | None = None
            for row in rows:
                event = Event(
                    id=row.id,
                    type=row.type,
                    occurred_at=row.occurred_at,
                    organization_id=row.organization_id,
                    producer=row.producer,
                    data=row.data,
                )
                try:
                    await self._bus.publish(event)
                except BrokerUnavailable as error:
                    failure = error
                    await session.execute(
                        update(outbox_events)
                        .where(outbox_events.c.seq == row.seq)
                        .values(attempts=outbox_events.c.attempts + 1, last_error=str(error)[:500])
                    )
                    break
                published.append(row.seq)
            if published:
                await session.execute(
                    update(outbox_events)
                    .where(outbox_events.c.seq.in_(published))
                    .values(published_at=datetime.now(UTC))
                )
        if failure is not None:
            raise failure
        return len(published)
