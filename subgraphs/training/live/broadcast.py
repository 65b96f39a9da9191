"""Telling every replica that a live session changed, once the change is committed.

A change is announced on the session's pub/sub channel as its new version only, after the transaction that
made it commits (a change inside a savepoint that rolls back, or a transaction that rolls back, is never
announced). Subscribers re-read the committed state with a short database session of their own, so what
they show is always what the database holds; an announcement that arrives twice or late changes nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import orjson
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from shared.pubsub import PubSub

logger = logging.getLogger(__name__)

CHANNEL_PREFIX = "training.live-session."

_PENDING = "training.live_sessions.pending"

_publishing: set[asyncio.Task[None]] = set()
"""Announcements on their way (kept referenced until done)."""

_watching: dict[uuid.UUID, int] = {}


def channel(session_id: uuid.UUID) -> str:
    return f"{CHANNEL_PREFIX}{session_id}"


def watching(session_id: uuid.UUID | None = None) -> int:
    """How many subscriptions this process holds open on live sessions' channels (on one, if given)."""
    if session_id is not None:
        return _watching.get(session_id, 0)
    return sum(_watching.values())


@dataclass
class _Pending:
    pubsub: PubSub
    changes: list[tuple[uuid.UUID, int, SessionTransaction | None]] = field(default_factory=list)


def announce_after_commit(session: AsyncSession, pubsub: PubSub, session_id: uuid.UUID, version: int) -> None:
    """Announce `version` of the live session once the current transaction of `session` has committed."""
    sync = session.sync_session
    pending: _Pending | None = sync.info.get(_PENDING)
    if pending is None:
        pending = sync.info[_PENDING] = _Pending(pubsub)
        event.listen(sync, "after_commit", _after_commit)
        event.listen(sync, "after_soft_rollback", _after_rollback)
    pending.changes.append((session_id, version, sync.get_nested_transaction()))


def _after_commit(sync: Session) -> None:
    if sync.in_nested_transaction():
        return  # a savepoint released: its changes are not committed yet
    pending: _Pending | None = sync.info.get(_PENDING)
    if pending is None or not pending.changes:
        return
    latest: dict[uuid.UUID, int] = {}
    for session_id, version, _ in pending.changes:
        latest[session_id] = max(version, latest.get(session_id, 0))
    pending.changes.clear()
    for session_id, version in latest.items():
        task = asyncio.get_running_loop().create_task(_publish(pending.pubsub, session_id, version))
        _publishing.add(task)
        task.add_done_callback(_publishing.discard)


def _after_rollback(sync: Session, previous: SessionTransaction) -> None:
    pending: _Pending | None = sync.info.get(_PENDING)
    if pending is None:
        return
    if not previous.nested:
        pending.changes.clear()
        return
    pending.changes[:] = [change for change in pending.changes if not _within(change[2], previous)]


def _within(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


async def _publish(pubsub: PubSub, session_id: uuid.UUID, version: int) -> None:
    try:
        await pubsub.publish(channel(session_id), orjson.dumps({"version": version}))
    except Exception:
        # Subscribers then miss one update; the next change (or a reconnect) brings them the latest state.
        logger.exception("announcing a live session change failed", extra={"live_session_id": str(session_id)})


@contextlib.asynccontextmanager
async def changes(pubsub: PubSub, session_id: uuid.UUID) -> AsyncIterator[AsyncIterator[int]]:
    """The versions announced for the session from now on, until the context exits."""
    _watching[session_id] = _watching.get(session_id, 0) + 1
    try:
        async with pubsub.subscribe(channel(session_id)) as messages:
            yield _versions(messages)
    finally:
        _watching[session_id] -= 1
        if not _watching[session_id]:
            del _watching[session_id]


async def _versions(messages: AsyncIterator[bytes]) -> AsyncIterator[int]:
    async for message in messages:
        try:
            version = orjson.loads(message)["version"]
        except (orjson.JSONDecodeError, KeyError, TypeError):
            logger.warning("ignored a malformed live session announcement")
            continue
        if isinstance(version, int):
            yield version
