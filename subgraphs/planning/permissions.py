"""Who may see and change what in planning (DESIGN.md, Roles)."""

from __future__ import annotations

import uuid

from shared.auth.principal import Principal, Role
from subgraphs.planning.models import DevelopmentGoal

GOAL_WRITERS = (Role.CLUB_ADMIN, Role.COACH, Role.ASSISTANT_COACH, Role.PHYSICAL_TRAINER)


def can_view_plans(actor: Principal, organization_id: uuid.UUID) -> bool:
    """Seasons, phases and practice plans are read by everyone in the club."""
    return actor.in_organization(organization_id)


def can_manage_seasons(actor: Principal, organization_id: uuid.UUID) -> bool:
    return actor.is_platform_admin or (
        actor.in_organization(organization_id) and actor.has_role(Role.CLUB_ADMIN, Role.COACH)
    )


def can_plan_practice(actor: Principal, organization_id: uuid.UUID, team_id: uuid.UUID) -> bool:
    """The club administrator, and the coaches of the team."""
    if actor.is_platform_admin:
        return True
    if not actor.in_organization(organization_id):
        return False
    if actor.has_role(Role.CLUB_ADMIN):
        return True
    return actor.in_team(team_id) and actor.has_role(Role.COACH, Role.ASSISTANT_COACH)


def can_manage_goals(actor: Principal, organization_id: uuid.UUID) -> bool:
    return actor.is_platform_admin or (actor.in_organization(organization_id) and actor.has_role(*GOAL_WRITERS))


def sees_all_goals(actor: Principal, organization_id: uuid.UUID) -> bool:
    return actor.is_platform_admin or (actor.in_organization(organization_id) and actor.is_staff)


def can_view_goal(actor: Principal, goal: DevelopmentGoal) -> bool:
    """Staff: the club's goals. A player: their own and their team's. A parent: their children's."""
    if not actor.in_organization(goal.organization_id):
        return False
    if sees_all_goals(actor, goal.organization_id):
        return True
    if goal.player_id is not None:
        return actor.is_player(goal.player_id) or actor.is_guardian_of(goal.player_id)
    return actor.in_team(goal.team_id)


def can_manage_drills(actor: Principal, organization_id: uuid.UUID) -> bool:
    """The club's coaches and administrators keep the drill library."""
    return actor.is_platform_admin or (
        actor.in_organization(organization_id) and actor.has_role(Role.CLUB_ADMIN, Role.COACH, Role.ASSISTANT_COACH)
    )


def can_rate_drills(actor: Principal, organization_id: uuid.UUID) -> bool:
    """Anyone on the club's staff may rate drills (and the platform admin, who may do anything)."""
    return actor.is_platform_admin or (actor.in_organization(organization_id) and actor.is_staff)


def can_view_team_plans(actor: Principal, organization_id: uuid.UUID, team_id: uuid.UUID) -> bool:
    """Game plans and practice evaluations: the club's staff and the team's players, not other teams."""
    if actor.is_platform_admin:
        return True
    if not actor.in_organization(organization_id):
        return False
    return actor.is_staff or (actor.has_role(Role.PLAYER) and actor.in_team(team_id))


def can_view_evaluation(actor: Principal, organization_id: uuid.UUID, player_id: uuid.UUID) -> bool:
    """A coach's evaluation of a player: the club's staff, the player and their parents."""
    if not actor.in_organization(organization_id):
        return False
    return sees_all_goals(actor, organization_id) or actor.is_player(player_id) or actor.is_guardian_of(player_id)
