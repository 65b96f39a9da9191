"""A session that ends takes its access token with it: after logout, an admin's revoke or a password
change, the 15-minute access token of the ended session is refused by the user service and, through
Redis, by every other service, long before it expires. Other people's sessions are untouched."""

from __future__ import annotations

import pytest

from shared.auth.principal import Role
from tests.conftest import ServiceFactory
from tests.support.graphql import GraphQLResponse
from tests.support.services import RunningService
from tests.support.waiting import eventually
from tests.user.factories import Club
from tests.user.identity_factories import LOGOUT, ME, REVOKE_SESSIONS, bearer, make_account, signed_in

MEDICAL_QUERY = "query { __typename }"


async def refused_by(service: RunningService, query: str, token: str) -> GraphQLResponse | None:
    response = await service.graphql.execute(query, headers=bearer(token))
    return response if response.status == 401 else None


async def test_logout_ends_the_access_token_of_that_session_only(user: RunningService, club: Club) -> None:
    # given a coach signed in on two devices, and another coach signed in
    coach = await make_account(user, organization=club.organization, roles=(Role.COACH,))
    other = await make_account(user, organization=club.organization, roles=(Role.COACH,))
    phone, tablet, others = await signed_in(user, coach), await signed_in(user, coach), await signed_in(user, other)
    assert (await user.graphql.execute(ME, headers=bearer(phone["accessToken"]))).ok()["me"]["id"] == coach.id
    # when the phone signs out
    response = await user.graphql.execute(
        LOGOUT, {"token": phone["refreshToken"]}, headers=bearer(phone["accessToken"])
    )
    assert response.ok()["logout"] is True
    # then the phone's access token is refused with 401 UNAUTHENTICATED, saying why
    refusal = await eventually(lambda: refused_by(user, ME, phone["accessToken"]), within=10)
    assert refusal.error("UNAUTHENTICATED")["message"] == "the sign-in session of this token has ended; sign in again"
    # and the tablet and the other coach go on working
    assert (await user.graphql.execute(ME, headers=bearer(tablet["accessToken"]))).ok()["me"]["id"] == coach.id
    assert (await user.graphql.execute(ME, headers=bearer(others["accessToken"]))).ok()["me"]["id"] == other.id


async def test_an_admin_revoking_a_users_sessions_ends_them_in_every_service(
    user: RunningService, club: Club, service: ServiceFactory
) -> None:
    if not user.runtime.settings.redis_url:
        pytest.skip("services in separate processes share revocations through Redis (servers backend)")
    medical = await service("medical")
    # given a player signed in, whose token the medical service accepts
    player = await make_account(user, organization=club.organization, roles=(Role.PLAYER,))
    admin = await make_account(user, organization=club.organization, roles=(Role.CLUB_ADMIN,))
    signed = await signed_in(user, player)
    assert (await medical.graphql.execute(MEDICAL_QUERY, headers=bearer(signed["accessToken"]))).status == 200
    # when a club admin revokes all of the player's sessions (a lost phone)
    admin_session = await signed_in(user, admin)
    revoked = await user.graphql.execute(
        REVOKE_SESSIONS, {"userId": player.id}, headers=bearer(admin_session["accessToken"])
    )
    assert revoked.ok()["revokeSessions"] == 1
    # then the medical service refuses the player's token too
    assert await eventually(lambda: refused_by(medical, MEDICAL_QUERY, signed["accessToken"]), within=10)
    # and the admin's own token still works there
    assert (await medical.graphql.execute(MEDICAL_QUERY, headers=bearer(admin_session["accessToken"]))).status == 200


async def test_deactivating_an_account_ends_its_sessions(user: RunningService, club: Club) -> None:
    # given a signed-in coach
    coach = await make_account(user, organization=club.organization, roles=(Role.COACH,))
    admin = await make_account(user, organization=club.organization, roles=(Role.CLUB_ADMIN,))
    signed = await signed_in(user, coach)
    assert (await user.graphql.execute(ME, headers=bearer(signed["accessToken"]))).status == 200
    # when a club admin deactivates the account
    deactivate = "mutation Off($id: ID!) { updateUser(id: $id, input: {isActive: false}) { isActive } }"
    admin_token = (await signed_in(user, admin))["accessToken"]
    answer = await user.graphql.execute(deactivate, {"id": coach.id}, headers=bearer(admin_token))
    assert answer.ok()["updateUser"] == {"isActive": False}
    # then the coach's access token is refused at once, not only when it expires
    assert await eventually(lambda: refused_by(user, ME, signed["accessToken"]), within=10)
