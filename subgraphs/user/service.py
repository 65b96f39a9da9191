"""Domain rules of identity and club structure. No GraphQL here: plain values in, models out."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import STAFF_ROLES, Principal, Role
from shared.database.integrity import flush
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound, not_found
from shared.plans import PlanLimit
from subgraphs.user import events, repository
from subgraphs.user.models import (
    Handedness,
    Organization,
    ParentLink,
    ParentRelationship,
    Player,
    Position,
    Team,
    TeamCategory,
    TeamStaff,
    User,
)
from subgraphs.user.permissions import (
    can_add_player_to,
    can_manage_organization,
    can_manage_player,
    can_manage_team,
    can_update_user,
    can_view_organization,
    can_view_player,
    can_view_user,
)
from subgraphs.user.plans import require_room

ADULT_AGE = 18

_PLAYER_CONFLICTS = {
    "uq_players_team_id_jersey_number": Conflict(
        "another player of this team already wears that jersey number", field="jerseyNumber"
    ),
    "uq_players_user_id": Conflict("that account already belongs to another player", field="userId"),
}


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def is_minor(player: Player, *, today: date | None = None) -> bool:
    return age_on(player.birth_date, today or date.today()) < ADULT_AGE  # noqa: DTZ011 (calendar day)


def _acting_organization(actor: Principal, organization_id: uuid.UUID | None) -> uuid.UUID:
    """The organization a write targets: the caller's own, or one a platform admin names."""
    if organization_id is not None and organization_id != actor.organization_id:
        if not actor.is_platform_admin:
            raise Forbidden("you can only act within your own organization")
        return organization_id
    return actor.require_organization()


# Organizations -----------------------------------------------------------------------------------------


async def get_organization(session: AsyncSession, actor: Principal, organization_id: uuid.UUID) -> Organization:
    organization = await repository.organization(session, organization_id)
    if organization is None or not can_view_organization(actor, organization.id):
        raise not_found("Organization", organization_id)
    return organization


async def create_organization(
    session: AsyncSession,
    actor: Principal,
    *,
    name: str,
    slug: str,
    time_zone: str,
    primary_color: str | None = None,
) -> Organization:
    if not actor.is_platform_admin:
        raise Forbidden("only a platform administrator creates organizations")
    slug = validation.text(slug, field="slug", max_length=80).lower()
    if not slug.replace("-", "").isalnum():
        raise InvalidInput("slug may only hold letters, digits and dashes", field="slug")
    organization = Organization(
        name=validation.text(name, field="name", max_length=200),
        slug=slug,
        time_zone=validation.time_zone(time_zone),
        primary_color=validation.color(primary_color, field="primaryColor"),
    )
    session.add(organization)
    await flush(session, violations={"uq_organizations_slug": Conflict("that slug is taken", field="slug")})
    await events.organization_changed(session, events.ORGANIZATION_CREATED, organization)
    return organization


async def update_organization(
    session: AsyncSession, actor: Principal, organization_id: uuid.UUID, changes: Mapping[str, Any]
) -> Organization:
    organization = await get_organization(session, actor, organization_id)
    if not can_manage_organization(actor, organization.id):
        raise Forbidden("only a club administrator changes the organization")
    if "name" in changes:
        organization.name = validation.text(validation.required(changes, "name"), field="name", max_length=200)
    if "time_zone" in changes:
        organization.time_zone = validation.time_zone(validation.required(changes, "time_zone"))
    if "primary_color" in changes:
        organization.primary_color = validation.color(changes["primary_color"], field="primaryColor")
    await session.flush()
    await events.organization_changed(session, events.ORGANIZATION_UPDATED, organization)
    return organization


# Teams -------------------------------------------------------------------------------------------------


async def get_team(session: AsyncSession, actor: Principal, team_id: uuid.UUID) -> Team:
    teams = await repository.teams_by_ids(session, [team_id])
    if not teams or not actor.in_organization(teams[0].organization_id):
        raise not_found("Team", team_id)
    return teams[0]


async def list_teams(
    session: AsyncSession, actor: Principal, *, organization_id: uuid.UUID | None = None
) -> list[Team]:
    return await repository.teams_of_organization(session, _acting_organization(actor, organization_id))


async def create_team(
    session: AsyncSession,
    actor: Principal,
    *,
    name: str,
    category: TeamCategory,
    age_group: str | None = None,
    organization_id: uuid.UUID | None = None,
) -> Team:
    organization = _acting_organization(actor, organization_id)
    if not can_manage_organization(actor, organization):
        raise Forbidden("only a club administrator creates teams")
    await require_room(session, organization, PlanLimit.TEAMS)
    team = Team(
        organization_id=organization,
        name=validation.text(name, field="name", max_length=120),
        category=category,
        age_group=validation.optional_text(age_group, field="ageGroup", max_length=40),
    )
    session.add(team)
    await flush(
        session,
        violations={
            "uq_teams_organization_id_name": Conflict("the club already has a team of that name", field="name")
        },
    )
    await events.team_changed(session, events.TEAM_CREATED, team)
    return team


async def update_team(session: AsyncSession, actor: Principal, team_id: uuid.UUID, changes: Mapping[str, Any]) -> Team:
    team = await get_team(session, actor, team_id)
    if not can_manage_team(actor, team):
        raise Forbidden("only a club administrator or the team's coach changes the team")
    if "name" in changes:
        team.name = validation.text(validation.required(changes, "name"), field="name", max_length=120)
    if "category" in changes:
        team.category = validation.required(changes, "category")
    if "age_group" in changes:
        team.age_group = validation.optional_text(changes["age_group"], field="ageGroup", max_length=40)
    await flush(
        session,
        violations={
            "uq_teams_organization_id_name": Conflict("the club already has a team of that name", field="name")
        },
    )
    await events.team_changed(session, events.TEAM_UPDATED, team)
    return team


async def team_staff(session: AsyncSession, actor: Principal, team_ids: Sequence[uuid.UUID]) -> list[TeamStaff]:
    return await repository.staff_of_teams(session, team_ids)


async def assign_team_staff(
    session: AsyncSession, actor: Principal, *, team_id: uuid.UUID, user_id: uuid.UUID, role: Role
) -> TeamStaff:
    team = await get_team(session, actor, team_id)
    if not can_manage_organization(actor, team.organization_id):
        raise Forbidden("only a club administrator assigns team staff")
    if role not in STAFF_ROLES or role is Role.CLUB_ADMIN:
        raise InvalidInput("a team staff role is a coaching, training, medical or equipment role", field="role")
    user = await get_user(session, actor, user_id)
    if user.organization_id != team.organization_id:
        raise InvalidInput("the user belongs to another organization", field="userId")
    staff = await repository.team_staff(session, team_id, user_id)
    if staff is None:
        staff = TeamStaff(team_id=team_id, user_id=user_id, role=role)
        session.add(staff)
    staff.role = role
    if role not in user.roles:
        user.roles = [*user.roles, role]
    await session.flush()
    await events.team_staff_changed(session, events.TEAM_STAFF_ASSIGNED, staff, organization_id=team.organization_id)
    return staff


async def remove_team_staff(session: AsyncSession, actor: Principal, *, team_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    team = await get_team(session, actor, team_id)
    if not can_manage_organization(actor, team.organization_id):
        raise Forbidden("only a club administrator removes team staff")
    staff = await repository.team_staff(session, team_id, user_id)
    if staff is None or not await repository.remove_team_staff(session, team_id, user_id):
        raise NotFound("that user is not on the team's staff", field="userId")
    await events.team_staff_changed(session, events.TEAM_STAFF_REMOVED, staff, organization_id=team.organization_id)
    return True


# Users -------------------------------------------------------------------------------------------------


async def get_user(session: AsyncSession, actor: Principal, user_id: uuid.UUID) -> User:
    users = await repository.users_by_ids(session, [user_id])
    if not users or not can_view_user(actor, users[0]):
        raise not_found("User", user_id)
    return users[0]


async def me(session: AsyncSession, actor: Principal) -> User:
    if actor.user_id is None:
        raise NotFound("no user is signed in")
    return await get_user(session, actor, actor.user_id)


async def list_users(
    session: AsyncSession,
    actor: Principal,
    *,
    role: Role | None = None,
    organization_id: uuid.UUID | None = None,
) -> list[User]:
    organization = _acting_organization(actor, organization_id)
    if not (actor.is_staff or actor.is_platform_admin):
        raise Forbidden("only staff list the club's users")
    users = await repository.users_of_organization(session, organization)
    return [user for user in users if role is None or role in user.roles]


async def create_user(
    session: AsyncSession,
    actor: Principal,
    *,
    email: str,
    first_name: str,
    last_name: str,
    roles: Sequence[Role],
    phone: str | None = None,
    organization_id: uuid.UUID | None = None,
) -> User:
    organization = _acting_organization(actor, organization_id)
    if not can_manage_organization(actor, organization):
        raise Forbidden("only a club administrator adds users")
    if not roles:
        raise InvalidInput("a user needs at least one role", field="roles")
    if Role.ADMIN in roles and not actor.is_platform_admin:
        raise Forbidden("only a platform administrator grants the admin role")
    await require_room(session, organization, PlanLimit.USERS)
    user = User(
        organization_id=organization,
        email=validation.email(email),
        first_name=validation.text(first_name, field="firstName", max_length=100),
        last_name=validation.text(last_name, field="lastName", max_length=100),
        phone=validation.optional_text(phone, field="phone", max_length=40),
        roles=sorted(set(roles)),
    )
    session.add(user)
    await flush(session, violations={"uq_users_email": Conflict("a user with that email exists", field="email")})
    await events.user_changed(session, events.USER_CREATED, user)
    return user


async def update_user(session: AsyncSession, actor: Principal, user_id: uuid.UUID, changes: Mapping[str, Any]) -> User:
    user = await get_user(session, actor, user_id)
    if not can_update_user(actor, user):
        raise Forbidden("you can only change your own profile")
    if ("roles" in changes or "is_active" in changes) and not can_manage_organization(actor, user.organization_id):
        raise Forbidden("only a club administrator changes roles or deactivates users")
    if "first_name" in changes:
        user.first_name = validation.text(validation.required(changes, "first_name"), field="firstName", max_length=100)
    if "last_name" in changes:
        user.last_name = validation.text(validation.required(changes, "last_name"), field="lastName", max_length=100)
    if "phone" in changes:
        user.phone = validation.optional_text(changes["phone"], field="phone", max_length=40)
    if "email" in changes:
        user.email = validation.email(validation.required(changes, "email"))
    if "roles" in changes:
        roles = validation.required(changes, "roles")
        if not roles:
            raise InvalidInput("a user needs at least one role", field="roles")
        if Role.ADMIN in roles and not actor.is_platform_admin:
            raise Forbidden("only a platform administrator grants the admin role")
        user.roles = sorted(set(roles))
    deactivated = "is_active" in changes and user.is_active and not changes["is_active"]
    if "is_active" in changes and changes["is_active"] and not user.is_active and user.organization_id is not None:
        # A reactivated account takes a place in the club again.
        await require_room(session, user.organization_id, PlanLimit.USERS)
    if "is_active" in changes:
        user.is_active = bool(changes["is_active"])
    await flush(session, violations={"uq_users_email": Conflict("a user with that email exists", field="email")})
    own_player = await repository.player_of_user(session, user.id)
    await events.user_changed(
        session, events.USER_DEACTIVATED if deactivated else events.USER_UPDATED, user, player=own_player
    )
    return user


# Players -----------------------------------------------------------------------------------------------


async def get_player(session: AsyncSession, actor: Principal, player_id: uuid.UUID) -> Player:
    found = await repository.players_by_ids(session, [player_id])
    if not found or not can_view_player(actor, found[0]):
        raise not_found("Player", player_id)
    return found[0]


async def list_players(
    session: AsyncSession,
    actor: Principal,
    *,
    team_id: uuid.UUID | None = None,
    include_inactive: bool = False,
) -> list[Player]:
    if team_id is not None:
        team = await get_team(session, actor, team_id)
        return await repository.players(
            session, organization_id=team.organization_id, team_id=team_id, include_inactive=include_inactive
        )
    return await repository.players(
        session, organization_id=actor.require_organization(), team_id=None, include_inactive=include_inactive
    )


def _player_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """Validated player attributes from whichever of them are given."""
    checked: dict[str, Any] = {}
    for name, label in (("first_name", "firstName"), ("last_name", "lastName")):
        if name in values:
            checked[name] = validation.text(validation.required(values, name), field=label, max_length=100)
    if "birth_date" in values:
        checked["birth_date"] = validation.past_date(validation.required(values, "birth_date"), field="birthDate")
    if "jersey_number" in values:
        number = values["jersey_number"]
        checked["jersey_number"] = (
            None if number is None else validation.integer(number, field="jerseyNumber", minimum=0, maximum=99)
        )
    for name, label, low, high in (("height_cm", "heightCm", 100, 230), ("weight_kg", "weightKg", 30, 160)):
        if name in values:
            value = values[name]
            checked[name] = None if value is None else validation.integer(value, field=label, minimum=low, maximum=high)
    for name in ("position", "shoots"):
        if name in values:
            checked[name] = validation.required(values, name)
    return checked


async def add_player(
    session: AsyncSession,
    actor: Principal,
    *,
    first_name: str,
    last_name: str,
    birth_date: date,
    position: Position,
    shoots: Handedness,
    team_id: uuid.UUID | None = None,
    jersey_number: int | None = None,
    height_cm: int | None = None,
    weight_kg: int | None = None,
    user_id: uuid.UUID | None = None,
    organization_id: uuid.UUID | None = None,
) -> Player:
    organization = _acting_organization(actor, organization_id)
    if team_id is not None:
        team = await get_team(session, actor, team_id)
        organization = team.organization_id
    if not can_add_player_to(actor, organization, team_id):
        raise Forbidden("only a club administrator or the team's coach adds players")
    if user_id is not None:
        await _require_user_in(session, actor, user_id, organization)
    await require_room(session, organization, PlanLimit.PLAYERS)
    player = Player(
        organization_id=organization,
        team_id=team_id,
        user_id=user_id,
        **_player_fields(
            {
                "first_name": first_name,
                "last_name": last_name,
                "birth_date": birth_date,
                "jersey_number": jersey_number,
                "position": position,
                "shoots": shoots,
                "height_cm": height_cm,
                "weight_kg": weight_kg,
            }
        ),
    )
    session.add(player)
    await flush(session, violations=_PLAYER_CONFLICTS)
    await events.player_changed(
        session, events.PLAYER_ADDED, player, account_active=await _account_active(session, player)
    )
    return player


async def update_player(
    session: AsyncSession, actor: Principal, player_id: uuid.UUID, changes: Mapping[str, Any]
) -> Player:
    player = await get_player(session, actor, player_id)
    if not can_manage_player(actor, player):
        raise Forbidden("only a club administrator or the player's coach changes the roster")
    if "team_id" in changes:
        team_id = changes["team_id"]
        if team_id is not None:
            team = await get_team(session, actor, team_id)
            if team.organization_id != player.organization_id:
                raise InvalidInput("the team belongs to another organization", field="teamId")
        player.team_id = team_id
    if "user_id" in changes:
        if changes["user_id"] is not None:
            await _require_user_in(session, actor, changes["user_id"], player.organization_id)
        player.user_id = changes["user_id"]
    for name, value in _player_fields(changes).items():
        setattr(player, name, value)
    await flush(session, violations=_PLAYER_CONFLICTS)
    await events.player_changed(
        session, events.PLAYER_UPDATED, player, account_active=await _account_active(session, player)
    )
    return player


async def remove_player(session: AsyncSession, actor: Principal, player_id: uuid.UUID) -> Player:
    """Takes the player off the active roster; history in other services keeps pointing at them."""
    player = await get_player(session, actor, player_id)
    if not can_manage_player(actor, player):
        raise Forbidden("only a club administrator or the player's coach changes the roster")
    player.is_active = False
    player.jersey_number = None  # frees the number for the team
    await session.flush()
    await events.player_changed(session, events.PLAYER_REMOVED, player)
    return player


async def _account_active(session: AsyncSession, player: Player) -> bool:
    """Whether the player's own account (if any) is active: roster copies need both to count them."""
    if player.user_id is None:
        return True
    accounts = await repository.users_by_ids(session, [player.user_id])
    return not accounts or accounts[0].is_active


async def _require_user_in(
    session: AsyncSession, actor: Principal, user_id: uuid.UUID, organization_id: uuid.UUID
) -> User:
    user = await get_user(session, actor, user_id)
    if user.organization_id != organization_id:
        raise InvalidInput("the account belongs to another organization", field="userId")
    return user


# Parent links ------------------------------------------------------------------------------------------


async def link_parent(
    session: AsyncSession,
    actor: Principal,
    *,
    parent_user_id: uuid.UUID,
    player_id: uuid.UUID,
    relationship: ParentRelationship,
    is_primary_contact: bool = False,
) -> ParentLink:
    player = await get_player(session, actor, player_id)
    if not can_manage_organization(actor, player.organization_id):
        raise Forbidden("only a club administrator links parents")
    parent = await _require_user_in(session, actor, parent_user_id, player.organization_id)
    if Role.PARENT not in parent.roles:
        raise InvalidInput("the user does not have the parent role", field="parentUserId")
    link = await repository.parent_link(session, parent_user_id, player_id)
    if link is None:
        link = ParentLink(parent_user_id=parent_user_id, player_id=player_id, relationship=relationship)
        session.add(link)
    link.relationship = relationship
    link.is_primary_contact = is_primary_contact
    await session.flush()
    await events.parent_link_changed(session, events.PARENT_LINKED, player, parent_user_id)
    return link


async def unlink_parent(
    session: AsyncSession, actor: Principal, *, parent_user_id: uuid.UUID, player_id: uuid.UUID
) -> bool:
    player = await get_player(session, actor, player_id)
    if not can_manage_organization(actor, player.organization_id):
        raise Forbidden("only a club administrator unlinks parents")
    if not await repository.remove_parent_link(session, parent_user_id, player_id):
        raise NotFound("that user is not linked to the player", field="parentUserId")
    await events.parent_link_changed(session, events.PARENT_UNLINKED, player, parent_user_id)
    return True


# Tokens ------------------------------------------------------------------------------------------------


async def principal_for_email(session: AsyncSession, email: str) -> Principal:
    """The principal a token for this user carries: roles, teams, own player, children."""
    user = await repository.user_by_email(session, email)
    if user is None or not user.is_active:
        raise NotFound(f"no active user has the email {email}", field="email")
    own_player = await repository.player_of_user(session, user.id)
    staff = await repository.staff_roles_of_user(session, user.id)
    links = await repository.parent_links_of_parent(session, user.id)
    children = await repository.players_by_ids(session, [link.player_id for link in links])
    teams = {entry.team_id for entry in staff}
    if own_player is not None and own_player.team_id is not None:
        teams.add(own_player.team_id)
    if Role.CLUB_ADMIN in user.roles and user.organization_id is not None:
        teams.update(team.id for team in await repository.teams_of_organization(session, user.organization_id))
    return Principal(
        user_id=user.id,
        organization_id=user.organization_id,
        roles=frozenset(user.roles),
        team_ids=frozenset(teams),
        player_id=own_player.id if own_player else None,
        children=frozenset(child.id for child in children),
        minor_children=frozenset(child.id for child in children if is_minor(child)),
        email=user.email,
    )
