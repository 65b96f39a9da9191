"""Rate limits at the router: token buckets per user (per client address when anonymous), per operation type
and in estimated cost, stricter for sign-in and password-reset operations; shared by router replicas through
Redis, exactly, under concurrent requests; a refusal is HTTP 429 with `Retry-After`, the `RateLimit-*`
headers and `RATE_LIMITED`; operations started over a WebSocket spend the same budgets."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis
from starlette.applications import Starlette
from websockets.asyncio.client import connect

from router.app import create_router_app
from router.settings import RouterSettings
from shared.auth.principal import Role
from shared.settings import Mode
from tests.router.club.harness import fresh_data, running_club, serve_anywhere, token_for
from tests.support.backend import SuiteEnvironment
from tests.support.live import receive, send

PLAYERS = "{ players { name } }"
"""Cost 20: a list of (by assumption) 20 players."""
TEAM = '{ team(id: "t1") { name } }'
"""Cost 1."""
TEAMS_OF_PLAYERS = "{ players { team { name } } }"
"""Cost 40: 20 players and a team for each."""
RENAME = 'mutation { renamePlayer(id: "p1", name: "Elias Lund") { name } }'
PROJECT_SUPERGRAPH = Path(__file__).resolve().parents[2] / "schema" / "supergraph.graphql"
OPERATIONS = PROJECT_SUPERGRAPH.with_name("operations")
SLOW = 3600.0
"""A window so long that no token comes back while a test runs."""


def bearer(*roles: Role) -> dict[str, str]:
    return {"authorization": f"Bearer {token_for(*roles)}"}


def code(response: httpx.Response) -> str | None:
    errors = response.json().get("errors") or [{}]
    return str(errors[0].get("extensions", {}).get("code")) if errors[0] else None


@contextlib.asynccontextmanager
async def replica(settings: RouterSettings) -> AsyncIterator[httpx.AsyncClient]:
    """One more router app with the same settings, as another replica behind the same load balancer."""
    app: Starlette = create_router_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://router", timeout=30) as client,
    ):
        yield client


async def post(client: httpx.AsyncClient, query: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return await client.post("/graphql", json={"query": query}, headers=headers)


def redis_settings(environment: SuiteEnvironment) -> dict[str, Any]:
    if not environment.uses_servers:
        pytest.skip("replicas share budgets through Redis, tested with the servers backend")
    return {
        "redis_url": environment.settings.redis_url,
        "redis_key_prefix": f"{environment.settings.redis_key_prefix}{uuid.uuid4().hex}:",
    }


async def test_two_replicas_sharing_redis_hold_the_limit_exactly(tmp_path: Path, environment: SuiteEnvironment) -> None:
    # given two router replicas sharing one Redis, and a user allowed 10 queries
    limit = 10
    shared = redis_settings(environment)
    with fresh_data():
        async with (
            running_club(
                tmp_path, rate_limits=True, rate_limit_queries=limit, rate_limit_window_seconds=SLOW, **shared
            ) as club,
            replica(club.app.state.settings) as other,
        ):
            headers = bearer(Role.COACH)
            # when the user sends 40 queries at once, half to each replica
            responses = await asyncio.gather(
                *(post(club.router if i % 2 else other, PLAYERS, headers) for i in range(40))
            )
            # then exactly 10 are answered and every other one is refused, whichever replica it reached
            statuses = sorted(response.status_code for response in responses)
            assert statuses == [200] * limit + [429] * (40 - limit)
            for response in responses:
                if response.status_code == 429:
                    assert code(response) == "RATE_LIMITED"
                    assert int(response.headers["retry-after"]) >= 1
                    assert response.headers["ratelimit-limit"] == str(limit)
                    assert response.headers["ratelimit-remaining"] == "0"
                else:
                    assert "errors" not in response.json()
            # and the budget stays spent on both replicas
            assert (await post(club.router, TEAM, headers)).status_code == 429
            assert (await post(other, TEAM, headers)).status_code == 429
    # and the buckets were Redis's (hashes under the router's prefix), not either process's
    redis = Redis.from_url(shared["redis_url"])
    try:
        keys = [key.decode() async for key in redis.scan_iter(match=f"{shared['redis_key_prefix']}router:rl:*")]
        assert [key for key in keys if ":query:user:" in key], keys
        await redis.delete(*keys)
    finally:
        await redis.aclose()


async def test_one_router_in_memory_holds_the_limit_exactly(tmp_path: Path) -> None:
    # given a router without Redis, and a user allowed 8 queries
    with fresh_data():
        async with running_club(
            tmp_path, rate_limits=True, rate_limit_queries=8, rate_limit_window_seconds=SLOW
        ) as club:
            headers = bearer(Role.COACH)
            # when 30 queries arrive at once
            responses = await asyncio.gather(*(post(club.router, TEAM, headers) for _ in range(30)))
            # then 8 are answered, the rest refused
            assert sorted(r.status_code for r in responses) == [200] * 8 + [429] * 22


async def test_the_headers_count_down_and_a_refusal_says_when_to_come_back(tmp_path: Path) -> None:
    # given 3 queries a minute
    with fresh_data():
        async with running_club(tmp_path, rate_limits=True, rate_limit_queries=3, rate_limit_window_seconds=60) as club:
            headers = bearer(Role.COACH)
            remaining = []
            for _ in range(3):
                response = await post(club.router, TEAM, headers)
                assert response.status_code == 200
                assert response.headers["ratelimit-limit"] == "3"
                remaining.append(int(response.headers["ratelimit-remaining"]))
                assert 0 < int(response.headers["ratelimit-reset"]) <= 60
            # then the remaining count goes down with each query
            assert remaining == [2, 1, 0]
            # and the fourth is refused, told to come back when one query has refilled (60 / 3 s)
            refused = await post(club.router, TEAM, headers)
            assert refused.status_code == 429
            assert 1 <= int(refused.headers["retry-after"]) <= 20
            assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
            assert refused.json()["errors"][0]["extensions"]["retryAfterSeconds"] == int(refused.headers["retry-after"])
            assert "data" not in refused.json()
            # and nothing of the refused request reached a subgraph
            club.clear()
            await post(club.router, PLAYERS, headers)
            assert all(not log for log in club.requests.values())


async def test_each_user_has_a_budget_of_their_own(tmp_path: Path) -> None:
    with fresh_data():
        async with running_club(
            tmp_path, rate_limits=True, rate_limit_queries=2, rate_limit_window_seconds=SLOW
        ) as club:
            coach, medic = bearer(Role.COACH), bearer(Role.MEDICAL_STAFF)
            # given a coach who spent their budget
            assert [(await post(club.router, TEAM, coach)).status_code for _ in range(3)] == [200, 200, 429]
            # then another user is not held back by it, nor is an anonymous caller
            assert (await post(club.router, TEAM, medic)).status_code == 200
            assert (await post(club.router, TEAM)).status_code == 200


async def test_anonymous_callers_count_by_address_and_only_trusted_proxies_may_say_which(tmp_path: Path) -> None:
    # given a router that trusts no proxy: X-Forwarded-For is the client's own word, and ignored
    with fresh_data():
        async with running_club(
            tmp_path, rate_limits=True, rate_limit_queries=2, rate_limit_window_seconds=SLOW
        ) as club:
            statuses = [
                (await post(club.router, TEAM, {"x-forwarded-for": f"203.0.113.{i}"})).status_code for i in range(3)
            ]
            assert statuses == [200, 200, 429]
    # given a router behind a proxy it trusts (the test client's address, 127.0.0.1)
    with fresh_data():
        async with running_club(
            tmp_path,
            rate_limits=True,
            rate_limit_queries=2,
            rate_limit_window_seconds=SLOW,
            trusted_proxies={"127.0.0.0/8"},
        ) as club:
            # then each client the proxy names has its own budget
            first = [(await post(club.router, TEAM, {"x-forwarded-for": "203.0.113.7"})).status_code for _ in range(3)]
            assert first == [200, 200, 429]
            assert (await post(club.router, TEAM, {"x-forwarded-for": "203.0.113.8"})).status_code == 200
            # and what a client wrote to the left of the proxy's entry changes nothing
            spoofed = {"x-forwarded-for": "198.51.100.1, 203.0.113.7"}
            assert (await post(club.router, TEAM, spoofed)).status_code == 429


async def test_budgets_differ_by_operation_type(tmp_path: Path) -> None:
    # given 2 mutations and 50 queries per window
    with fresh_data():
        async with running_club(
            tmp_path,
            rate_limits=True,
            rate_limit_queries=50,
            rate_limit_mutations=2,
            rate_limit_window_seconds=SLOW,
        ) as club:
            headers = bearer(Role.COACH)
            # when a user runs three mutations, the third is refused with the mutation budget's figures
            statuses = [(await post(club.router, RENAME, headers)).status_code for _ in range(3)]
            assert statuses == [200, 200, 429]
            refused = await post(club.router, RENAME, headers)
            assert refused.headers["ratelimit-limit"] == "2"
            # and queries still go through
            answered = await post(club.router, TEAM, headers)
            assert answered.status_code == 200
            assert answered.headers["ratelimit-limit"] == "50"


async def test_a_cost_budget_charges_expensive_operations_more(tmp_path: Path) -> None:
    # given a budget of 100 cost units a window (and a cost limit that fits it)
    with fresh_data():
        async with running_club(
            tmp_path, rate_limits=True, rate_limit_cost=100, max_cost=100, rate_limit_window_seconds=SLOW
        ) as club:
            headers = bearer(Role.COACH)
            # when a user runs an operation costing 40 three times
            statuses = [(await post(club.router, TEAMS_OF_PLAYERS, headers)).status_code for _ in range(3)]
            # then the third does not fit what is left (20)
            assert statuses == [200, 200, 429]
            # and cheap operations (cost 1) still fit, 20 of them, not one more
            cheap = [(await post(club.router, TEAM, headers)).status_code for _ in range(21)]
            assert cheap == [200] * 20 + [429]
            # while another user's budget is whole
            assert (await post(club.router, TEAMS_OF_PLAYERS, bearer(Role.MEDICAL_STAFF))).status_code == 200


async def test_sensitive_operations_have_stricter_budgets_per_address_and_per_account(tmp_path: Path) -> None:
    # given `search` treated as a sign-in operation (the club has no `login`), whose `text` names the account
    with fresh_data():
        async with running_club(
            tmp_path,
            rate_limits=True,
            sensitive_operations={"search"},
            sensitive_identifier_arguments={"text"},
            rate_limit_sensitive_per_address=4,
            rate_limit_sensitive_per_identifier=2,
            trusted_proxies={"127.0.0.0/8"},
        ) as club:
            first = {"x-forwarded-for": "203.0.113.1"}

            async def sign_in(account: str, headers: dict[str, str]) -> int:
                query = "query($who: String!) { search(text: $who) { __typename } }"
                response = await club.router.post(
                    "/graphql", json={"query": query, "variables": {"who": account}}, headers=headers
                )
                return response.status_code

            # when one address tries one account three times, the third try is refused
            assert [await sign_in("coach@lynx.example", first) for _ in range(3)] == [200, 200, 429]
            # and other addresses trying that account are refused too
            assert await sign_in("COACH@lynx.example ", {"x-forwarded-for": "203.0.113.2"}) == 429
            # while the first address may still try other accounts, up to its own budget of 4
            assert [await sign_in(f"player{i}@lynx.example", first) for i in range(3)] == [200, 200, 429]
            # and ordinary queries from that address are not held back
            assert (await post(club.router, PLAYERS, first)).status_code == 200


async def test_the_default_sensitive_operations_are_sign_in_and_password_reset() -> None:
    assert RouterSettings().sensitive_operations == {
        "login",
        "refreshSession",
        "requestPasswordReset",
        "resetPassword",
        "acceptInvitation",
    }


async def test_rate_limits_are_on_in_production_and_off_in_development() -> None:
    assert not RouterSettings().rate_limits_enabled
    assert RouterSettings(mode=Mode.PRODUCTION).rate_limits_enabled
    assert not RouterSettings(mode=Mode.PRODUCTION, rate_limits=False).rate_limits_enabled


async def test_a_router_whose_redis_is_down_still_limits_in_its_own_memory(tmp_path: Path) -> None:
    # given a Redis URL nothing answers at
    with fresh_data():
        async with running_club(
            tmp_path,
            rate_limits=True,
            rate_limit_queries=2,
            rate_limit_window_seconds=SLOW,
            redis_url="redis://127.0.0.1:9/0",
        ) as club:
            headers = bearer(Role.COACH)
            # then requests are answered, and still limited
            assert [(await post(club.router, TEAM, headers)).status_code for _ in range(3)] == [200, 200, 429]


def test_a_cost_budget_smaller_than_one_allowed_operation_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="rate_limit_cost"):
        RouterSettings(rate_limit_cost=50, max_cost=100)


# -- Sign-in and password reset on the project's own supergraph ----------------------------------------------


@contextlib.asynccontextmanager
async def project_router(**overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A router over the project's supergraph behind a trusted proxy; operations run as dry runs (plans only:
    no subgraph needs to run, and the rate limits are checked before the plan is returned)."""
    settings = RouterSettings(
        supergraph=PROJECT_SUPERGRAPH,
        watch_seconds=0,
        jwks_url="http://127.0.0.1:9/jwks",
        rate_limits=True,
        trusted_proxies={"127.0.0.0/8"},
        **overrides,
    )
    async with replica(settings) as client:
        yield client


async def dry_run(client: httpx.AsyncClient, operation: str, variables: dict[str, Any], address: str) -> httpx.Response:
    return await client.post(
        "/graphql",
        json={"query": (OPERATIONS / "signin" / f"{operation}.graphql").read_text(), "variables": variables},
        headers={"hockey-hub-query-plan": "dry-run", "x-forwarded-for": address},
    )


async def test_guessing_one_accounts_password_is_stopped_from_any_number_of_addresses() -> None:
    async with project_router() as router:
        # when someone tries one account's password from a new address each time
        attempts = [
            (
                await dry_run(
                    router, "Login", {"email": "coach@lynx.example", "password": f"guess{i}"}, f"203.0.113.{i}"
                )
            ).status_code
            for i in range(11)
        ]
        # then the account's budget (10 per 5 minutes) stops them, whatever the address
        assert attempts == [200] * 10 + [429]
        # and a password reset for that account (whatever the case of its email) spends from the same budget
        reset = await dry_run(router, "RequestPasswordReset", {"email": " Coach@Lynx.example"}, "198.51.100.9")
        assert reset.status_code == 429
        assert reset.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        # while another account can still sign in
        other = await dry_run(router, "Login", {"email": "medic@lynx.example", "password": "x"}, "198.51.100.9")
        assert other.status_code == 200


async def test_one_address_trying_many_accounts_is_stopped() -> None:
    async with project_router() as router:
        # when one address tries a different account each time
        attempts = [
            (
                await dry_run(router, "Login", {"email": f"u{i}@lynx.example", "password": "x"}, "203.0.113.5")
            ).status_code
            for i in range(21)
        ]
        # then the address's budget for sign-in (20 per 5 minutes) stops it
        assert attempts == [200] * 20 + [429]
        # and reset tokens cannot be guessed from it either
        reset = await dry_run(router, "ResetPassword", {"token": "guess", "newPassword": "x" * 12}, "203.0.113.5")
        assert reset.status_code == 429
        # while other addresses are not held back
        fresh = await dry_run(router, "Login", {"email": "u0@lynx.example", "password": "y"}, "203.0.113.6")
        assert fresh.status_code == 200


async def test_operations_started_over_a_websocket_spend_the_same_budgets(tmp_path: Path) -> None:
    # given 2 subscriptions a window for each user, over a real socket
    with fresh_data():
        async with running_club(
            tmp_path, rate_limits=True, rate_limit_subscriptions=2, rate_limit_window_seconds=SLOW
        ) as club:
            server, task, port = await serve_anywhere(club.app)
            try:
                async with connect(f"ws://127.0.0.1:{port}/graphql", subprotocols=["graphql-transport-ws"]) as socket:  # type: ignore[list-item]
                    await send(socket, "connection_init", payload={"Authorization": f"Bearer {token_for(Role.COACH)}"})
                    assert (await receive(socket))["type"] == "connection_ack"
                    goals = {"query": "subscription { goalScored(limit: 1) { minute } }"}
                    # when the same user starts three subscriptions
                    for started in ("first", "second"):
                        await send(socket, "subscribe", started, goals)
                        assert (await receive(socket))["type"] == "next"
                        assert await receive(socket) == {"type": "complete", "id": started}
                    await send(socket, "subscribe", "third", goals)
                    # then the third is refused with the code HTTP uses, and the socket stays open
                    refused = await receive(socket)
                    assert (refused["type"], refused["id"]) == ("error", "third")
                    assert refused["payload"][0]["extensions"]["code"] == "RATE_LIMITED"
                    assert refused["payload"][0]["extensions"]["retryAfterSeconds"] > 0
                    await send(socket, "ping")
                    assert await receive(socket) == {"type": "pong"}
            finally:
                server.should_exit = True
                await task
