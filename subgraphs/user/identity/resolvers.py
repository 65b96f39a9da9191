"""Queries and mutations of sign-in, sessions, passwords and invitations.

Mutations that carry a password or a token are audited without their input's values
(`audit_input=False`); none of them logs a secret either.
"""

from __future__ import annotations

import strawberry

from shared.auth.principal import Role
from shared.auth.tokens import TokenIssuer
from shared.graphql import Ctx, actor, mutation, parse_id, parse_ids, public_field, requires_sign_in
from subgraphs.user.identity import accounts, invitations, sessions
from subgraphs.user.identity.independent import IndependentWrites
from subgraphs.user.identity.types import (
    AccountInvitation,
    AccountInvitationPayload,
    SignInPayload,
    SignInSession,
)
from subgraphs.user.models import ParentRelationship


def _writes(info: Ctx) -> IndependentWrites:
    runtime = info.context.runtime
    return IndependentWrites(runtime.sessions, on_events=runtime.relay.wake if runtime.relay is not None else None)


def _issuer(info: Ctx) -> TokenIssuer:
    issuer = info.context.runtime.issuer
    if issuer is None:
        raise RuntimeError("the user service signs tokens, but its runtime has no issuer")
    return issuer


def _user_agent(info: Ctx) -> str | None:
    request = info.context.request
    return request.headers.get("user-agent") if request is not None else None


@strawberry.input(description="An invitation to create an account in the caller's club.")
class InviteUserInput:
    email: str = strawberry.field(description="Whom to invite; the account signs in with this email.")
    roles: list[Role] = strawberry.field(
        default_factory=list, description="Roles to give; a team role, player or children add theirs."
    )
    first_name: str | None = strawberry.field(default=None, description="Given name, if known.")
    last_name: str | None = strawberry.field(default=None, description="Family name, if known.")
    team_id: strawberry.ID | None = strawberry.field(default=None, description="A team to join as staff.")
    team_role: Role | None = strawberry.field(default=None, description="The staff role on that team.")
    player_id: strawberry.ID | None = strawberry.field(
        default=None, description="The roster entry that becomes the account's own player record."
    )
    child_player_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Players to link the account to as their parent or guardian."
    )
    relationship: ParentRelationship | None = strawberry.field(
        default=None, description="How the parent is related to those players (default guardian)."
    )
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="The club to invite into (platform administrators only)."
    )


@strawberry.input(description="Accepting an invitation: the new account's password, and names if missing.")
class AcceptInvitationInput:
    token: str = strawberry.field(description="The invitation's token.")
    password: str = strawberry.field(description="The password to sign in with from now on.")
    first_name: str | None = strawberry.field(default=None, description="Given name (needed if the club gave none).")
    last_name: str | None = strawberry.field(default=None, description="Family name (needed if the club gave none).")


@strawberry.type(description="Reads of the caller's sign-in sessions and the club's invitations.")
class IdentityQuery:
    @strawberry.field(
        description="Where the caller is signed in: their active sessions, newest use first.",
        extensions=[requires_sign_in()],
    )
    async def my_sessions(self, info: Ctx) -> list[SignInSession]:
        principal = actor(info)
        rows = await sessions.my_sessions(info.context.session, principal)
        return [SignInSession.from_row(row, current=principal.session_id) for row in rows]

    @strawberry.field(
        description="Invitations of the caller's club not yet accepted nor expired (club administrators).",
        extensions=[requires_sign_in()],
    )
    async def pending_invitations(self, info: Ctx) -> list[AccountInvitation]:
        rows = await invitations.pending_invitations(info.context.session, actor(info))
        return [AccountInvitation.from_row(row) for row in rows]


@strawberry.type(description="Signing in and out, passwords and invitations.")
class IdentityMutation:
    @mutation(
        description=(
            "Sign in with email and password. Every failure is the same UNAUTHENTICATED error; after repeated "
            "failures the email is locked for a while and the error carries `extensions.retryAfterSeconds`."
        ),
        audit_input=False,
        extensions=[public_field()],
    )
    async def login(self, info: Ctx, email: str, password: str) -> SignInPayload:
        sign_in = await sessions.login(
            info.context.session,
            writes=_writes(info),
            issuer=_issuer(info),
            email=email,
            password=password,
            user_agent=_user_agent(info),
        )
        return SignInPayload.from_sign_in(sign_in)

    @mutation(
        description=(
            "Exchange a refresh token for a new token pair. Each refresh token works once; using one twice "
            "ends its session, since someone else holds a copy."
        ),
        audit_input=False,
        extensions=[public_field()],
    )
    async def refresh_session(self, info: Ctx, refresh_token: str) -> SignInPayload:
        sign_in = await sessions.refresh(
            info.context.session, writes=_writes(info), issuer=_issuer(info), refresh_token=refresh_token
        )
        return SignInPayload.from_sign_in(sign_in)

    @mutation(
        description="Sign out: end the caller's current session, or the one a refresh token of theirs belongs to.",
        audit_input=False,
    )
    async def logout(self, info: Ctx, refresh_token: str | None = None) -> bool:
        return await sessions.logout(info.context.session, actor(info), refresh_token=refresh_token)

    @mutation(description="End one sign-in session: one's own, or a club member's (club administrators).")
    async def revoke_session(self, info: Ctx, id: strawberry.ID) -> SignInSession:
        principal = actor(info)
        row = await sessions.revoke_session(info.context.session, principal, parse_id(id))
        return SignInSession.from_row(row, current=principal.session_id)

    @mutation(
        description=(
            "Sign a user out everywhere: oneself, or a member of one's club (club administrators). "
            "Returns how many sessions ended."
        )
    )
    async def revoke_sessions(self, info: Ctx, user_id: strawberry.ID) -> int:
        return await sessions.revoke_user_sessions(info.context.session, actor(info), parse_id(user_id, field="userId"))

    @mutation(
        description="Change one's password; every other session of the account ends.",
        audit_input=False,
    )
    async def change_password(self, info: Ctx, current_password: str, new_password: str) -> bool:
        return await accounts.change_password(
            info.context.session,
            actor(info),
            writes=_writes(info),
            current_password=current_password,
            new_password=new_password,
        )

    @mutation(
        description=(
            "Ask for a password-reset link, sent to the account's owner if the email has an account. "
            "The answer is true either way."
        ),
        audit_input=False,
        extensions=[public_field()],
    )
    async def request_password_reset(self, info: Ctx, email: str) -> bool:
        await accounts.request_password_reset(info.context.session, email=email)
        return True

    @mutation(
        description="Set a new password with a reset link's token; it works once, for an hour. Every session ends.",
        audit_input=False,
        extensions=[public_field()],
    )
    async def reset_password(self, info: Ctx, token: str, new_password: str) -> bool:
        await accounts.reset_password(info.context.session, token=token, new_password=new_password)
        return True

    @mutation(
        description=(
            "Invite someone to the club (club administrators). The token is returned this once; inviting the "
            "same email again replaces it."
        ),
        audit_input=False,
    )
    async def invite_user(self, info: Ctx, input: InviteUserInput) -> AccountInvitationPayload:
        issued = await invitations.invite_user(
            info.context.session,
            actor(info),
            email=input.email,
            roles=input.roles,
            first_name=input.first_name,
            last_name=input.last_name,
            team_id=parse_id(input.team_id, field="teamId") if input.team_id is not None else None,
            team_role=input.team_role,
            player_id=parse_id(input.player_id, field="playerId") if input.player_id is not None else None,
            child_player_ids=parse_ids(input.child_player_ids, field="childPlayerIds"),
            relationship=input.relationship,
            organization_id=(
                parse_id(input.organization_id, field="organizationId") if input.organization_id is not None else None
            ),
        )
        return AccountInvitationPayload.from_issued(issued)

    @mutation(
        description="Accept an invitation with a password: creates or activates the account and signs it in.",
        audit_input=False,
        extensions=[public_field()],
    )
    async def accept_invitation(self, info: Ctx, input: AcceptInvitationInput) -> SignInPayload:
        sign_in = await invitations.accept_invitation(
            info.context.session,
            issuer=_issuer(info),
            token=input.token,
            password=input.password,
            first_name=input.first_name,
            last_name=input.last_name,
            user_agent=_user_agent(info),
        )
        return SignInPayload.from_sign_in(sign_in)
