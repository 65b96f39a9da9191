"""A session that GraphQL's concurrent field resolvers can share.

GraphQL resolves sibling fields concurrently; an AsyncSession allows one operation at a time. Each
database call of this session takes a lock (re-entrant per task, since SQLAlchemy's own methods call
one another), so concurrent resolvers and DataLoader batches queue instead of failing, and all of a
request's reads see its own uncommitted writes.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

P = ParamSpec("P")
R = TypeVar("R")


class _TaskLock:
    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None

    @contextlib.asynccontextmanager
    async def hold(self) -> AsyncIterator[None]:
        task = asyncio.current_task()
        if self._owner is task and task is not None:
            yield
            return
        async with self._lock:
            self._owner = task
            try:
                yield
            finally:
                self._owner = None


def _serialized(method: Callable[P, Coroutine[Any, Any, R]]) -> Callable[P, Coroutine[Any, Any, R]]:
    @functools.wraps(method)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        session = args[0]
        assert isinstance(session, RequestSession)
        async with session.lock.hold():
            return await method(*args, **kwargs)

    return wrapper


class RequestSession(AsyncSession):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lock = _TaskLock()

    execute = _serialized(AsyncSession.execute)
    scalar = _serialized(AsyncSession.scalar)  # type: ignore[assignment]
    scalars = _serialized(AsyncSession.scalars)
    get = _serialized(AsyncSession.get)
    get_one = _serialized(AsyncSession.get_one)
    stream = _serialized(AsyncSession.stream)
    stream_scalars = _serialized(AsyncSession.stream_scalars)
    delete = _serialized(AsyncSession.delete)
    merge = _serialized(AsyncSession.merge)
    flush = _serialized(AsyncSession.flush)
    refresh = _serialized(AsyncSession.refresh)
    run_sync = _serialized(AsyncSession.run_sync)
    connection = _serialized(AsyncSession.connection)
    commit = _serialized(AsyncSession.commit)
    rollback = _serialized(AsyncSession.rollback)
    close = _serialized(AsyncSession.close)
