"""Who may read and change flags, settings and the system's health."""

from __future__ import annotations

import uuid

from shared.auth.principal import Principal, Role


def can_define_feature_flags(actor: Principal) -> bool:
    return actor.is_platform_admin


def can_manage_organization(actor: Principal, organization_id: uuid.UUID) -> bool:
    """Overrides and settings of one club: its club administrators and the platform administrator."""
    return actor.is_platform_admin or (actor.in_organization(organization_id) and actor.has_role(Role.CLUB_ADMIN))


def can_view_organization(actor: Principal, organization_id: uuid.UUID) -> bool:
    return actor.is_authenticated and actor.in_organization(organization_id)


def can_view_system_health(actor: Principal) -> bool:
    return actor.is_platform_admin or actor.has_role(Role.CLUB_ADMIN)


def can_view_infrastructure(actor: Principal) -> bool:
    """Service addresses and failure details describe the platform's internals: its operators only."""
    return actor.is_platform_admin


def can_manage_dead_letters(actor: Principal) -> bool:
    """Dead letters carry any service's events, of every organization: the platform's operators only."""
    return actor.is_platform_admin
