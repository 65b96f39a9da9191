"""All SQL of the payment service."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.database.copies import upsert_newer
from subgraphs.payment.models import (
    BillingPlan,
    Customer,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Payer,
    PayerLink,
    StripeEvent,
    Subscription,
    SubscriptionStatus,
    TeamFee,
    TeamFeeStatus,
)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
"""The event time of a row no event wrote yet: any event's is newer."""

# Plans -------------------------------------------------------------------------------------------------


async def plans(session: AsyncSession, *, include_inactive: bool) -> list[BillingPlan]:
    query = select(BillingPlan)
    if not include_inactive:
        query = query.where(BillingPlan.is_active.is_(True))
    # Enum columns sort in declaration order: BASIC..ENTERPRISE, MONTHLY..ANNUAL.
    return list(
        await session.scalars(query.order_by(BillingPlan.tier, BillingPlan.billing_interval, BillingPlan.currency))
    )


async def plans_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[BillingPlan]:
    return list(await session.scalars(select(BillingPlan).where(BillingPlan.id.in_(ids))))


# Customers ---------------------------------------------------------------------------------------------


async def customer_of_organization(session: AsyncSession, organization_id: uuid.UUID) -> Customer | None:
    result = await session.scalars(select(Customer).where(Customer.organization_id == organization_id))
    return result.first()


async def ensure_customer(session: AsyncSession, organization_id: uuid.UUID) -> Customer:
    """The organization's customer, created on first need; concurrent callers get the same row."""
    await session.execute(
        insert(Customer)
        .values(id=uuid.uuid4(), organization_id=organization_id)
        .on_conflict_do_nothing(index_elements=[Customer.organization_id])
    )
    result = await session.scalars(
        select(Customer).where(Customer.organization_id == organization_id).execution_options(populate_existing=True)
    )
    return result.one()


async def set_billing_email(session: AsyncSession, organization_id: uuid.UUID, email: str | None) -> Customer:
    """One atomic upsert: the customer row is created with the email, or its email replaced."""
    statement = (
        insert(Customer)
        .values(id=uuid.uuid4(), organization_id=organization_id, billing_email=email)
        .on_conflict_do_update(
            index_elements=[Customer.organization_id],
            set_={"billing_email": email, "updated_at": func.now()},
        )
        .returning(Customer)
    )
    result = await session.scalars(statement, execution_options={"populate_existing": True})
    return result.one()


# Subscriptions -----------------------------------------------------------------------------------------


async def current_subscription(
    session: AsyncSession, organization_id: uuid.UUID, *, for_update: bool = False
) -> Subscription | None:
    query = select(Subscription).where(
        Subscription.organization_id == organization_id, Subscription.status != SubscriptionStatus.CANCELED
    )
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    return (await session.scalars(query)).first()


# Invoices ----------------------------------------------------------------------------------------------


async def invoices_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Invoice]:
    return list(await session.scalars(select(Invoice).where(Invoice.id.in_(ids))))


async def invoice_page(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    status: InvoiceStatus | None,
    limit: int,
    after: tuple[datetime, uuid.UUID] | None,
) -> list[Invoice]:
    """Newest first, keyset-paginated on (created_at, id): stable while invoices are added."""
    query = select(Invoice).where(Invoice.organization_id == organization_id)
    if status is not None:
        query = query.where(Invoice.status == status)
    if after is not None:
        query = query.where(tuple_(Invoice.created_at, Invoice.id) < tuple_(*after))
    return list(await session.scalars(query.order_by(Invoice.created_at.desc(), Invoice.id.desc()).limit(limit)))


async def count_invoices(session: AsyncSession, *, organization_id: uuid.UUID, status: InvoiceStatus | None) -> int:
    query = select(func.count(Invoice.id)).where(Invoice.organization_id == organization_id)
    if status is not None:
        query = query.where(Invoice.status == status)
    return int(await session.scalar(query) or 0)


async def lines_of_invoices(session: AsyncSession, invoice_ids: Sequence[uuid.UUID]) -> list[InvoiceLine]:
    return list(
        await session.scalars(
            select(InvoiceLine)
            .where(InvoiceLine.invoice_id.in_(invoice_ids))
            .order_by(InvoiceLine.invoice_id, InvoiceLine.position)
        )
    )


# Stripe ------------------------------------------------------------------------------------------------


async def lock_customer(session: AsyncSession, organization_id: uuid.UUID) -> Customer:
    """The club's customer, created on first need and row-locked: one billing change per club at a time."""
    await ensure_customer(session, organization_id)
    query = (
        select(Customer)
        .where(Customer.organization_id == organization_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(query)).one()


async def customer_by_external_id(session: AsyncSession, external_id: str) -> Customer | None:
    return (await session.scalars(select(Customer).where(Customer.external_id == external_id))).first()


async def plan_by_external_price(session: AsyncSession, external_price_id: str) -> BillingPlan | None:
    query = select(BillingPlan).where(BillingPlan.external_price_id == external_price_id)
    return (await session.scalars(query)).first()


async def subscription_by_external_id(session: AsyncSession, external_id: str) -> Subscription | None:
    query = (
        select(Subscription)
        .where(Subscription.external_id == external_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(query)).first()


async def claim_stripe_event(session: AsyncSession, *, event_id: str, type: str, created: datetime) -> bool:
    """Record the event as processed; False when it already was. A concurrent redelivery waits on the
    primary key until the first transaction ends, then finds the id taken."""
    statement = (
        insert(StripeEvent)
        .values(id=event_id, type=type, created=created)
        .on_conflict_do_nothing(index_elements=[StripeEvent.id])
        .returning(StripeEvent.id)
    )
    return (await session.execute(statement)).first() is not None


# Team fees ---------------------------------------------------------------------------------------------


async def add_team_fees(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Insert the fees; a player already billed for the team and season keeps the fee they have."""
    if rows:
        await session.execute(
            insert(TeamFee)
            .values(list(rows))
            .on_conflict_do_nothing(index_elements=[TeamFee.team_id, TeamFee.season, TeamFee.player_id])
        )


async def team_fees(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    team_id: uuid.UUID | None = None,
    season: str | None = None,
    player_ids: Sequence[uuid.UUID] | None = None,
) -> list[TeamFee]:
    query = select(TeamFee).where(TeamFee.organization_id == organization_id)
    if team_id is not None:
        query = query.where(TeamFee.team_id == team_id)
    if season is not None:
        query = query.where(TeamFee.season == season)
    if player_ids is not None:
        query = query.where(TeamFee.player_id.in_(player_ids))
    return list(await session.scalars(query.order_by(TeamFee.due_date, TeamFee.player_id, TeamFee.id)))


async def team_fee_for_update(session: AsyncSession, fee_id: uuid.UUID) -> TeamFee | None:
    query = select(TeamFee).where(TeamFee.id == fee_id).with_for_update().execution_options(populate_existing=True)
    return (await session.scalars(query)).first()


# Payers ------------------------------------------------------------------------------------------------


async def upsert_payer(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    organization_id: uuid.UUID,
    email: str | None,
    name: str,
    is_active: bool,
    occurred_at: datetime,
) -> None:
    """An event older than the one that last wrote the row changes nothing. The Stripe customer id, this
    service's own, is kept."""
    values = {
        "user_id": user_id,
        "organization_id": organization_id,
        "email": email,
        "name": name,
        "is_active": is_active,
        "source_occurred_at": occurred_at,
    }
    await upsert_newer(session, Payer, ["user_id"], values)


async def upsert_payer_link(
    session: AsyncSession,
    *,
    player_id: uuid.UUID,
    user_id: uuid.UUID,
    is_parent: bool,
    is_active: bool,
    occurred_at: datetime,
) -> None:
    values = {
        "player_id": player_id,
        "user_id": user_id,
        "is_parent": is_parent,
        "is_active": is_active,
        "source_occurred_at": occurred_at,
    }
    await upsert_newer(session, PayerLink, ["player_id", "user_id"], values)


async def payers_of_players(
    session: AsyncSession, player_ids: Sequence[uuid.UUID]
) -> list[tuple[uuid.UUID, uuid.UUID, bool]]:
    """(player, user, is_parent) of every active link whose user is not known as deactivated: parents
    first, the longest-linked first among them."""
    if not player_ids:
        return []
    query = (
        select(PayerLink.player_id, PayerLink.user_id, PayerLink.is_parent)
        .outerjoin(Payer, Payer.user_id == PayerLink.user_id)
        .where(PayerLink.player_id.in_(player_ids), PayerLink.is_active.is_(True), Payer.is_active.is_not(False))
        .order_by(PayerLink.player_id, PayerLink.is_parent.desc(), PayerLink.source_occurred_at, PayerLink.user_id)
    )
    return [(row.player_id, row.user_id, row.is_parent) for row in await session.execute(query)]


async def lock_payer(session: AsyncSession, user_id: uuid.UUID, organization_id: uuid.UUID) -> Payer:
    """The payer's row, created bare when no `user.*` event described them yet, and row-locked: one
    Stripe customer per person, however many fees are invoiced at once."""
    await session.execute(
        insert(Payer)
        .values(user_id=user_id, organization_id=organization_id, name="", is_active=True, source_occurred_at=EPOCH)
        .on_conflict_do_nothing(index_elements=[Payer.user_id])
    )
    query = select(Payer).where(Payer.user_id == user_id).with_for_update().execution_options(populate_existing=True)
    return (await session.scalars(query)).one()


async def team_fee_by_external_invoice(session: AsyncSession, external_id: str) -> TeamFee | None:
    query = (
        select(TeamFee)
        .where(TeamFee.external_invoice_id == external_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(query)).first()


async def uninvoiced_team_fees(
    session: AsyncSession, *, organization_id: uuid.UUID, team_id: uuid.UUID, season: str
) -> list[TeamFee]:
    """The season's open fees without a Stripe invoice, row-locked: two runs never invoice one fee twice."""
    query = (
        select(TeamFee)
        .where(
            TeamFee.organization_id == organization_id,
            TeamFee.team_id == team_id,
            TeamFee.season == season,
            TeamFee.status == TeamFeeStatus.OPEN,
            TeamFee.external_invoice_id.is_(None),
        )
        .order_by(TeamFee.player_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return list(await session.scalars(query))
