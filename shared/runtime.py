"""What one running service holds: its engine and sessions, the bus, cache, pub/sub and token verifier."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from shared.auth.revocation import SessionRevocations
from shared.auth.tokens import TokenIssuer, TokenVerifier
from shared.cache import Cache
from shared.events.bus import EventBus
from shared.events.relay import OutboxRelay
from shared.pubsub import PubSub
from shared.settings import Settings


@dataclass(frozen=True, slots=True)
class ProcessResources:
    """Resources several services of one process share (`hockey-hub up`): one bus, cache and pub/sub.

    The in-process bus only carries events between services when they share it.
    """

    bus: EventBus
    cache: Cache
    pubsub: PubSub
    revocations: SessionRevocations
    """Shared with the router of the process, so a logout is seen by every verifier at once."""


@dataclass(slots=True)
class ServiceRuntime:
    service: str
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    bus: EventBus
    cache: Cache
    pubsub: PubSub
    verifier: TokenVerifier
    revocations: SessionRevocations
    database_kind: str
    issuer: TokenIssuer | None = None
    """Only in the service that signs tokens (`Subgraph.issues_tokens`)."""
    relay: OutboxRelay | None = None
