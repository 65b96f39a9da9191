"""Consuming events idempotently: each event id takes effect once per service."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.database.kernel import processed_events
from shared.events.bus import EventHandler
from shared.events.envelope import Event, topic_matches

logger = logging.getLogger(__name__)

DomainHandler = Callable[[AsyncSession, Event], Awaitable[None]]
"""A subgraph's reaction to an event, run inside the transaction that marks the event processed."""


def combined(*tables: Mapping[str, DomainHandler]) -> dict[str, DomainHandler]:
    """One table of a service's handlers from several (the roster copy's, its own): an event type that more
    than one handles runs each of them, in the order given, in the one transaction."""
    found: dict[str, list[DomainHandler]] = {}
    for table in tables:
        for kind, handler in table.items():
            found.setdefault(kind, []).append(handler)
    return {kind: handlers[0] if len(handlers) == 1 else _in_turn(handlers) for kind, handlers in found.items()}


def _in_turn(handlers: list[DomainHandler]) -> DomainHandler:
    async def handle(session: AsyncSession, event: Event) -> None:
        for handler in handlers:
            await handler(session, event)

    return handle


def idempotent(sessions: async_sessionmaker[AsyncSession], handlers: Mapping[str, DomainHandler]) -> EventHandler:
    """One bus handler for a service: dedupe by event id and run the matching domain handler, atomically."""

    async def handle(event: Event) -> None:
        handler = next((h for key, h in handlers.items() if topic_matches(key, event.type)), None)
        if handler is None:
            return
        async with sessions() as session, session.begin():
            if not await _mark_processed(session, event):
                return
            await handler(session, event)

    return handle


async def _mark_processed(session: AsyncSession, event: Event) -> bool:
    """False when the event was processed before (a redelivery)."""
    marked = await session.execute(
        insert(processed_events)
        .values(event_id=event.id, event_type=event.type)
        .on_conflict_do_nothing()
        .returning(processed_events.c.event_id)
    )
    if marked.first() is None:
        logger.info("duplicate event skipped", extra={"event_id": str(event.id), "type": event.type})
        return False
    return True
