"""Who may see and change what in the training service (DESIGN.md, Roles).

- Physical trainers, coaches and club administrators write: the library, workouts, templates and
  assignments of their club (a team's assignments: a trainer or coach of that team).
- Staff of the club read everything of the club (templates: as their visibility allows).
- A player reads their own assignments and the workouts assigned to them; a parent their children's.
"""

from __future__ import annotations

import uuid

from shared.auth.principal import Principal, Role
from subgraphs.training.models import PlayerWorkout, TemplateVisibility, WorkoutTemplate

WRITER_ROLES = frozenset({Role.PHYSICAL_TRAINER, Role.COACH, Role.CLUB_ADMIN})


def can_write_training(actor: Principal, organization_id: uuid.UUID | None) -> bool:
    return actor.is_platform_admin or (actor.in_organization(organization_id) and actor.has_role(*WRITER_ROLES))


def can_assign_to_team(actor: Principal, organization_id: uuid.UUID, team_id: uuid.UUID) -> bool:
    if not can_write_training(actor, organization_id):
        return False
    return actor.is_platform_admin or actor.has_role(Role.CLUB_ADMIN) or actor.in_team(team_id)


def is_club_staff(actor: Principal, organization_id: uuid.UUID | None) -> bool:
    return actor.is_platform_admin or (actor.in_organization(organization_id) and actor.is_staff)


def own_players(actor: Principal) -> frozenset[uuid.UUID]:
    """The players whose training the caller follows as player or parent (not as staff)."""
    mine = set(actor.children)
    if actor.player_id is not None:
        mine.add(actor.player_id)
    return frozenset(mine)


def can_view_player_training(actor: Principal, player_id: uuid.UUID, organization_id: uuid.UUID | None) -> bool:
    return is_club_staff(actor, organization_id) or (
        actor.in_organization(organization_id) and player_id in own_players(actor)
    )


def can_view_player_workout(actor: Principal, row: PlayerWorkout) -> bool:
    return can_view_player_training(actor, row.player_id, row.organization_id)


def can_complete_player_workout(actor: Principal, row: PlayerWorkout) -> bool:
    """The player themselves, or the club's training staff on their behalf."""
    if not actor.in_organization(row.organization_id):
        return False
    return actor.is_player(row.player_id) or can_write_training(actor, row.organization_id)


def can_view_template(actor: Principal, template: WorkoutTemplate) -> bool:
    if not is_club_staff(actor, template.organization_id):
        return False
    if actor.is_platform_admin or template.created_by == actor.user_id:
        return True
    if template.visibility is TemplateVisibility.ORGANIZATION:
        return True
    if template.visibility is TemplateVisibility.TEAM:
        return actor.has_role(Role.CLUB_ADMIN) or actor.in_team(template.team_id)
    return False


RESTRICTION_VIEWER_ROLES = frozenset(
    {Role.PHYSICAL_TRAINER, Role.COACH, Role.ASSISTANT_COACH, Role.CLUB_ADMIN, Role.MEDICAL_STAFF}
)


def can_view_player_restrictions(actor: Principal, player_id: uuid.UUID, organization_id: uuid.UUID | None) -> bool:
    """Who may see a player's restrictions (never a diagnosis), as the medical service shows availability: the
    club's coaching, training and medical staff and administrators, the player, the parent of a minor."""
    if not actor.in_organization(organization_id):
        return False
    return (
        actor.is_platform_admin
        or actor.has_role(*RESTRICTION_VIEWER_ROLES)
        or actor.is_player(player_id)
        or player_id in actor.minor_children
    )


def can_view_player_history(
    actor: Principal, player_id: uuid.UUID, organization_id: uuid.UUID | None, team_id: uuid.UUID | None
) -> bool:
    """What a player actually did and how they progress (`team_id`: their team now): the player, a minor's
    parents, the staff of the player's team and the club's administrators."""
    if not actor.in_organization(organization_id):
        return False
    return (
        actor.is_platform_admin
        or actor.has_role(Role.CLUB_ADMIN)
        or (actor.is_staff and actor.in_team(team_id))
        or actor.is_player(player_id)
        or player_id in actor.minor_children
    )
