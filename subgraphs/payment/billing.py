"""A club's own subscription through Stripe: subscribe (with the plan's trial), change plan (Stripe
prorates), cancel at the period's end, resume; and what Stripe holds for the club (invoices, cards).

Every Stripe state is written through `record_provider_state`, from an API reply here or from a webhook
(webhooks.py), so both paths apply the same rules: the newest state wins, `subscription.changed` goes out.

Stripe is called inside the request's transaction, before its commit: the local row needs Stripe's ids and
period. Should the commit then fail, Stripe's own `customer.subscription.*` webhooks (which carry the
club in their metadata) write the state Stripe holds, so nothing stays lost.

Without a Stripe key (the embedded demo) cancel and resume still work on a local-only subscription;
subscribing and changing plan answer BILLING_PROVIDER_NOT_CONFIGURED.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import Principal
from shared.database import utcnow
from shared.errors import Conflict, Forbidden, InvalidInput, not_found
from shared.settings import Settings
from subgraphs.payment import repository
from subgraphs.payment.models import BillingPlan, Customer, Subscription, SubscriptionStatus
from subgraphs.payment.permissions import can_manage_billing, can_view_billing
from subgraphs.payment.service import record_subscription
from subgraphs.payment.stripe_gateway import (
    ProviderInvoice,
    ProviderPaymentMethod,
    ProviderSubscription,
    StripeGateway,
    require_gateway,
)

_STATUSES = {status.value: status for status in SubscriptionStatus} | {
    "incomplete_expired": SubscriptionStatus.CANCELED,
    # A paused subscription charges nothing, so its plan is not in force.
    "paused": SubscriptionStatus.UNPAID,
}


def _organization(actor: Principal, organization_id: uuid.UUID | None, *, manage: bool) -> uuid.UUID:
    """The club whose billing is read or changed: the caller's own, or any for a platform admin."""
    organization = organization_id or actor.require_organization()
    if manage and not can_manage_billing(actor, organization):
        raise Forbidden("only the club's administrators change its subscription")
    if not can_view_billing(actor, organization):
        raise Forbidden("billing is visible to the club's administrators only")
    return organization


def _stripe_now() -> datetime:
    """Now, in whole seconds as Stripe stamps its events: an event Stripe sends about a change in the
    same second as this reply (a first payment settling) is then not taken for an older one."""
    return utcnow().replace(microsecond=0)


async def record_provider_state(
    session: AsyncSession, state: ProviderSubscription, *, at: datetime
) -> Subscription | None:
    """Write Stripe's view of a subscription as of `at`; None when it names no plan or club known here.

    An older state than the one stored (a webhook delivered late) changes nothing, and a canceled
    subscription stays canceled: Stripe never revives one."""
    plan = await repository.plan_by_external_price(session, state.price_id) if state.price_id else None
    if plan is None:
        return None
    organization_id = state.organization_id
    if organization_id is None and state.customer_id:
        customer = await repository.customer_by_external_id(session, state.customer_id)
        organization_id = customer.organization_id if customer else None
    if organization_id is None:
        return None
    status = _STATUSES.get(state.status, SubscriptionStatus.INCOMPLETE)
    row = await repository.subscription_by_external_id(session, state.id)
    if row is not None:
        if row.status is SubscriptionStatus.CANCELED:
            return row
        if row.provider_state_at is not None and at < row.provider_state_at:
            return row
    else:
        # A Stripe subscription not known here: never let it end, or take the place of, the club's
        # current one (a late event of an old subscription); it starts one only where Stripe has none.
        current = await repository.current_subscription(session, organization_id, for_update=True)
        if status is SubscriptionStatus.CANCELED or (current is not None and current.external_id is not None):
            return None
    subscription = await record_subscription(
        session,
        organization_id=organization_id,
        plan_id=plan.id,
        status=status,
        current_period_start=state.current_period_start,
        current_period_end=state.current_period_end,
        trial_end=state.trial_end,
        cancel_at_period_end=state.cancel_at_period_end,
        canceled_at=state.canceled_at,
        external_id=state.id,
    )
    subscription.provider_state_at = at
    await session.flush()
    return subscription


async def _price_of(session: AsyncSession, gateway: StripeGateway, plan: BillingPlan) -> str:
    if plan.external_price_id is None:
        plan.external_price_id = await gateway.create_price(
            name=plan.name,
            amount=plan.price_amount,
            currency=plan.currency,
            interval=plan.billing_interval.value,
            plan_id=plan.id,
        )
        await session.flush()
    return plan.external_price_id


async def _plan_on_sale(session: AsyncSession, plan_id: uuid.UUID) -> BillingPlan:
    found = await repository.plans_by_ids(session, [plan_id])
    if not found:
        raise not_found("BillingPlan", plan_id)
    if not found[0].is_active:
        raise InvalidInput("the plan is no longer sold", field="planId")
    return found[0]


async def _stripe_customer(session: AsyncSession, gateway: StripeGateway, customer: Customer) -> str:
    if customer.external_id is None:
        customer.external_id = await gateway.create_customer(
            organization_id=customer.organization_id, email=customer.billing_email
        )
        await session.flush()
    return customer.external_id


async def subscribe(
    session: AsyncSession,
    actor: Principal,
    settings: Settings,
    *,
    organization_id: uuid.UUID | None,
    plan_id: uuid.UUID,
    payment_method_id: str | None,
) -> Subscription:
    """Start the club's Stripe subscription on a plan, with the plan's trial days before the first charge.
    A local-only subscription (set by hand, or the demo's) is replaced by the Stripe one."""
    organization = _organization(actor, organization_id, manage=True)
    if payment_method_id is not None and not payment_method_id.startswith("pm_"):
        raise InvalidInput("paymentMethodId must be a Stripe payment method id (pm_...)", field="paymentMethodId")
    plan = await _plan_on_sale(session, plan_id)
    gateway = require_gateway(settings)
    customer = await repository.lock_customer(session, organization)
    current = await repository.current_subscription(session, organization, for_update=True)
    if current is not None and current.external_id is not None:
        raise Conflict(
            "the club already has a Stripe subscription; change its plan with changeSubscriptionPlan",
            field="organizationId",
        )
    customer_id = await _stripe_customer(session, gateway, customer)
    if payment_method_id is not None:
        await gateway.use_payment_method(customer_id=customer_id, payment_method_id=payment_method_id)
    price = await _price_of(session, gateway, plan)
    now = _stripe_now()
    state = await gateway.create_subscription(
        customer_id=customer_id,
        price_id=price,
        organization_id=organization,
        trial_end=now + timedelta(days=plan.trial_days) if plan.trial_days else None,
    )
    subscription = await record_provider_state(session, state, at=now)
    assert subscription is not None  # the price and the club are both known here
    return subscription


async def _current(session: AsyncSession, organization: uuid.UUID) -> Subscription:
    current = await repository.current_subscription(session, organization, for_update=True)
    if current is None:
        raise InvalidInput("the club has no current subscription; subscribe first", field="organizationId")
    return current


async def change_plan(
    session: AsyncSession,
    actor: Principal,
    settings: Settings,
    *,
    organization_id: uuid.UUID | None,
    plan_id: uuid.UUID,
) -> Subscription:
    """Upgrade or downgrade: Stripe moves the subscription to the plan's price and prorates the rest of
    the period (its default)."""
    organization = _organization(actor, organization_id, manage=True)
    plan = await _plan_on_sale(session, plan_id)
    await repository.lock_customer(session, organization)
    current = await _current(session, organization)
    if current.external_id is None:
        raise InvalidInput(
            "the club's subscription is not billed through Stripe; subscribe to the plan instead", field="planId"
        )
    if current.plan_id == plan.id:
        return current
    gateway = require_gateway(settings)
    price = await _price_of(session, gateway, plan)
    state = await gateway.change_price(subscription_id=current.external_id, price_id=price)
    subscription = await record_provider_state(session, state, at=_stripe_now())
    assert subscription is not None
    return subscription


async def set_cancel_at_period_end(
    session: AsyncSession,
    actor: Principal,
    settings: Settings,
    *,
    organization_id: uuid.UUID | None,
    cancel: bool,
) -> Subscription:
    """Cancel at the end of the paid period (`cancel` True), or take that back (resume)."""
    organization = _organization(actor, organization_id, manage=True)
    await repository.lock_customer(session, organization)
    current = await _current(session, organization)
    if current.external_id is None:
        return await record_subscription(
            session,
            organization_id=organization,
            plan_id=current.plan_id,
            status=current.status,
            current_period_start=current.current_period_start,
            current_period_end=current.current_period_end,
            trial_end=current.trial_end,
            cancel_at_period_end=cancel,
            canceled_at=current.canceled_at,
        )
    gateway = require_gateway(settings)
    state = await gateway.cancel_at_period_end(subscription_id=current.external_id, cancel=cancel)
    subscription = await record_provider_state(session, state, at=_stripe_now())
    return subscription or current


async def _customer_for_reading(session: AsyncSession, organization: uuid.UUID) -> str | None:
    customer = await repository.customer_of_organization(session, organization)
    return customer.external_id if customer else None


async def provider_invoices(
    session: AsyncSession, actor: Principal, settings: Settings, *, organization_id: uuid.UUID | None, first: int
) -> list[ProviderInvoice]:
    """The club's invoices as Stripe holds them, newest first; none before the club paid through Stripe."""
    organization = _organization(actor, organization_id, manage=False)
    if not 1 <= first <= 100:
        raise InvalidInput("first must be between 1 and 100", field="first")
    customer_id = await _customer_for_reading(session, organization)
    if customer_id is None:
        return []
    return await require_gateway(settings).invoices(customer_id=customer_id, limit=first)


async def provider_payment_methods(
    session: AsyncSession, actor: Principal, settings: Settings, *, organization_id: uuid.UUID | None
) -> list[ProviderPaymentMethod]:
    organization = _organization(actor, organization_id, manage=False)
    customer_id = await _customer_for_reading(session, organization)
    if customer_id is None:
        return []
    return await require_gateway(settings).payment_methods(customer_id=customer_id)
