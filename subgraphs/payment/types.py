"""GraphQL types of the payment service; amounts are integer minor units beside an ISO currency code."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import strawberry
from strawberry import Private

from shared.database import utcnow
from shared.errors import not_found
from shared.graphql import Ctx, OrganizationReference, actor, to_id
from subgraphs.payment import loaders, models, service

strawberry.enum(models.PlanTier, name="PlanTier", description="The level of a plan, from BASIC to ENTERPRISE.")
strawberry.enum(models.BillingInterval, name="BillingInterval", description="How often a plan is billed.")
strawberry.enum(models.PlanFeature, name="PlanFeature", description="A capability a plan unlocks.")
strawberry.enum(
    models.SubscriptionStatus,
    name="SubscriptionStatus",
    description="Where a subscription stands with the billing provider.",
)
strawberry.enum(models.InvoiceStatus, name="InvoiceStatus", description="Where an invoice stands.")


@strawberry.type(description="How much of the platform a plan allows; null means unlimited.")
class PlanLimits:
    max_users: int | None = strawberry.field(description="Accounts in the club.")
    max_teams: int | None = strawberry.field(description="Teams in the club.")
    max_players: int | None = strawberry.field(description="Players on the club's rosters.")

    @classmethod
    def of(cls, plan: models.BillingPlan) -> PlanLimits:
        return cls(max_users=plan.max_users, max_teams=plan.max_teams, max_players=plan.max_players)


@strawberry.type(description="A plan the platform sells: a tier at a price per billing interval.")
class BillingPlan:
    id: strawberry.ID = strawberry.field(description="The plan's id.")
    name: str = strawberry.field(description="Display name, e.g. Standard (annual).")
    description: str | None = strawberry.field(description="What the plan is for.")
    tier: models.PlanTier = strawberry.field(description="Basic, standard, premium or enterprise.")
    billing_interval: models.BillingInterval = strawberry.field(description="Monthly, quarterly or annual.")
    price_amount: int = strawberry.field(description="Price per interval in minor units (cents), before tax.")
    currency: str = strawberry.field(description="ISO 4217 currency code of the price.")
    trial_days: int = strawberry.field(description="Free days before the first charge.")
    features: list[models.PlanFeature] = strawberry.field(description="Capabilities the plan unlocks.")
    limits: PlanLimits = strawberry.field(description="Usage limits.")
    is_active: bool = strawberry.field(description="False once the plan is no longer sold.")

    @classmethod
    def from_row(cls, row: models.BillingPlan) -> BillingPlan:
        return cls(
            id=to_id(row.id),
            name=row.name,
            description=row.description,
            tier=row.tier,
            billing_interval=row.billing_interval,
            price_amount=row.price_amount,
            currency=row.currency,
            trial_days=row.trial_days,
            features=list(row.features),
            limits=PlanLimits.of(row),
            is_active=row.is_active,
        )


@strawberry.type(description="A club as a billing customer.")
class BillingCustomer:
    id: strawberry.ID = strawberry.field(description="The customer's id.")
    organization: OrganizationReference = strawberry.field(description="The club.")
    billing_email: str | None = strawberry.field(description="Where invoices and receipts go.")

    @classmethod
    def from_row(cls, row: models.Customer) -> BillingCustomer:
        return cls(
            id=to_id(row.id),
            organization=OrganizationReference.from_id(row.organization_id),
            billing_email=row.billing_email,
        )


@strawberry.type(description="A club's subscription to a plan.")
class OrganizationSubscription:
    id: strawberry.ID = strawberry.field(description="The subscription's id.")
    organization: OrganizationReference = strawberry.field(description="The club.")
    status: models.SubscriptionStatus = strawberry.field(description="Trialing, active, past due, ...")
    current_period_start: datetime = strawberry.field(description="Start of the period paid for.")
    current_period_end: datetime = strawberry.field(description="End of the period; renewal is due then.")
    trial_end: datetime | None = strawberry.field(description="When the trial ends, while trialing.")
    cancel_at_period_end: bool = strawberry.field(description="True when it will not renew.")
    canceled_at: datetime | None = strawberry.field(description="When cancellation was asked for.")
    plan_id: Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: models.Subscription) -> OrganizationSubscription:
        return cls(
            id=to_id(row.id),
            organization=OrganizationReference.from_id(row.organization_id),
            status=row.status,
            current_period_start=row.current_period_start,
            current_period_end=row.current_period_end,
            trial_end=row.trial_end,
            cancel_at_period_end=row.cancel_at_period_end,
            canceled_at=row.canceled_at,
            plan_id=row.plan_id,
        )

    @strawberry.field(description="True while the club may use the plan: trialing or active.")
    def is_active(self) -> bool:
        return self.status in (models.SubscriptionStatus.TRIALING, models.SubscriptionStatus.ACTIVE)

    @strawberry.field(description="The plan subscribed to.")
    async def plan(self, info: Ctx) -> BillingPlan:
        return BillingPlan.from_row(await self._plan(info))

    @strawberry.field(description="The usage limits the plan sets for the club.")
    async def limits(self, info: Ctx) -> PlanLimits:
        return PlanLimits.of(await self._plan(info))

    @strawberry.field(description="The capabilities the plan unlocks for the club.")
    async def features(self, info: Ctx) -> list[models.PlanFeature]:
        return list((await self._plan(info)).features)

    async def _plan(self, info: Ctx) -> models.BillingPlan:
        row = await loaders.plans(info).load(self.plan_id)
        if row is None:
            raise not_found("BillingPlan", self.plan_id)
        return row


@strawberry.type(description="One line of an invoice.")
class InvoiceLine:
    description: str = strawberry.field(description="What is billed.")
    quantity: int = strawberry.field(description="How many.")
    unit_amount: int = strawberry.field(description="Price of one, in minor units.")
    amount: int = strawberry.field(description="Quantity x unit amount, in minor units.")
    period_start: date | None = strawberry.field(description="First day of the service billed, if any.")
    period_end: date | None = strawberry.field(description="Last day of the service billed, if any.")

    @classmethod
    def from_row(cls, row: models.InvoiceLine) -> InvoiceLine:
        return cls(
            description=row.description,
            quantity=row.quantity,
            unit_amount=row.unit_amount,
            amount=row.amount,
            period_start=row.period_start,
            period_end=row.period_end,
        )


@strawberry.type(description="A bill to the club, in minor units of its currency.")
class Invoice:
    id: strawberry.ID = strawberry.field(description="The invoice's id.")
    number: str = strawberry.field(description="The invoice number, unique on the platform.")
    status: models.InvoiceStatus = strawberry.field(description="Draft, open, paid, void or uncollectible.")
    currency: str = strawberry.field(description="ISO 4217 currency code.")
    subtotal: int = strawberry.field(description="Sum of the lines, before tax.")
    tax: int = strawberry.field(description="Tax on the subtotal.")
    total: int = strawberry.field(description="Subtotal plus tax.")
    amount_paid: int = strawberry.field(description="Paid so far.")
    amount_due: int = strawberry.field(description="Total minus amount paid; zero once voided.")
    issue_date: date | None = strawberry.field(description="When it was issued; null while a draft.")
    due_date: date | None = strawberry.field(description="When payment is due.")
    paid_at: datetime | None = strawberry.field(description="When it was paid in full.")
    row: Private[models.Invoice]

    @classmethod
    def from_row(cls, row: models.Invoice) -> Invoice:
        return cls(
            id=to_id(row.id),
            number=row.number,
            status=row.status,
            currency=row.currency,
            subtotal=row.subtotal,
            tax=row.tax,
            total=row.total,
            amount_paid=row.amount_paid,
            amount_due=row.amount_due,
            issue_date=row.issue_date,
            due_date=row.due_date,
            paid_at=row.paid_at,
            row=row,
        )

    @strawberry.field(description="Open with its due date passed.")
    def is_overdue(self) -> bool:
        return (
            self.status is models.InvoiceStatus.OPEN and self.due_date is not None and self.due_date < utcnow().date()
        )

    @strawberry.field(description="The club billed.")
    def organization(self) -> OrganizationReference:
        return OrganizationReference.from_id(self.row.organization_id)

    @strawberry.field(description="What is billed, in order.")
    async def lines(self, info: Ctx) -> list[InvoiceLine]:
        return [InvoiceLine.from_row(row) for row in await loaders.lines_of_invoice(info).load(self.row.id)]


@strawberry.type(description="A page of invoices, newest first.")
class InvoicePage:
    items: list[Invoice] = strawberry.field(description="The invoices on this page.")
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next page.")
    has_next_page: bool = strawberry.field(description="True when more invoices follow.")
    page: Private[service.InvoicePage]

    @classmethod
    def from_page(cls, page: service.InvoicePage) -> InvoicePage:
        return cls(
            items=[Invoice.from_row(row) for row in page.invoices],
            end_cursor=page.end_cursor,
            has_next_page=page.has_next_page,
            page=page,
        )

    @strawberry.field(description="How many invoices match, over all pages.")
    async def total_count(self, info: Ctx) -> int:
        return await service.count_invoices(info.context.session, actor(info), self.page)


__all__ = [
    "BillingCustomer",
    "BillingPlan",
    "Invoice",
    "InvoiceLine",
    "InvoicePage",
    "OrganizationSubscription",
    "PlanLimits",
]
