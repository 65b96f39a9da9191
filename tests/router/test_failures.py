"""A subgraph down, slow, failing, flaky or talking nonsense: the router answers what it can, names the rest."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import orjson

from tests.router.club.harness import fresh_data, running_club, stand_in

ROSTER_WITH_STATUS = "{ players { name status } }"


def _by_code(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {error["extensions"]["code"]: error for error in body.get("errors", [])}


async def test_a_subgraph_that_is_down_leaves_partial_data_and_an_error_naming_it(tmp_path: Path) -> None:
    with fresh_data():
        async with running_club(tmp_path) as club:
            # given medical's URL pointing at a port nothing listens on
            club.app.state.source.engine.client.urls["medical"] = "http://127.0.0.1:9/graphql"
            # when a roster with medical status is asked for
            response = await club.query(ROSTER_WITH_STATUS)
            body = response.json()
            # then the names come back, the statuses are null, and the error names the subgraph
            assert response.status_code == 200
            assert body["data"] == {
                "players": [{"name": n, "status": None} for n in ("Elias Lund", "Noah Berg", "Viktor Holm")]
            }
            error = _by_code(body)["SUBREQUEST_HTTP_ERROR"]
            assert error["extensions"]["service"] == "medical"
            assert "medical" in error["message"]
            # and after repeated failures the circuit opens: no more waiting on a dead subgraph
            for _ in range(3):
                await club.query(ROSTER_WITH_STATUS)
            assert "SUBREQUEST_CIRCUIT_OPEN" in _by_code((await club.query(ROSTER_WITH_STATUS)).json())
            health = (await club.router.get("/health")).json()
            assert health["status"] == "degraded"
            assert health["subgraphs"]["medical"]["up"] is False
            assert health["subgraphs"]["medical"]["circuit"] == "open"
            assert health["subgraphs"]["roster"]["up"] is True


async def test_a_slow_subgraph_times_out_without_holding_the_rest(tmp_path: Path) -> None:
    with fresh_data():
        async with running_club(tmp_path, timeout_seconds=0.3) as club:
            loop = asyncio.get_running_loop()
            started = loop.time()
            body = (await club.query("{ players { name slowStatus } }")).json()
            assert loop.time() - started < 1.5  # the 2 s field was not waited for
            assert [p["name"] for p in body["data"]["players"]] == ["Elias Lund", "Noah Berg", "Viktor Holm"]
            assert all(p["slowStatus"] is None for p in body["data"]["players"])
            assert _by_code(body)["SUBREQUEST_TIMEOUT"]["extensions"]["service"] == "medical"


async def test_errors_of_a_subgraph_arrive_at_the_clients_path(tmp_path: Path) -> None:
    with fresh_data():
        async with running_club(tmp_path) as club:
            body = (await club.query("{ firstLine: players { name diagnosis } }")).json()
            assert body["data"]["firstLine"][0] == {"name": "Elias Lund", "diagnosis": None}
            paths = sorted(tuple(error["path"]) for error in body["errors"])
            assert paths == [
                ("firstLine", 0, "diagnosis"),
                ("firstLine", 1, "diagnosis"),
                ("firstLine", 2, "diagnosis"),
            ]
            assert all(error["extensions"]["service"] == "medical" for error in body["errors"])
            assert body["errors"][0]["message"] == "health data is not yours to see"


async def test_malformed_json_from_a_subgraph_is_reported_not_passed_on(tmp_path: Path) -> None:
    async def garbage(request: dict[str, Any]) -> tuple[int, bytes]:
        return 200, b"<html>proxy error</html>"

    with fresh_data():
        async with running_club(tmp_path, replace={"training": stand_in(garbage)}) as club:
            body = (await club.query("{ players { name lastActivity } }")).json()
            assert body["data"]["players"][2] == {"name": "Viktor Holm", "lastActivity": None}
            error = _by_code(body)["SUBREQUEST_MALFORMED_RESPONSE"]
            assert error["extensions"]["service"] == "training"
            assert "<html>" not in error["message"]


async def test_queries_are_retried_and_mutations_are_not(tmp_path: Path) -> None:
    calls: list[str] = []

    async def flaky(request: dict[str, Any]) -> tuple[int, bytes]:
        calls.append(request["query"].split("{")[0].strip() or "query")
        if len(calls) % 2 == 1:  # every first try fails
            return 503, b'{"errors": [{"message": "overloaded"}]}'
        if "recordInjury" in request["query"]:
            return 200, orjson.dumps({"data": {"recordInjury": {"bodyPart": "hip"}}})
        representations = request["variables"]["representations"]
        return 200, orjson.dumps({"data": {"_entities": [{"status": "AVAILABLE"} for _ in representations]}})

    with fresh_data():
        async with running_club(tmp_path, replace={"medical": stand_in(flaky)}) as club:
            # a query through a subgraph that fails once succeeds on the retry
            body = (await club.query(ROSTER_WITH_STATUS)).json()
            assert "errors" not in body
            assert len(calls) == 2
            # a mutation is never repeated: it may have had its effect
            calls.clear()
            failed = (
                await club.query('mutation { recordInjury(playerId: "p1", bodyPart: "hip") { bodyPart } }')
            ).json()
            assert len(calls) == 1
            assert _by_code(failed)["SUBREQUEST_HTTP_ERROR"]["extensions"]["service"] == "medical"
