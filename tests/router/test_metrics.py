"""GET /metrics on the router: operations by name with latency and error codes, and every subgraph fetch
with its latency and failures, in the Prometheus text format (parsed here as Prometheus would)."""

from __future__ import annotations

from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.router.club.harness import fresh_data, running_club

ROSTER_WITH_STATUS = "query MetricsRoster { players { name status } }"
UNKNOWN_FIELD = "query MetricsShoeSizes { players { shoeSize } }"

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
