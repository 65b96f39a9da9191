"""Passwords through GraphQL over HTTP: changing one ends the account's other sessions; a reset link is
asked for without revealing whether the email has an account, works once for an hour, and ends every
session."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from shared.auth.principal import Role
from subgraphs.user.identity.throttle import ATTEMPTS_BEFORE_LOCKOUT
from tests.support.graphql import GraphQLResponse
from tests.support.services import RunningService
from tests.user.factories import Club
from tests.user.identity_factories import (
    CHANGE_PASSWORD,
    PASSWORD,
    REQUEST_RESET,
    RESET,
    Account,
    bearer,
    events_of,
    login,
    make_account,
    refresh,
    revocations,
    run_sql,
    signed_in,
)

NEW_PASSWORD = "slapshot-From-the-point-7"
INVALID_RESET = "the reset link is invalid, used or expired; ask for a new one"


def _invalid(response: GraphQLResponse, field: str) -> dict[str, Any]:
    assert response.data is None
    error = response.error("BAD_USER_INPUT")
    assert error["extensions"]["field"] == field
    return error


async def _change(user: RunningService, access_token: str, current: str, new: str) -> GraphQLResponse:
    return await user.graphql.execute(CHANGE_PASSWORD, {"current": current, "new": new}, headers=bearer(access_token))


async def _reset_link(user: RunningService, account: Account) -> str:
    """Asks for a reset link as the account's owner would, and reads the token the event carries."""
    assert (await user.graphql.execute(REQUEST_RESET, {"email": account.email})).ok() == {"requestPasswordReset": True}
    token: str = (await events_of(user, "user.password_reset_requested"))[-1]["token"]
    return token


async def test_changing_the_password_ends_the_other_sessions(user: RunningService, club: Club) -> None:
    # given a coach signed in on a laptop and a phone
    coach = await make_account(user, organization=club.organization)
    laptop = await signed_in(user, coach, user_agent="laptop")
    phone = await signed_in(user, coach, user_agent="phone")
    # when they change their password on the laptop
    response = await _change(user, laptop["accessToken"], PASSWORD, NEW_PASSWORD)
    # then it is changed: the new password signs in, the old one no longer does
    assert response.ok() == {"changePassword": True}
    assert (await login(user, coach.email, PASSWORD)).codes == ["UNAUTHENTICATED"]
    (await login(user, coach.email, NEW_PASSWORD)).ok()
    # and the phone's session ended, the laptop's goes on
    assert (await refresh(user, phone["refreshToken"])).codes == ["UNAUTHENTICATED"]
    (await refresh(user, laptop["refreshToken"])).ok()
    [event] = await revocations(user)
    assert (event["session_ids"], event["reason"]) == ([phone["session"]["id"]], "password_change")


async def test_a_password_change_needs_the_current_password_and_a_strong_new_one(
    user: RunningService, club: Club
) -> None:
    coach = await make_account(user, organization=club.organization)
    signed = await signed_in(user, coach)
    other = await signed_in(user, coach)
    token = signed["accessToken"]
    # when the current password is wrong, or the new one weak or unchanged
    wrong = await _change(user, token, "not-my-password-1", NEW_PASSWORD)
    weak = await _change(user, token, PASSWORD, "password1!")
    same = await _change(user, token, PASSWORD, PASSWORD)
    # then each names its field, and nothing changed
    assert _invalid(wrong, "currentPassword")["message"] == "the current password is wrong"
    assert "attacker" in _invalid(weak, "newPassword")["message"]
    assert _invalid(same, "newPassword")["message"] == "the new password must differ from the current one"
    (await login(user, coach.email, PASSWORD)).ok()
    (await refresh(user, other["refreshToken"])).ok()
    assert await revocations(user) == []
    # and someone not signed in cannot change a password at all
    nobody = await user.graphql.execute(CHANGE_PASSWORD, {"current": PASSWORD, "new": NEW_PASSWORD})
    assert nobody.codes == ["UNAUTHENTICATED"]


async def test_guessing_the_current_password_counts_towards_the_lockout(user: RunningService, club: Club) -> None:
    # given a session someone else got hold of
    coach = await make_account(user, organization=club.organization)
    token = (await signed_in(user, coach))["accessToken"]
    # when they guess the current password to take the account over
    guesses = [await _change(user, token, f"guess-number-{n}", NEW_PASSWORD) for n in range(ATTEMPTS_BEFORE_LOCKOUT)]
    # then the guesses lock the email like failed logins do
    assert [response.codes for response in guesses] == [["BAD_USER_INPUT"]] * 4 + [["TOO_MANY_ATTEMPTS"]]
    assert guesses[-1].errors[0]["extensions"]["field"] == "currentPassword"
    right = await _change(user, token, PASSWORD, NEW_PASSWORD)
    assert right.codes == ["TOO_MANY_ATTEMPTS"]
    assert 0 < right.errors[0]["extensions"]["retryAfterSeconds"] <= 60
    assert (await login(user, coach.email, PASSWORD)).codes == ["TOO_MANY_ATTEMPTS"]


async def test_asking_for_a_reset_answers_the_same_for_any_email(user: RunningService, club: Club) -> None:
    # given a player with an account
    player = await make_account(user, organization=club.organization, roles=(Role.PLAYER,))
    # when a reset is asked for an unknown email, and for the player's (typed differently)
    unknown = await user.graphql.execute(REQUEST_RESET, {"email": f"ghost-{uuid.uuid4().hex[:6]}@club.example"})
    known = await user.graphql.execute(REQUEST_RESET, {"email": f" {player.email.upper()}"})
    # then both answer true, the same way
    assert unknown.body == known.body == {"data": {"requestPasswordReset": True}}
    # and only the player's account gets a link, in one event
    [event] = await events_of(user, "user.password_reset_requested")
    assert (event["user_id"], event["email"]) == (player.id, player.email)
    assert event["token"].startswith("hhp_")
    # and asking again at once sends no second link (nobody's inbox is flooded through us)
    await user.graphql.execute(REQUEST_RESET, {"email": player.email})
    assert len(await events_of(user, "user.password_reset_requested")) == 1


async def test_a_reset_link_sets_a_new_password_once_and_ends_every_session(user: RunningService, club: Club) -> None:
    # given a player signed in on two devices who forgot their password
    player = await make_account(user, organization=club.organization, roles=(Role.PLAYER,))
    devices = [await signed_in(user, player) for _ in range(2)]
    token = await _reset_link(user, player)
    # when a weak password is chosen first
    weak = await user.graphql.execute(RESET, {"token": token, "new": "hockey12345"})
    # then it is refused, and the link still works
    _invalid(weak, "newPassword")
    # when a strong one is chosen
    reset = await user.graphql.execute(RESET, {"token": token, "new": NEW_PASSWORD})
    # then the password is changed and every session ended, in one event naming them all
    assert reset.ok() == {"resetPassword": True}
    (await login(user, player.email, NEW_PASSWORD)).ok()
    assert (await login(user, player.email, PASSWORD)).codes == ["UNAUTHENTICATED"]
    for device in devices:
        assert (await refresh(user, device["refreshToken"])).codes == ["UNAUTHENTICATED"]
    [event] = await revocations(user)
    assert sorted(event["session_ids"]) == sorted(device["session"]["id"] for device in devices)
    assert event["reason"] == "password_reset"
    # and the link does not work a second time
    again = await user.graphql.execute(RESET, {"token": token, "new": "another-Strong-pass-9"})
    assert _invalid(again, "token")["message"] == INVALID_RESET
    (await login(user, player.email, NEW_PASSWORD)).ok()


async def test_a_reset_link_expires_after_an_hour(user: RunningService, club: Club) -> None:
    # given a reset link, which says it ends an hour after it was asked for
    player = await make_account(user, organization=club.organization, roles=(Role.PLAYER,))
    asked = datetime.now(UTC)
    token = await _reset_link(user, player)
    [event] = await events_of(user, "user.password_reset_requested")
    ends = datetime.fromisoformat(event["expires_at"])
    assert asked + timedelta(hours=1) <= ends <= datetime.now(UTC) + timedelta(hours=1)
    # when the hour has passed
    await run_sql(user, "UPDATE password_reset_tokens SET expires_at = now() - interval '1 second'")
    # then the link is refused, and the password stays as it was
    response = await user.graphql.execute(RESET, {"token": token, "new": NEW_PASSWORD})
    assert _invalid(response, "token")["message"] == INVALID_RESET
    (await login(user, player.email, PASSWORD)).ok()


async def test_a_forged_reset_token_is_refused(user: RunningService, club: Club) -> None:
    player = await make_account(user, organization=club.organization, roles=(Role.PLAYER,))
    await _reset_link(user, player)
    for forged in ("hhp_" + "A" * 43, "nonsense", ""):
        response = await user.graphql.execute(RESET, {"token": forged, "new": NEW_PASSWORD})
        assert _invalid(response, "token")["message"] == INVALID_RESET
    (await login(user, player.email, PASSWORD)).ok()


async def test_a_password_reset_lifts_a_lockout(user: RunningService, club: Club) -> None:
    # given an email locked by someone guessing
    player = await make_account(user, organization=club.organization, roles=(Role.PLAYER,))
    for _ in range(ATTEMPTS_BEFORE_LOCKOUT):
        await login(user, player.email, "guess-number-1")
    assert (await login(user, player.email, PASSWORD)).codes == ["TOO_MANY_ATTEMPTS"]
    # when the owner resets the password through the link sent to them
    token = await _reset_link(user, player)
    (await user.graphql.execute(RESET, {"token": token, "new": NEW_PASSWORD})).ok()
    # then they sign in at once
    (await login(user, player.email, NEW_PASSWORD)).ok()
