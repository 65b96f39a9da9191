"""The user service's identity operations: sign-in, sessions, passwords and invitations.

The open fields (login, refresh, password reset, accepting an invitation) must answer anonymous callers
as they answer anyone: each caller signs in to an account of their own made through the club
administrator's invitation, or accepts a fresh invitation. The demo's people have no password; the
matrix's tokens are minted by the test.
"""

from __future__ import annotations

import asyncio
import uuid

from tests.authorization.cases import Case, Operation, Variables
from tests.authorization.table import Caller
from tests.authorization.world import World

PASSWORD = "Correct-Horse-Battery-9"
SIGN_IN = "{ tokenType userId session { id isRevoked } }"
INVITE = """
mutation Invite($input: InviteUserInput!) { inviteUser(input: $input) { token invitation { id email roles } } }
"""
ACCEPT = f"mutation Accept($input: AcceptInvitationInput!) {{ acceptInvitation(input: $input) {SIGN_IN} }}"
LOGIN = "mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) "
LOGIN_FULL = LOGIN + "{ refreshToken userId session { id } } }"


def _invitation(prefix: str) -> Variables:
    email = f"{prefix}.{uuid.uuid4().hex[:8]}@lynx.example"
    return {"input": {"email": email, "roles": ["PARENT"], "firstName": "Invited", "lastName": "Person"}}


async def _invited(case_or_world: Case | World) -> tuple[str, str]:
    """A new invitation of this club: its email and token."""
    invitation = _invitation("invited")
    data = await case_or_world.setup("user", INVITE, invitation, as_=Caller.CLUB_ADMIN)
    return str(invitation["input"]["email"]), str(data["inviteUser"]["token"])


async def _new_account(world: World) -> str:
    email, token = await _invited(world)
    await world.setup("user", ACCEPT, {"input": {"token": token, "password": PASSWORD}}, as_=Caller.ANONYMOUS)
    return email


async def prepare(world: World) -> None:
    """An account with a password for each caller to sign in to, made through invitations (one per caller,
    so that concurrent sign-ins never meet one account's throttle); and one pending invitation, for the
    administrators' list."""
    emails = await asyncio.gather(*(_new_account(world) for _ in Caller))
    world.found.update({f"account.{caller}": email for caller, email in zip(Caller, emails, strict=True)})
    await _invited(world)


async def _login(case: Case) -> Variables:
    return {"email": case.world.found[f"account.{case.caller}"], "password": PASSWORD}


async def _refresh(case: Case) -> Variables:
    signed_in = await case.setup("user", LOGIN_FULL, await _login(case), as_=Caller.ANONYMOUS)
    return {"refreshToken": signed_in["login"]["refreshToken"]}


async def _own_sessions(case: Case) -> Variables:
    return {"userId": str(case.subject.user_id)}


async def _unknown_session(case: Case) -> Variables:
    return {"id": str(uuid.uuid4())}


async def _password_change(case: Case) -> Variables:
    return {"currentPassword": "not-the-password-1", "newPassword": "Another-Long-Password-7"}


async def _reset_request(case: Case) -> Variables:
    return {"email": f"{uuid.uuid4().hex[:8]}@nowhere.example"}


async def _reset(case: Case) -> Variables:
    return {"token": uuid.uuid4().hex, "newPassword": "Another-Long-Password-7"}


async def _invite(case: Case) -> Variables:
    return _invitation("matrix")


async def _accept(case: Case) -> Variables:
    _, token = await _invited(case)
    return {"input": {"token": token, "password": PASSWORD}}


def _answered(data: object) -> bool:
    """A boolean or count answers: the caller reached the field and it did its work."""
    return isinstance(data, dict) and all(value is not None for value in data.values())


OPERATIONS = {
    "Query.mySessions": Operation("query Sessions { mySessions { id createdAt isCurrent } }"),
    "Query.pendingInvitations": Operation("query Invitations { pendingInvitations { id email roles } }"),
    "Mutation.login": Operation(f"{LOGIN}{SIGN_IN} }}", _login),
    "Mutation.refreshSession": Operation(
        f"mutation Refresh($refreshToken: String!) {{ refreshSession(refreshToken: $refreshToken) {SIGN_IN} }}",
        _refresh,
    ),
    "Mutation.logout": Operation("mutation Logout { logout }", substance=_answered),
    "Mutation.revokeSession": Operation(
        "mutation Revoke($id: ID!) { revokeSession(id: $id) { id isRevoked } }", _unknown_session
    ),
    "Mutation.revokeSessions": Operation(
        "mutation RevokeAll($userId: ID!) { revokeSessions(userId: $userId) }", _own_sessions, _answered
    ),
    "Mutation.changePassword": Operation(
        "mutation Password($currentPassword: String!, $newPassword: String!) { changePassword(currentPassword: "
        "$currentPassword, newPassword: $newPassword) }",
        _password_change,
    ),
    "Mutation.requestPasswordReset": Operation(
        "mutation Forgot($email: String!) { requestPasswordReset(email: $email) }", _reset_request
    ),
    "Mutation.resetPassword": Operation(
        "mutation Reset($token: String!, $newPassword: String!) { resetPassword(token: $token, newPassword: "
        "$newPassword) }",
        _reset,
    ),
    "Mutation.inviteUser": Operation(INVITE, _invite),
    "Mutation.acceptInvitation": Operation(ACCEPT, _accept),
}
