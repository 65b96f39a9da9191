"""Invitations through GraphQL over HTTP: a club administrator invites, the invited person accepts with a
password and is signed in; the link works once and for a week; coaches cannot invite, and no invitation
reaches into another club."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.support.graphql import GraphQLResponse
from tests.support.services import RunningService
from tests.user.factories import Club, make_club, make_player, make_user
from tests.user.identity_factories import (
    ACCEPT,
    INVITE,
    ME,
    PASSWORD,
    PENDING,
    bearer,
    login,
    run_sql,
)

INVALID_INVITATION = "the invitation is invalid, used or expired; ask the club for a new one"


def _email() -> str:
    return f"new-{uuid.uuid4().hex[:8]}@club.example"


async def _invite(user: RunningService, club: Club, **fields: Any) -> dict[str, Any]:
    response = await user.graphql.execute(INVITE, {"input": fields}, as_=club.admin)
    payload: dict[str, Any] = response.ok()["inviteUser"]
    return payload


async def _accept(user: RunningService, token: str, password: str = PASSWORD, **names: str) -> GraphQLResponse:
    """Accepted by someone not signed in, as the invited person is."""
    return await user.graphql.execute(ACCEPT, {"input": {"token": token, "password": password, **names}})


def _invalid(response: GraphQLResponse, field: str) -> dict[str, Any]:
    assert response.data is None
    error = response.error("BAD_USER_INPUT")
    assert error["extensions"]["field"] == field
    return error


async def test_an_invited_coach_accepts_with_a_password_and_is_signed_in(user: RunningService, club: Club) -> None:
    # given the club administrator invites a coach for the club's team
    email = _email()
    invited = await _invite(
        user, club, email=email.upper(), firstName="Maja", lastName="Holm", teamId=str(club.team.id), teamRole="COACH"
    )
    assert invited["token"].startswith("hhi_")
    assert invited["invitation"]["email"] == email
    assert invited["invitation"]["roles"] == ["COACH"]
    assert (await user.graphql.execute(PENDING, as_=club.admin)).ok()["pendingInvitations"] == [
        {"email": email, "roles": ["COACH"], "isAccepted": False}
    ]
    # when the coach accepts it with a password
    signed = (await _accept(user, invited["token"])).ok()["acceptInvitation"]
    # then they are signed in as the new account, a coach of the team
    me = (await user.graphql.execute(ME, headers=bearer(signed["accessToken"]))).ok()["me"]
    assert me == {"id": signed["userId"], "email": email, "roles": ["COACH"]}
    claims = await user.runtime.verifier.claims(signed["accessToken"])
    assert (claims["org"], claims["teams"], claims["sid"]) == (
        str(club.organization.id),
        [str(club.team.id)],
        signed["session"]["id"],
    )
    # and from now on they sign in with that password
    (await login(user, email, PASSWORD)).ok()
    # and the invitation is no longer pending
    assert (await user.graphql.execute(PENDING, as_=club.admin)).ok()["pendingInvitations"] == []


async def test_an_invitation_works_once(user: RunningService, club: Club) -> None:
    invited = await _invite(user, club, email=_email(), roles=["EQUIPMENT_MANAGER"], firstName="Ola", lastName="Ek")
    (await _accept(user, invited["token"])).ok()
    # when the link is used again (with another password)
    again = await _accept(user, invited["token"], "another-Strong-pass-9")
    # then it is refused, and the first password still holds
    assert _invalid(again, "token")["message"] == INVALID_INVITATION
    (await login(user, invited["invitation"]["email"], PASSWORD)).ok()


async def test_an_invitation_expires_after_a_week(user: RunningService, club: Club) -> None:
    invited = await _invite(user, club, email=_email(), roles=["COACH"], firstName="Ola", lastName="Ek")
    # when the week has passed
    await run_sql(user, "UPDATE invitations SET expires_at = now() - interval '1 second'")
    # then the link is refused, and no account signs in with the email
    assert _invalid(await _accept(user, invited["token"]), "token")["message"] == INVALID_INVITATION
    assert (await login(user, invited["invitation"]["email"], PASSWORD)).codes == ["UNAUTHENTICATED"]


async def test_inviting_again_replaces_the_link(user: RunningService, club: Club) -> None:
    email = _email()
    first = await _invite(user, club, email=email, roles=["COACH"], firstName="Ola", lastName="Ek")
    second = await _invite(user, club, email=email, roles=["ASSISTANT_COACH"], firstName="Ola", lastName="Ek")
    _invalid(await _accept(user, first["token"]), "token")
    signed = (await _accept(user, second["token"])).ok()["acceptInvitation"]
    assert (await user.graphql.execute(ME, headers=bearer(signed["accessToken"]))).ok()["me"]["roles"] == [
        "ASSISTANT_COACH"
    ]


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short-1A", "at least 10 characters"),
        ("x" * 129, "at most 128 characters"),
        ("aaaaaaaaaaaaaaaa", "more than a few different characters"),
        ("Password123!", "among the first an attacker would try"),
        ("hockey-2026!!", "among the first an attacker would try"),
        ("1234567890", "among the first an attacker would try"),
        ("{local}-is-my-password", "must not contain your email address"),
    ],
)
async def test_a_weak_password_is_refused_with_its_field(
    user: RunningService, club: Club, password: str, reason: str
) -> None:
    # given an invitation
    email = _email()
    invited = await _invite(user, club, email=email, roles=["COACH"], firstName="Ola", lastName="Ek")
    # when it is accepted with a weak password
    response = await _accept(user, invited["token"], password.format(local=email.partition("@")[0]))
    # then the answer names the field and the rule
    error = _invalid(response, "password")
    assert reason in error["message"]
    # and the link still works with a good password
    (await _accept(user, invited["token"])).ok()


async def test_an_invited_player_gets_their_roster_entry_and_a_parent_their_child(
    user: RunningService, club: Club
) -> None:
    # given a roster entry without an account, and a junior whose mother is invited
    player = await make_player(user, organization=club.organization, team=club.team)
    junior = await make_player(user, organization=club.organization, first_name="Ida")
    as_player = await _invite(user, club, email=_email(), playerId=str(player.id), firstName="Elias", lastName="Lund")
    as_parent = await _invite(
        user,
        club,
        email=_email(),
        childPlayerIds=[str(junior.id)],
        relationship="MOTHER",
        firstName="Eva",
        lastName="Lund",
    )
    # when both accept
    player_token = (await _accept(user, as_player["token"])).ok()["acceptInvitation"]["accessToken"]
    parent_token = (await _accept(user, as_parent["token"])).ok()["acceptInvitation"]["accessToken"]
    # then their tokens carry the players they are linked to
    player_claims = await user.runtime.verifier.claims(player_token)
    assert (player_claims["roles"], player_claims["player"]) == (["player"], str(player.id))
    parent_claims = await user.runtime.verifier.claims(parent_token)
    assert (parent_claims["roles"], parent_claims["children"]) == (["parent"], [str(junior.id)])


async def test_only_a_club_administrator_invites(user: RunningService, club: Club) -> None:
    fields = {"email": _email(), "roles": ["COACH"]}
    # when the coach, and someone not signed in, try to invite
    by_coach = await user.graphql.execute(INVITE, {"input": fields}, as_=club.coach)
    by_nobody = await user.graphql.execute(INVITE, {"input": fields})
    # then the coach is forbidden and the anonymous caller unauthenticated, and nothing is pending
    assert by_coach.data is None
    by_coach.error("FORBIDDEN")
    assert by_nobody.codes == ["UNAUTHENTICATED"]
    assert (await user.graphql.execute(PENDING, as_=club.admin)).ok()["pendingInvitations"] == []
    # and the coach cannot see the club's invitations either
    assert (await user.graphql.execute(PENDING, as_=club.coach)).codes == ["FORBIDDEN"]


async def test_no_invitation_reaches_into_another_club(user: RunningService, club: Club) -> None:
    # given another club with a team, a player and a member
    other = await make_club(user)
    their_player = await make_player(user, organization=other.organization, team=other.team)
    their_member = await make_user(user, organization=other.organization, email=_email())

    async def attempt(**fields: Any) -> GraphQLResponse:
        return await user.graphql.execute(
            INVITE, {"input": {"email": _email(), "roles": ["COACH"], **fields}}, as_=club.admin
        )

    # when our administrator invites into that club, or with its team, players or members
    into_their_club = await attempt(organizationId=str(other.organization.id))
    with_their_team = await attempt(teamId=str(other.team.id), teamRole="COACH")
    as_their_player = await attempt(playerId=str(their_player.id))
    as_their_parent = await attempt(childPlayerIds=[str(their_player.id)])
    their_member_email = await user.graphql.execute(
        INVITE, {"input": {"email": their_member.email, "roles": ["COACH"]}}, as_=club.admin
    )
    # then every attempt is refused
    into_their_club.error("FORBIDDEN")
    _invalid(with_their_team, "teamId")
    _invalid(as_their_player, "playerId")
    _invalid(as_their_parent, "childPlayerIds")
    assert their_member_email.error("CONFLICT")["extensions"]["field"] == "email"
    # and the other club's administrator sees none of our invitations, nor we theirs
    await _invite(user, club, email=_email(), roles=["COACH"])
    assert (await user.graphql.execute(PENDING, as_=other.admin)).ok()["pendingInvitations"] == []
