"""Who may see and change what in the user service (DESIGN.md, Roles)."""

from __future__ import annotations

import uuid

from shared.auth.principal import Principal, Role
from subgraphs.user.models import Player, Team, User


def can_view_organization(actor: Principal, organization_id: uuid.UUID) -> bool:
    return actor.in_organization(organization_id)


def can_manage_organization(actor: Principal, organization_id: uuid.UUID | None) -> bool:
    return actor.is_platform_admin or (actor.in_organization(organization_id) and actor.has_role(Role.CLUB_ADMIN))


def can_manage_team(actor: Principal, team: Team) -> bool:
    if can_manage_organization(actor, team.organization_id):
        return True
    return actor.in_organization(team.organization_id) and actor.in_team(team.id) and actor.has_role(Role.COACH)


def can_view_player(actor: Principal, player: Player) -> bool:
    """Roster basics (name, number, position, team) are visible to the whole club."""
    return actor.in_organization(player.organization_id)


def can_view_player_private(actor: Principal, player: Player) -> bool:
    """Birth date, measurements and account: staff of the club, the player, and the player's parents."""
    if not actor.in_organization(player.organization_id):
        return False
    return actor.is_platform_admin or actor.is_staff or actor.is_player(player.id) or actor.is_guardian_of(player.id)


def can_manage_player(actor: Principal, player: Player) -> bool:
    if can_manage_organization(actor, player.organization_id):
        return True
    return (
        actor.in_organization(player.organization_id)
        and actor.in_team(player.team_id)
        and actor.has_role(Role.COACH, Role.ASSISTANT_COACH)
    )


def can_add_player_to(actor: Principal, organization_id: uuid.UUID, team_id: uuid.UUID | None) -> bool:
    if can_manage_organization(actor, organization_id):
        return True
    return actor.in_organization(organization_id) and actor.in_team(team_id) and actor.has_role(Role.COACH)


def can_view_user(actor: Principal, user: User) -> bool:
    return actor.user_id == user.id or actor.in_organization(user.organization_id)


def can_view_user_contact(actor: Principal, user: User) -> bool:
    """Email and phone: the user, and staff of their club."""
    if actor.user_id == user.id or actor.is_platform_admin:
        return True
    return actor.in_organization(user.organization_id) and actor.is_staff


def can_update_user(actor: Principal, user: User) -> bool:
    return actor.user_id == user.id or can_manage_organization(actor, user.organization_id)
