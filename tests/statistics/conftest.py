from __future__ import annotations

import pytest

from shared.auth.principal import Principal
from tests.conftest import ServiceFactory
from tests.statistics.factories import Club, make_club
from tests.support.graphql import GraphQLClient
from tests.support.services import RunningService


class TokenCachingClient(GraphQLClient):
    """Signs one token per principal: TokenIssuer parses its PEM private key on every call (~45 ms),
    which would otherwise dominate this suite's run time."""

    def __init__(self, client: GraphQLClient):
        super().__init__(client.http, client.issuer, path=client.path)
        self._tokens: dict[Principal, str] = {}

    def token(self, principal: Principal) -> str:
        if principal not in self._tokens:
            self._tokens[principal] = super().token(principal)
        return self._tokens[principal]


@pytest.fixture
async def statistics(service: ServiceFactory) -> RunningService:
    running = await service("statistics")
    if not isinstance(running.graphql, TokenCachingClient):
        running.graphql = TokenCachingClient(running.graphql)
    return running


@pytest.fixture
def club() -> Club:
    return make_club()
