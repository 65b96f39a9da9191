"""Queries and mutations of the payment service: parse input, call the service, wrap the result."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry

from shared.graphql import Ctx, actor, mutation, parse_id, provided, requires_sign_in
from subgraphs.payment import service
from subgraphs.payment.models import BillingInterval, InvoiceStatus, PlanFeature, PlanTier
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

    @mutation(description="Set where the club's invoices go (club administrators).")
    async def update_billing_contact(self, info: Ctx, input: UpdateBillingContactInput) -> BillingCustomer:
        row = await service.update_billing_contact(
            info.context.session,
            actor(info),
            billing_email=input.billing_email,
            organization_id=_organization_id(input.organization_id),
        )
        return BillingCustomer.from_row(row)
