"""Effects that may happen only once a transaction is durable (a broadcast to live subscribers): domain
code queues them on its session, and they run right after that session commits, whoever commits it
(a request, an event consumer, a script); a rollback drops them. Unlike events (the outbox), they are
best effort: a lost one is not retried. They run in commit order, one after another."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

AFTER_COMMIT = "hockey_hub.after_commit"

Action = Callable[[], Awaitable[None]]

logger = logging.getLogger(__name__)

_last: dict[asyncio.AbstractEventLoop, asyncio.Task[None]] = {}
"""Per event loop, the newest batch: each batch waits for the one before, so announcements keep order."""


def after_commit(session: AsyncSession, action: Action) -> None:
    session.info.setdefault(AFTER_COMMIT, []).append(action)


def pending(session: AsyncSession) -> int:
    """How many are queued: a savepoint that rolls back drops those queued after this mark."""
    return len(session.info.get(AFTER_COMMIT, ()))


def drop(session: AsyncSession, since: int = 0) -> None:
    del session.info.setdefault(AFTER_COMMIT, [])[since:]


async def settled() -> None:
    """Wait until every committed batch of this loop has run (tests, shutdown)."""
    task = _last.get(asyncio.get_running_loop())
    if task is not None:
        await asyncio.shield(task)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    actions: list[Action] = session.info.pop(AFTER_COMMIT, [])
    if not actions:
        return
    loop = asyncio.get_running_loop()  # commits of an AsyncSession run on its loop's thread
    previous = _last.get(loop)
    task = loop.create_task(_run(previous, actions), name="after-commit")
    _last[loop] = task
    task.add_done_callback(lambda done: _last.pop(loop, None) if _last.get(loop) is done else None)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(AFTER_COMMIT, None)


async def _run(previous: asyncio.Task[None] | None, actions: list[Action]) -> None:
    if previous is not None:
        await asyncio.wait([previous])
    for action in actions:
        try:
            await action()
        except Exception:
            logger.exception("after-commit action failed")
