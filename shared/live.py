"""Live updates for subscriptions: a service announces a change on a channel once its transaction has
committed, and a subscription follows the channel. Announcements go through the service's pub/sub
(Redis across replicas, memory in embedded mode), so a change made on one replica reaches the
subscribers held by another.

The session knows its service's pub/sub (`Session.info`, set where the sessions are made), so domain
code announces with nothing but its session, like it writes events to the outbox.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Mapping
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from shared.database.after_commit import after_commit
from shared.pubsub import PubSub

PUBSUB = "hockey_hub.pubsub"

logger = logging.getLogger(__name__)


def announce(session: AsyncSession, channel: str, payload: Mapping[str, Any]) -> None:
    """Publish `payload` on `channel` after the session's transaction commits (never if it rolls back)."""
    pubsub: PubSub | None = session.info.get(PUBSUB)
    if pubsub is None:  # a session made outside a running service (a seed script): nobody is listening
        return
    message = orjson.dumps(payload, default=str)  # asyncpg hands out its own UUID type

    async def publish() -> None:
        await pubsub.publish(channel, message)

    after_commit(session, publish)


@contextlib.asynccontextmanager
async def follow(pubsub: PubSub, channel: str) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
    """The announcements on `channel` from the moment this opens: open it before reading the current
    state, so nothing announced in between is missed (and drop duplicates by id).

    When the feed is lost (Redis), the announcements end by raising `SubscriptionSourceLost`: the
    subscription ends with that code instead of waiting for announcements that would never come, and the
    client subscribes again (with its cursor) to catch up."""
    async with pubsub.subscribe(channel) as messages:

        async def decoded() -> AsyncIterator[dict[str, Any]]:
            async for message in messages:
                try:
                    payload = orjson.loads(message)
                except orjson.JSONDecodeError:
                    logger.warning("a live announcement that is not JSON was ignored", extra={"channel": channel})
                    continue
                if isinstance(payload, dict):
                    yield payload

        yield decoded()
