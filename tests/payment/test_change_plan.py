"""Putting a club on a plan by hand (`changeOrganizationPlan`), and the plan's terms in the
`subscription.changed` event, which other services enforce and show without asking payment."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from shared.database import utcnow
from shared.plans import PlanLimit, PlanTerms
from subgraphs.payment.models import BillingInterval, PlanFeature, PlanTier, SubscriptionStatus
from tests.payment.factories import PLATFORM_ADMIN, Club, make_plan, make_subscription, outbox
from tests.support.services import RunningService

CHANGE_PLAN = """
mutation ChangePlan($input: ChangeOrganizationPlanInput!) {
  changeOrganizationPlan(input: $input) {
    id status currentPeriodStart currentPeriodEnd organization { id } plan { tier billingInterval }
  }
}
"""


def _input(club: Club, plan_id: object) -> dict[str, object]:
    return {"input": {"organizationId": str(club.organization_id), "planId": str(plan_id)}}


async def test_a_current_subscription_changes_plan_and_keeps_its_period(payment: RunningService, club: Club) -> None:
    # given the club on the standard plan since three days
    standard = await make_plan(payment, tier=PlanTier.STANDARD)
    premium = await make_plan(
        payment,
        tier=PlanTier.PREMIUM,
        features=(PlanFeature.MEDICAL_TRACKING, PlanFeature.VIDEO_ANALYSIS),
        max_users=300,
        max_teams=12,
        max_players=None,
    )
    subscription = await make_subscription(payment, club=club, plan=standard)
    # when a platform administrator moves it to premium
    data = (await payment.graphql.execute(CHANGE_PLAN, _input(club, premium.id), as_=PLATFORM_ADMIN)).ok()
    changed = data["changeOrganizationPlan"]
    # then the same subscription, in the same period, is on the premium plan
    assert changed["id"] == str(subscription.id)
    assert changed["status"] == "ACTIVE"
    assert changed["plan"] == {"tier": "PREMIUM", "billingInterval": "MONTHLY"}
    assert changed["currentPeriodEnd"] == subscription.current_period_end.isoformat()
    # and the event carries the plan's terms, as consumers read them
    events = await outbox(payment, "subscription.changed")
    assert len(events) == 2
    assert events[-1]["changed"] == ["plan_id"]
    assert events[-1]["plan"] == {
        "name": premium.name,
        "tier": "premium",
        "features": ["medical_tracking", "video_analysis"],
        "limits": {"max_teams": 12, "max_players": None, "max_users": 300},
    }
    terms = PlanTerms.from_data(events[-1]["plan"], status="active")
    assert (terms.limit(PlanLimit.TEAMS), terms.limit(PlanLimit.PLAYERS)) == (12, None)


async def test_a_club_without_a_subscription_starts_one_for_an_interval(payment: RunningService, club: Club) -> None:
    # given a club that never subscribed, and an annual plan
    annual = await make_plan(payment, tier=PlanTier.BASIC, interval=BillingInterval.ANNUAL, max_teams=1)
    before = utcnow()
    # when it is put on the plan
    data = (await payment.graphql.execute(CHANGE_PLAN, _input(club, annual.id), as_=PLATFORM_ADMIN)).ok()
    changed = data["changeOrganizationPlan"]
    # then an active subscription runs from now for a year
    start = datetime.fromisoformat(changed["currentPeriodStart"])
    end = datetime.fromisoformat(changed["currentPeriodEnd"])
    assert changed["status"] == "ACTIVE"
    assert changed["organization"] == {"id": str(club.organization_id)}
    assert before <= start <= utcnow()
    assert timedelta(days=360) < end - start < timedelta(days=367)
    [event] = await outbox(payment, "subscription.changed")
    assert event["created"] is True
    assert event["plan"]["limits"]["max_teams"] == 1  # type: ignore[index]


async def test_an_unpaid_subscription_is_retired_for_the_new_plan(payment: RunningService, club: Club) -> None:
    # given the club's subscription unpaid
    standard = await make_plan(payment, tier=PlanTier.STANDARD)
    basic = await make_plan(payment, tier=PlanTier.BASIC, max_teams=1)
    unpaid = await make_subscription(payment, club=club, plan=standard, status=SubscriptionStatus.UNPAID)
    # when the club is put on the basic plan
    data = (await payment.graphql.execute(CHANGE_PLAN, _input(club, basic.id), as_=PLATFORM_ADMIN)).ok()
    # then a new active subscription replaces the unpaid one
    assert data["changeOrganizationPlan"]["id"] != str(unpaid.id)
    assert data["changeOrganizationPlan"]["status"] == "ACTIVE"


async def test_only_platform_administrators_change_plans(payment: RunningService, club: Club) -> None:
    plan = await make_plan(payment)
    for who in (club.admin, club.coach):
        response = await payment.graphql.execute(CHANGE_PLAN, _input(club, plan.id), as_=who)
        assert response.codes == ["FORBIDDEN"]
    assert await outbox(payment, "subscription.changed") == []


async def test_bad_plans_and_ids_get_typed_errors(payment: RunningService, club: Club) -> None:
    retired = await make_plan(payment, tier=PlanTier.BASIC, active=False)
    # a retired plan
    response = await payment.graphql.execute(CHANGE_PLAN, _input(club, retired.id), as_=PLATFORM_ADMIN)
    assert response.error("BAD_USER_INPUT")["extensions"]["field"] == "planId"
    # an unknown plan
    response = await payment.graphql.execute(CHANGE_PLAN, _input(club, uuid.uuid4()), as_=PLATFORM_ADMIN)
    assert response.codes == ["NOT_FOUND"]
    # malformed ids
    for field, value in (("planId", "not-an-id"), ("organizationId", "nope")):
        variables = _input(club, retired.id)
        variables["input"] = {**variables["input"], field: value}  # type: ignore[dict-item]
        response = await payment.graphql.execute(CHANGE_PLAN, variables, as_=PLATFORM_ADMIN)
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field
    assert await outbox(payment, "subscription.changed") == []
