"""The payment service's operations: plans, the club's subscription, billing contact and invoices.

Fields that take an optional `organizationId` are asked about this club by name: the platform
administrator must name one, and another club's people try this one.
"""

from __future__ import annotations

import itertools
import string
from datetime import timedelta

from shared.demo import demo_club, demo_id
from tests.authorization.cases import Case, Operation, Variables, today, unique
from tests.authorization.table import Caller

FIRST_INVOICE = str(demo_id("payment", "invoice", 1))
CREATE_PLAN = """
mutation Plan($input: CreateBillingPlanInput!) { createBillingPlan(input: $input) { id name priceAmount } }
"""


# One active plan per tier, interval and currency: each plan made here has a currency of its own.
_CURRENCIES = ("X" + first + second for first, second in itertools.product(string.ascii_uppercase, repeat=2))


def _plan_input() -> Variables:
    return {
        "name": unique("Club Plus"),
        "tier": "STANDARD",
        "billingInterval": "MONTHLY",
        "priceAmount": 14900,
        "currency": next(_CURRENCIES),
        "features": ["MEDICAL_TRACKING"],
    }


async def _club(case: Case) -> Variables:
    return {"organizationId": case.organization_id}


async def _invoice(case: Case) -> Variables:
    return {"id": FIRST_INVOICE}


async def _create_plan(case: Case) -> Variables:
    return {"input": _plan_input()}


async def _update_plan(case: Case) -> Variables:
    made = await case.setup("payment", CREATE_PLAN, {"input": _plan_input()}, as_=Caller.PLATFORM_ADMIN)
    return {"id": made["createBillingPlan"]["id"], "input": {"description": "For growing clubs."}}


CURRENT_PLAN = str(demo_id("payment", "plan", "standard", "annual"))
"""The demo club's plan: putting the club on the plan it has is a real write that changes nothing."""


async def _change_plan(case: Case) -> Variables:
    return {"input": {"organizationId": case.organization_id, "planId": CURRENT_PLAN}}


async def _contact(case: Case) -> Variables:
    return {"input": {"billingEmail": "treasurer@lynx.example", "organizationId": case.organization_id}}


async def _subscribe(case: Case) -> Variables:
    """This matrix runs without Stripe: the callers allowed show it by getting past authorization to the
    input check (a card id that is not a Stripe payment method); tests/payment covers the Stripe path."""
    return {"input": {"planId": CURRENT_PLAN, "paymentMethodId": "card_123", "organizationId": case.organization_id}}


async def _change_subscription_plan(case: Case) -> Variables:
    """The demo club's subscription is local (no Stripe): the callers allowed are told to subscribe instead."""
    return {"input": {"planId": CURRENT_PLAN, "organizationId": case.organization_id}}


async def _subscription_action(case: Case) -> Variables:
    return {"input": {"organizationId": case.organization_id}}


DEMO_SEASON = demo_club().season_name
"""The season the demo billed its players' fees for."""
CREATE_TEAM_FEES = """
mutation Fees($input: CreateTeamFeesInput!) { createTeamFees(input: $input) { id playerId status } }
"""


def _team_fees_input(case: Case, season: str) -> Variables:
    return {
        "input": {
            "teamId": case.team_id,
            "season": season,
            "description": "Season fee",
            "amount": 250000,
            "currency": "SEK",
            "dueDate": (today() + timedelta(days=30)).isoformat(),
        }
    }


async def _create_team_fees(case: Case) -> Variables:
    """The demo season's fees again: a real write that adds nobody already billed."""
    return _team_fees_input(case, DEMO_SEASON)


async def _fresh_team_fee(case: Case) -> Variables:
    """An open fee of this record's player, billed for a season of its own by the club's administrator."""
    made = await case.setup("payment", CREATE_TEAM_FEES, _team_fees_input(case, unique("Camp")), as_=Caller.CLUB_ADMIN)
    [fee] = [fee for fee in made["createTeamFees"] if fee["playerId"] == case.player_id]
    return {"id": fee["id"]}


OPERATIONS = {
    "Query.billingPlans": Operation("query Plans { billingPlans { id name priceAmount } }"),
    "Query.organizationSubscription": Operation(
        "query Subscription($organizationId: ID) { organizationSubscription(organizationId: $organizationId) "
        "{ id status plan { name } } }",
        _club,
    ),
    "Query.billingCustomer": Operation(
        "query Customer($organizationId: ID) { billingCustomer(organizationId: $organizationId) { id billingEmail } }",
        _club,
    ),
    "Query.invoices": Operation(
        "query Invoices($organizationId: ID) { invoices(organizationId: $organizationId) "
        "{ items { id number total } } }",
        _club,
    ),
    "Query.invoice": Operation("query Invoice($id: ID!) { invoice(id: $id) { id number total } }", _invoice),
    "Mutation.createBillingPlan": Operation(CREATE_PLAN, _create_plan),
    "Mutation.updateBillingPlan": Operation(
        "mutation Describe($id: ID!, $input: UpdateBillingPlanInput!) { updateBillingPlan(id: $id, input: $input) "
        "{ id description } }",
        _update_plan,
    ),
    "Mutation.changeOrganizationPlan": Operation(
        "mutation ChangePlan($input: ChangeOrganizationPlanInput!) { changeOrganizationPlan(input: $input) "
        "{ id status plan { name } } }",
        _change_plan,
    ),
    "Mutation.updateBillingContact": Operation(
        "mutation Contact($input: UpdateBillingContactInput!) { updateBillingContact(input: $input) "
        "{ id billingEmail } }",
        _contact,
    ),
    "Query.stripeInvoices": Operation(
        "query StripeInvoices($organizationId: ID) { stripeInvoices(organizationId: $organizationId) { id total } }",
        _club,
    ),
    "Query.billingPaymentMethods": Operation(
        "query Cards($organizationId: ID) { billingPaymentMethods(organizationId: $organizationId) { id last4 } }",
        _club,
    ),
    "Mutation.subscribeOrganization": Operation(
        "mutation Subscribe($input: SubscribeOrganizationInput!) { subscribeOrganization(input: $input) "
        "{ id status } }",
        _subscribe,
    ),
    "Mutation.changeSubscriptionPlan": Operation(
        "mutation ChangeSubscriptionPlan($input: ChangeSubscriptionPlanInput!) "
        "{ changeSubscriptionPlan(input: $input) { id status } }",
        _change_subscription_plan,
    ),
    "Mutation.resumeSubscription": Operation(
        "mutation Resume($input: SubscriptionActionInput) { resumeSubscription(input: $input) "
        "{ id cancelAtPeriodEnd } }",
        _subscription_action,
    ),
    "Mutation.cancelSubscription": Operation(
        "mutation Cancel($input: SubscriptionActionInput) { cancelSubscription(input: $input) "
        "{ id cancelAtPeriodEnd } }",
        _subscription_action,
    ),
    "Query.teamFees": Operation("query TeamFees { teamFees { id amount status } }"),
    "Mutation.createTeamFees": Operation(CREATE_TEAM_FEES, _create_team_fees),
    "Mutation.markTeamFeePaid": Operation(
        "mutation Paid($id: ID!) { markTeamFeePaid(id: $id) { id status } }", _fresh_team_fee
    ),
    "Mutation.voidTeamFee": Operation(
        "mutation Void($id: ID!) { voidTeamFee(id: $id) { id status } }", _fresh_team_fee
    ),
}
