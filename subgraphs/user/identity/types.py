"""GraphQL types of sign-in, sessions and invitations."""

from __future__ import annotations

from datetime import datetime

import strawberry

from shared.auth.principal import Role
from shared.graphql import to_id
from subgraphs.user.identity import models
from subgraphs.user.identity.invitations import IssuedInvitation
from subgraphs.user.identity.sessions import SignIn


@strawberry.type(description="A signed-in session on one device: where an account is signed in.")
class SignInSession:
    id: strawberry.ID = strawberry.field(description="The session's id: the `sid` of its access tokens.")
    created_at: datetime = strawberry.field(description="When the person signed in.")
    last_used_at: datetime = strawberry.field(description="When its refresh token was last used.")
    expires_at: datetime = strawberry.field(description="When it ends unless its refresh token is used before.")
    user_agent: str | None = strawberry.field(description="The browser or app that signed in, as it named itself.")
    is_current: bool = strawberry.field(description="True for the session of the caller's own access token.")
    is_revoked: bool = strawberry.field(description="True once signed out or revoked.")

    @classmethod
    def from_row(cls, row: models.SignInSession, *, current: str | None = None) -> SignInSession:
        return cls(
            id=to_id(row.id),
            created_at=row.created_at,
            last_used_at=row.last_used_at,
            expires_at=row.expires_at,
            user_agent=row.user_agent,
            is_current=current == str(row.id),
            is_revoked=row.revoked_at is not None,
        )


@strawberry.type(description="A signed-in session's tokens. Send the access token as `Authorization: Bearer`.")
class SignInPayload:
    access_token: str = strawberry.field(description="RS256 JWT for API calls; short-lived.")
    access_token_expires_at: datetime = strawberry.field(description="When the access token stops working.")
    refresh_token: str = strawberry.field(
        description="Exchange it for a new pair with refreshSession before it expires; it works once."
    )
    refresh_token_expires_at: datetime = strawberry.field(description="When the refresh token stops working.")
    token_type: str = strawberry.field(description="Always Bearer.")
    user_id: strawberry.ID = strawberry.field(description="The signed-in user.")
    session: SignInSession = strawberry.field(description="The session these tokens belong to.")

    @classmethod
    def from_sign_in(cls, sign_in: SignIn) -> SignInPayload:
        return cls(
            access_token=sign_in.access_token,
            access_token_expires_at=sign_in.access_token_expires_at,
            refresh_token=sign_in.refresh_token,
            refresh_token_expires_at=sign_in.refresh_token_expires_at,
            token_type="Bearer",
            user_id=to_id(sign_in.user_id),
            session=SignInSession.from_row(sign_in.session, current=str(sign_in.session.id)),
        )


@strawberry.type(description="A club's invitation of an email to create an account.")
class AccountInvitation:
    id: strawberry.ID = strawberry.field(description="The invitation's id.")
    email: str = strawberry.field(description="The invited email; the account signs in with it.")
    roles: list[Role] = strawberry.field(description="The roles the account gets.")
    first_name: str | None = strawberry.field(description="Given name, if the club entered it.")
    last_name: str | None = strawberry.field(description="Family name, if the club entered it.")
    expires_at: datetime = strawberry.field(description="When the link stops working.")
    is_accepted: bool = strawberry.field(description="True once an account was made with it.")

    @classmethod
    def from_row(cls, row: models.Invitation) -> AccountInvitation:
        return cls(
            id=to_id(row.id),
            email=row.email,
            roles=list(row.roles),
            first_name=row.first_name,
            last_name=row.last_name,
            expires_at=row.expires_at,
            is_accepted=row.accepted_at is not None,
        )


@strawberry.type(description="A new invitation and its token, shown this once: pass it on to the invited person.")
class AccountInvitationPayload:
    invitation: AccountInvitation = strawberry.field(description="The invitation.")
    token: str = strawberry.field(
        description="The secret of the invitation link; acceptInvitation takes it. Inviting again replaces it."
    )

    @classmethod
    def from_issued(cls, issued: IssuedInvitation) -> AccountInvitationPayload:
        return cls(invitation=AccountInvitation.from_row(issued.invitation), token=issued.token)
