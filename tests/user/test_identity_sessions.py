"""Sign-in sessions through GraphQL over HTTP: what the access token carries, refresh tokens that rotate
on every use and end their whole session when one is replayed, logout, and signing a user out everywhere.
Every ended session is announced in a `user.sessions_revoked` event naming the `sid`s of its tokens."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from shared.auth.principal import Role
from tests.support.graphql import GraphQLResponse
from tests.support.services import RunningService
from tests.user.factories import Club, link, make_club, make_player, make_team
from tests.user.identity_factories import (
    LOGOUT,
    ME,
    MY_SESSIONS,
    REVOKE_SESSIONS,
    bearer,
    make_account,
    refresh,
    revocations,
    run_sql,
    signed_in,
)

REVOKE_ONE = "mutation RevokeOne($id: ID!) { revokeSession(id: $id) { id isRevoked isCurrent } }"
INVALID_REFRESH = "the refresh token is invalid, expired or revoked; sign in again"


def _refused(response: GraphQLResponse) -> None:
    assert response.data is None
    assert response.error("UNAUTHENTICATED")["message"] == INVALID_REFRESH


def _timestamp(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def test_the_access_token_carries_who_the_user_is_for_fifteen_minutes(user: RunningService, club: Club) -> None:
    # given a player of a team who is also the parent of a junior of another team
    juniors = await make_team(user, organization=club.organization)
    account = await make_account(user, organization=club.organization, roles=(Role.PLAYER, Role.PARENT))
    own = await make_player(user, organization=club.organization, team=club.team, account=account.user)
    child = await make_player(user, organization=club.organization, team=juniors, first_name="Ida")
    await link(user, parent=account.user, player=child)
    # when they sign in
    before = datetime.now(UTC)
    signed = await signed_in(user, account)
    token = signed["accessToken"]
    # then the token is RS256, signed with a key the user service publishes
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "RS256"
    jwks = (await user.http.get("/.well-known/jwks.json")).json()
    assert header["kid"] in {key["kid"] for key in jwks["keys"]}
    # and it names the user, club, roles, teams, linked players and the session, for 15 minutes
    claims = await user.runtime.verifier.claims(token)
    settings = user.runtime.settings
    assert claims["sub"] == account.id
    assert claims["org"] == str(club.organization.id)
    assert claims["roles"] == ["parent", "player"]
    assert claims["teams"] == [str(club.team.id)]
    assert claims["player"] == str(own.id)
    assert claims["children"] == [str(child.id)]
    assert (claims["iss"], claims["aud"]) == (settings.jwt_issuer, settings.jwt_audience)
    assert claims["sid"] == signed["session"]["id"]
    assert claims["exp"] - claims["iat"] == 15 * 60
    assert _timestamp(signed["accessTokenExpiresAt"]) == datetime.fromtimestamp(claims["exp"], UTC)
    # and the refresh token behind it lasts a week
    refresh_expires = _timestamp(signed["refreshTokenExpiresAt"])
    assert before + timedelta(days=7) <= refresh_expires <= datetime.now(UTC) + timedelta(days=7)
    # and every token has its own id
    again = await signed_in(user, account)
    assert (await user.runtime.verifier.claims(again["accessToken"]))["jti"] != claims["jti"]


async def test_refresh_tokens_are_stored_as_digests_only(user: RunningService, club: Club) -> None:
    # given a sign-in and one refresh
    account = await make_account(user, organization=club.organization)
    first = await signed_in(user, account)
    second = (await refresh(user, first["refreshToken"])).ok()["refreshSession"]
    # then the database holds the SHA-256 digest of each refresh token, and the token itself nowhere
    async with user.engine.connect() as connection:
        stored = (await connection.exec_driver_sql("SELECT token_hash FROM refresh_tokens")).scalars().all()
        dumped = (
            (
                await connection.exec_driver_sql(
                    "SELECT string_agg(t::text, ' ') FROM (SELECT * FROM refresh_tokens) t "
                    "UNION ALL SELECT string_agg(s::text, ' ') FROM (SELECT * FROM sign_in_sessions) s"
                )
            )
            .scalars()
            .all()
        )
    tokens = (first["refreshToken"], second["refreshToken"])
    assert sorted(bytes(digest) for digest in stored) == sorted(hashlib.sha256(t.encode()).digest() for t in tokens)
    for token in tokens:
        assert all(token not in text and token.removeprefix("hhr_") not in text for text in dumped if text)


async def test_each_refresh_token_works_once_and_the_next_one_takes_over(user: RunningService, club: Club) -> None:
    # given a sign-in
    account = await make_account(user, organization=club.organization)
    signed = await signed_in(user, account)
    # when its refresh token is exchanged
    renewed = (await refresh(user, signed["refreshToken"])).ok()["refreshSession"]
    # then a new pair of the same session comes back, and the new access token works
    assert renewed["session"]["id"] == signed["session"]["id"]
    assert renewed["refreshToken"] != signed["refreshToken"]
    claims = await user.runtime.verifier.claims(renewed["accessToken"])
    assert claims["sid"] == signed["session"]["id"]
    assert (await user.graphql.execute(ME, headers=bearer(renewed["accessToken"]))).ok()["me"]["id"] == account.id
    # and the new refresh token rotates again
    third = (await refresh(user, renewed["refreshToken"])).ok()["refreshSession"]
    assert third["session"]["id"] == signed["session"]["id"]
    # and nothing was revoked along the way
    assert await revocations(user) == []


async def test_a_replayed_refresh_token_ends_its_whole_session(user: RunningService, club: Club) -> None:
    # given a user signed in on two devices, one of whose refresh tokens was copied and used by the owner
    account = await make_account(user, organization=club.organization)
    stolen = await signed_in(user, account, user_agent="laptop")
    other = await signed_in(user, account, user_agent="phone")
    newest = (await refresh(user, stolen["refreshToken"])).ok()["refreshSession"]["refreshToken"]
    # when the copy (already exchanged) is presented again
    replay = await refresh(user, stolen["refreshToken"])
    # then it is refused
    _refused(replay)
    # and the session's newest refresh token is refused too: the whole family ended
    _refused(await refresh(user, newest))
    # and verifiers are told to refuse the session's access tokens, in one event naming its sid
    [event] = await revocations(user)
    assert event["session_ids"] == [stolen["session"]["id"]]
    assert (event["user_id"], event["reason"]) == (account.id, "token_reuse")
    # and the user's other session goes on
    (await refresh(user, other["refreshToken"])).ok()


async def test_one_refresh_token_used_twice_at_once_ends_its_session(user: RunningService, club: Club) -> None:
    # given a sign-in whose refresh token was copied
    account = await make_account(user, organization=club.organization)
    signed = await signed_in(user, account)
    # when the owner and the copy's holder refresh at the same moment
    responses = await asyncio.gather(*(refresh(user, signed["refreshToken"]) for _ in range(2)))
    # then one of them gets a new pair, the other is refused
    [winner] = [response.ok()["refreshSession"] for response in responses if not response.errors]
    assert sorted(code for response in responses for code in response.codes) == ["UNAUTHENTICATED"]
    # and since the token was used twice, the session ended: the new pair's refresh token is refused too
    _refused(await refresh(user, winner["refreshToken"]))
    [event] = await revocations(user)
    assert (event["session_ids"], event["reason"]) == ([signed["session"]["id"]], "token_reuse")


async def test_an_unknown_malformed_or_expired_refresh_token_is_refused(user: RunningService, club: Club) -> None:
    account = await make_account(user, organization=club.organization)
    signed = await signed_in(user, account)
    _refused(await refresh(user, "hhr_" + "A" * 43))
    _refused(await refresh(user, "not-a-token"))
    _refused(await refresh(user, signed["accessToken"]))
    # when a week passes without a refresh
    await run_sql(user, "UPDATE refresh_tokens SET expires_at = now() - interval '1 second'")
    # then the refresh token is refused, and since it was never used twice, nothing was revoked
    _refused(await refresh(user, signed["refreshToken"]))
    assert await revocations(user) == []


async def test_logout_ends_the_current_session(user: RunningService, club: Club) -> None:
    # given a user signed in on two devices
    account = await make_account(user, organization=club.organization)
    laptop = await signed_in(user, account, user_agent="laptop")
    phone = await signed_in(user, account, user_agent="phone")
    # when they sign out on the laptop
    assert (await user.graphql.execute(LOGOUT, headers=bearer(laptop["accessToken"]))).ok() == {"logout": True}
    # then the laptop's refresh token no longer works, and the event names its session
    _refused(await refresh(user, laptop["refreshToken"]))
    [event] = await revocations(user)
    assert (event["session_ids"], event["reason"]) == ([laptop["session"]["id"]], "logout")
    # and the phone is still signed in, its session the only one listed
    sessions = (await user.graphql.execute(MY_SESSIONS, headers=bearer(phone["accessToken"]))).ok()["mySessions"]
    assert [(s["id"], s["userAgent"], s["isCurrent"]) for s in sessions] == [(phone["session"]["id"], "phone", True)]


async def test_logout_with_a_refresh_token_ends_that_session_of_ones_own_only(user: RunningService, club: Club) -> None:
    # given two users, each signed in
    account = await make_account(user, organization=club.organization)
    mine = await signed_in(user, account)
    someone = await signed_in(user, await make_account(user, organization=club.organization))
    # when the first tries to sign the other out with the other's refresh token
    response = await user.graphql.execute(
        LOGOUT, {"token": someone["refreshToken"]}, headers=bearer(mine["accessToken"])
    )
    # then nothing ends
    assert response.ok() == {"logout": False}
    (await refresh(user, someone["refreshToken"])).ok()
    # when they sign out a session of their own by its refresh token
    fresh = (await refresh(user, mine["refreshToken"])).ok()["refreshSession"]
    other = await signed_in(user, account)
    response = await user.graphql.execute(
        LOGOUT, {"token": fresh["refreshToken"]}, headers=bearer(other["accessToken"])
    )
    # then that session ends
    assert response.ok() == {"logout": True}
    _refused(await refresh(user, fresh["refreshToken"]))
    assert [event["session_ids"] for event in await revocations(user)] == [[mine["session"]["id"]]]


async def test_a_club_admin_signs_a_member_out_everywhere(user: RunningService, club: Club) -> None:
    # given a coach signed in on two devices
    coach = await make_account(user, organization=club.organization)
    devices = [await signed_in(user, coach) for _ in range(2)]
    # when the club's administrator revokes the coach's sessions
    response = await user.graphql.execute(REVOKE_SESSIONS, {"userId": coach.id}, as_=club.admin)
    # then both ended, their refresh tokens refused
    assert response.ok() == {"revokeSessions": 2}
    for device in devices:
        _refused(await refresh(user, device["refreshToken"]))
    # and one event names both sessions
    [event] = await revocations(user)
    assert sorted(event["session_ids"]) == sorted(device["session"]["id"] for device in devices)
    assert (event["user_id"], event["reason"]) == (coach.id, "revoked")
    # and the coach signs in again as before
    await signed_in(user, coach)


async def test_only_the_user_or_their_club_admin_may_revoke_their_sessions(user: RunningService, club: Club) -> None:
    # given a coach signed in, a colleague, and the administrator of another club
    coach = await make_account(user, organization=club.organization)
    device = await signed_in(user, coach)
    colleague = await make_account(user, organization=club.organization)
    other_club = await make_club(user)
    # when the colleague and the other club's administrator try
    by_colleague = await user.graphql.execute(REVOKE_SESSIONS, {"userId": coach.id}, as_=colleague.principal)
    by_stranger = await user.graphql.execute(REVOKE_SESSIONS, {"userId": coach.id}, as_=other_club.admin)
    # then the colleague is forbidden, and to the other club the user does not even exist
    assert by_colleague.data is None
    by_colleague.error("FORBIDDEN")
    assert by_stranger.data is None
    by_stranger.error("NOT_FOUND")
    # and the coach is still signed in
    assert await revocations(user) == []
    renewed = (await refresh(user, device["refreshToken"])).ok()["refreshSession"]
    # when the coach signs themselves out everywhere
    mine = await user.graphql.execute(REVOKE_SESSIONS, {"userId": coach.id}, headers=bearer(renewed["accessToken"]))
    # then that works
    assert mine.ok() == {"revokeSessions": 1}
    _refused(await refresh(user, renewed["refreshToken"]))


async def test_one_session_is_ended_by_its_owner_or_their_club_admin(user: RunningService, club: Club) -> None:
    # given a coach signed in on a laptop and a phone, a colleague, and another club's administrator
    coach = await make_account(user, organization=club.organization)
    laptop = await signed_in(user, coach, user_agent="laptop")
    phone = await signed_in(user, coach, user_agent="phone")
    colleague = await make_account(user, organization=club.organization)
    other_club = await make_club(user)
    phone_id = phone["session"]["id"]
    # when the colleague and the stranger try to end the phone's session
    by_colleague = await user.graphql.execute(REVOKE_ONE, {"id": phone_id}, as_=colleague.principal)
    by_stranger = await user.graphql.execute(REVOKE_ONE, {"id": phone_id}, as_=other_club.admin)
    # then they cannot, and the stranger does not even learn that it exists
    assert by_colleague.codes == ["FORBIDDEN"]
    assert by_stranger.codes == ["NOT_FOUND"]
    assert await revocations(user) == []
    # when the coach ends it from the laptop
    ended = await user.graphql.execute(REVOKE_ONE, {"id": phone_id}, headers=bearer(laptop["accessToken"]))
    # then the phone is signed out, the laptop not
    assert ended.ok()["revokeSession"] == {"id": phone_id, "isRevoked": True, "isCurrent": False}
    _refused(await refresh(user, phone["refreshToken"]))
    renewed = (await refresh(user, laptop["refreshToken"])).ok()["refreshSession"]
    # when the club's administrator ends the laptop's session
    by_admin = await user.graphql.execute(REVOKE_ONE, {"id": laptop["session"]["id"]}, as_=club.admin)
    # then it ends too, and each ending was announced with its sid
    assert by_admin.ok()["revokeSession"]["isRevoked"] is True
    _refused(await refresh(user, renewed["refreshToken"]))
    assert [(e["session_ids"], e["reason"]) for e in await revocations(user)] == [
        ([phone_id], "revoked"),
        ([laptop["session"]["id"]], "revoked"),
    ]


async def test_anonymous_callers_reach_only_the_sign_in_fields(user: RunningService, club: Club) -> None:
    account = await make_account(user, organization=club.organization)
    signed = await signed_in(user, account)
    # when nobody signed in tries what needs a sign-in
    attempts: list[tuple[str, dict[str, Any]]] = [
        (LOGOUT, {"token": signed["refreshToken"]}),
        (REVOKE_SESSIONS, {"userId": account.id}),
        (MY_SESSIONS, {}),
    ]
    for query, variables in attempts:
        response = await user.graphql.execute(query, variables)
        # then each is refused as unauthenticated
        assert response.codes == ["UNAUTHENTICATED"], (query, response.body)
    # and the session is untouched
    (await refresh(user, signed["refreshToken"])).ok()
