"""Counting the SQL statements a request runs, to pin DataLoader batching."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


class StatementLog:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def selects(self) -> list[str]:
        return [sql for sql in self.statements if sql.lstrip().upper().startswith("SELECT")]


_active: contextvars.ContextVar[StatementLog | None] = contextvars.ContextVar("statement_log", default=None)


@contextlib.contextmanager
def count_statements(engine: AsyncEngine) -> Iterator[StatementLog]:
    """Statements run by code called from this context (the request under test), not by background
    tasks such as the outbox relay, which started in another context."""
    log = StatementLog()
    token = _active.set(log)

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        # Transaction control is not a query: keep BEGIN/COMMIT/SAVEPOINT out of the count.
        if _active.get() is log and not statement.lstrip().upper().startswith(
            ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
        ):
            log.statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield log
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
        _active.reset(token)
