"""Queries and mutations of the user service: parse input, call the service, wrap the result."""

from __future__ import annotations

from datetime import date

import strawberry

from shared.auth.principal import Role
from shared.graphql import Ctx, actor, mutation, parse_id, provided, requires_sign_in
from subgraphs.user import service
from subgraphs.user.identity import sessions
from subgraphs.user.identity.models import Revocation
from subgraphs.user.models import Handedness, ParentRelationship, Position, TeamCategory
from subgraphs.user.types import (
    Organization,
    ParentLink,
    Player,
    Team,
    TeamStaffMember,
    User,
)


@strawberry.input(description="A new club.")
class CreateOrganizationInput:
    name: str = strawberry.field(description="The club's name.")
    slug: str = strawberry.field(description="Short unique name: letters, digits and dashes.")
    time_zone: str = strawberry.field(default="Europe/Stockholm", description="IANA time zone.")
    primary_color: str | None = strawberry.field(default=None, description="Club colour as #RRGGBB.")


@strawberry.input(description="Changes to a club; omitted fields stay as they are.")
class UpdateOrganizationInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="The club's name.")
    time_zone: str | None = strawberry.field(default=strawberry.UNSET, description="IANA time zone.")
    primary_color: str | None = strawberry.field(default=strawberry.UNSET, description="#RRGGBB, or null.")


@strawberry.input(description="A new team.")
class CreateTeamInput:
    name: str = strawberry.field(description="Unique within the club.")
    category: TeamCategory = strawberry.field(description="Youth, junior, senior or recreational.")
    age_group: str | None = strawberry.field(default=None, description="Age group such as U16.")


@strawberry.input(description="Changes to a team; omitted fields stay as they are.")
class UpdateTeamInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Unique within the club.")
    category: TeamCategory | None = strawberry.field(default=strawberry.UNSET, description="The kind of team.")
    age_group: str | None = strawberry.field(default=strawberry.UNSET, description="Age group, or null.")


@strawberry.input(description="A new account in the caller's club.")
class CreateUserInput:
    email: str = strawberry.field(description="Sign-in email, unique on the platform.")
    first_name: str = strawberry.field(description="Given name.")
    last_name: str = strawberry.field(description="Family name.")
    roles: list[Role] = strawberry.field(description="At least one role.")
    phone: str | None = strawberry.field(default=None, description="Phone number.")


@strawberry.input(description="Changes to an account; roles and deactivation need a club administrator.")
class UpdateUserInput:
    email: str | None = strawberry.field(default=strawberry.UNSET, description="Sign-in email.")
    first_name: str | None = strawberry.field(default=strawberry.UNSET, description="Given name.")
    last_name: str | None = strawberry.field(default=strawberry.UNSET, description="Family name.")
    phone: str | None = strawberry.field(default=strawberry.UNSET, description="Phone number, or null.")
    roles: list[Role] | None = strawberry.field(default=strawberry.UNSET, description="The full set of roles.")
    is_active: bool | None = strawberry.field(default=strawberry.UNSET, description="False deactivates the account.")


@strawberry.input(description="A player joining the roster.")
class AddPlayerInput:
    first_name: str = strawberry.field(description="Given name.")
    last_name: str = strawberry.field(description="Family name.")
    birth_date: date = strawberry.field(description="Birth date.")
    position: Position = strawberry.field(description="Center, wing, defense or goalie.")
    shoots: Handedness = strawberry.field(description="Left or right.")
    team_id: strawberry.ID | None = strawberry.field(default=None, description="The team, if assigned.")
    jersey_number: int | None = strawberry.field(default=None, description="0-99, unique within the team.")
    height_cm: int | None = strawberry.field(default=None, description="Height in centimetres.")
    weight_kg: int | None = strawberry.field(default=None, description="Weight in kilograms.")
    user_id: strawberry.ID | None = strawberry.field(default=None, description="The player's own account.")


@strawberry.input(description="Changes to a player; omitted fields stay as they are.")
class UpdatePlayerInput:
    first_name: str | None = strawberry.field(default=strawberry.UNSET, description="Given name.")
    last_name: str | None = strawberry.field(default=strawberry.UNSET, description="Family name.")
    birth_date: date | None = strawberry.field(default=strawberry.UNSET, description="Birth date.")
    position: Position | None = strawberry.field(default=strawberry.UNSET, description="Position.")
    shoots: Handedness | None = strawberry.field(default=strawberry.UNSET, description="Left or right.")
    team_id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description="New team, or null.")
    jersey_number: int | None = strawberry.field(default=strawberry.UNSET, description="0-99, or null.")
    height_cm: int | None = strawberry.field(default=strawberry.UNSET, description="Height in centimetres.")
    weight_kg: int | None = strawberry.field(default=strawberry.UNSET, description="Weight in kilograms.")
    user_id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description="Account, or null.")


@strawberry.input(description="A parent or guardian to link to a player.")
class LinkParentInput:
    parent_user_id: strawberry.ID = strawberry.field(description="An account with the parent role.")
    player_id: strawberry.ID = strawberry.field(description="The player.")
    relationship: ParentRelationship = strawberry.field(description="How they are related.")
    is_primary_contact: bool = strawberry.field(default=False, description="Whom the club contacts first.")


def _with_ids(values: dict[str, object], *names: str) -> dict[str, object]:
    """Parse the ID fields among input values; null stays null (it clears the link)."""
    for name in names:
        if values.get(name) is not None:
            values[name] = parse_id(str(values[name]), field=name)
    return values


@strawberry.type(description="Reads of identity and club structure.")
class Query:
    @strawberry.field(description="The signed-in user.", extensions=[requires_sign_in()])
    async def me(self, info: Ctx) -> User:
        return User.from_row(await service.me(info.context.session, actor(info)))

    @strawberry.field(description="The caller's club.", extensions=[requires_sign_in()])
    async def organization(self, info: Ctx, id: strawberry.ID | None = None) -> Organization:
        principal = actor(info)
        organization_id = parse_id(id) if id is not None else principal.require_organization()
        return Organization.from_row(await service.get_organization(info.context.session, principal, organization_id))

    @strawberry.field(description="One team of the caller's club.", extensions=[requires_sign_in()])
    async def team(self, info: Ctx, id: strawberry.ID) -> Team:
        return Team.from_row(await service.get_team(info.context.session, actor(info), parse_id(id)))

    @strawberry.field(description="The teams of the caller's club, by name.", extensions=[requires_sign_in()])
    async def teams(self, info: Ctx) -> list[Team]:
        return [Team.from_row(row) for row in await service.list_teams(info.context.session, actor(info))]

    @strawberry.field(description="One player of the caller's club.", extensions=[requires_sign_in()])
    async def player(self, info: Ctx, id: strawberry.ID) -> Player:
        return Player.from_row(await service.get_player(info.context.session, actor(info), parse_id(id)))

    @strawberry.field(
        description="Players of the caller's club, or of one team, by jersey number.",
        extensions=[requires_sign_in()],
    )
    async def players(
        self, info: Ctx, team_id: strawberry.ID | None = None, include_inactive: bool = False
    ) -> list[Player]:
        rows = await service.list_players(
            info.context.session,
            actor(info),
            team_id=parse_id(team_id, field="teamId") if team_id is not None else None,
            include_inactive=include_inactive,
        )
        return [Player.from_row(row) for row in rows]

    @strawberry.field(description="One account of the caller's club.", extensions=[requires_sign_in()])
    async def user(self, info: Ctx, id: strawberry.ID) -> User:
        return User.from_row(await service.get_user(info.context.session, actor(info), parse_id(id)))

    @strawberry.field(description="Accounts of the caller's club (staff only).", extensions=[requires_sign_in()])
    async def users(self, info: Ctx, role: Role | None = None) -> list[User]:
        return [User.from_row(row) for row in await service.list_users(info.context.session, actor(info), role=role)]


@strawberry.type(description="Changes to identity and club structure.")
class Mutation:
    @mutation(description="Create a club (platform administrators).")
    async def create_organization(self, info: Ctx, input: CreateOrganizationInput) -> Organization:
        row = await service.create_organization(info.context.session, actor(info), **provided(input))
        return Organization.from_row(row)

    @mutation(description="Change the caller's club (club administrators).")
    async def update_organization(self, info: Ctx, input: UpdateOrganizationInput) -> Organization:
        principal = actor(info)
        row = await service.update_organization(
            info.context.session, principal, principal.require_organization(), provided(input)
        )
        return Organization.from_row(row)

    @mutation(description="Create a team (club administrators).")
    async def create_team(self, info: Ctx, input: CreateTeamInput) -> Team:
        return Team.from_row(await service.create_team(info.context.session, actor(info), **provided(input)))

    @mutation(description="Change a team (club administrators and the team's coach).")
    async def update_team(self, info: Ctx, id: strawberry.ID, input: UpdateTeamInput) -> Team:
        row = await service.update_team(info.context.session, actor(info), parse_id(id), provided(input))
        return Team.from_row(row)

    @mutation(description="Put a staff member on a team with a role (club administrators).")
    async def assign_team_staff(
        self, info: Ctx, team_id: strawberry.ID, user_id: strawberry.ID, role: Role
    ) -> TeamStaffMember:
        row = await service.assign_team_staff(
            info.context.session,
            actor(info),
            team_id=parse_id(team_id, field="teamId"),
            user_id=parse_id(user_id, field="userId"),
            role=role,
        )
        return TeamStaffMember.from_row(row)

    @mutation(description="Take a staff member off a team (club administrators).")
    async def remove_team_staff(self, info: Ctx, team_id: strawberry.ID, user_id: strawberry.ID) -> bool:
        return await service.remove_team_staff(
            info.context.session,
            actor(info),
            team_id=parse_id(team_id, field="teamId"),
            user_id=parse_id(user_id, field="userId"),
        )

    @mutation(description="Add an account to the caller's club (club administrators).")
    async def create_user(self, info: Ctx, input: CreateUserInput) -> User:
        return User.from_row(await service.create_user(info.context.session, actor(info), **provided(input)))

    @mutation(description="Change an account: one's own profile, or anyone's as a club administrator.")
    async def update_user(self, info: Ctx, id: strawberry.ID, input: UpdateUserInput) -> User:
        session = info.context.session
        user = await service.update_user(session, actor(info), parse_id(id), provided(input))
        if not user.is_active:  # a deactivated account is signed out everywhere, its access tokens too
            await sessions.revoke(session, user, reason=Revocation.ACCOUNT_INACTIVE)
        return User.from_row(user)

    @mutation(description="Add a player to the roster (club administrators and the team's coach).")
    async def add_player(self, info: Ctx, input: AddPlayerInput) -> Player:
        values = _with_ids(provided(input), "team_id", "user_id")
        return Player.from_row(await service.add_player(info.context.session, actor(info), **values))  # type: ignore[arg-type]

    @mutation(description="Change a player (club administrators and the player's coaches).")
    async def update_player(self, info: Ctx, id: strawberry.ID, input: UpdatePlayerInput) -> Player:
        values = _with_ids(provided(input), "team_id", "user_id")
        return Player.from_row(await service.update_player(info.context.session, actor(info), parse_id(id), values))

    @mutation(description="Take a player off the active roster; their history stays.")
    async def remove_player(self, info: Ctx, id: strawberry.ID) -> Player:
        return Player.from_row(await service.remove_player(info.context.session, actor(info), parse_id(id)))

    @mutation(description="Link a parent or guardian to a player (club administrators).")
    async def link_parent(self, info: Ctx, input: LinkParentInput) -> ParentLink:
        row = await service.link_parent(
            info.context.session,
            actor(info),
            parent_user_id=parse_id(input.parent_user_id, field="parentUserId"),
            player_id=parse_id(input.player_id, field="playerId"),
            relationship=input.relationship,
            is_primary_contact=input.is_primary_contact,
        )
        return ParentLink.from_row(row)

    @mutation(description="Remove a parent's link to a player (club administrators).")
    async def unlink_parent(self, info: Ctx, parent_user_id: strawberry.ID, player_id: strawberry.ID) -> bool:
        return await service.unlink_parent(
            info.context.session,
            actor(info),
            parent_user_id=parse_id(parent_user_id, field="parentUserId"),
            player_id=parse_id(player_id, field="playerId"),
        )
