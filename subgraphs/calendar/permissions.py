"""Who may see and change what in the calendar (DESIGN.md, Roles)."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from shared.auth.principal import Principal, Role
from subgraphs.calendar.models import CalendarEvent, Visibility


def can_manage_resources(actor: Principal, organization_id: uuid.UUID) -> bool:
    """Rinks, rooms and buses: the club administrator and the equipment manager."""
    return actor.is_platform_admin or (
        actor.in_organization(organization_id) and actor.has_role(Role.CLUB_ADMIN, Role.EQUIPMENT_MANAGER)
    )


def can_view_resources(actor: Principal, organization_id: uuid.UUID) -> bool:
    return actor.in_organization(organization_id)


def sees_all_events(actor: Principal, organization_id: uuid.UUID) -> bool:
    """Staff read the whole club calendar; players and parents only their part of it."""
    return actor.is_platform_admin or (actor.in_organization(organization_id) and actor.is_staff)


def can_schedule(actor: Principal, organization_id: uuid.UUID) -> bool:
    """Create, move, change and cancel events, and invite people: the club's staff."""
    return sees_all_events(actor, organization_id)


def can_view_event(actor: Principal, event: CalendarEvent, *, invited: bool, teams: Collection[uuid.UUID]) -> bool:
    """By the event's visibility: PUBLIC the whole club; TEAM its staff, the team (`teams`: the caller's and,
    for a parent, their children's) and the invited; PRIVATE the organizer and the invited; ROLES the
    invited and holders of the roles. The platform administrator sees everything."""
    if not actor.in_organization(event.organization_id):
        return False
    if actor.is_platform_admin or invited or event.organizer_user_id == actor.user_id:
        return True
    match event.visibility:
        case Visibility.PUBLIC:
            return True
        case Visibility.TEAM:
            return sees_all_events(actor, event.organization_id) or event.team_id in teams
        case Visibility.ROLES:
            return any(role.value in (event.visible_to_roles or ()) for role in actor.roles)
        case _:
            return False
