"""Who may see and change billing: platform administrators everywhere, club administrators for their own
club; nobody else (coaches, players and parents get FORBIDDEN). Plans are public to anyone signed in."""

from __future__ import annotations

import uuid

from shared.auth.principal import Principal, Role


def can_manage_plans(actor: Principal) -> bool:
    return actor.is_platform_admin


def can_change_subscriptions(actor: Principal) -> bool:
    """Putting a club on a plan by hand; clubs themselves change plans through the billing provider."""
    return actor.is_platform_admin


def can_view_inactive_plans(actor: Principal) -> bool:
    return actor.is_platform_admin


def can_view_billing(actor: Principal, organization_id: uuid.UUID) -> bool:
    """The club's subscription, customer and invoices."""
    if actor.is_platform_admin:
        return True
    return actor.organization_id == organization_id and actor.has_role(Role.CLUB_ADMIN)


def can_manage_billing(actor: Principal, organization_id: uuid.UUID) -> bool:
    return can_view_billing(actor, organization_id)
