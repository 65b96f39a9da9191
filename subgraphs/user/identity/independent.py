"""Transactions of their own, beside the request's.

A GraphQL mutation runs in a savepoint of the request's transaction, rolled back when it fails. Two
writes of sign-in must stand precisely when it fails: the count of a failed attempt (or the lockout
would never engage), and the revocation of a session whose refresh token was replayed (or the thief's
failed request would undo it). They run here, short and committed at once; the relay is woken when one
of them wrote an event. A lock timeout keeps one from ever waiting on the request's own transaction
(two sign-in mutations in one operation) for longer than a moment.

Each runs before the request's own session first touches the database, wherever it can: a request
holding its connection while it waits for a second one would, with enough of them at once, take the
whole pool and wait for itself.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.events.outbox import OUTBOX_WRITTEN

LOCK_TIMEOUT_MS = 2000


class IndependentWrites:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        on_events: Callable[[], None] | None = None,
    ):
        self._sessions = sessions
        self._on_events = on_events

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session in a new transaction, committed when the block ends without an exception."""
        async with self._sessions() as session:
            async with session.begin():
                await session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_MS}ms'"))
                yield session
            if session.info.pop(OUTBOX_WRITTEN, False) and self._on_events is not None:
                self._on_events()
