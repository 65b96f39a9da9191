"""The platform's plans and the demo club's billing: its customer, a year of invoices, and its current
STANDARD annual subscription.

The club paid monthly for eleven months, then switched to the annual plan ten days ago: the monthly
subscription is kept as canceled history, its invoices are paid, and the first annual invoice is open.
Subscription changes go through the service, so they publish `subscription.changed` like real ones.

Each team's players owe the season fee: about a third paid, a few of the open ones overdue, so parents
and staff see every state (`teamFees`). No Stripe ids: the demo runs without Stripe.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from shared.demo import DEMO_DOMAIN, DemoClub, demo_id
from shared.roster import copy_demo_roster
from subgraphs.payment import repository, service
from subgraphs.payment.models import (
    BillingInterval,
    BillingPlan,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    PlanFeature,
    PlanTier,
    SubscriptionStatus,
    TeamFee,
    TeamFeeStatus,
)

CURRENCY = "EUR"
VAT_PERCENT = 25
ANNUAL_MONTHS_CHARGED = 10
"""Annual plans cost ten months: two months free for paying up front."""


@dataclass(frozen=True, slots=True)
class _Tier:
    tier: PlanTier
    name: str
    monthly_cents: int
    trial_days: int
    features: tuple[PlanFeature, ...]
    max_users: int | None
    max_teams: int | None
    max_players: int | None
    description: str


# Accounts are players, their parents and the staff: about three for each roster place a tier allows.
_TIERS = (
    _Tier(
        PlanTier.BASIC,
        "Basic",
        4_900,
        14,
        (),
        100,
        1,
        30,
        "One team: roster, calendar, chat and game statistics.",
    ),
    _Tier(
        PlanTier.STANDARD,
        "Standard",
        14_900,
        14,
        (PlanFeature.MEDICAL_TRACKING, PlanFeature.PARENT_PAYMENTS),
        350,
        4,
        120,
        "A club with a few teams: adds medical tracking and parents' team fees.",
    ),
    _Tier(
        PlanTier.PREMIUM,
        "Premium",
        29_900,
        14,
        (
            PlanFeature.MEDICAL_TRACKING,
            PlanFeature.ADVANCED_ANALYTICS,
            PlanFeature.VIDEO_ANALYSIS,
            PlanFeature.CUSTOM_REPORTS,
            PlanFeature.PARENT_PAYMENTS,
        ),
        1_200,
        12,
        400,
        "A full club: adds advanced analytics, video analysis and custom reports.",
    ),
    _Tier(
        PlanTier.ENTERPRISE,
        "Enterprise",
        79_900,
        30,
        tuple(PlanFeature),
        None,
        None,
        None,
        "Associations and academies: no limits, API access and priority support.",
    ),
)


def plan_id(tier: PlanTier, interval: BillingInterval) -> uuid.UUID:
    return demo_id("payment", "plan", tier.value, interval.value)


def _plans() -> list[BillingPlan]:
    plans = []
    for tier in _TIERS:
        for interval, price, label in (
            (BillingInterval.MONTHLY, tier.monthly_cents, "monthly"),
            (BillingInterval.ANNUAL, tier.monthly_cents * ANNUAL_MONTHS_CHARGED, "annual"),
        ):
            plans.append(
                BillingPlan(
                    id=plan_id(tier.tier, interval),
                    name=f"{tier.name} ({label})",
                    description=tier.description,
                    tier=tier.tier,
                    billing_interval=interval,
                    price_amount=price,
                    currency=CURRENCY,
                    trial_days=tier.trial_days,
                    features=list(tier.features),
                    max_users=tier.max_users,
                    max_teams=tier.max_teams,
                    max_players=tier.max_players,
                    is_active=True,
                )
            )
    return plans


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, min(day.day, 28))


def _at(day: date, hour: int = 0) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _invoice(
    *,
    number: int,
    club: DemoClub,
    customer_id: uuid.UUID,
    subscription_id: uuid.UUID,
    plan: BillingPlan,
    period_start: date,
    period_end: date,
    paid_after_days: int | None,
) -> tuple[Invoice, InvoiceLine]:
    invoice_id = demo_id("payment", "invoice", number)
    subtotal = plan.price_amount
    tax = subtotal * VAT_PERCENT // 100
    paid = paid_after_days is not None
    invoice = Invoice(
        id=invoice_id,
        organization_id=club.organization_id,
        customer_id=customer_id,
        subscription_id=subscription_id,
        number=f"HH-LYNX-{number:05d}",
        status=InvoiceStatus.PAID if paid else InvoiceStatus.OPEN,
        currency=plan.currency,
        subtotal=subtotal,
        tax=tax,
        total=subtotal + tax,
        amount_paid=subtotal + tax if paid else 0,
        issue_date=period_start,
        due_date=period_start + timedelta(days=30 if plan.billing_interval is BillingInterval.ANNUAL else 14),
        paid_at=_at(period_start + timedelta(days=paid_after_days), 10) if paid_after_days is not None else None,
        created_at=_at(period_start, 6),
    )
    line = InvoiceLine(
        id=demo_id("payment", "invoice-line", number, 1),
        invoice_id=invoice_id,
        position=1,
        description=f"Hockey Hub {plan.name}",
        quantity=1,
        unit_amount=subtotal,
        period_start=period_start,
        period_end=period_end - timedelta(days=1),
    )
    return invoice, line


async def load_demo(session: AsyncSession, club: DemoClub) -> bool:
    if await repository.plans_by_ids(session, [plan_id(PlanTier.BASIC, BillingInterval.MONTHLY)]):
        return False
    plans = {(plan.tier, plan.billing_interval): plan for plan in _plans()}
    session.add_all(plans.values())
    await session.flush()
    customer = await repository.set_billing_email(session, club.organization_id, f"billing@{DEMO_DOMAIN}")

    monthly = plans[(PlanTier.STANDARD, BillingInterval.MONTHLY)]
    annual = plans[(PlanTier.STANDARD, BillingInterval.ANNUAL)]
    switched = club.today - timedelta(days=10)
    history = await service.record_subscription(
        session,
        organization_id=club.organization_id,
        plan_id=monthly.id,
        status=SubscriptionStatus.ACTIVE,
        current_period_start=_at(_months_before(switched, 1)),
        current_period_end=_at(switched),
    )
    await service.record_subscription(
        session,
        organization_id=club.organization_id,
        plan_id=monthly.id,
        status=SubscriptionStatus.CANCELED,
        current_period_start=_at(_months_before(switched, 1)),
        current_period_end=_at(switched),
        canceled_at=_at(switched),
    )
    current = await service.record_subscription(
        session,
        organization_id=club.organization_id,
        plan_id=annual.id,
        status=SubscriptionStatus.ACTIVE,
        current_period_start=_at(switched),
        current_period_end=_at(date(switched.year + 1, switched.month, min(switched.day, 28))),
    )

    rows: list[Invoice | InvoiceLine] = []
    for number, months_back in enumerate(range(11, 0, -1), start=1):
        start = _months_before(switched, months_back)
        end = switched if months_back == 1 else _months_before(switched, months_back - 1)
        rows.extend(
            _invoice(
                number=number,
                club=club,
                customer_id=customer.id,
                subscription_id=history.id,
                plan=monthly,
                period_start=start,
                period_end=end,
                paid_after_days=2 + number % 6,
            )
        )
    rows.extend(
        _invoice(
            number=12,
            club=club,
            customer_id=customer.id,
            subscription_id=current.id,
            plan=annual,
            period_start=switched,
            period_end=current.current_period_end.date(),
            paid_after_days=None,
        )
    )
    session.add_all(row for row in rows if isinstance(row, Invoice))
    await session.flush()
    session.add_all(row for row in rows if isinstance(row, InvoiceLine))
    await session.flush()
    await copy_demo_roster(session, club, occurred_at=_at(club.today))
    session.add_all(_team_fees(club))
    await session.flush()
    return True


def _team_fees(club: DemoClub) -> list[TeamFee]:
    """The season fee of every player: senior teams pay more; every third paid, every fifth overdue."""
    fees = []
    for team in club.teams:
        amount = 450_000 if team.category == "senior" else 250_000
        for number, player in enumerate(club.roster(team.id)):
            paid = number % 3 == 0
            due = club.today - timedelta(days=14) if number % 5 == 1 else club.today + timedelta(days=30)
            fees.append(
                TeamFee(
                    id=demo_id("payment", "team-fee", player.id),
                    organization_id=club.organization_id,
                    team_id=team.id,
                    player_id=player.id,
                    season=club.season_name,
                    description=f"{club.season_name} season fee, {team.name}",
                    amount=amount,
                    currency="SEK",
                    due_date=due,
                    status=TeamFeeStatus.PAID if paid else TeamFeeStatus.OPEN,
                    paid_at=_at(club.today - timedelta(days=20), 10) if paid else None,
                )
            )
    return fees
