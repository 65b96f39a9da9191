"""From Stripe to the user service: a subscription Stripe reports by webhook goes out as
`subscription.changed`, and the user service refuses teams beyond the plan (PLAN_LIMIT_REACHED), until a
later webhook reports the upgrade."""

from __future__ import annotations

import time
from typing import Any

from shared.plans import SUBSCRIPTION_CHANGED
from subgraphs.payment.models import PlanTier
from tests.conftest import ServiceFactory
from tests.payment.conftest import LocalStripe
from tests.payment.stripe_events import deliver, priced, subscription_event
from tests.support.event_flow import carried
from tests.support.services import RunningService
from tests.support.waiting import eventually
from tests.user.factories import make_club

PLAN = "query { organization { plan { name limits { maxTeams } usage { teams } } } }"
CREATE_TEAM = "mutation CreateTeam($input: CreateTeamInput!) { createTeam(input: $input) { id } }"


async def test_limits_follow_the_plan_stripe_reports(
    stripe_payment: RunningService, payment: RunningService, local_stripe: LocalStripe, service: ServiceFactory
) -> None:
    # given a club of one team in the user service, and two plans Stripe sells
    user = await service("user")
    club = await make_club(user)
    organization = club.organization.id
    basic = await priced(stripe_payment, tier=PlanTier.BASIC, max_teams=1)
    premium = await priced(stripe_payment, tier=PlanTier.PREMIUM, max_teams=5)
    secret = local_stripe.webhook_secret

    async def on_plan(max_teams: int) -> dict[str, Any]:
        async def arrived() -> dict[str, Any] | None:
            plan = (await user.graphql.execute(PLAN, as_=club.admin)).ok()["organization"]["plan"]
            return plan if plan["limits"]["maxTeams"] == max_teams else None

        return await eventually(arrived)

    now = int(time.time())
    # Both payment services share the database, so either one's relay may publish the event (embedded mode).
    async with (
        carried(stripe_payment, [user], [SUBSCRIPTION_CHANGED]),
        carried(payment, [user], [SUBSCRIPTION_CHANGED]),
    ):
        # when Stripe reports the club's subscription to the one-team plan
        subscribed = subscription_event(
            "customer.subscription.created",
            organization_id=organization,
            price=basic,
            status="active",
            created=now - 60,
        )
        assert (await deliver(stripe_payment, secret, subscribed))[1]["outcome"] == "applied"
        await on_plan(1)
        # then a second team is refused, naming the limit and the plan
        refused = await user.graphql.execute(
            CREATE_TEAM, {"input": {"name": "Lynx U16", "category": "YOUTH"}}, as_=club.admin
        )
        error = refused.error("PLAN_LIMIT_REACHED")
        assert (error["extensions"]["limit"], error["extensions"]["maximum"]) == ("max_teams", 1)
        assert "upgrade" in error["message"]
        # when Stripe reports the upgrade
        upgraded = subscription_event(
            "customer.subscription.updated", organization_id=organization, price=premium, status="active", created=now
        )
        assert (await deliver(stripe_payment, secret, upgraded))[1]["outcome"] == "applied"
        await on_plan(5)
        # then the team is welcome
        (
            await user.graphql.execute(
                CREATE_TEAM, {"input": {"name": "Lynx U16", "category": "YOUTH"}}, as_=club.admin
            )
        ).ok()
