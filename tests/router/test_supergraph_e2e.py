"""The router over the real nine subgraphs: one request for a roster with each player's medical status,
training load and season points, as the demo club's coach sees it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from hockey_hub.demo import load_demo
from hockey_hub.services import SERVICES, create_app
from router.app import create_router_app
from router.settings import RouterSettings
from shared.demo import demo_club
from subgraphs.user.service import principal_for_email
from tests.router.club.harness import serve_anywhere
from tests.support.backend import SuiteEnvironment
from tests.support.services import ServicePool

ROSTER = """
query TeamRoster($teamId: ID!, $seasonId: ID!, $from: Date!, $to: Date!) {
  team(id: $teamId) {
    name
    players {
      jerseyNumber
      fullName
      position
      medicalStatus
      activeRestrictions { kind }
      assignedWorkouts(from: $from, to: $to) { status load }
      seasonStats(seasonId: $seasonId) { skater { points } goalie { savePercentage } }
    }
  }
}
"""


@pytest.fixture
async def stack(services: ServicePool, migrated: SuiteEnvironment) -> AsyncIterator[httpx.AsyncClient]:
    settings = migrated.settings
    await load_demo(settings)
    apps, urls = [], {}
    for service in SERVICES:
        server, task, port = await serve_anywhere(create_app(service, settings), lifespan="on")
        apps.append((server, task))
        urls[service] = f"http://127.0.0.1:{port}/graphql"
    jwks_url = urls["user"].replace("/graphql", "/.well-known/jwks.json")
    router = create_router_app(RouterSettings(subgraph_urls=urls, watch_seconds=0, jwks_url=jwks_url))
    try:
        async with (
            router.router.lifespan_context(router),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=router), base_url="http://router", timeout=30
            ) as client,
        ):
            yield client
    finally:
        for server, _ in apps:
            server.should_exit = True
        await asyncio.gather(*(task for _, task in apps), return_exceptions=True)
        for service in SERVICES:
            await (await services.get(service)).truncate()


async def test_a_roster_with_medical_status_training_load_and_points_in_one_request(
    stack: httpx.AsyncClient, services: ServicePool
) -> None:
    # given the demo club and its senior coach's token
    club = demo_club()
    user = await services.get("user")
    async with user.runtime.sessions() as session:
        coach = await principal_for_email(session, "coach@lynx.example")
    senior = club.teams[0]
    variables = {
        "teamId": str(senior.id),
        "seasonId": str(club.season_id),
        "from": str(club.today - timedelta(days=14)),
        "to": str(club.today + timedelta(days=14)),
    }
    # when the coach asks the router for the roster
    response = await stack.post(
        "/graphql",
        json={"query": ROSTER, "variables": variables},
        headers={"authorization": f"Bearer {services.issuer.issue(coach)}"},
    )
    body = response.json()
    # then one answer holds what four subgraphs know about each player
    assert response.status_code == 200
    assert "errors" not in body, body["errors"]
    players = body["data"]["team"]["players"]
    assert body["data"]["team"]["name"] == senior.name
    assert len(players) == len(club.roster(senior.id))
    assert {p["medicalStatus"] for p in players} >= {"AVAILABLE", "INJURED"}
    assert any(w["load"] for p in players for w in p["assignedWorkouts"])
    skater_points = [p["seasonStats"]["skater"]["points"] for p in players if p["seasonStats"]["skater"]]
    assert sum(skater_points) > 0
    goalies = [p for p in players if p["position"] == "GOALIE"]
    assert all(g["seasonStats"]["goalie"] is not None for g in goalies)
