"""Persisted operations at the router: automatic persisted queries (Apollo's protocol: a hash first, the
document on a miss, the hash checked), kept in memory or shared through Redis; and trusted documents, the
frontend's operations from `schema/operations/`, which a router can require (production does by default),
refusing any other document."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from router.app import create_router_app
from router.settings import DEFAULT_TRUSTED_DOCUMENTS, RouterSettings
from router.traffic_control.persisted import TrustedDocuments
from shared.settings import Mode
from tests.router.club.harness import Club, fresh_data, running_club
from tests.support.backend import SuiteEnvironment

PROJECT_SUPERGRAPH = Path(__file__).resolve().parents[2] / "schema" / "supergraph.graphql"
QUERY = 'query Lynx { team(id: "t1") { name } }'
LYNX = {"data": {"team": {"name": "Lynx"}}}


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def persisted(digest: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


def code(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


async def by_hash(client: httpx.AsyncClient, digest: str) -> httpx.Response:
    return await client.post("/graphql", json={"extensions": persisted(digest)})


async def with_query(client: httpx.AsyncClient, query: str, digest: str | None = None) -> httpx.Response:
    return await client.post("/graphql", json={"query": query, "extensions": persisted(digest or sha256(query))})


@pytest.fixture(scope="module")
async def club(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Club]:
    async with running_club(tmp_path_factory.mktemp("club-apq")) as running:
        yield running


@pytest.fixture(autouse=True)
def clean() -> Iterator[None]:
    with fresh_data():
        yield


# -- Automatic persisted queries ---------------------------------------------------------------------------------


async def test_a_hash_is_not_found_until_its_document_was_sent_once(club: Club) -> None:
    query = f'{{ team(id: "t1") {{ name }} }} # {uuid.uuid4()}'
    # when a client sends only the hash of a document the router has not seen
    miss = await by_hash(club.router, sha256(query))
    # then it is told to send the document
    assert miss.status_code == 200
    assert code(miss) == "PERSISTED_QUERY_NOT_FOUND"
    assert miss.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    # when it sends the document with its hash, it is answered
    assert (await with_query(club.router, query)).json() == LYNX
    # and from then on the hash alone is enough, over POST and over GET
    assert (await by_hash(club.router, sha256(query))).json() == LYNX
    extensions = orjson.dumps(persisted(sha256(query))).decode()
    got = await club.router.get("/graphql", params={"extensions": extensions})
    assert got.json() == LYNX


async def test_a_document_that_is_not_its_hash_is_refused_and_not_kept(club: Club) -> None:
    # given a client claiming a hash for a document that is another's
    other = f"{{ players {{ name }} }} # {uuid.uuid4()}"
    refused = await with_query(club.router, QUERY, sha256(other))
    assert code(refused) == "PERSISTED_QUERY_HASH_MISMATCH"
    # then the hash still names nothing
    assert code(await by_hash(club.router, sha256(other))) == "PERSISTED_QUERY_NOT_FOUND"


async def test_an_invalid_document_is_not_kept(club: Club) -> None:
    broken = f'{{ team(id: "t1") {{ nope }} }} # {uuid.uuid4()}'
    assert code(await with_query(club.router, broken)) == "GRAPHQL_VALIDATION_FAILED"
    assert code(await by_hash(club.router, sha256(broken))) == "PERSISTED_QUERY_NOT_FOUND"


@pytest.mark.parametrize(
    "extensions",
    [
        {"persistedQuery": {"version": 2, "sha256Hash": "0" * 64}},
        {"persistedQuery": {"version": 1, "sha256Hash": "not-a-hash"}},
        {"persistedQuery": "yes"},
    ],
)
async def test_a_malformed_persisted_query_is_refused(club: Club, extensions: dict[str, Any]) -> None:
    response = await club.router.post("/graphql", json={"extensions": extensions})
    assert code(response) in {"PERSISTED_QUERY_VERSION_NOT_SUPPORTED", "BAD_REQUEST"}
    assert "data" not in response.json()


async def test_replicas_share_persisted_queries_through_redis(tmp_path: Path, environment: SuiteEnvironment) -> None:
    if not environment.uses_servers:
        pytest.skip("replicas share persisted queries through Redis, tested with the servers backend")
    prefix = f"{environment.settings.redis_key_prefix}{uuid.uuid4().hex}:"
    query = f'{{ team(id: "t2") {{ name }} }} # {uuid.uuid4()}'
    async with running_club(tmp_path, redis_url=environment.settings.redis_url, redis_key_prefix=prefix) as club:
        app = create_router_app(club.app.state.settings)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://router") as other,
        ):
            # given a document registered with one replica
            assert code(await by_hash(other, sha256(query))) == "PERSISTED_QUERY_NOT_FOUND"
            assert (await with_query(club.router, query)).json() == {"data": {"team": {"name": "Otters"}}}
            # then the other replica runs it by its hash alone
            assert (await by_hash(other, sha256(query))).json() == {"data": {"team": {"name": "Otters"}}}


async def test_apq_can_be_turned_off(tmp_path: Path) -> None:
    async with running_club(tmp_path, apq=False) as club:
        assert code(await by_hash(club.router, sha256(QUERY))) == "PERSISTED_QUERY_NOT_SUPPORTED"
        assert (await club.router.post("/graphql", json={"query": QUERY})).json() == LYNX


# -- Trusted documents -------------------------------------------------------------------------------------------


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    """The club frontend's operations, one file each, in folders by screen."""
    folder = tmp_path / "operations"
    (folder / "roster").mkdir(parents=True)
    (folder / "roster" / "Lynx.graphql").write_text(QUERY + "\n")
    (folder / "roster" / "Roster.graphql").write_text("query Roster($id: ID!) {\n  team(id: $id) { name }\n}\n")
    return folder


async def test_when_required_only_trusted_documents_run(tmp_path: Path, manifest: Path) -> None:
    async with running_club(tmp_path, trusted_documents=manifest, require_trusted_documents=True) as club:
        # a trusted document runs when sent in full (white space at its ends aside)
        assert (await club.router.post("/graphql", json={"query": QUERY})).json() == LYNX
        # by its hash, as APQ clients send it
        file_text = (manifest / "roster" / "Lynx.graphql").read_text()
        assert (await by_hash(club.router, sha256(file_text))).json() == LYNX
        # or by its document id
        roster = (manifest / "roster" / "Roster.graphql").read_text()
        for document_id in (sha256(roster), f"sha256:{sha256(roster)}"):
            response = await club.router.post("/graphql", json={"documentId": document_id, "variables": {"id": "t2"}})
            assert response.json() == {"data": {"team": {"name": "Otters"}}}
        # and any other document is refused before it runs, however harmless
        club.clear()
        other = await club.router.post("/graphql", json={"query": '{ team(id: "t1") { name id } }'})
        assert code(other) == "PERSISTED_QUERY_NOT_IN_LIST"
        assert "data" not in other.json()
        assert all(not log for log in club.requests.values())
        # and it cannot be registered as an automatic persisted query either
        sneaky = "{ players { name } }"
        assert code(await with_query(club.router, sneaky)) == "PERSISTED_QUERY_NOT_IN_LIST"
        assert code(await by_hash(club.router, sha256(sneaky))) == "PERSISTED_QUERY_NOT_IN_LIST"


async def test_production_requires_trusted_documents_by_default(tmp_path: Path, manifest: Path) -> None:
    async with running_club(tmp_path, mode=Mode.PRODUCTION, trusted_documents=manifest) as club:
        assert (await club.router.post("/graphql", json={"query": QUERY})).json() == LYNX
        refused = await club.router.post("/graphql", json={"query": "{ players { name } }"})
        assert code(refused) == "PERSISTED_QUERY_NOT_IN_LIST"


async def test_development_runs_any_document_and_knows_the_trusted_ones(tmp_path: Path, manifest: Path) -> None:
    async with running_club(tmp_path, trusted_documents=manifest) as club:
        assert (await club.router.post("/graphql", json={"query": "{ players { name } }"})).status_code == 200
        file_text = (manifest / "roster" / "Lynx.graphql").read_text()
        assert (await by_hash(club.router, sha256(file_text))).json() == LYNX


def test_a_router_required_to_use_trusted_documents_will_not_start_without_them(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        create_router_app(RouterSettings(mode=Mode.PRODUCTION, trusted_documents=tmp_path / "nowhere"))


def test_an_empty_trusted_document_is_refused_at_start(manifest: Path) -> None:
    (manifest / "Empty.graphql").write_text("\n")
    with pytest.raises(ValueError, match="empty"):
        create_router_app(RouterSettings(trusted_documents=manifest, require_trusted_documents=True))


# -- The project's own trusted documents ---------------------------------------------------------------------------


async def test_the_frontends_operations_all_run_on_a_router_that_requires_them() -> None:
    # given the operations in schema/operations/, on a router over the project's supergraph that requires them
    documents = TrustedDocuments.load(DEFAULT_TRUSTED_DOCUMENTS)
    assert len(documents.documents) >= 20
    settings = RouterSettings(
        supergraph=PROJECT_SUPERGRAPH,
        watch_seconds=0,
        jwks_url="http://127.0.0.1:9/jwks",
        require_trusted_documents=True,
    )
    app = create_router_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://router") as client,
    ):
        for digest in documents.documents:
            # when each is asked for by its hash, as a plan only (no subgraph runs here)
            response = await client.post(
                "/graphql",
                json={"extensions": persisted(digest)},
                headers={"hockey-hub-query-plan": "dry-run"},
            )
            # then it is valid, within every operation limit, and planned
            body = response.json()
            refused = [
                e for e in body.get("errors", []) if e["extensions"]["code"] not in {"FORBIDDEN", "UNAUTHENTICATED"}
            ]
            assert not refused, (digest, documents.documents[digest], refused)
            assert "queryPlan" in body["extensions"]
