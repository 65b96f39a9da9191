"""Events the payment service publishes."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from shared.events import record_event
from shared.plans import PlanLimit, PlanTerms
from subgraphs.payment.models import BillingPlan, Subscription, SubscriptionStatus

PRODUCER = "payment"

SUBSCRIPTION_CHANGED = "subscription.changed"
"""A club's subscription was created, or its plan, status or period changed. The data carries the plan's
tier, features and limits, so consumers (feature flags, usage checks) need not ask back: `plan` is the
plan's terms in the shape `shared.plans.PlanTerms` reads; the flat fields beside it are kept for consumers
written before it."""


def plan_terms(plan: BillingPlan) -> PlanTerms:
    """The one mapping from a billing plan's columns to the terms other services enforce and show."""
    return PlanTerms(
        name=plan.name,
        tier=plan.tier.value,
        features=tuple(feature.value for feature in plan.features),
        limits={
            PlanLimit.TEAMS: plan.max_teams,
            PlanLimit.PLAYERS: plan.max_players,
            PlanLimit.USERS: plan.max_users,
        },
    )


async def subscription_changed(
    session: AsyncSession,
    subscription: Subscription,
    plan: BillingPlan,
    *,
    previous_status: SubscriptionStatus | None,
    changed: list[str],
) -> None:
    await record_event(
        session,
        producer=PRODUCER,
        type=SUBSCRIPTION_CHANGED,
        data={
            "subscription_id": subscription.id,
            "created": previous_status is None,
            "changed": changed,
            "status": subscription.status.value,
            "previous_status": previous_status.value if previous_status else None,
            "plan_id": plan.id,
            "tier": plan.tier.value,
            "billing_interval": plan.billing_interval.value,
            "features": [feature.value for feature in plan.features],
            "max_users": plan.max_users,
            "max_teams": plan.max_teams,
            "max_players": plan.max_players,
            "current_period_start": subscription.current_period_start,
            "current_period_end": subscription.current_period_end,
            "trial_end": subscription.trial_end,
            "cancel_at_period_end": subscription.cancel_at_period_end,
            "plan": plan_terms(plan).to_data(),
        },
        organization_id=subscription.organization_id,
    )
