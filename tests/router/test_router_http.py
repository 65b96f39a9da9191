"""The router over HTTP: GraphQL over HTTP semantics, GraphiQL offline, plans on request, live reloads."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest

from router.federation.model import load_federated_schema
from shared.auth.principal import Role
from tests.router.club.harness import SUBGRAPHS, Club, compose_club, fresh_data, running_club, token_for

GRAPHQL_RESPONSE = "application/graphql-response+json"


@pytest.fixture(scope="module")
async def club(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Club]:
    async with running_club(tmp_path_factory.mktemp("club-http")) as running:
        yield running


@pytest.fixture(autouse=True)
def clean(club: Club) -> Iterator[None]:
    with fresh_data():
        club.clear()
        yield


async def test_post_and_get_queries(club: Club) -> None:
    posted = await club.router.post("/graphql", json={"query": "{ players { name } }"})
    assert posted.status_code == 200
    assert posted.headers["content-type"] == "application/json"
    got = await club.router.get(
        "/graphql",
        params={
            "query": "query Named($id: ID!) { team(id: $id) { name } }",
            "variables": '{"id": "t2"}',
            "operationName": "Named",
        },
    )
    assert got.json() == {"data": {"team": {"name": "Otters"}}}


async def test_mutations_are_refused_over_get(club: Club) -> None:
    response = await club.router.get(
        "/graphql", params={"query": 'mutation { renamePlayer(id: "p1", name: "X") { name } }'}
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert not club.requests["roster"]


async def test_request_errors_follow_the_accepted_media_type(club: Club) -> None:
    bad = {"query": "{ players { shoeSize } }"}
    legacy = await club.router.post("/graphql", json=bad)
    assert legacy.status_code == 200
    assert legacy.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    modern = await club.router.post("/graphql", json=bad, headers={"accept": GRAPHQL_RESPONSE})
    assert modern.status_code == 400
    assert modern.headers["content-type"] == GRAPHQL_RESPONSE
    parse = await club.router.post("/graphql", json={"query": "{ players { "}, headers={"accept": GRAPHQL_RESPONSE})
    assert parse.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    not_json = await club.router.post("/graphql", content=b"{nope", headers={"content-type": "application/json"})
    assert not_json.status_code == 400
    assert not_json.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    form = await club.router.post(
        "/graphql", content=b"query={a}", headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert form.status_code == 400  # a cross-site form cannot post GraphQL


async def test_graphiql_works_without_internet(club: Club) -> None:
    page = await club.router.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "/graphiql/graphiql.min.js" in page.text
    assert "https://" not in page.text
    for asset in ("graphiql.min.js", "graphiql.min.css", "react.production.min.js", "react-dom.production.min.js"):
        served = await club.router.get(f"/graphiql/{asset}")
        assert served.status_code == 200
        assert len(served.content) > 5000


async def test_the_plan_on_request_and_a_dry_run(club: Club) -> None:
    query = {"query": "{ players { name status } }"}
    dry = (await club.router.post("/graphql", json=query, headers={"hockey-hub-query-plan": "dry-run"})).json()
    assert "data" not in dry
    assert 'Fetch(service: "medical")' in dry["extensions"]["queryPlan"]["text"]
    assert dry["extensions"]["queryPlan"]["object"]["node"]["kind"] == "Sequence"
    assert not any(club.requests.values())
    both = (await club.router.post("/graphql", json=query, headers={"hockey-hub-query-plan": "true"})).json()
    assert both["data"]["players"][0] == {"name": "Elias Lund", "status": "INJURED"}
    assert "queryPlan" in both["extensions"]


async def test_the_caller_and_the_request_id_reach_the_subgraphs(club: Club) -> None:
    token = token_for(Role.COACH)
    await club.query("{ players { status } }", headers={"authorization": f"Bearer {token}", "x-request-id": "req-7"})
    claims = jwt.decode(token, options={"verify_signature": False})
    for name in ("roster", "medical"):
        request = club.requests[name][0]
        assert request["_headers"]["authorization"] == f"Bearer {token}"
        assert request["_headers"]["x-request-id"] == "req-7"
        # the verified claims of the allow-list travel too, for subgraphs that want them without parsing
        assert request["extensions"]["claims"] == {
            name: claims[name] for name in ("sub", "org", "roles", "scope") if name in claims
        }


async def test_plans_are_cached_per_document(club: Club) -> None:
    engine = club.app.state.source.engine
    query = "{ players { number } }"
    await club.query(query)
    hits = engine.cache.hits
    await club.query(query)
    assert engine.cache.hits == hits + 1


async def test_a_changed_supergraph_is_served_without_dropping_requests_in_flight(tmp_path: Path) -> None:
    with fresh_data():
        async with running_club(tmp_path, timeout_seconds=5) as club:
            # given a slow request in flight
            slow = asyncio.create_task(club.query("{ players { name slowStatus } }"))
            await asyncio.sleep(0.3)
            # when the supergraph file changes (a field renamed)
            sdl = compose_club(dict(club.urls)).replace("lastActivity: String", "lastActivityRenamed: String")
            club.supergraph_file.write_text(sdl)
            for _ in range(50):
                await asyncio.sleep(0.05)
                if "lastActivityRenamed" in str(club.app.state.source.engine.schema.api.type_map["Player"].fields):
                    break
            # then new requests see the new schema, and the one in flight finished on the old one
            renamed = (await club.query("{ players { lastActivity } }")).json()
            assert renamed["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
            finished = (await slow).json()
            assert [p["slowStatus"] for p in finished["data"]["players"]] == ["late", "late", "late"]
            # and a broken file keeps the running supergraph
            club.supergraph_file.write_text("type Query { broken")
            await asyncio.sleep(0.3)
            assert (await club.query("{ players { name } }")).status_code == 200


def test_subgraph_urls_can_be_overridden_by_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    sdl = compose_club({name: f"http://{name}.internal/graphql" for name in SUBGRAPHS})
    monkeypatch.setenv("HOCKEY_HUB_SUBGRAPH_MEDICAL_URL", "http://medical.elsewhere:8080/graphql")
    schema = load_federated_schema(sdl, url_overrides={"stats": "http://stats.override/graphql"})
    urls = {graph.name: graph.url for graph in schema.graphs.values()}
    assert urls["medical"] == "http://medical.elsewhere:8080/graphql"
    assert urls["stats"] == "http://stats.override/graphql"
    assert urls["roster"] == "http://roster.internal/graphql"


async def test_identical_queries_in_flight_share_one_subgraph_request(tmp_path: Path) -> None:
    with fresh_data():
        async with running_club(tmp_path, timeout_seconds=5) as club:
            query = "{ players { slowStatus } }"
            first, second = await asyncio.gather(club.query(query), club.query(query))
            assert first.json() == second.json()
            assert len(club.requests["medical"]) == 1  # the second caller waited for the first's answer


async def test_a_null_for_a_non_null_field_nulls_the_nearest_nullable_parent(tmp_path: Path) -> None:
    from tests.router.club.harness import stand_in

    async def broken_stats(request: dict[str, Any]) -> tuple[int, bytes]:
        import orjson

        representations = request["variables"]["representations"]
        return 200, orjson.dumps({"data": {"_entities": [{"goals": None} for _ in representations]}})

    with fresh_data():
        async with running_club(tmp_path, replace={"stats": stand_in(broken_stats)}) as club:
            body = (await club.query('{ team(id: "t1") { name players { goals } } }')).json()
            # goals is Int!, players is [Player!]!: the nulls climb to the nullable team field
            assert body["data"] == {"team": None}
            assert body["errors"][0]["extensions"]["code"] == "SUBGRAPH_INVALID_RESPONSE"
            assert body["errors"][0]["path"] == ["team", "players", 0, "goals"]


def test_the_command_prints_a_plan(tmp_path: Path) -> None:
    import subprocess
    import sys

    from hockey_hub.schema import PROJECT

    query = tmp_path / "roster.graphql"
    query.write_text("query Roster($id: ID!) { team(id: $id) { players { fullName medicalStatus } } }")
    finished = subprocess.run(
        [sys.executable, "-m", "hockey_hub.cli", "router", "plan", str(query), "--supergraph", str(PROJECT.supergraph)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    assert 'Fetch(service: "user")' in finished.stdout
    assert 'Flatten(path: "team.players.@")' in finished.stdout
    assert 'Fetch(service: "medical")' in finished.stdout


async def test_the_subgraph_client_works_on_uvloop(tmp_path: Path) -> None:
    """`hockey-hub router` runs on uvloop, whose transports are not asyncio.Transport instances."""
    import uvloop

    from router.executor.http import ConnectionPool
    from tests.router.club.harness import serve_anywhere, stand_in

    async def echo(request: dict[str, Any]) -> tuple[int, bytes]:
        return 200, b'{"data": {"echo": true}}'

    async def scenario() -> list[tuple[int, bytes]]:
        server, task, port = await serve_anywhere(stand_in(echo))
        pool = ConnectionPool(f"http://127.0.0.1:{port}/graphql")
        try:
            return [await pool.post(b'{"query": "{ echo }"}', {"content-type": "application/json"}) for _ in range(3)]
        finally:
            pool.close()
            server.should_exit = True
            await task

    answers = await asyncio.to_thread(uvloop.run, scenario())
    assert answers == [(200, b'{"data": {"echo": true}}')] * 3
