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
