"""Loading the supergraph file, and reloading it when it changes without dropping requests in flight.

Each request takes the engine current when it starts; a reload builds a new engine beside it and swaps
the reference, so requests already running finish on the engine they began with.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from pathlib import Path

from router.engine import RouterEngine
from router.executor.fetch import SubgraphClient, SubgraphSettings
from router.federation.model import FederatedSchema, SupergraphError, load_federated_schema
from router.settings import AuthorizationMode, RouterSettings
from router.traffic_control.limits import OperationLimits
from shared.heap import settle

logger = logging.getLogger("hockey_hub.router")


def build_engine(schema: FederatedSchema, settings: RouterSettings) -> RouterEngine:
    client = SubgraphClient(
        {graph.name: graph.url for graph in schema.graphs.values()},
        SubgraphSettings(
            timeout_seconds=settings.subgraph_timeout_seconds,
            max_retries=settings.subgraph_retries,
            breaker_failures=settings.breaker_failures,
            breaker_open_seconds=settings.breaker_open_seconds,
        ),
    )
    return RouterEngine(
        schema,
        client,
        cache_size=settings.plan_cache_size,
        enabled_labels=frozenset(settings.override_labels),
        reject_unauthorized=settings.authorization_mode is AuthorizationMode.REJECT,
        limits=OperationLimits.from_settings(settings),
    )


RETIRE_GRACE_SECONDS = 5.0


class SupergraphSource:
    def __init__(self, settings: RouterSettings):
        self.settings = settings
        self.path: Path = settings.supergraph
        self.engine: RouterEngine = build_engine(self._load(), settings)
        self.on_reload: list[Callable[[RouterEngine], None]] = []
        """Called with the new engine after each reload (running subscriptions check their fields)."""
        self._stamp = self._modified()
        self.in_use: list[Callable[[RouterEngine], bool]] = []
        """Whether something still runs on a replaced engine (a subscription that began on it)."""
        self._watcher: asyncio.Task[None] | None = None
        self._retired: list[RouterEngine] = []
        self._retiring: set[asyncio.Task[None]] = set()

    def _load(self) -> FederatedSchema:
        try:
            sdl = self.path.read_text()
        except OSError as error:
            raise SupergraphError(f"cannot read the supergraph {self.path}: {error.strerror}") from error
        return load_federated_schema(sdl, url_overrides=self.settings.subgraph_urls)

    def _modified(self) -> float:
        try:
            return self.path.stat().st_mtime
        except OSError:
            return 0.0

    def start(self) -> None:
        if self.settings.watch_seconds > 0:
            self._watcher = asyncio.create_task(self._watch(), name="supergraph-watch")

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self.settings.watch_seconds)
            stamp = self._modified()
            if stamp != self._stamp:
                self._stamp = stamp
                # Parsing and planning a supergraph takes a few hundred milliseconds: in a thread, requests and
                # subscription events go on meanwhile (slower, sharing the GIL, rather than stopped).
                with contextlib.suppress(SupergraphError):
                    self._swap(await asyncio.to_thread(self._prepared))

    def reload(self) -> bool:
        """Swap in the file's current supergraph; a broken file keeps the running one (and says why)."""
        try:
            self._swap(self._prepared())
        except SupergraphError:
            return False
        return True

    def _prepared(self) -> RouterEngine:
        try:
            return build_engine(self._load(), self.settings)
        except SupergraphError as error:
            logger.error("supergraph reload refused; still serving the previous one", extra={"error": str(error)})
            raise

    def _swap(self, engine: RouterEngine) -> None:
        previous, self.engine = self.engine, engine
        self._retired.append(previous)
        with contextlib.suppress(RuntimeError):  # no loop (a reload outside one): closed with the rest
            task = asyncio.get_running_loop().create_task(self._release(previous), name="supergraph-retire")
            self._retiring.add(task)
            task.add_done_callback(self._retiring.discard)
        for listener in self.on_reload:
            listener(self.engine)
        settle(collect=False)
        logger.info("supergraph reloaded", extra={"subgraphs": sorted(engine.client.urls)})

    async def _release(self, engine: RouterEngine) -> None:
        """A replaced engine (its schema, plans and connection pools, some megabytes) is let go once the
        requests that began on it have had their time and no subscription runs on it any more."""
        await asyncio.sleep(self.settings.subgraph_timeout_seconds + RETIRE_GRACE_SECONDS)
        while any(held(engine) for held in self.in_use):  # noqa: ASYNC110 (streams end on their own time)
            await asyncio.sleep(RETIRE_GRACE_SECONDS)
        self._retired.remove(engine)
        await engine.client.close()

    async def close(self) -> None:
        for task in [*self._retiring]:
            task.cancel()
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
        for engine in [*self._retired, self.engine]:
            await engine.client.close()
