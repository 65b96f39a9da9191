"""Queries and mutations of the payment service: parse input, call the service, wrap the result."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry

from shared.graphql import Ctx, actor, mutation, parse_id, provided, requires_sign_in
from subgraphs.payment import billing, service, team_fees
from subgraphs.payment.models import BillingInterval, InvoiceStatus, PlanFeature, PlanTier, TeamFeeStatus
from subgraphs.payment.provider_types import PaymentMethod, StripeInvoice
from subgraphs.payment.team_fee_types import CreateTeamFeesInput, TeamFee
from subgraphs.payment.types import (
    BillingCustomer,
    BillingPlan,
    Invoice,
    InvoicePage,
    OrganizationSubscription,
)

OrganizationArgument = Annotated[
    strawberry.ID | None,
    strawberry.argument(description="The club (platform administrators); others read their own."),
]


@strawberry.input(description="A new plan.")
class CreateBillingPlanInput:
    name: str = strawberry.field(description="Display name.")
    tier: PlanTier = strawberry.field(description="Basic, standard, premium or enterprise.")
    billing_interval: BillingInterval = strawberry.field(description="Monthly, quarterly or annual.")
    price_amount: int = strawberry.field(description="Price per interval in minor units, before tax.")
    currency: str = strawberry.field(description="ISO 4217 currency code, e.g. EUR.")
    trial_days: int = strawberry.field(default=0, description="Free days before the first charge (0-365).")
    features: list[PlanFeature] = strawberry.field(default_factory=list, description="Capabilities unlocked.")
    max_users: int | None = strawberry.field(default=None, description="Account limit; null for unlimited.")
    max_teams: int | None = strawberry.field(default=None, description="Team limit; null for unlimited.")
    max_players: int | None = strawberry.field(default=None, description="Player limit; null for unlimited.")
    description: str | None = strawberry.field(default=None, description="What the plan is for.")


@strawberry.input(description="Changes to a plan; omitted fields stay as they are.")
class UpdateBillingPlanInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Display name.")
    description: str | None = strawberry.field(default=strawberry.UNSET, description="Description, or null.")
    price_amount: int | None = strawberry.field(
        default=strawberry.UNSET, description="Price per interval in minor units."
    )
    currency: str | None = strawberry.field(default=strawberry.UNSET, description="ISO 4217 currency code.")
    trial_days: int | None = strawberry.field(default=strawberry.UNSET, description="Free days (0-365).")
    features: list[PlanFeature] | None = strawberry.field(
        default=strawberry.UNSET, description="The full set of capabilities."
    )
    max_users: int | None = strawberry.field(default=strawberry.UNSET, description="Account limit, or null.")
    max_teams: int | None = strawberry.field(default=strawberry.UNSET, description="Team limit, or null.")
    max_players: int | None = strawberry.field(default=strawberry.UNSET, description="Player limit, or null.")
    is_active: bool | None = strawberry.field(
        default=strawberry.UNSET, description="False stops selling the plan; subscribers keep it."
    )


@strawberry.input(description="Who receives the club's invoices.")
class UpdateBillingContactInput:
    billing_email: str | None = strawberry.field(description="Invoice email; null clears it.")
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="The club (platform administrators); others change their own."
    )


@strawberry.input(description="The plan to put a club on (platform administrators).")
class ChangeOrganizationPlanInput:
    organization_id: strawberry.ID = strawberry.field(description="The club.")
    plan_id: strawberry.ID = strawberry.field(description="A plan on sale.")


@strawberry.input(description="Subscribe the club to a plan through Stripe (club administrators).")
class SubscribeOrganizationInput:
    plan_id: strawberry.ID = strawberry.field(description="A plan on sale; its trial days come first.")
    payment_method_id: str | None = strawberry.field(
        default=None,
        description="A Stripe payment method (pm_...) collected by Stripe.js; it becomes the club's default. "
        "May be left out when the plan has a trial or the club already has a default card.",
    )
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="The club (platform administrators); others subscribe their own."
    )


@strawberry.input(description="Move the club's Stripe subscription to another plan.")
class ChangeSubscriptionPlanInput:
    plan_id: strawberry.ID = strawberry.field(description="A plan on sale; Stripe prorates the current period.")
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="The club (platform administrators); others change their own."
    )


@strawberry.input(description="Which club's subscription (platform administrators); others act on their own.")
class SubscriptionActionInput:
    organization_id: strawberry.ID | None = strawberry.field(default=None, description="The club.")


def _organization_id(value: strawberry.ID | None) -> uuid.UUID | None:
    return None if value is None else parse_id(value, field="organizationId")


@strawberry.type(description="Reads of plans, subscriptions and invoices.")
class Query:
    @strawberry.field(description="The plans on sale, by tier and interval.", extensions=[requires_sign_in()])
    async def billing_plans(
        self,
        info: Ctx,
        include_inactive: Annotated[
            bool, strawberry.argument(description="Also retired plans (platform administrators).")
        ] = False,
    ) -> list[BillingPlan]:
        rows = await service.list_plans(info.context.session, actor(info), include_inactive=include_inactive)
        return [BillingPlan.from_row(row) for row in rows]

    @strawberry.field(
        description="The club's current subscription, with its plan and limits; null when it has none.",
        extensions=[requires_sign_in()],
    )
    async def organization_subscription(
        self, info: Ctx, organization_id: OrganizationArgument = None
    ) -> OrganizationSubscription | None:
        row = await service.get_subscription(
            info.context.session, actor(info), organization_id=_organization_id(organization_id)
        )
        return OrganizationSubscription.from_row(row) if row else None

    @strawberry.field(
        description="The club as a billing customer; null before anything was billed or set.",
        extensions=[requires_sign_in()],
    )
    async def billing_customer(self, info: Ctx, organization_id: OrganizationArgument = None) -> BillingCustomer | None:
        row = await service.get_customer(
            info.context.session, actor(info), organization_id=_organization_id(organization_id)
        )
        return BillingCustomer.from_row(row) if row else None

    @strawberry.field(description="The club's invoices, newest first.", extensions=[requires_sign_in()])
    async def invoices(
        self,
        info: Ctx,
        status: Annotated[InvoiceStatus | None, strawberry.argument(description="Only this status.")] = None,
        first: Annotated[int, strawberry.argument(description="Page size (1-100).")] = 20,
        after: Annotated[str | None, strawberry.argument(description="The previous page's endCursor.")] = None,
        organization_id: OrganizationArgument = None,
    ) -> InvoicePage:
        page = await service.list_invoices(
            info.context.session,
            actor(info),
            status=status,
            first=first,
            after=after,
            organization_id=_organization_id(organization_id),
        )
        return InvoicePage.from_page(page)

    @strawberry.field(
        description="The club's invoices as Stripe holds them, newest first; empty before the club subscribed "
        "through Stripe.",
        extensions=[requires_sign_in()],
    )
    async def stripe_invoices(
        self,
        info: Ctx,
        first: Annotated[int, strawberry.argument(description="How many (1-100).")] = 20,
        organization_id: OrganizationArgument = None,
    ) -> list[StripeInvoice]:
        rows = await billing.provider_invoices(
            info.context.session,
            actor(info),
            info.context.runtime.settings,
            organization_id=_organization_id(organization_id),
            first=first,
        )
        return [StripeInvoice.of(row) for row in rows]

    @strawberry.field(
        description="The cards the club pays with, from Stripe; empty before the club subscribed through Stripe.",
        extensions=[requires_sign_in()],
    )
    async def billing_payment_methods(
        self, info: Ctx, organization_id: OrganizationArgument = None
    ) -> list[PaymentMethod]:
        rows = await billing.provider_payment_methods(
            info.context.session,
            actor(info),
            info.context.runtime.settings,
            organization_id=_organization_id(organization_id),
        )
        return [PaymentMethod.of(row) for row in rows]

    @strawberry.field(
        description="Team fees: staff see all of the club's, parents their children's, players their own; by due date.",
        extensions=[requires_sign_in()],
    )
    async def team_fees(
        self,
        info: Ctx,
        team_id: Annotated[strawberry.ID | None, strawberry.argument(description="Only this team's.")] = None,
        overdue_only: Annotated[bool, strawberry.argument(description="Only open fees past due.")] = False,
    ) -> list[TeamFee]:
        rows = await team_fees.list_team_fees(
            info.context.session,
            actor(info),
            team_id=None if team_id is None else parse_id(team_id, field="teamId"),
            overdue_only=overdue_only,
        )
        return [TeamFee.of(row) for row in rows]

    @strawberry.field(description="One invoice of the club, with its lines.", extensions=[requires_sign_in()])
    async def invoice(self, info: Ctx, id: strawberry.ID) -> Invoice:
        return Invoice.from_row(await service.get_invoice(info.context.session, actor(info), parse_id(id)))


@strawberry.type(description="Changes to plans and billing details.")
class Mutation:
    @mutation(description="Create a plan (platform administrators).")
    async def create_billing_plan(self, info: Ctx, input: CreateBillingPlanInput) -> BillingPlan:
        row = await service.create_plan(info.context.session, actor(info), **provided(input))
        return BillingPlan.from_row(row)

    @mutation(description="Change a plan, or stop selling it (platform administrators).")
    async def update_billing_plan(self, info: Ctx, id: strawberry.ID, input: UpdateBillingPlanInput) -> BillingPlan:
        row = await service.update_plan(info.context.session, actor(info), parse_id(id), provided(input))
        return BillingPlan.from_row(row)

    @mutation(
        description="Put a club on a plan by hand, keeping a current subscription's period (platform "
        "administrators); other services learn the plan's features and limits from `subscription.changed`."
    )
    async def change_organization_plan(self, info: Ctx, input: ChangeOrganizationPlanInput) -> OrganizationSubscription:
        row = await service.change_organization_plan(
            info.context.session,
            actor(info),
            organization_id=parse_id(input.organization_id, field="organizationId"),
            plan_id=parse_id(input.plan_id, field="planId"),
        )
        return OrganizationSubscription.from_row(row)

    @mutation(
        description="Subscribe the club to a plan through Stripe, with the plan's trial (club administrators); "
        "needs Stripe (BILLING_PROVIDER_NOT_CONFIGURED otherwise)."
    )
    async def subscribe_organization(self, info: Ctx, input: SubscribeOrganizationInput) -> OrganizationSubscription:
        row = await billing.subscribe(
            info.context.session,
            actor(info),
            info.context.runtime.settings,
            organization_id=_organization_id(input.organization_id),
            plan_id=parse_id(input.plan_id, field="planId"),
            payment_method_id=input.payment_method_id,
        )
        return OrganizationSubscription.from_row(row)

    @mutation(
        description="Upgrade or downgrade the club's Stripe subscription; Stripe prorates the current period "
        "(club administrators)."
    )
    async def change_subscription_plan(self, info: Ctx, input: ChangeSubscriptionPlanInput) -> OrganizationSubscription:
        row = await billing.change_plan(
            info.context.session,
            actor(info),
            info.context.runtime.settings,
            organization_id=_organization_id(input.organization_id),
            plan_id=parse_id(input.plan_id, field="planId"),
        )
        return OrganizationSubscription.from_row(row)

    @mutation(description="Cancel the club's subscription at the end of the paid period (club administrators).")
    async def cancel_subscription(
        self, info: Ctx, input: SubscriptionActionInput | None = None
    ) -> OrganizationSubscription:
        row = await billing.set_cancel_at_period_end(
            info.context.session,
            actor(info),
            info.context.runtime.settings,
            organization_id=_organization_id(input.organization_id if input else None),
            cancel=True,
        )
        return OrganizationSubscription.from_row(row)

    @mutation(description="Take back a cancellation before the period ends: the subscription renews again.")
    async def resume_subscription(
        self, info: Ctx, input: SubscriptionActionInput | None = None
    ) -> OrganizationSubscription:
        row = await billing.set_cancel_at_period_end(
            info.context.session,
            actor(info),
            info.context.runtime.settings,
            organization_id=_organization_id(input.organization_id if input else None),
            cancel=False,
        )
        return OrganizationSubscription.from_row(row)

    @mutation(
        description="Bill a season fee to every active player of a team, for their parents (club "
        "administrators); again for the same season, only players not billed for it yet are added. With Stripe "
        "configured each fee is also a finalized Stripe invoice to the player's parent (or the adult player)."
    )
    async def create_team_fees(self, info: Ctx, input: CreateTeamFeesInput) -> list[TeamFee]:
        rows = await team_fees.create_team_fees(
            info.context.session,
            actor(info),
            info.context.runtime.settings,
            team_id=parse_id(input.team_id, field="teamId"),
            season=input.season,
            description=input.description,
            amount=input.amount,
            currency=input.currency,
            due_date=input.due_date,
        )
        return [TeamFee.of(row) for row in rows]

    @mutation(description="Mark a team fee paid, e.g. on a bank transfer (club administrators).")
    async def mark_team_fee_paid(self, info: Ctx, id: strawberry.ID) -> TeamFee:
        row = await team_fees.set_team_fee_status(
            info.context.session, actor(info), info.context.runtime.settings, parse_id(id), TeamFeeStatus.PAID
        )
        return TeamFee.of(row)

    @mutation(description="Void an open team fee: nothing is owed any more (club administrators).")
    async def void_team_fee(self, info: Ctx, id: strawberry.ID) -> TeamFee:
        row = await team_fees.set_team_fee_status(
            info.context.session, actor(info), info.context.runtime.settings, parse_id(id), TeamFeeStatus.VOID
        )
        return TeamFee.of(row)

    @mutation(description="Set where the club's invoices go (club administrators).")
    async def update_billing_contact(self, info: Ctx, input: UpdateBillingContactInput) -> BillingCustomer:
        row = await service.update_billing_contact(
            info.context.session,
            actor(info),
            billing_email=input.billing_email,
            organization_id=_organization_id(input.organization_id),
        )
        return BillingCustomer.from_row(row)
