"""Signing in with email and password, through GraphQL over HTTP: the token works, every failure looks the
same, repeated failures lock the email, and old password hashes are upgraded."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import select

from shared.auth.principal import Role
from shared.database import utcnow
from shared.demo import demo_club
from subgraphs.user.demo import DEMO_PASSWORD, load_demo
from subgraphs.user.identity import repository as identity_repository
from subgraphs.user.identity.models import Credential
from subgraphs.user.identity.passwords import HASHER, hash_password
from subgraphs.user.identity.throttle import ATTEMPTS_BEFORE_LOCKOUT
from tests.support.graphql import GraphQLResponse
from tests.support.services import RunningService
from tests.user.factories import Club, make_user
from tests.user.identity_factories import (
    ME,
    MY_SESSIONS,
    PASSWORD,
    bearer,
    login,
    make_account,
    run_sql,
    without_location,
)

WRONG = "email or password is wrong"


def _refusal(response: GraphQLResponse) -> dict[str, Any]:
    assert response.status == 200
    assert response.data is None
    return response.error("UNAUTHENTICATED")


def _locked(response: GraphQLResponse) -> dict[str, Any]:
    """The lockout's refusal: its own code, the same for every email, with how long to wait."""
    assert response.status == 200
    assert response.data is None
    error = response.error("TOO_MANY_ATTEMPTS")
    assert error["message"] == "too many failed sign-ins with this email; wait before trying again"
    assert set(error["extensions"]) == {"code", "retryAfterSeconds"}
    return error


async def test_a_login_gives_a_token_the_service_accepts(user: RunningService, club: Club) -> None:
    # given a coach with a password
    coach = await make_account(user, organization=club.organization, roles=(Role.COACH,))
    # when they sign in (with the email typed differently)
    response = await login(user, f"  {coach.email.upper()} ", PASSWORD, user_agent="Rink-side tablet")
    signed = response.ok()["login"]
    # then the access token is theirs, and the user service itself accepts it
    me = (await user.graphql.execute(ME, headers=bearer(signed["accessToken"]))).ok()["me"]
    assert me == {"id": coach.id, "email": coach.email, "roles": ["COACH"]}
    assert signed["tokenType"] == "Bearer"
    assert signed["userId"] == coach.id
    assert signed["refreshToken"].startswith("hhr_")
    # and its claims name the session, the club and the roles
    claims = await user.runtime.verifier.claims(signed["accessToken"])
    assert claims["sid"] == signed["session"]["id"]
    assert claims["org"] == str(club.organization.id)
    assert claims["roles"] == ["coach"]
    assert claims["exp"] - claims["iat"] == 15 * 60
    # and the session is listed where the user sees where they are signed in
    sessions = (await user.graphql.execute(MY_SESSIONS, headers=bearer(signed["accessToken"]))).ok()["mySessions"]
    assert [(s["id"], s["isCurrent"], s["userAgent"]) for s in sessions] == [
        (signed["session"]["id"], True, "Rink-side tablet")
    ]


async def test_every_failed_login_is_the_same_error(user: RunningService, club: Club) -> None:
    # given an account with a password, one without, and a deactivated one
    coach = await make_account(user, organization=club.organization)
    never_set = await make_user(user, organization=club.organization, email=f"{uuid.uuid4().hex[:8]}@club.example")
    retired = await make_account(user, organization=club.organization)
    await run_sql(user, "UPDATE users SET is_active = false WHERE id = :id", id=retired.user.id)
    # when each fails in its own way
    wrong_password = await login(user, coach.email, PASSWORD + "x")
    unknown_email = await login(user, f"nobody-{uuid.uuid4().hex[:6]}@club.example", PASSWORD)
    no_password = await login(user, never_set.email, PASSWORD)
    inactive = await login(user, retired.email, retired.password)
    not_an_email = await login(user, "x" * 400, PASSWORD)
    # then the answers cannot be told apart
    answers = [wrong_password, unknown_email, no_password, inactive, not_an_email]
    assert {response.status for response in answers} == {200}
    assert all(without_location(r) == without_location(wrong_password) for r in answers)
    assert _refusal(wrong_password)["message"] == WRONG
    assert _refusal(wrong_password)["extensions"] == {"code": "UNAUTHENTICATED"}


async def test_an_unknown_email_costs_a_password_check_too(user: RunningService, club: Club) -> None:
    coach = await make_account(user, organization=club.organization)

    async def duration(email: str) -> float:
        started = time.perf_counter()
        _refusal(await login(user, email, "not-the-password-1"))
        return time.perf_counter() - started

    # when known and unknown emails fail (3 each, under the lockout threshold)
    known = [await duration(coach.email) for _ in range(3)]
    unknown = [await duration(f"ghost-{uuid.uuid4().hex[:6]}@club.example") for _ in range(3)]
    # then the unknown ones are not answered quicker: they verify against a dummy hash (~0.2 s)
    assert min(unknown) > 0.5 * min(known), (known, unknown)


async def test_repeated_failures_lock_the_email_and_the_lock_releases(user: RunningService, club: Club) -> None:
    # given a player who mistypes their password again and again
    player = await make_account(user, organization=club.organization, roles=(Role.PLAYER,))
    for _ in range(ATTEMPTS_BEFORE_LOCKOUT - 1):
        assert _refusal(await login(user, player.email, "wrong-password-1"))["message"] == WRONG
    # when the fifth attempt fails
    fifth = _locked(await login(user, player.email, "wrong-password-1"))
    # then the email is locked for a minute, and even the right password is refused meanwhile
    assert 55 <= fifth["extensions"]["retryAfterSeconds"] <= 60
    locked = _locked(await login(user, player.email, player.password))
    assert 0 < locked["extensions"]["retryAfterSeconds"] <= 60
    # when the minute has passed
    await run_sql(user, "UPDATE login_throttles SET locked_until = now() - interval '1 second'")
    # then the right password signs in again
    (await login(user, player.email, player.password)).ok()
    # and since that success cleared the count, four failures do not lock
    for _ in range(ATTEMPTS_BEFORE_LOCKOUT - 1):
        assert _refusal(await login(user, player.email, "wrong-password-1"))["message"] == WRONG
    (await login(user, player.email, player.password)).ok()


async def test_each_lockout_in_a_row_lasts_twice_as_long(user: RunningService, club: Club) -> None:
    player = await make_account(user, organization=club.organization, roles=(Role.PLAYER,))
    waits = []
    for _ in range(3):
        for _ in range(ATTEMPTS_BEFORE_LOCKOUT):
            response = await login(user, player.email, "wrong-password-1")
        waits.append(_locked(response)["extensions"]["retryAfterSeconds"])
        await run_sql(user, "UPDATE login_throttles SET locked_until = now() - interval '1 second'")
    assert 55 <= waits[0] <= 60
    assert 115 <= waits[1] <= 120
    assert 235 <= waits[2] <= 240


async def test_unknown_emails_lock_like_real_ones(user: RunningService, club: Club) -> None:
    # given a real account and an email without one
    coach = await make_account(user, organization=club.organization)
    ghost = f"ghost-{uuid.uuid4().hex[:6]}@club.example"
    # when both are guessed at as often
    real = [await login(user, coach.email, "guess-number-1") for _ in range(ATTEMPTS_BEFORE_LOCKOUT + 1)]
    fake = [await login(user, ghost, "guess-number-1") for _ in range(ATTEMPTS_BEFORE_LOCKOUT + 1)]
    # then the lockout tells an attacker nothing about which emails have accounts
    assert [response.codes for response in fake] == [["UNAUTHENTICATED"]] * 4 + [["TOO_MANY_ATTEMPTS"]] * 2
    assert [r.codes for r in real] == [r.codes for r in fake]
    assert [r.errors[0]["message"] for r in real] == [r.errors[0]["message"] for r in fake]


async def test_concurrent_guesses_cannot_pass_the_limit(user: RunningService, club: Club) -> None:
    # given an account
    coach = await make_account(user, organization=club.organization)
    # when eight wrong guesses arrive at once
    responses = await asyncio.gather(*(login(user, coach.email, f"guess-number-{n}") for n in range(8)))
    # then only five were checked: the fifth locked the email and the other three were refused unchecked
    assert sorted(code for response in responses for code in response.codes) == (
        ["TOO_MANY_ATTEMPTS"] * 4 + ["UNAUTHENTICATED"] * 4
    )
    # and the right password is refused too until the lock ends
    _locked(await login(user, coach.email, coach.password))


async def test_a_hash_with_old_parameters_is_upgraded_at_login(user: RunningService, club: Club) -> None:
    # given a password hashed with weaker parameters than today's
    coach = await make_account(user, organization=club.organization)
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(coach.password)
    await run_sql(user, "UPDATE credentials SET password_hash = :hash WHERE user_id = :id", hash=weak, id=coach.user.id)
    # when the user signs in
    (await login(user, coach.email, coach.password)).ok()
    # then the stored hash uses today's parameters and still verifies the same password
    async with user.runtime.sessions() as session:
        stored = await session.scalar(select(Credential.password_hash).where(Credential.user_id == coach.user.id))
    assert stored is not None
    assert stored != weak
    assert stored.startswith(f"$argon2id$v=19$m={HASHER.memory_cost},t={HASHER.time_cost},p={HASHER.parallelism}$")
    assert HASHER.verify(stored, coach.password)
    (await login(user, coach.email, coach.password)).ok()


async def test_demo_people_sign_in_with_the_demo_password(user: RunningService) -> None:
    # given the demo club, loaded in development mode
    club = demo_club()
    async with user.runtime.sessions() as session, session.begin():
        assert await load_demo(session, club)
    # then its people sign in with the documented password
    for email in ("coach@lynx.example", "medic@lynx.example", "platform@hockeyhub.example"):
        signed = (await login(user, email, DEMO_PASSWORD)).ok()["login"]
        me = (await user.graphql.execute(ME, headers=bearer(signed["accessToken"]))).ok()["me"]
        assert me["email"] == email
    # and no hash was stored in plain text
    async with user.runtime.sessions() as session:
        hashes = set(await session.scalars(select(Credential.password_hash)))
    assert len(hashes) == 1
    assert next(iter(hashes)).startswith("$argon2id$")


async def test_a_crowd_signing_in_at_once_is_served(user: RunningService, club: Club) -> None:
    # given more people than the service has database connections, all with passwords
    capacity = 2 * user.runtime.settings.database_pool_size
    hashed = await hash_password(PASSWORD)
    crowd = [
        await make_user(user, organization=club.organization, email=f"{uuid.uuid4().hex[:10]}@club.example")
        for _ in range(capacity + 4)
    ]
    async with user.runtime.sessions() as session, session.begin():
        for person in crowd:
            await identity_repository.set_password(session, person.id, hashed, utcnow())
    # when they all sign in at the same moment
    started = time.perf_counter()
    responses = await asyncio.wait_for(
        asyncio.gather(*(login(user, person.email, PASSWORD) for person in crowd)), timeout=25
    )
    # then everyone is signed in, without any of them waiting for a connection another one holds
    assert [response.ok()["login"]["userId"] for response in responses] == [str(person.id) for person in crowd]
    assert time.perf_counter() - started < 20
