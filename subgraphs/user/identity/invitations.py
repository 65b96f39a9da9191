"""Invitations: how people get an account. A club administrator invites an email with roles (and
perhaps a team role, the player record that becomes theirs, or the children they are a parent of); the
link's token works once, for seven days. Accepting it with a password creates the account, or activates
and completes an existing one of the same club, and signs the person in.

An account that is new or inactive takes one of the club's active accounts, which its plan limits
(`max_users`): an invitation for one is refused while the club is at the limit, and so is its acceptance,
should the club have filled up in the meantime."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import STAFF_ROLES, Principal, Role
from shared.auth.tokens import TokenIssuer
from shared.database import utcnow
from shared.database.integrity import flush
from shared.errors import Conflict, Forbidden, InvalidInput
from shared.plans import PlanLimit
from subgraphs.user import events
from subgraphs.user import repository as user_repository
from subgraphs.user.identity import passwords, repository, sessions, tokens
from subgraphs.user.identity.models import Invitation, Revocation
from subgraphs.user.identity.tokens import TokenKind
from subgraphs.user.models import ParentLink, ParentRelationship, TeamStaff, User
from subgraphs.user.permissions import can_manage_organization
from subgraphs.user.plans import require_room

INVITATION_LIFETIME = timedelta(days=7)
INVALID_INVITATION = "the invitation is invalid, used or expired; ask the club for a new one"
CHILDREN_MAX = 10


@dataclass(frozen=True, slots=True)
class IssuedInvitation:
    invitation: Invitation
    token: str
    """The only time the token is seen: the database keeps its digest."""


def _acting_organization(actor: Principal, organization_id: uuid.UUID | None) -> uuid.UUID:
    if organization_id is not None and organization_id != actor.organization_id:
        if not actor.is_platform_admin:
            raise Forbidden("you can only invite people into your own club")
        return organization_id
    return actor.require_organization()


async def invite_user(
    session: AsyncSession,
    actor: Principal,
    *,
    email: str,
    roles: Sequence[Role] = (),
    first_name: str | None = None,
    last_name: str | None = None,
    team_id: uuid.UUID | None = None,
    team_role: Role | None = None,
    player_id: uuid.UUID | None = None,
    child_player_ids: Sequence[uuid.UUID] = (),
    relationship: ParentRelationship | None = None,
    organization_id: uuid.UUID | None = None,
) -> IssuedInvitation:
    organization = _acting_organization(actor, organization_id)
    if not can_manage_organization(actor, organization):
        raise Forbidden("only a club administrator invites people")
    address = validation.email(email)
    granted = set(roles)
    if Role.ADMIN in granted:
        raise InvalidInput("the platform administrator role is not given by invitation", field="roles")
    if team_id is not None:
        teams = await user_repository.teams_by_ids(session, [team_id])
        if not teams or teams[0].organization_id != organization:
            raise InvalidInput("teamId names no team of the club", field="teamId")
        if team_role is None or team_role not in STAFF_ROLES or team_role is Role.CLUB_ADMIN:
            raise InvalidInput("a team role is a coaching, training, medical or equipment role", field="teamRole")
        granted.add(team_role)
    elif team_role is not None:
        raise InvalidInput("a team role needs the team", field="teamId")
    if player_id is not None:
        players = await user_repository.players_by_ids(session, [player_id])
        if not players or players[0].organization_id != organization:
            raise InvalidInput("playerId names no player of the club", field="playerId")
        if players[0].user_id is not None:
            raise Conflict("that player already has an account", field="playerId")
        granted.add(Role.PLAYER)
    children = list(dict.fromkeys(child_player_ids))
    if len(children) > CHILDREN_MAX:
        raise InvalidInput(f"at most {CHILDREN_MAX} children per invitation", field="childPlayerIds")
    if children:
        found = await user_repository.players_by_ids(session, children)
        if len(found) != len(children) or any(child.organization_id != organization for child in found):
            raise InvalidInput("childPlayerIds names a player who is not of the club", field="childPlayerIds")
        granted.add(Role.PARENT)
    if not granted:
        raise InvalidInput("an invitation gives at least one role", field="roles")
    existing = await user_repository.user_by_email(session, address)
    if existing is not None:
        if existing.organization_id != organization:
            raise Conflict("that email belongs to an account of another club", field="email")
        if existing.is_active and await repository.credential(session, existing.id) is not None:
            raise Conflict("that person already has an account and signs in with it", field="email")
    if existing is None or not existing.is_active:
        await require_room(session, organization, PlanLimit.USERS)
    token = tokens.new_token(TokenKind.INVITATION)
    invitation = await repository.put_invitation(
        session,
        {
            "id": uuid.uuid4(),
            "organization_id": organization,
            "email": address,
            "token_hash": tokens.digest(token),
            "roles": sorted(granted),
            "first_name": validation.optional_text(first_name, field="firstName", max_length=100),
            "last_name": validation.optional_text(last_name, field="lastName", max_length=100),
            "team_id": team_id,
            "team_role": team_role,
            "player_id": player_id,
            "child_player_ids": children,
            "relationship": (relationship or ParentRelationship.GUARDIAN) if children else None,
            "invited_by_user_id": actor.user_id,
            "expires_at": utcnow() + INVITATION_LIFETIME,
        },
    )
    return IssuedInvitation(invitation, token)


async def pending_invitations(session: AsyncSession, actor: Principal) -> list[Invitation]:
    organization = actor.require_organization()
    if not can_manage_organization(actor, organization):
        raise Forbidden("only a club administrator sees the club's invitations")
    return await repository.pending_invitations(session, organization, utcnow())


async def accept_invitation(
    session: AsyncSession,
    *,
    issuer: TokenIssuer,
    token: str,
    password: str,
    first_name: str | None = None,
    last_name: str | None = None,
    user_agent: str | None = None,
) -> sessions.SignIn:
    token_hash = tokens.digest_of(token, TokenKind.INVITATION)
    invitation = await repository.invitation_by_token(session, token_hash) if token_hash else None
    now = utcnow()
    if token_hash is None or invitation is None or invitation.accepted_at is not None or invitation.expires_at <= now:
        raise InvalidInput(INVALID_INVITATION, field="token")
    hashed = await passwords.hash_password(passwords.check_policy(password, email=invitation.email, field="password"))
    if not await repository.use_invitation(session, invitation.id, token_hash, now):
        raise InvalidInput(INVALID_INVITATION, field="token")
    user = await _account_for(session, invitation, first_name=first_name, last_name=last_name)
    invitation.accepted_by_user_id = user.id
    await repository.set_password(session, user.id, hashed, now)
    # An account coming back to life must not revive the sessions it had before.
    await sessions.revoke(session, user, reason=Revocation.PASSWORD_RESET, now=now)
    await _grant_links(session, invitation, user)
    return await sessions.open_session(session, issuer, user, user_agent=user_agent)


async def _account_for(
    session: AsyncSession, invitation: Invitation, *, first_name: str | None, last_name: str | None
) -> User:
    """The invited account: made now, or the club's existing one, activated, with the invited roles added."""
    given_first = validation.optional_text(first_name, field="firstName", max_length=100)
    given_last = validation.optional_text(last_name, field="lastName", max_length=100)
    user = await user_repository.user_by_email(session, invitation.email)
    if user is None:
        first, last = given_first or invitation.first_name, given_last or invitation.last_name
        if first is None:
            raise InvalidInput("firstName must not be empty", field="firstName")
        if last is None:
            raise InvalidInput("lastName must not be empty", field="lastName")
        await require_room(session, invitation.organization_id, PlanLimit.USERS)
        user = User(
            organization_id=invitation.organization_id,
            email=invitation.email,
            first_name=first,
            last_name=last,
            roles=sorted(set(invitation.roles)),
            is_active=True,
        )
        session.add(user)
        await flush(
            session, violations={"uq_users_email": Conflict("an account with that email exists", field="token")}
        )
        await events.user_changed(session, events.USER_CREATED, user)
        return user
    if user.organization_id != invitation.organization_id:
        raise Conflict("that email belongs to an account of another club", field="token")
    if not user.is_active:
        await require_room(session, invitation.organization_id, PlanLimit.USERS)
    await repository.lock_user(session, user.id)
    user.first_name = given_first or user.first_name
    user.last_name = given_last or user.last_name
    user.roles = sorted(set(user.roles) | set(invitation.roles))
    user.is_active = True
    await session.flush()
    await events.user_changed(session, events.USER_UPDATED, user)
    return user


async def _grant_links(session: AsyncSession, invitation: Invitation, user: User) -> None:
    """The team role, own player record and children the invitation promised, where they still exist."""
    organization = invitation.organization_id
    if invitation.team_id is not None and invitation.team_role is not None:
        teams = await user_repository.teams_by_ids(session, [invitation.team_id])
        if teams and teams[0].organization_id == organization:
            staff = await user_repository.team_staff(session, invitation.team_id, user.id)
            if staff is None:
                session.add(TeamStaff(team_id=invitation.team_id, user_id=user.id, role=invitation.team_role))
            else:
                staff.role = invitation.team_role
    if invitation.player_id is not None:
        players = await user_repository.players_by_ids(session, [invitation.player_id])
        if players and players[0].organization_id == organization:
            player = players[0]
            if player.user_id not in (None, user.id):
                raise Conflict("the player record was given to another account meanwhile", field="token")
            player.user_id = user.id
            await flush(
                session,
                violations={"uq_players_user_id": Conflict("the account already has a player record", field="token")},
            )
            await events.player_changed(session, events.PLAYER_UPDATED, player)
    for child in await user_repository.players_by_ids(session, invitation.child_player_ids):
        if child.organization_id != organization:
            continue
        if await user_repository.parent_link(session, user.id, child.id) is None:
            session.add(
                ParentLink(
                    parent_user_id=user.id,
                    player_id=child.id,
                    relationship=invitation.relationship or ParentRelationship.GUARDIAN,
                )
            )
            await session.flush()
            await events.parent_link_changed(session, events.PARENT_LINKED, child, user.id)
    await session.flush()
