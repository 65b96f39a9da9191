"""Domain rules of plans, subscriptions and invoices. No GraphQL here: plain values in, models out.

Checkout, charges and webhooks arrive with the Stripe integration; `record_subscription` is the one
entry point through which the billing provider's view of a subscription will then be written.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.database import utcnow
from shared.database.integrity import flush
from shared.errors import Conflict, Forbidden, InvalidInput, not_found
from shared.graphql import decode_cursor, encode_cursor
from subgraphs.payment import events, repository
from subgraphs.payment.models import (
    INTERVAL_MONTHS,
    BillingInterval,
    BillingPlan,
    Customer,
    Invoice,
    InvoiceStatus,
    PlanFeature,
    PlanTier,
    Subscription,
    SubscriptionStatus,
)
from subgraphs.payment.permissions import (
    can_change_subscriptions,
    can_manage_billing,
    can_manage_plans,
    can_view_billing,
    can_view_inactive_plans,
)

MAX_PRICE = 100_000_000
"""A million in major units: far above any plan, low enough to catch a misplaced decimal point."""
MAX_PAGE = 100
_CURRENCY = re.compile(r"^[A-Z]{3}$")

_PLAN_CONFLICTS = {
    "uq_billing_plans_active_tier_interval_currency": Conflict(
        "an active plan already has this tier, interval and currency", field="tier"
    ),
}


def _billing_organization(actor: Principal, organization_id: uuid.UUID | None) -> uuid.UUID:
    """The club whose billing is read or changed: the caller's own, or any for a platform admin."""
    if organization_id is None:
        organization_id = actor.require_organization()
    if not can_view_billing(actor, organization_id):
        raise Forbidden("billing is visible to the club's administrators only")
    return organization_id


# Plans -------------------------------------------------------------------------------------------------


async def list_plans(session: AsyncSession, actor: Principal, *, include_inactive: bool = False) -> list[BillingPlan]:
    if include_inactive and not can_view_inactive_plans(actor):
        raise Forbidden("only platform administrators see retired plans")
    return await repository.plans(session, include_inactive=include_inactive)


def _currency(value: str) -> str:
    code = value.strip().upper()
    if not _CURRENCY.match(code):
        raise InvalidInput("currency must be an ISO 4217 code such as EUR or SEK", field="currency")
    return code


def _limit(value: int | None, *, field: str) -> int | None:
    return None if value is None else validation.integer(value, field=field, minimum=1, maximum=1_000_000)


def _plan_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """Validated plan attributes from whichever of them are given."""
    checked: dict[str, Any] = {}
    if "name" in values:
        checked["name"] = validation.text(validation.required(values, "name"), field="name", max_length=80)
    if "description" in values:
        checked["description"] = validation.optional_text(values["description"], field="description", max_length=2000)
    for name in ("tier", "billing_interval"):
        if name in values:
            checked[name] = validation.required(values, name)
    if "price_amount" in values:
        checked["price_amount"] = validation.integer(
            validation.required(values, "price_amount"), field="priceAmount", minimum=0, maximum=MAX_PRICE
        )
    if "currency" in values:
        checked["currency"] = _currency(validation.required(values, "currency"))
    if "trial_days" in values:
        checked["trial_days"] = validation.integer(
            validation.required(values, "trial_days"), field="trialDays", minimum=0, maximum=365
        )
    if "features" in values:
        features: Sequence[PlanFeature] = validation.required(values, "features")
        checked["features"] = sorted(set(features), key=list(PlanFeature).index)
    for name in ("max_users", "max_teams", "max_players"):
        if name in values:
            checked[name] = _limit(values[name], field=validation.camel(name))
    if "is_active" in values:
        checked["is_active"] = bool(validation.required(values, "is_active"))
    return checked


async def create_plan(
    session: AsyncSession,
    actor: Principal,
    *,
    name: str,
    tier: PlanTier,
    billing_interval: BillingInterval,
    price_amount: int,
    currency: str,
    trial_days: int = 0,
    features: Sequence[PlanFeature] = (),
    max_users: int | None = None,
    max_teams: int | None = None,
    max_players: int | None = None,
    description: str | None = None,
) -> BillingPlan:
    if not can_manage_plans(actor):
        raise Forbidden("only platform administrators create plans")
    plan = BillingPlan(
        is_active=True,
        **_plan_fields(
            {
                "name": name,
                "description": description,
                "tier": tier,
                "billing_interval": billing_interval,
                "price_amount": price_amount,
                "currency": currency,
                "trial_days": trial_days,
                "features": features,
                "max_users": max_users,
                "max_teams": max_teams,
                "max_players": max_players,
            }
        ),
    )
    session.add(plan)
    await flush(session, violations=_PLAN_CONFLICTS)
    return plan


async def update_plan(
    session: AsyncSession, actor: Principal, plan_id: uuid.UUID, changes: Mapping[str, Any]
) -> BillingPlan:
    """Change a plan, or retire it (`is_active` False): it is no longer sold, and subscribers keep it."""
    if not can_manage_plans(actor):
        raise Forbidden("only platform administrators change plans")
    found = await repository.plans_by_ids(session, [plan_id])
    if not found:
        raise not_found("BillingPlan", plan_id)
    plan = found[0]
    fields = _plan_fields(changes)
    if plan.external_price_id is not None:
        # Stripe prices are immutable and subscribers are billed by theirs: a new price is a new plan.
        for name in ("price_amount", "currency", "billing_interval"):
            if name in fields and fields[name] != getattr(plan, name):
                raise Conflict(
                    "the plan is sold through Stripe, whose prices never change: retire it (isActive false) "
                    "and create a plan with the new price",
                    field=validation.camel(name),
                )
    for name, value in fields.items():
        setattr(plan, name, value)
    await flush(session, violations=_PLAN_CONFLICTS)
    return plan


# Customers ---------------------------------------------------------------------------------------------


async def get_customer(
    session: AsyncSession, actor: Principal, *, organization_id: uuid.UUID | None = None
) -> Customer | None:
    return await repository.customer_of_organization(session, _billing_organization(actor, organization_id))


async def update_billing_contact(
    session: AsyncSession,
    actor: Principal,
    *,
    billing_email: str | None,
    organization_id: uuid.UUID | None = None,
) -> Customer:
    organization = _billing_organization(actor, organization_id)
    if not can_manage_billing(actor, organization):
        raise Forbidden("only the club's administrators change its billing contact")
    email = None if billing_email is None else validation.email(billing_email, field="billingEmail")
    return await repository.set_billing_email(session, organization, email)


# Subscriptions -----------------------------------------------------------------------------------------


async def get_subscription(
    session: AsyncSession, actor: Principal, *, organization_id: uuid.UUID | None = None
) -> Subscription | None:
    """The club's current (not canceled) subscription, or None when it has none."""
    return await repository.current_subscription(session, _billing_organization(actor, organization_id))


def _instant(value: datetime, *, field: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(f"{field} must carry a time zone offset", field=field)
    return value


def _optional_instant(value: datetime | None, *, field: str) -> datetime | None:
    return None if value is None else _instant(value, field=field)


async def record_subscription(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    plan_id: uuid.UUID,
    status: SubscriptionStatus,
    current_period_start: datetime,
    current_period_end: datetime,
    trial_end: datetime | None = None,
    cancel_at_period_end: bool = False,
    canceled_at: datetime | None = None,
    external_id: str | None = None,
) -> Subscription:
    """Create the club's current subscription, or bring it up to date; `subscription.changed` goes out
    when anything changed. Not a caller's action: the billing provider (and the demo) reports these.

    A CANCELED status retires the current subscription; the next call then starts a new one.
    """
    found = await repository.plans_by_ids(session, [plan_id])
    if not found:
        raise InvalidInput(f"plan {plan_id} does not exist", field="planId")
    plan = found[0]
    start = _instant(current_period_start, field="currentPeriodStart")
    end = _instant(current_period_end, field="currentPeriodEnd")
    if end <= start:
        raise InvalidInput("the period must end after it starts", field="currentPeriodEnd")
    values: dict[str, Any] = {
        "plan_id": plan.id,
        "status": status,
        "current_period_start": start,
        "current_period_end": end,
        "trial_end": _optional_instant(trial_end, field="trialEnd"),
        "cancel_at_period_end": cancel_at_period_end,
        "canceled_at": _optional_instant(canceled_at, field="canceledAt"),
        "external_id": external_id,
    }
    subscription = await repository.current_subscription(session, organization_id, for_update=True)
    if subscription is None:
        customer = await repository.ensure_customer(session, organization_id)
        subscription = Subscription(organization_id=organization_id, customer_id=customer.id, **values)
        session.add(subscription)
        previous, changed = None, sorted(values)
    else:
        previous = subscription.status
        changed = sorted(name for name, value in values.items() if getattr(subscription, name) != value)
        for name in changed:
            setattr(subscription, name, values[name])
    await flush(
        session,
        violations={
            "uq_subscriptions_current_organization_id": Conflict(
                "the club already has a current subscription", field="organizationId"
            ),
            "uq_subscriptions_external_id": Conflict("another subscription has this external id", field="externalId"),
        },
    )
    if changed:
        await events.subscription_changed(session, subscription, plan, previous_status=previous, changed=changed)
    return subscription


_KEPT_ON_PLAN_CHANGE = (SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE)


def _months_later(start: datetime, months: int) -> datetime:
    index = start.year * 12 + start.month - 1 + months
    return start.replace(year=index // 12, month=index % 12 + 1, day=min(start.day, 28))


async def change_organization_plan(
    session: AsyncSession, actor: Principal, *, organization_id: uuid.UUID, plan_id: uuid.UUID
) -> Subscription:
    """Put a club on a plan by hand (contracts billed outside the provider, goodwill upgrades): a current
    subscription keeps its status and period and changes plan; otherwise an active one starts now for
    one billing interval. Publishes `subscription.changed` like any other change."""
    if not can_change_subscriptions(actor):
        raise Forbidden("only platform administrators change a club's plan by hand")
    found = await repository.plans_by_ids(session, [plan_id])
    if not found:
        raise not_found("BillingPlan", plan_id)
    plan = found[0]
    if not plan.is_active:
        raise InvalidInput("the plan is no longer sold", field="planId")
    current = await repository.current_subscription(session, organization_id, for_update=True)
    if current is not None and current.status in _KEPT_ON_PLAN_CHANGE:
        return await record_subscription(
            session,
            organization_id=organization_id,
            plan_id=plan.id,
            status=current.status,
            current_period_start=current.current_period_start,
            current_period_end=current.current_period_end,
            trial_end=current.trial_end,
            cancel_at_period_end=current.cancel_at_period_end,
            canceled_at=current.canceled_at,
            external_id=current.external_id,
        )
    if current is not None:  # unpaid or incomplete: retired, so the new plan starts afresh
        current.status = SubscriptionStatus.CANCELED
        current.canceled_at = utcnow()
        await session.flush()
    start = utcnow()
    return await record_subscription(
        session,
        organization_id=organization_id,
        plan_id=plan.id,
        status=SubscriptionStatus.ACTIVE,
        current_period_start=start,
        current_period_end=_months_later(start, INTERVAL_MONTHS[plan.billing_interval]),
    )


# Invoices ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InvoicePage:
    invoices: list[Invoice]
    has_next_page: bool
    end_cursor: str | None
    organization_id: uuid.UUID
    status: InvoiceStatus | None


def _after(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    if cursor is None:
        return None
    values = decode_cursor(cursor, field="after")
    try:
        created_at, identifier = values
        return datetime.fromisoformat(str(created_at)), uuid.UUID(str(identifier))
    except ValueError:
        raise InvalidInput("after is not a cursor this API issued", field="after") from None


async def list_invoices(
    session: AsyncSession,
    actor: Principal,
    *,
    status: InvoiceStatus | None = None,
    first: int = 20,
    after: str | None = None,
    organization_id: uuid.UUID | None = None,
) -> InvoicePage:
    organization = _billing_organization(actor, organization_id)
    limit = validation.integer(first, field="first", minimum=1, maximum=MAX_PAGE)
    rows = await repository.invoice_page(
        session, organization_id=organization, status=status, limit=limit + 1, after=_after(after)
    )
    page = rows[:limit]
    last = page[-1] if page else None
    return InvoicePage(
        invoices=page,
        has_next_page=len(rows) > limit,
        end_cursor=encode_cursor(last.created_at.isoformat(), str(last.id)) if last else None,
        organization_id=organization,
        status=status,
    )


async def count_invoices(session: AsyncSession, actor: Principal, page: InvoicePage) -> int:
    organization = _billing_organization(actor, page.organization_id)
    return await repository.count_invoices(session, organization_id=organization, status=page.status)


async def get_invoice(session: AsyncSession, actor: Principal, invoice_id: uuid.UUID) -> Invoice:
    found = await repository.invoices_by_ids(session, [invoice_id])
    if not found or not actor.in_organization(found[0].organization_id):
        raise not_found("Invoice", invoice_id)
    if not can_view_billing(actor, found[0].organization_id):
        raise Forbidden("invoices are visible to the club's administrators only")
    return found[0]
