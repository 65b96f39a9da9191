"""The payment service's operations: plans, the club's subscription, billing contact and invoices.

Fields that take an optional `organizationId` are asked about this club by name: the platform
administrator must name one, and another club's people try this one.
"""

from __future__ import annotations

import itertools
import string

from shared.demo import demo_id
from tests.authorization.cases import Case, Operation, Variables, unique
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
}
