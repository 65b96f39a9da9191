"""Keyword-only async factories for the payment service. Plans and subscriptions go through the service
layer; invoices are written as rows, since invoicing arrives with the billing provider."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from shared.auth.principal import Principal, Role
from shared.database import utcnow
from shared.database.kernel import outbox_events
from subgraphs.payment import repository
from subgraphs.payment import service as payment_service
from subgraphs.payment.models import (
    BillingInterval,
    BillingPlan,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    PlanFeature,
    PlanTier,
    Subscription,
    SubscriptionStatus,
)
from tests.support.principals import platform_admin, principal
from tests.support.services import RunningService

PLATFORM_ADMIN = platform_admin()


@dataclass(frozen=True)
class Club:
    organization_id: uuid.UUID
    admin: Principal
    coach: Principal
    player: Principal
    parent: Principal


def make_club() -> Club:
    organization_id = uuid.uuid4()
    return Club(
        organization_id=organization_id,
        admin=principal(Role.CLUB_ADMIN, organization_id=organization_id),
        coach=principal(Role.COACH, organization_id=organization_id, teams=(uuid.uuid4(),)),
        player=principal(Role.PLAYER, organization_id=organization_id, player_id=uuid.uuid4()),
        parent=principal(Role.PARENT, organization_id=organization_id, children=(uuid.uuid4(),)),
    )


async def make_plan(
    payment: RunningService,
    *,
    tier: PlanTier = PlanTier.STANDARD,
    interval: BillingInterval = BillingInterval.MONTHLY,
    price: int = 14_900,
    currency: str = "EUR",
    features: tuple[PlanFeature, ...] = (PlanFeature.MEDICAL_TRACKING,),
    max_users: int | None = 100,
    max_teams: int | None = 4,
    max_players: int | None = 120,
    trial_days: int = 14,
    active: bool = True,
) -> BillingPlan:
    async with payment.runtime.sessions() as session, session.begin():
        plan = await payment_service.create_plan(
            session,
            PLATFORM_ADMIN,
            name=f"{tier.value.title()} ({interval.value})",
            tier=tier,
            billing_interval=interval,
            price_amount=price,
            currency=currency,
            trial_days=trial_days,
            features=features,
            max_users=max_users,
            max_teams=max_teams,
            max_players=max_players,
        )
        if not active:
            plan = await payment_service.update_plan(session, PLATFORM_ADMIN, plan.id, {"is_active": False})
        return plan


async def make_subscription(
    payment: RunningService,
    *,
    club: Club,
    plan: BillingPlan,
    status: SubscriptionStatus = SubscriptionStatus.ACTIVE,
    start: datetime | None = None,
    days: int = 30,
    cancel_at_period_end: bool = False,
) -> Subscription:
    begins = start or utcnow() - timedelta(days=3)
    async with payment.runtime.sessions() as session, session.begin():
        return await payment_service.record_subscription(
            session,
            organization_id=club.organization_id,
            plan_id=plan.id,
            status=status,
            current_period_start=begins,
            current_period_end=begins + timedelta(days=days),
            cancel_at_period_end=cancel_at_period_end,
        )


async def make_invoice(
    payment: RunningService,
    *,
    club: Club,
    number: str,
    issued: date,
    status: InvoiceStatus = InvoiceStatus.PAID,
    subtotal: int = 14_900,
    tax: int = 3_725,
    amount_paid: int | None = None,
    lines: tuple[tuple[str, int, int], ...] = (),
) -> Invoice:
    """An invoice of the club; `lines` are (description, quantity, unit amount), and default to one line
    for the subtotal. A PAID invoice is paid in full unless `amount_paid` says otherwise."""
    total = subtotal + tax
    paid = amount_paid if amount_paid is not None else (total if status is InvoiceStatus.PAID else 0)
    async with payment.runtime.sessions() as session, session.begin():
        customer = await repository.ensure_customer(session, club.organization_id)
        invoice = Invoice(
            organization_id=club.organization_id,
            customer_id=customer.id,
            number=number,
            status=status,
            currency="EUR",
            subtotal=subtotal,
            tax=tax,
            total=total,
            amount_paid=paid,
            issue_date=None if status is InvoiceStatus.DRAFT else issued,
            due_date=None if status is InvoiceStatus.DRAFT else issued + timedelta(days=14),
            paid_at=datetime.combine(issued, time(9), tzinfo=UTC) if status is InvoiceStatus.PAID else None,
            created_at=datetime.combine(issued, time(8), tzinfo=UTC),
        )
        session.add(invoice)
        await session.flush()
        for position, (description, quantity, unit) in enumerate(lines or (("Plan", 1, subtotal),), start=1):
            session.add(
                InvoiceLine(
                    invoice_id=invoice.id,
                    position=position,
                    description=description,
                    quantity=quantity,
                    unit_amount=unit,
                )
            )
        await session.flush()
        return invoice


async def outbox(payment: RunningService, event_type: str) -> list[dict[str, object]]:
    """The data of the events of this type the service wrote to its outbox, oldest first."""
    async with payment.engine.connect() as connection:
        rows = await connection.execute(
            select(outbox_events.c.data).where(outbox_events.c.type == event_type).order_by(outbox_events.c.seq)
        )
        return [dict(row.data) for row in rows]
