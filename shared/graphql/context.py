"""The per-request GraphQL context of a subgraph: caller, session, loaders."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext
from strawberry.types import Info

from shared.auth.principal import Principal
from shared.errors import Unauthenticated
from shared.graphql.loaders import many_per_key

if TYPE_CHECKING:
    from shared.runtime import ServiceRuntime

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class RequestContext(BaseContext):
    """One per GraphQL operation. The session opens on first use and is finished once, by the schema."""

    def __init__(self, runtime: ServiceRuntime, principal: Principal, request_id: str):
        super().__init__()
        self.runtime = runtime
        self.principal = principal
        self.request_id = request_id
        self._session: AsyncSession | None = None
        self._loaders: dict[Hashable, DataLoader[Any, Any]] = {}

    def signed_in(self) -> Principal:
        """The caller, who must be signed in (UNAUTHENTICATED otherwise)."""
        if not self.principal.is_authenticated:
            raise Unauthenticated("sign in to use this field")
        return self.principal

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            self._session = self.runtime.sessions()
        return self._session

    @property
    def session_opened(self) -> AsyncSession | None:
        return self._session

    def loader(
        self, key: Hashable, load: Callable[[list[K]], Awaitable[Sequence[V | BaseException]]]
    ) -> DataLoader[K, V]:
        """The request's DataLoader for `key`, made on first use: one batch per tick, per request."""
        existing = self._loaders.get(key)
        if existing is None:
            existing = DataLoader(load_fn=load)
            self._loaders[key] = existing
        return cast(DataLoader[K, V], existing)

    def grouped_loader(
        self,
        key: Hashable,
        fetch: Callable[[AsyncSession, list[K]], Awaitable[Iterable[V]]],
        by: Callable[[V], K],
    ) -> DataLoader[K, list[V]]:
        """The request's DataLoader of the rows of each key: `fetch` reads them for a whole batch of keys in
        one statement, `by` says which key a row belongs to."""

        async def load(keys: list[K]) -> list[list[V]]:
            return many_per_key(await fetch(self.session, keys), keys, by)

        return self.loader(key, load)


Ctx = Info[RequestContext, None]
"""The `info` type of every resolver: `info.context` is a RequestContext."""


def session_of(info: Ctx) -> AsyncSession:
    return info.context.session


def actor(info: Ctx) -> Principal:
    """The caller, who must be signed in."""
    return info.context.signed_in()
