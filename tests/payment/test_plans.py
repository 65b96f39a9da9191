"""Plans through GraphQL over HTTP: everyone signed in reads them, platform administrators manage them."""

from __future__ import annotations

import uuid

from subgraphs.payment.models import BillingInterval, PlanFeature, PlanTier
from tests.payment.factories import PLATFORM_ADMIN, Club, make_plan
from tests.support.services import RunningService

PLANS = """
query Plans($includeInactive: Boolean! = false) {
  billingPlans(includeInactive: $includeInactive) {
    id name tier billingInterval priceAmount currency trialDays features isActive
    limits { maxUsers maxTeams maxPlayers }
  }
}
"""

CREATE_PLAN = """
mutation CreatePlan($input: CreateBillingPlanInput!) {
  createBillingPlan(input: $input) {
    id name tier billingInterval priceAmount currency trialDays features isActive
    limits { maxUsers maxTeams maxPlayers }
  }
}
"""

UPDATE_PLAN = """
mutation UpdatePlan($id: ID!, $input: UpdateBillingPlanInput!) {
  updateBillingPlan(id: $id, input: $input) { id priceAmount isActive features limits { maxTeams } }
}
"""


def _new_plan(**changes: object) -> dict[str, object]:
    return {
        "name": "Premium (annual)",
        "tier": "PREMIUM",
        "billingInterval": "ANNUAL",
        "priceAmount": 299_000,
        "currency": "eur",
        "trialDays": 14,
        "features": ["VIDEO_ANALYSIS", "MEDICAL_TRACKING", "VIDEO_ANALYSIS"],
        "maxUsers": 300,
        "maxTeams": 12,
        "maxPlayers": None,
        **changes,
    }


async def test_a_platform_admin_creates_a_plan(payment: RunningService, club: Club) -> None:
    created = (await payment.graphql.execute(CREATE_PLAN, {"input": _new_plan()}, as_=PLATFORM_ADMIN)).ok()
    plan = created["createBillingPlan"]
    # the currency is normalised and the features deduplicated, in their declared order
    assert {key: value for key, value in plan.items() if key != "id"} == {
        "name": "Premium (annual)",
        "tier": "PREMIUM",
        "billingInterval": "ANNUAL",
        "priceAmount": 299_000,
        "currency": "EUR",
        "trialDays": 14,
        "features": ["MEDICAL_TRACKING", "VIDEO_ANALYSIS"],
        "isActive": True,
        "limits": {"maxUsers": 300, "maxTeams": 12, "maxPlayers": None},
    }
    # and a player of any club sees it among the plans on sale
    listed = (await payment.graphql.execute(PLANS, as_=club.player)).ok()["billingPlans"]
    assert [row["id"] for row in listed] == [plan["id"]]


async def test_plans_are_listed_by_tier_then_interval_and_retired_ones_hidden(
    payment: RunningService, club: Club
) -> None:
    await make_plan(payment, tier=PlanTier.PREMIUM, interval=BillingInterval.ANNUAL)
    await make_plan(payment, tier=PlanTier.BASIC, interval=BillingInterval.ANNUAL)
    await make_plan(payment, tier=PlanTier.BASIC, interval=BillingInterval.MONTHLY)
    await make_plan(payment, tier=PlanTier.ENTERPRISE, interval=BillingInterval.QUARTERLY, active=False)
    on_sale = (await payment.graphql.execute(PLANS, as_=club.coach)).ok()["billingPlans"]
    assert [(row["tier"], row["billingInterval"]) for row in on_sale] == [
        ("BASIC", "MONTHLY"),
        ("BASIC", "ANNUAL"),
        ("PREMIUM", "ANNUAL"),
    ]
    everything = (await payment.graphql.execute(PLANS, {"includeInactive": True}, as_=PLATFORM_ADMIN)).ok()[
        "billingPlans"
    ]
    assert [row["isActive"] for row in everything] == [True, True, True, False]
    refused = await payment.graphql.execute(PLANS, {"includeInactive": True}, as_=club.admin)
    assert refused.codes == ["FORBIDDEN"]
    anonymous = await payment.graphql.execute(PLANS)
    assert anonymous.codes == ["UNAUTHENTICATED"]


async def test_only_platform_admins_manage_plans(payment: RunningService, club: Club) -> None:
    plan = await make_plan(payment)
    for caller in (club.admin, club.coach):
        created = await payment.graphql.execute(CREATE_PLAN, {"input": _new_plan()}, as_=caller)
        assert created.codes == ["FORBIDDEN"]
        updated = await payment.graphql.execute(
            UPDATE_PLAN, {"id": str(plan.id), "input": {"priceAmount": 1}}, as_=caller
        )
        assert updated.codes == ["FORBIDDEN"]


async def test_invalid_plans_name_the_field(payment: RunningService) -> None:
    cases: list[tuple[dict[str, object], str]] = [
        ({"currency": "euro"}, "currency"),
        ({"priceAmount": -1}, "priceAmount"),
        ({"priceAmount": 10**9}, "priceAmount"),
        ({"trialDays": 400}, "trialDays"),
        ({"maxUsers": 0}, "maxUsers"),
        ({"name": " "}, "name"),
    ]
    for changes, field in cases:
        response = await payment.graphql.execute(CREATE_PLAN, {"input": _new_plan(**changes)}, as_=PLATFORM_ADMIN)
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field, changes


async def test_one_active_plan_per_tier_interval_and_currency(payment: RunningService) -> None:
    # given an active premium annual plan in EUR
    current = await make_plan(payment, tier=PlanTier.PREMIUM, interval=BillingInterval.ANNUAL)
    # when another one is created, it is a conflict naming the tier
    duplicate = await payment.graphql.execute(CREATE_PLAN, {"input": _new_plan()}, as_=PLATFORM_ADMIN)
    assert duplicate.error("CONFLICT")["extensions"]["field"] == "tier"
    # and in another currency it is fine
    in_sek = await payment.graphql.execute(
        CREATE_PLAN, {"input": _new_plan(currency="SEK", priceAmount=3_290_000)}, as_=PLATFORM_ADMIN
    )
    assert in_sek.ok()["createBillingPlan"]["currency"] == "SEK"
    # once the old plan is retired, its successor can be sold
    retired = (
        await payment.graphql.execute(
            UPDATE_PLAN,
            {
                "id": str(current.id),
                "input": {"isActive": False, "features": ["API_ACCESS"], "maxTeams": None},
            },
            as_=PLATFORM_ADMIN,
        )
    ).ok()["updateBillingPlan"]
    assert retired == {
        "id": str(current.id),
        "priceAmount": current.price_amount,
        "isActive": False,
        "features": ["API_ACCESS"],
        "limits": {"maxTeams": None},
    }
    successor = await payment.graphql.execute(CREATE_PLAN, {"input": _new_plan()}, as_=PLATFORM_ADMIN)
    assert successor.ok()["createBillingPlan"]["isActive"] is True
    # and reactivating the old one now conflicts
    back = await payment.graphql.execute(
        UPDATE_PLAN, {"id": str(current.id), "input": {"isActive": True}}, as_=PLATFORM_ADMIN
    )
    assert back.error("CONFLICT")["extensions"]["field"] == "tier"


async def test_unknown_and_malformed_plan_ids(payment: RunningService) -> None:
    unknown = await payment.graphql.execute(
        UPDATE_PLAN, {"id": str(uuid.uuid4()), "input": {"priceAmount": 100}}, as_=PLATFORM_ADMIN
    )
    assert unknown.codes == ["NOT_FOUND"]
    malformed = await payment.graphql.execute(
        UPDATE_PLAN, {"id": "plan-1", "input": {"priceAmount": 100}}, as_=PLATFORM_ADMIN
    )
    assert malformed.error("BAD_USER_INPUT")["extensions"]["field"] == "id"
    cleared = await payment.graphql.execute(
        UPDATE_PLAN,
        {
            "id": str((await make_plan(payment, features=(PlanFeature.API_ACCESS,))).id),
            "input": {"currency": None},
        },
        as_=PLATFORM_ADMIN,
    )
    assert cleared.error("BAD_USER_INPUT")["extensions"]["field"] == "currency"
