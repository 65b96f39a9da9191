"""The club's plan at the user service: what it allows, how much of it is used, and the check that refuses
a team or player beyond it. The plan itself is payment's, kept here from `subscription.changed`
(`shared.plans`); no call to payment is made."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import Principal
from shared.errors import not_found
from shared.plans import OrganizationPlan, PlanLimit, PlanLimitReached, plan_of
from subgraphs.user import repository
from subgraphs.user.permissions import can_view_organization


@dataclass(frozen=True, slots=True)
class PlanUsage:
    """How much of its plan a club uses now."""

    teams: int
    players: int
    users: int

    def of(self, limit: PlanLimit) -> int:
        match limit:
            case PlanLimit.TEAMS:
                return self.teams
            case PlanLimit.PLAYERS:
                return self.players
            case PlanLimit.USERS:
                return self.users


@dataclass(frozen=True, slots=True)
class PlanStanding:
    plan: OrganizationPlan
    usage: PlanUsage


async def plan_standing(session: AsyncSession, actor: Principal, organization_id: uuid.UUID) -> PlanStanding:
    """The club's plan with its usage, for its members and platform administrators."""
    if not can_view_organization(actor, organization_id):
        raise not_found("Organization", organization_id)
    plan = await plan_of(session, organization_id)
    return PlanStanding(plan, PlanUsage(*await repository.usage(session, organization_id)))


async def require_room(session: AsyncSession, organization_id: uuid.UUID, limit: PlanLimit) -> None:
    """Refuse with PLAN_LIMIT_REACHED when the club already has as many as its plan allows.

    The club's row is locked first, so two additions racing each other are counted one after the other
    and cannot both take the last place.
    """
    await repository.lock_organization(session, organization_id)
    plan = await plan_of(session, organization_id)
    maximum = plan.terms.limit(limit)
    if maximum is None:
        return
    used = PlanUsage(*await repository.usage(session, organization_id)).of(limit)
    if used >= maximum:
        raise PlanLimitReached(plan.terms, limit, maximum)
