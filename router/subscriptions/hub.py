"""Identical subscriptions share one stream: the first subscriber opens it at the subgraph, later ones with
the same key join it, each event is fetched and shaped once and handed to all of them, and the stream
is closed when the last one leaves. The key holds everything that can change what an event looks like:
the document, its variables and the caller's identity (so nobody sees an event shaped for another), or,
where the subgraph declared one, the audience it admitted the caller to (see `audience`)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from router.subscriptions.audience import Audiences
from router.subscriptions.socket import OperationRefused

QUEUE_LIMIT = 1000
"""Events one subscriber may fall behind by; a client slower than that is ended, not the whole stream."""


def _too_slow() -> OperationRefused:
    message = "the client fell too far behind the subscription's events"
    return OperationRefused([{"message": message, "extensions": {"code": "SUBSCRIPTION_CLIENT_TOO_SLOW"}}])


class _End:
    def __init__(self, error: BaseException | None = None):
        self.error = error


@dataclass(frozen=True, slots=True)
class Credentials:
    """The headers a shared stream's fetches go out with: the subscriber's whose token lasts longest,
    so the stream does not fail when the first subscriber's token runs out while others' are fresh."""

    headers: Mapping[str, str]
    expires_at: float


class SharedStream:
    def __init__(
        self,
        key: Hashable,
        open_stream: Callable[[SharedStream], AsyncIterator[dict[str, Any]]],
        credentials: Credentials,
        on_idle: Callable[[SharedStream], None],
        still_valid: Callable[[Any], list[dict[str, Any]]] | None = None,
        late_join: bool = False,
        owner: object = None,
    ):
        self.key = key
        self.owner = owner
        """What the stream runs on (the router engine it began with)."""
        self.late_join = late_join
        """Newcomers may join after the first event (the subgraph said they miss nothing they need)."""
        self.credentials = credentials
        self.still_valid = still_valid
        """The errors of the subscription's document against a new supergraph (empty when it still runs)."""
        self.subscribers: set[asyncio.Queue[dict[str, Any] | _End]] = set()
        self.delivered = False
        """Once an event went out, a newcomer would miss what came before (a live session's current state,
        a chat's catch-up): from then on identical subscriptions open a stream of their own."""
        self._on_idle = on_idle
        self._task = asyncio.create_task(self._pump(open_stream(self)), name="shared-subscription")

    def offer(self, credentials: Credentials) -> None:
        if credentials.expires_at > self.credentials.expires_at:
            self.credentials = credentials

    async def _pump(self, source: AsyncIterator[dict[str, Any]]) -> None:
        end = _End()
        try:
            async for result in source:
                self.delivered = True
                for queue in list(self.subscribers):
                    if queue.full():
                        self._drop(queue, _too_slow())
                    else:
                        queue.put_nowait(result)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            end = _End(error)
        finally:
            with contextlib.suppress(BaseException):
                await _close(source)
        self._on_idle(self)
        for queue in list(self.subscribers):
            queue.put_nowait(end)  # never full: a full queue's subscriber was dropped already

    def end(self, errors: list[dict[str, Any]]) -> None:
        """End the stream for all its subscribers with `errors` (the supergraph no longer has its fields)."""
        for queue in list(self.subscribers):
            self._drop(queue, OperationRefused(errors))
        self._on_idle(self)
        self._task.cancel()

    def _drop(self, queue: asyncio.Queue[dict[str, Any] | _End], error: BaseException) -> None:
        self.subscribers.discard(queue)
        while not queue.empty():
            queue.get_nowait()
        queue.put_nowait(_End(error))

    def subscribe(self) -> AsyncIterator[dict[str, Any]]:
        """A subscriber's events from now on (registered at once, so nothing falls between)."""
        queue: asyncio.Queue[dict[str, Any] | _End] = asyncio.Queue(QUEUE_LIMIT + 1)
        self.subscribers.add(queue)
        return self._events(queue)

    async def _events(self, queue: asyncio.Queue[dict[str, Any] | _End]) -> AsyncIterator[dict[str, Any]]:
        try:
            while True:
                item = await queue.get()
                if isinstance(item, _End):
                    if item.error is not None:
                        raise item.error
                    return
                yield item
        finally:
            self.subscribers.discard(queue)
            if not self.subscribers and not self._task.done():
                self._on_idle(self)
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task


async def _close(source: AsyncIterator[dict[str, Any]]) -> None:
    aclose = getattr(source, "aclose", None)
    if aclose is not None:
        await aclose()


class SubscriptionHub:
    """Streams by key. A stream takes new subscribers until its first event: subscriptions that start
    together (devices reconnecting after a deploy) share one, and nobody joins one halfway through,
    unless the subgraph said its audience may join late."""

    def __init__(self) -> None:
        self.audiences = Audiences()
        self._streams: dict[Hashable, SharedStream] = {}
        """The stream each key's newcomers join, while it has delivered nothing."""
        self._running: set[SharedStream] = set()

    def join(
        self,
        key: Hashable,
        open_stream: Callable[[SharedStream], AsyncIterator[dict[str, Any]]],
        credentials: Credentials,
        still_valid: Callable[[Any], list[dict[str, Any]]] | None = None,
        late_join: bool = False,
        owner: object = None,
    ) -> AsyncIterator[dict[str, Any]]:
        """The events of the stream under `key`, opened with `open_stream` if nobody holds it yet."""
        stream = self._streams.get(key)
        if stream is None or (stream.delivered and not stream.late_join):
            stream = SharedStream(key, open_stream, credentials, self._forget, still_valid, late_join, owner)
            self._streams[key] = stream
            self._running.add(stream)
        else:
            stream.offer(credentials)
        return stream.subscribe()

    def _forget(self, stream: SharedStream) -> None:
        self._running.discard(stream)
        if self._streams.get(stream.key) is stream:
            del self._streams[stream.key]

    def revalidate(self, engine: Any) -> None:
        """After a supergraph reload: streams whose fields still exist go on (on the engine they began
        with); the others end with the reason."""
        for stream in list(self._running):
            if stream.still_valid is not None and (errors := stream.still_valid(engine)):
                stream.end(errors)

    def runs_on(self, owner: object) -> bool:
        return any(stream.owner is owner for stream in self._running)

    @property
    def open_streams(self) -> int:
        return len(self._running)
