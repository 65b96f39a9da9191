"""GET /metrics on the router: operations by name with latency and error codes, and every subgraph fetch
with its latency and failures, in the Prometheus text format (parsed here as Prometheus would)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from shared.settings import Mode
from tests.router.club.harness import fresh_data, running_club

ROSTER_WITH_STATUS = "query MetricsRoster { players { name status } }"
UNKNOWN_FIELD = "query MetricsShoeSizes { players { shoeSize } }"
UNFINISHED = "query MetricsUnfinished { players {"
TEAM = 'query MetricsTeam { team(id: "t1") { name } }'
SLOW = 3600.0
"""A rate-limit window so long that no token comes back while a test runs."""

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def scrape(router: httpx.AsyncClient) -> Samples:
    response = await router.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def moved(before: Samples, after: Samples, name: str, **labels: str) -> float:
    key = (name, frozenset(labels.items()))
    return after.get(key, 0.0) - before.get(key, 0.0)


async def test_operations_and_subgraph_fetches_are_measured(tmp_path: Path) -> None:
    with fresh_data():
        async with running_club(tmp_path) as club:
            before = await scrape(club.router)
            # when an operation spanning two subgraphs runs, and one the router refuses
            assert (await club.query(ROSTER_WITH_STATUS)).status_code == 200
            assert (await club.query(UNKNOWN_FIELD)).json()["errors"]
            after = await scrape(club.router)
            # then both are counted by name, with their latency
            for operation in ("MetricsRoster", "MetricsShoeSizes"):
                assert moved(before, after, "hockey_hub_router_requests_total", operation=operation) == 1
                assert (
                    moved(before, after, "hockey_hub_router_request_duration_seconds_count", operation=operation) == 1
                )
            # and the refusal by its code
            refused = {"operation": "MetricsShoeSizes", "code": "GRAPHQL_VALIDATION_FAILED"}
            assert moved(before, after, "hockey_hub_router_errors_total", **refused) == 1
            # and each subgraph the plan fetched from got a latency observation
            for subgraph in ("roster", "medical"):
                fetches = moved(
                    before, after, "hockey_hub_router_subgraph_fetch_duration_seconds_count", subgraph=subgraph
                )
                assert fetches >= 1


async def test_failed_subgraph_fetches_are_counted_by_code(tmp_path: Path) -> None:
    with fresh_data():
        async with running_club(tmp_path) as club:
            # given medical's URL pointing at a port nothing listens on
            club.app.state.source.engine.client.urls["medical"] = "http://127.0.0.1:9/graphql"
            before = await scrape(club.router)
            # when a roster with medical status is asked for
            body = (await club.query(ROSTER_WITH_STATUS)).json()
            after = await scrape(club.router)
            # then the fetch failures are counted under medical and the client's error under the operation
            codes = [error["extensions"]["code"] for error in body["errors"]]
            assert codes == ["SUBREQUEST_HTTP_ERROR"]
            failed = {"subgraph": "medical", "code": "SUBREQUEST_HTTP_ERROR"}
            assert moved(before, after, "hockey_hub_router_subgraph_fetch_errors_total", **failed) >= 1
            errors = {"operation": "MetricsRoster", "code": "SUBREQUEST_HTTP_ERROR"}
            assert moved(before, after, "hockey_hub_router_errors_total", **errors) == 1
            assert (
                moved(
                    before,
                    after,
                    "hockey_hub_router_subgraph_fetch_errors_total",
                    subgraph="roster",
                    code="SUBREQUEST_HTTP_ERROR",
                )
                == 0
            )


async def test_requests_refused_before_planning_are_counted_by_code(tmp_path: Path) -> None:
    with fresh_data():
        async with running_club(
            tmp_path, max_body_bytes=2000, rate_limits=True, rate_limit_queries=1, rate_limit_window_seconds=SLOW
        ) as club:
            before = await scrape(club.router)
            # when the router is sent what is not JSON, too much, a broken document, an unknown persisted
            # query, a bad token, and a query past its rate limit (the first one is admitted)
            not_json = await club.router.post(
                "/graphql", content=b"{ not json", headers={"content-type": "application/json"}
            )
            too_large = await club.query("{ players { name } }" + " " * 3000)
            unfinished = await club.query(UNFINISHED)
            unknown_hash = await club.router.post(
                "/graphql",
                json={
                    "operationName": "MetricsByHash",
                    "extensions": {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(b"x").hexdigest()}},
                },
            )
            bad_token = await club.query(TEAM, headers={"authorization": "Bearer not-a-token"})
            admitted = await club.query(TEAM)
            limited = await club.query(TEAM)
            after = await scrape(club.router)
            # then each client got its refusal
            answers = [not_json, too_large, unfinished, unknown_hash, bad_token, admitted, limited]
            assert [response.status_code for response in answers] == [400, 413, 200, 200, 401, 200, 429]
            assert "errors" not in admitted.json()
            # and each is counted as refused under the client's code, by operation name where the request has one
            refusals = [
                ("anonymous", "BAD_REQUEST"),
                ("anonymous", "PAYLOAD_TOO_LARGE"),
                ("MetricsUnfinished", "GRAPHQL_PARSE_FAILED"),
                ("MetricsByHash", "PERSISTED_QUERY_NOT_FOUND"),
                ("MetricsTeam", "UNAUTHENTICATED"),
                ("MetricsTeam", "RATE_LIMITED"),
            ]
            for (operation, code), response in zip(refusals, [*answers[:5], limited], strict=True):
                assert response.json()["errors"][0]["extensions"]["code"] == code
                labels = {"operation": operation, "code": code}
                assert moved(before, after, "hockey_hub_router_refused_requests_total", **labels) == 1, labels
                assert moved(before, after, "hockey_hub_router_errors_total", **labels) == 1, labels
            # and among the requests and their latencies, beside the one admitted (which is not a refusal)
            expected = {"anonymous": 2, "MetricsUnfinished": 1, "MetricsByHash": 1, "MetricsTeam": 3}
            for operation, count in expected.items():
                assert moved(before, after, "hockey_hub_router_requests_total", operation=operation) == count
                latency = "hockey_hub_router_request_duration_seconds_count"
                assert moved(before, after, latency, operation=operation) == count
            refused_teams = sum(
                moved(before, after, "hockey_hub_router_refused_requests_total", operation="MetricsTeam", code=code)
                for code in ("UNAUTHENTICATED", "RATE_LIMITED")
            )
            assert refused_teams == 2


async def test_the_router_asks_for_the_metrics_token(tmp_path: Path) -> None:
    async with running_club(tmp_path, metrics_token=SecretStr("scrape-secret")) as club:
        # when Prometheus scrapes without the token or with another one, then it is refused with a challenge
        for headers in ({}, {"authorization": "Bearer another-secret"}):
            refused = await club.router.get("/metrics", headers=headers)
            assert refused.status_code == 401, headers
            assert refused.headers["www-authenticate"].startswith("Bearer ")
            assert "hockey_hub_" not in refused.text
        # and with it, it reads the router's metrics
        scraped = await club.router.get("/metrics", headers={"authorization": "Bearer scrape-secret"})
        assert scraped.status_code == 200
        assert "hockey_hub_router_requests_total" in scraped.text


async def test_a_production_router_closes_its_metrics_unless_opened(tmp_path: Path) -> None:
    async with running_club(tmp_path, mode=Mode.PRODUCTION) as club:
        refused = await club.router.get("/metrics")
        assert refused.status_code == 403
        assert "HOCKEY_HUB_METRICS_TOKEN" in refused.text
    async with running_club(tmp_path, mode=Mode.PRODUCTION, metrics_public=True) as club:
        assert (await club.router.get("/metrics")).status_code == 200
