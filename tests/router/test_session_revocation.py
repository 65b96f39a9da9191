"""Ended sign-in sessions at the router: an access token whose session was revoked (logout, an admin's
revoke, a stolen refresh token) is refused at once, although its signature is good and it has not
expired; other sessions of the same user go on working.

Two ways a revocation reaches the router: the instance shared by everything in one process (what
`hockey-hub up` runs), and, with the servers, a router of its own that learns it through Redis from
another process, including a router that starts after the revocation happened."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from shared.auth.principal import Role
from shared.auth.revocation import SessionRevocations
from shared.pubsub import MemoryPubSub
from tests.router.club.harness import TOKENS, Club, fresh_data, running_club
from tests.support.backend import SuiteEnvironment
from tests.support.principals import principal
from tests.support.waiting import eventually

QUERY = "{ captain { name } }"
LIFETIME = 15 * 60


def session_token(session_id: str) -> str:
    return TOKENS.issue(principal(Role.COACH, organization_id=uuid.uuid4()), session_id=session_id)


async def status_of(club: Club, token: str) -> tuple[int, str | None]:
    response = await club.query(QUERY, headers={"authorization": f"Bearer {token}"})
    body = response.json()
    return response.status_code, (body.get("errors") or [{}])[0].get("extensions", {}).get("code")


@pytest.fixture
async def shared_process(tmp_path: Path) -> AsyncIterator[tuple[Club, SessionRevocations]]:
    revocations = SessionRevocations(MemoryPubSub())
    await revocations.start()
    with fresh_data():
        async with running_club(tmp_path, revocations=revocations) as club:
            yield club, revocations
    await revocations.close()


async def test_a_revoked_session_is_refused_and_the_users_other_sessions_are_not(
    shared_process: tuple[Club, SessionRevocations],
) -> None:
    club, revocations = shared_process
    # given two sessions of the same coach, both working (the first token is now remembered as verified)
    phone, tablet = str(uuid.uuid4()), str(uuid.uuid4())
    phone_token, tablet_token = session_token(phone), session_token(tablet)
    assert await status_of(club, phone_token) == (200, None)
    assert await status_of(club, tablet_token) == (200, None)
    # when the phone's session is revoked
    await revocations.revoke([phone], until=time.time() + LIFETIME)
    # then its token is refused at once, the tablet's still works
    assert await status_of(club, phone_token) == (401, "UNAUTHENTICATED")
    assert await status_of(club, tablet_token) == (200, None)


async def test_a_revocation_is_forgotten_once_the_sessions_tokens_have_expired(
    shared_process: tuple[Club, SessionRevocations],
) -> None:
    club, revocations = shared_process
    # given a session revoked in the past whose tokens would all have expired by now
    session = str(uuid.uuid4())
    await revocations.revoke([session], until=time.time() - 1)
    # then the record no longer matters (and a token bearing that sid is judged on its own merits)
    assert not revocations.is_revoked(session)
    assert await status_of(club, session_token(session)) == (200, None)


async def test_router_replicas_learn_revocations_through_redis(tmp_path: Path, environment: SuiteEnvironment) -> None:
    if not environment.uses_servers:
        pytest.skip("replicas share revocations through Redis, tested with the servers backend")
    redis_url = environment.settings.redis_url
    prefix = f"{environment.settings.redis_key_prefix}{uuid.uuid4().hex}:"
    user_service = SessionRevocations.connect(redis_url, prefix=prefix)
    await user_service.start()
    early, late = str(uuid.uuid4()), str(uuid.uuid4())
    try:
        # given a session revoked by another process before this router starts
        await user_service.revoke([early], until=time.time() + LIFETIME)
        with fresh_data():
            async with running_club(tmp_path, redis_url=redis_url, redis_key_prefix=prefix) as club:
                # then the router refuses it from its first request
                assert await status_of(club, session_token(early)) == (401, "UNAUTHENTICATED")
                # and a session revoked while it runs is refused as soon as the announcement arrives
                late_token = session_token(late)
                assert await status_of(club, late_token) == (200, None)
                await user_service.revoke([late], until=time.time() + LIFETIME)

                async def refused() -> bool:
                    return await status_of(club, late_token) == (401, "UNAUTHENTICATED")

                assert await eventually(refused, within=5)
    finally:
        await user_service.close()


async def test_revocations_of_a_garbled_announcement_are_ignored_not_fatal() -> None:
    pubsub = MemoryPubSub()
    listener = SessionRevocations(pubsub)
    await listener.start()
    try:
        # when something that is not a revocation arrives on the channel, then a real one
        await pubsub.publish("auth.sessions-revoked", b"not json")
        session = str(uuid.uuid4())
        await SessionRevocations(pubsub).revoke([session], until=time.time() + LIFETIME)

        # then the listener is still following and has the real one
        async def seen() -> bool:
            return listener.is_revoked(session)

        assert await eventually(seen, within=2)
    finally:
        await listener.close()
