"""Accounts with passwords, sign-ins over GraphQL, and the clock moved on for identity tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text

from shared.auth.principal import Principal, Role
from shared.database import utcnow
from shared.database.kernel import outbox_events
from subgraphs.user.identity import repository as identity_repository
from subgraphs.user.identity.passwords import hash_password
from subgraphs.user.models import Organization, User
from tests.support.graphql import GraphQLResponse
from tests.support.services import RunningService
from tests.user.factories import as_principal, make_user

PASSWORD = "blue-line-Breakaway-42"

LOGIN = """
mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) {
    accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt tokenType userId
    session { id isCurrent userAgent }
  }
}
"""
REFRESH = """
mutation Refresh($token: String!) {
  refreshSession(refreshToken: $token) { accessToken refreshToken refreshTokenExpiresAt session { id } }
}
"""
ME = "query { me { id email roles } }"
MY_SESSIONS = "query { mySessions { id isCurrent isRevoked userAgent createdAt lastUsedAt expiresAt } }"
LOGOUT = "mutation Logout($token: String) { logout(refreshToken: $token) }"
REVOKE_SESSIONS = "mutation RevokeAll($userId: ID!) { revokeSessions(userId: $userId) }"
CHANGE_PASSWORD = """
mutation ChangePassword($current: String!, $new: String!) {
  changePassword(currentPassword: $current, newPassword: $new)
}
"""
REQUEST_RESET = "mutation RequestReset($email: String!) { requestPasswordReset(email: $email) }"
RESET = "mutation Reset($token: String!, $new: String!) { resetPassword(token: $token, newPassword: $new) }"
INVITE = """
mutation Invite($input: InviteUserInput!) {
  inviteUser(input: $input) { token invitation { id email roles firstName lastName expiresAt isAccepted } }
}
"""
ACCEPT = """
mutation Accept($input: AcceptInvitationInput!) {
  acceptInvitation(input: $input) { accessToken refreshToken userId session { id } }
}
"""
PENDING = "query { pendingInvitations { email roles isAccepted } }"


@dataclass(frozen=True)
class Account:
    user: User
    password: str
    principal: Principal

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def id(self) -> str:
        return str(self.user.id)


async def set_password(user: RunningService, account: User, password: str = PASSWORD) -> None:
    hashed = await hash_password(password)
    async with user.runtime.sessions() as session, session.begin():
        await identity_repository.set_password(session, account.id, hashed, utcnow())


async def make_account(
    user: RunningService,
    *,
    organization: Organization,
    roles: tuple[Role, ...] = (Role.COACH,),
    password: str = PASSWORD,
) -> Account:
    """A user of the club who signs in with `password`."""
    account = await make_user(
        user, organization=organization, roles=roles, email=f"{uuid.uuid4().hex[:10]}@club.example"
    )
    await set_password(user, account, password)
    return Account(account, password, await as_principal(user, account))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def login(user: RunningService, email: str, password: str, *, user_agent: str | None = None) -> GraphQLResponse:
    headers = {"User-Agent": user_agent} if user_agent else {}
    return await user.graphql.execute(LOGIN, {"email": email, "password": password}, headers=headers)


async def signed_in(user: RunningService, account: Account, *, user_agent: str | None = None) -> dict[str, Any]:
    """The token pair of a fresh sign-in of the account."""
    payload: dict[str, Any] = (await login(user, account.email, account.password, user_agent=user_agent)).ok()["login"]
    return payload


async def refresh(user: RunningService, token: str) -> GraphQLResponse:
    return await user.graphql.execute(REFRESH, {"token": token})


async def run_sql(user: RunningService, statement: str, **parameters: object) -> None:
    """Changes the clock's effect directly in the database: 'a minute later', 'a week later'."""
    async with user.engine.begin() as connection:
        await connection.execute(text(statement), parameters)


async def events_of(user: RunningService, event_type: str) -> list[dict[str, Any]]:
    async with user.runtime.sessions() as session:
        rows = await session.execute(
            select(outbox_events.c.data).where(outbox_events.c.type == event_type).order_by(outbox_events.c.seq)
        )
        return [dict(row) for row in rows.scalars()]


def without_location(response: GraphQLResponse) -> dict[str, Any]:
    """The response as a client can compare two of them."""
    return {"data": response.data, "errors": [{**e, "locations": None} for e in response.errors]}


async def revocations(user: RunningService) -> list[dict[str, Any]]:
    """The `user.sessions_revoked` events written so far: what verifiers learn about ended sessions."""
    return await events_of(user, "user.sessions_revoked")
