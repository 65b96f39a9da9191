"""Rate limits while Redis is down follow the configured policy (`rate_limit_redis_down`): count in the
router's memory (the default), admit uncounted ("open"), or refuse with 503 `RATE_LIMIT_UNAVAILABLE`
("closed"); and shared counting resumes once Redis is back."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest

from shared.auth.principal import Role
from tests.router.club.harness import fresh_data, running_club
from tests.router.test_rate_limits import SLOW, TEAM, bearer, code, post
from tests.support.backend import REDIS_URL, SuiteEnvironment
from tests.support.tcp_proxy import TcpProxy

NOWHERE = "redis://127.0.0.1:9/0"
"""A Redis URL nothing answers at."""


@pytest.mark.parametrize(
    ("policy", "statuses", "codes"),
    [
        pytest.param("memory", [200, 200, 429], [None, None, "RATE_LIMITED"], id="memory"),
        pytest.param("open", [200, 200, 200], [None, None, None], id="open"),
        pytest.param("closed", [503, 503, 503], ["RATE_LIMIT_UNAVAILABLE"] * 3, id="closed"),
    ],
)
async def test_while_redis_is_down_rate_limits_follow_the_configured_policy(
    tmp_path: Path, policy: str, statuses: list[int], codes: list[str | None]
) -> None:
    # given a router allowed 2 queries per user, whose Redis is down, with the policy under test
    with fresh_data():
        async with running_club(
            tmp_path,
            rate_limits=True,
            rate_limit_queries=2,
            rate_limit_window_seconds=SLOW,
            redis_url=NOWHERE,
            rate_limit_redis_down=policy,
        ) as club:
            headers = bearer(Role.COACH)
            # when one user sends three queries
            answers = [await post(club.router, TEAM, headers) for _ in range(3)]
            # then each is answered as the policy says
            assert [answer.status_code for answer in answers] == statuses
            assert [code(answer) for answer in answers] == codes
            # and an uncounted answer says no budget, a refused request reaches no subgraph
            counted = ["ratelimit-limit" in answer.headers for answer in answers]
            assert counted == [policy == "memory"] * 3
            reached = sum(len(requests) for requests in club.requests.values())
            assert reached == {"memory": 2, "open": 3, "closed": 0}[policy]


def test_the_default_policy_counts_in_memory() -> None:
    from router.settings import RouterSettings

    assert RouterSettings().rate_limit_redis_down == "memory"


async def test_a_closed_policy_refuses_during_an_outage_only(tmp_path: Path, environment: SuiteEnvironment) -> None:
    if not environment.uses_servers:
        pytest.skip("a Redis outage needs Redis (servers backend)")
    host, port = REDIS_URL.removeprefix("redis://").split("/")[0].split(":")
    proxy = TcpProxy(host, int(port))
    await proxy.restore()
    try:
        with fresh_data():
            async with running_club(
                tmp_path,
                rate_limits=True,
                rate_limit_queries=100,
                rate_limit_window_seconds=SLOW,
                redis_url=f"redis://127.0.0.1:{proxy.port}/0",
                redis_key_prefix=f"{environment.settings.redis_key_prefix}{uuid.uuid4().hex}:",
                rate_limit_redis_down="closed",
            ) as club:
                headers = bearer(Role.COACH)
                # given Redis counts the requests
                counted = await post(club.router, TEAM, headers)
                assert (counted.status_code, counted.headers["ratelimit-remaining"]) == (200, "99")
                # when Redis goes down, then requests are refused with a code saying why
                await proxy.cut()
                refused = await post(club.router, TEAM, headers)
                assert (refused.status_code, code(refused)) == (503, "RATE_LIMIT_UNAVAILABLE")
                # when it is back, then counting resumes where Redis left it (after the breaker's pause)
                await proxy.restore()
                await asyncio.sleep(5.2)
                resumed = await post(club.router, TEAM, headers)
                assert (resumed.status_code, resumed.headers["ratelimit-remaining"]) == (200, "98")
    finally:
        await proxy.cut()
