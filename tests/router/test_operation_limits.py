"""Operation limits at the router, before anything is validated or planned: a depth bomb, an alias bomb, a
token bomb, a huge body and a cost bomb are each refused with their own code and the measured value and the
limit in `extensions`; introspection is off in production mode unless turned on."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import get_introspection_query

from router.app import create_router_app
from router.settings import RouterSettings
from shared.settings import Mode
from tests.router.club.harness import Club, fresh_data, running_club

GRAPHQL_RESPONSE = "application/graphql-response+json"
"""With this media type, request errors (the limits among them) are HTTP 400, as GraphQL over HTTP says."""
PROJECT_SUPERGRAPH = Path(__file__).resolve().parents[2] / "schema" / "supergraph.graphql"

DEPTH_BOMB = "{ players { " + "team { players { " * 7 + "name" + " } }" * 7 + " } }"
"""Players -> team -> players -> team ..., 16 deep (its cost is huge too, as with any such bomb)."""
ALIAS_BOMB = "{ players { " + " ".join(f"n{i}: name" for i in range(300)) + " } }"
TOKEN_BOMB = "{ players { " + "name " * 5000 + "} }"
COST_BOMB = "{ players { team { players { team { players { team { players { name } } } } } } } }"
"""Eight deep (within the depth limit) but a list inside a list inside a list: 20 x 20 x 20 x 20 players."""


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


def error_with(body: dict[str, Any], code: str) -> dict[str, Any]:
    found = [error for error in body.get("errors", []) if error["extensions"]["code"] == code]
    assert found, body
    first: dict[str, Any] = found[0]
    return first


@pytest.fixture(scope="module")
async def club(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Club]:
    async with running_club(tmp_path_factory.mktemp("club-limits")) as running:
        yield running


@pytest.fixture(autouse=True)
def clean(club: Club) -> Iterator[None]:
    with fresh_data():
        club.clear()
        yield


async def ask(club: Club, query: str, variables: dict[str, Any] | None = None) -> httpx.Response:
    return await club.router.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers={"accept": GRAPHQL_RESPONSE}
    )


async def test_a_depth_bomb_is_refused_with_its_depth(club: Club) -> None:
    # when a client sends fields nested 16 deep (the limit is 12)
    response = await ask(club, DEPTH_BOMB)
    # then the router refuses it, saying how deep it is and how deep it may be
    assert response.status_code == 400
    body = response.json()
    assert sorted(codes(body)) == ["COST_LIMIT_EXCEEDED", "MAX_DEPTH_EXCEEDED"]
    assert error_with(body, "MAX_DEPTH_EXCEEDED") == {
        "message": "the operation nests fields 16 deep; the limit is 12",
        "extensions": {"code": "MAX_DEPTH_EXCEEDED", "limit": 12, "measured": 16},
    }
    assert "data" not in body
    # and no subgraph was asked anything
    assert all(not log for log in club.requests.values())


async def test_depth_through_fragments_counts_too(club: Club) -> None:
    # given the same nesting hidden in a chain of fragments
    fragments = "".join(f"fragment F{i} on Team {{ players {{ team {{ ...F{i + 1} }} }} }} " for i in range(7))
    response = await ask(club, "{ players { team { ...F0 } } } " + fragments + "fragment F7 on Team { name }")
    # then it is measured through the spreads
    assert error_with(response.json(), "MAX_DEPTH_EXCEEDED")["extensions"]["measured"] == 17


async def test_an_alias_bomb_is_refused(club: Club) -> None:
    # when a client asks for the same field under 300 aliases (the limit is 30)
    response = await ask(club, ALIAS_BOMB)
    # then the router refuses it with the count
    assert response.status_code == 400
    body = response.json()
    assert codes(body) == ["MAX_ALIASES_EXCEEDED"]
    assert error_with(body, "MAX_ALIASES_EXCEEDED")["extensions"] == {
        "code": "MAX_ALIASES_EXCEEDED",
        "limit": 30,
        "measured": 300,
    }


async def test_too_many_root_fields_are_refused(club: Club) -> None:
    response = await ask(club, "{ " + "__typename " * 25 + "}")
    body = response.json()
    assert codes(body) == ["MAX_ROOT_FIELDS_EXCEEDED"]
    assert error_with(body, "MAX_ROOT_FIELDS_EXCEEDED")["extensions"]["measured"] == 25


async def test_a_token_bomb_is_refused_before_it_is_parsed(club: Club) -> None:
    # when a document has over 4000 tokens
    response = await ask(club, TOKEN_BOMB)
    # then it is refused on its token count (counting stops just past the limit)
    assert response.status_code == 400
    body = response.json()
    assert codes(body) == ["MAX_TOKENS_EXCEEDED"]
    assert error_with(body, "MAX_TOKENS_EXCEEDED")["extensions"] == {
        "code": "MAX_TOKENS_EXCEEDED",
        "limit": 4000,
        "measured": 4001,
    }


async def test_a_huge_body_is_refused_with_413(club: Club) -> None:
    # when a client posts 3 MB (the limit is 2 MB)
    padding = "#" + "x" * (3 * 1024 * 1024)
    response = await club.router.post("/graphql", json={"query": "{ players { name } }" + padding})
    # then it is refused as too large, before the router parses it
    assert response.status_code == 413
    assert codes(response.json()) == ["PAYLOAD_TOO_LARGE"]


async def test_a_huge_body_without_a_length_is_refused_while_streaming(club: Club) -> None:
    # given a chunked body whose length nobody declared
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"query": "{ players { name } }", "x": "'
        for _ in range(40):
            yield b"x" * 65536
        yield b'"}'

    response = await club.router.post("/graphql", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert codes(response.json()) == ["PAYLOAD_TOO_LARGE"]


async def test_a_cost_bomb_is_refused_with_its_estimated_cost(club: Club) -> None:
    # when a client nests lists in lists, within the depth limit
    response = await ask(club, COST_BOMB)
    # then its estimated cost (20 players, each a team of 20 players, ... ) is over the limit of 10 000
    assert response.status_code == 400
    body = response.json()
    assert codes(body) == ["COST_LIMIT_EXCEEDED"]
    extensions = error_with(body, "COST_LIMIT_EXCEEDED")["extensions"]
    assert extensions["limit"] == 10_000
    assert extensions["measured"] == 20 * (1 + 1 + 20 * (1 + 1 + 20 * (1 + 1 + 20)))
    assert all(not log for log in club.requests.values())


async def test_every_broken_limit_is_reported_at_once(club: Club) -> None:
    response = await ask(club, "{ " + " ".join(f"p{i}: players {{ name }}" for i in range(40)) + " }")
    assert sorted(codes(response.json())) == ["MAX_ALIASES_EXCEEDED", "MAX_ROOT_FIELDS_EXCEEDED"]


async def test_operations_within_the_limits_run(club: Club) -> None:
    response = await ask(club, "{ players { name team { name } } }")
    assert response.status_code == 200
    assert "errors" not in response.json()


async def test_legacy_json_clients_get_the_limit_errors_with_200(club: Club) -> None:
    # GraphQL over HTTP: with application/json, request errors travel in a 200 response
    response = await club.router.post("/graphql", json={"query": ALIAS_BOMB})
    assert response.status_code == 200
    assert codes(response.json()) == ["MAX_ALIASES_EXCEEDED"]


async def test_limits_are_settings(tmp_path: Path) -> None:
    with fresh_data():
        async with running_club(tmp_path, max_depth=3, max_cost=30) as club:
            deep = await ask(club, "{ players { team { players { name } } } }")
            assert error_with(deep.json(), "MAX_DEPTH_EXCEEDED")["extensions"] == {
                "code": "MAX_DEPTH_EXCEEDED",
                "limit": 3,
                "measured": 4,
            }
            costly = await ask(club, "{ players { name } players2: players { team { name } } }")
            assert codes(costly.json()) == ["COST_LIMIT_EXCEEDED"]
            assert error_with(costly.json(), "COST_LIMIT_EXCEEDED")["extensions"]["measured"] == 20 + 40
            assert (await ask(club, "{ players { name } }")).status_code == 200


# -- Introspection ----------------------------------------------------------------------------------------


async def test_introspection_is_on_in_development(club: Club) -> None:
    response = await ask(club, "{ __schema { queryType { name } } }")
    assert response.json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


@pytest.mark.parametrize(("introspection", "allowed"), [(None, False), (True, True)])
async def test_introspection_is_off_in_production_unless_enabled(
    tmp_path: Path, introspection: bool | None, allowed: bool
) -> None:
    with fresh_data():
        async with running_club(
            tmp_path, mode=Mode.PRODUCTION, introspection=introspection, require_trusted_documents=False
        ) as club:
            for query in ("{ __schema { queryType { name } } }", '{ __type(name: "Player") { name } }'):
                response = await ask(club, query)
                if allowed:
                    assert "errors" not in response.json()
                else:
                    assert response.status_code == 400
                    assert codes(response.json()) == ["INTROSPECTION_DISABLED"]
            # and __typename is no introspection
            assert (await ask(club, "{ __typename }")).json() == {"data": {"__typename": "Query"}}


# -- Cost from list sizes, on the project's own supergraph ---------------------------------------------------


@pytest.fixture(scope="module")
async def project_router() -> AsyncIterator[httpx.AsyncClient]:
    """A router over the project's supergraph; plans are asked for as dry runs, so no subgraph needs to run."""
    settings = RouterSettings(supergraph=PROJECT_SUPERGRAPH, watch_seconds=0, jwks_url="http://127.0.0.1:9/jwks")
    app = create_router_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://router") as client,
    ):
        yield client


async def dry_run(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> httpx.Response:
    return await client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"accept": GRAPHQL_RESPONSE, "hockey-hub-query-plan": "dry-run"},
    )


CONVERSATIONS = "query Inbox($first: Int!) { conversations(first: $first) { id } }"


async def test_a_size_argument_sets_the_cost_even_through_a_variable(project_router: httpx.AsyncClient) -> None:
    # given one document, whose list size is a variable
    # when a client asks for 50 conversations, it is planned
    modest = await dry_run(project_router, CONVERSATIONS, {"first": 50})
    assert modest.status_code == 200
    assert "COST_LIMIT_EXCEEDED" not in codes(modest.json())
    assert "queryPlan" in modest.json()["extensions"]
    # and when it asks for a million with the same document, it is refused on the cost of that request
    greedy = await dry_run(project_router, CONVERSATIONS, {"first": 1_000_000})
    assert greedy.status_code == 400
    assert codes(greedy.json()) == ["COST_LIMIT_EXCEEDED"]
    assert error_with(greedy.json(), "COST_LIMIT_EXCEEDED")["extensions"]["measured"] == 1_000_000


async def test_a_literal_size_argument_sets_the_cost(project_router: httpx.AsyncClient) -> None:
    response = await dry_run(project_router, "{ conversations(first: 20000) { id } }", {})
    assert error_with(response.json(), "COST_LIMIT_EXCEEDED")["extensions"]["measured"] == 20_000


async def test_graphiqls_introspection_query_is_within_the_limits(club: Club) -> None:
    # GraphiQL and code generators send this deep, fragment-heavy query; the limits must leave it alone
    response = await ask(club, get_introspection_query(descriptions=True, input_value_deprecation=True))
    assert response.status_code == 200
    assert "errors" not in response.json()
    assert response.json()["data"]["__schema"]["queryType"]["name"] == "Query"
