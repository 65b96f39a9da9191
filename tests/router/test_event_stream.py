"""GraphQL over Server-Sent Events: for clients that cannot open a WebSocket, a POST with
`Accept: text/event-stream` streams the subscription's events, completed across subgraphs, then ends."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from shared.auth.principal import Role
from tests.router.club.harness import Club, fresh_data, running_club, token_for

GOALS = "subscription { goalScored(limit: 2) { minute scorer { name } } }"


@pytest.fixture
async def club(tmp_path: Path) -> AsyncIterator[Club]:
    with fresh_data():
        async with running_club(tmp_path) as running:
            yield running


def events(text: str) -> list[tuple[str, Any]]:
    parsed = []
    for block in text.strip().split("\n\n"):
        lines = {}
        for line in block.splitlines():
            name, _, value = line.partition(":")
            lines[name] = value.strip()
        parsed.append((lines["event"], orjson.loads(lines["data"]) if lines["data"] else None))
    return parsed


async def post(club: Club, query: str, token: str | None) -> tuple[int, str, str]:
    headers = {"accept": "text/event-stream"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    response = await club.router.post("/graphql", json={"query": query}, headers=headers)
    return response.status_code, response.headers["content-type"], response.text


async def test_a_subscription_streams_as_server_sent_events(club: Club) -> None:
    status, content_type, text = await post(club, GOALS, token_for(Role.COACH))
    assert status == 200
    assert content_type.startswith("text/event-stream")
    assert events(text) == [
        ("next", {"data": {"goalScored": {"minute": 1, "scorer": {"name": "Elias Lund"}}}}),
        ("next", {"data": {"goalScored": {"minute": 2, "scorer": {"name": "Noah Berg"}}}}),
        ("complete", None),
    ]


async def test_a_query_is_one_event_and_a_refusal_is_an_error_event(club: Club) -> None:
    _, _, answered = await post(club, "{ topScorer { name } }", token_for(Role.COACH))
    assert events(answered) == [("next", {"data": {"topScorer": {"name": "Elias Lund"}}}), ("complete", None)]
    _, _, refused = await post(club, "subscription { goalScored { nope } }", token_for(Role.COACH))
    (kind, payload), end = events(refused)
    assert kind == "next"
    assert payload["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert end == ("complete", None)


async def test_a_bad_token_is_refused_before_streaming(club: Club) -> None:
    status, _, text = await post(club, GOALS, "forged")
    assert status == 401
    assert orjson.loads(text)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
