"""A club's subscription through Stripe, against the localstripe emulator with the real Stripe SDK:
subscribe, upgrade, cancel at the period's end and resume; invoices and cards read from Stripe."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import stripe

from shared.database import utcnow
from subgraphs.payment import repository
from subgraphs.payment.models import PlanTier
from subgraphs.payment.stripe_gateway import HTTPXTransport
from tests.payment.conftest import LocalStripe
from tests.payment.factories import Club, make_plan, make_subscription, outbox
from tests.payment.stripe_events import deliver, subscription_event
from tests.support.services import RunningService

SUBSCRIBE = """
mutation Subscribe($input: SubscribeOrganizationInput!) {
  subscribeOrganization(input: $input) {
    id status trialEnd cancelAtPeriodEnd currentPeriodEnd plan { tier }
  }
}
"""
CHANGE = """
mutation Change($input: ChangeSubscriptionPlanInput!) {
  changeSubscriptionPlan(input: $input) { id status plan { tier } limits { maxTeams } }
}
"""
CANCEL = "mutation { cancelSubscription { id cancelAtPeriodEnd } }"
RESUME = "mutation { resumeSubscription { id cancelAtPeriodEnd } }"
FROM_STRIPE = """
query {
  stripeInvoices { id status total currency amountPaid }
  billingPaymentMethods { id brand last4 isDefault }
}
"""


def _client(local_stripe: LocalStripe) -> stripe.StripeClient:
    return stripe.StripeClient(
        local_stripe.api_key,
        base_addresses={"api": local_stripe.url},
        http_client=HTTPXTransport(),
    )


async def _card(local_stripe: LocalStripe) -> str:
    """What Stripe.js does in the browser: turn card details into a payment method id."""
    method = await _client(local_stripe).v1.payment_methods.create_async(
        params={
            "type": "card",
            "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": utcnow().year + 3, "cvc": "123"},
        }
    )
    return str(method.id)


async def test_a_club_subscribes_with_a_card_and_sees_its_invoice_and_card(
    stripe_payment: RunningService, club: Club, local_stripe: LocalStripe
) -> None:
    # given a standard plan without trial, and a card collected by Stripe.js
    plan = await make_plan(stripe_payment, tier=PlanTier.STANDARD, price=14_900, trial_days=0)
    card = await _card(local_stripe)
    # when the club's administrator subscribes
    variables = {"input": {"planId": str(plan.id), "paymentMethodId": card}}
    data = (await stripe_payment.graphql.execute(SUBSCRIBE, variables, as_=club.admin)).ok()
    # then the subscription is active on the plan, the first period paid
    subscription = data["subscribeOrganization"]
    assert subscription["status"] == "ACTIVE"
    assert subscription["plan"] == {"tier": "STANDARD"}
    assert subscription["trialEnd"] is None
    # and Stripe's invoice and the card are listed from Stripe
    listed = (await stripe_payment.graphql.execute(FROM_STRIPE, as_=club.admin)).ok()
    [invoice] = listed["stripeInvoices"]
    assert (invoice["status"], invoice["total"], invoice["currency"], invoice["amountPaid"]) == (
        "paid",
        14_900,
        "EUR",
        14_900,
    )
    assert listed["billingPaymentMethods"] == [{"id": card, "brand": "visa", "last4": "4242", "isDefault": True}]
    # and other services learn the plan
    [event] = await outbox(stripe_payment, "subscription.changed")
    assert event["status"] == "active"
    assert event["created"] is True


async def test_a_plan_with_trial_days_starts_with_a_trial_at_stripe(
    stripe_payment: RunningService, club: Club, local_stripe: LocalStripe
) -> None:
    # given a plan with a 14-day trial
    plan = await make_plan(stripe_payment, trial_days=14)
    before = utcnow()
    # when the club subscribes without a card yet
    data = (await stripe_payment.graphql.execute(SUBSCRIBE, {"input": {"planId": str(plan.id)}}, as_=club.admin)).ok()
    # then the trial ends in 14 days, here and at Stripe
    trial_end = datetime.fromisoformat(data["subscribeOrganization"]["trialEnd"])
    assert timedelta(days=14) - timedelta(seconds=5) < trial_end - before < timedelta(days=14, seconds=5)
    at_stripe = await _at_stripe(stripe_payment, local_stripe, club)
    assert at_stripe.trial_end == int(trial_end.timestamp())


async def _at_stripe(payment: RunningService, local_stripe: LocalStripe, club: Club) -> stripe.Subscription:
    """The club's subscription as Stripe holds it."""
    async with payment.runtime.sessions() as session:
        row = await repository.current_subscription(session, club.organization_id)
    assert row is not None
    assert row.external_id is not None
    return await _client(local_stripe).v1.subscriptions.retrieve_async(row.external_id)


async def _subscribed(payment: RunningService, local_stripe: LocalStripe, club: Club, plan_id: object) -> None:
    variables = {"input": {"planId": str(plan_id), "paymentMethodId": await _card(local_stripe)}}
    (await payment.graphql.execute(SUBSCRIBE, variables, as_=club.admin)).ok()


async def test_an_upgrade_moves_the_stripe_subscription_to_the_new_price(
    stripe_payment: RunningService, club: Club, local_stripe: LocalStripe
) -> None:
    # given a club subscribed to the standard plan
    standard = await make_plan(stripe_payment, tier=PlanTier.STANDARD, max_teams=4, trial_days=0)
    premium = await make_plan(stripe_payment, tier=PlanTier.PREMIUM, price=29_900, max_teams=12, trial_days=0)
    await _subscribed(stripe_payment, local_stripe, club, standard.id)
    # when its administrator upgrades to premium
    data = (await stripe_payment.graphql.execute(CHANGE, {"input": {"planId": str(premium.id)}}, as_=club.admin)).ok()
    # then the club is on premium, with premium's limits
    assert data["changeSubscriptionPlan"]["plan"] == {"tier": "PREMIUM"}
    assert data["changeSubscriptionPlan"]["limits"] == {"maxTeams": 12}
    # and Stripe bills the premium price from now on
    at_stripe = await _at_stripe(stripe_payment, local_stripe, club)
    assert at_stripe["items"].data[0].plan.amount == 29_900
    # and the change is announced with the new plan's limits
    events = await outbox(stripe_payment, "subscription.changed")
    assert events[-1]["changed"] == ["plan_id"]
    assert events[-1]["max_teams"] == 12


async def test_cancel_at_period_end_and_resume_go_through_stripe(
    stripe_payment: RunningService, club: Club, local_stripe: LocalStripe
) -> None:
    # given a subscribed club
    plan = await make_plan(stripe_payment, trial_days=0)
    await _subscribed(stripe_payment, local_stripe, club, plan.id)
    # when it cancels, then the subscription ends with its period, here and at Stripe
    canceled = (await stripe_payment.graphql.execute(CANCEL, as_=club.admin)).ok()
    assert canceled["cancelSubscription"]["cancelAtPeriodEnd"] is True
    assert (await _at_stripe(stripe_payment, local_stripe, club)).cancel_at_period_end is True
    # when it resumes, then it renews again
    resumed = (await stripe_payment.graphql.execute(RESUME, as_=club.admin)).ok()
    assert resumed["resumeSubscription"]["cancelAtPeriodEnd"] is False
    assert (await _at_stripe(stripe_payment, local_stripe, club)).cancel_at_period_end is False


async def test_a_club_with_a_stripe_subscription_changes_plan_instead_of_subscribing_again(
    stripe_payment: RunningService, club: Club, local_stripe: LocalStripe
) -> None:
    plan = await make_plan(stripe_payment, trial_days=0)
    await _subscribed(stripe_payment, local_stripe, club, plan.id)
    response = await stripe_payment.graphql.execute(SUBSCRIBE, {"input": {"planId": str(plan.id)}}, as_=club.admin)
    assert response.error("CONFLICT")["extensions"]["field"] == "organizationId"


async def test_a_declined_card_is_bad_input_on_the_payment_method(
    stripe_payment: RunningService, club: Club, local_stripe: LocalStripe
) -> None:
    plan = await make_plan(stripe_payment, trial_days=0)
    variables = {"input": {"planId": str(plan.id), "paymentMethodId": "pm_doesnotexist"}}
    response = await stripe_payment.graphql.execute(SUBSCRIBE, variables, as_=club.admin)
    assert response.error("BAD_USER_INPUT")["extensions"]["field"] == "paymentMethodId"
    assert await outbox(stripe_payment, "subscription.changed") == []


async def test_only_club_administrators_subscribe(stripe_payment: RunningService, club: Club) -> None:
    plan = await make_plan(stripe_payment, trial_days=0)
    response = await stripe_payment.graphql.execute(SUBSCRIBE, {"input": {"planId": str(plan.id)}}, as_=club.coach)
    response.error("FORBIDDEN")


async def test_without_stripe_subscribing_says_stripe_is_needed(payment: RunningService, club: Club) -> None:
    plan = await make_plan(payment, trial_days=0)
    response = await payment.graphql.execute(SUBSCRIBE, {"input": {"planId": str(plan.id)}}, as_=club.admin)
    assert "HOCKEY_HUB_STRIPE_API_KEY" in response.error("BILLING_PROVIDER_NOT_CONFIGURED")["message"]


async def test_without_stripe_a_local_subscription_cancels_and_resumes(payment: RunningService, club: Club) -> None:
    # given a club on a plan set by hand, and no Stripe
    plan = await make_plan(payment)
    await make_subscription(payment, club=club, plan=plan)
    # when it cancels and resumes, then the local subscription follows, and both changes are announced
    assert (await payment.graphql.execute(CANCEL, as_=club.admin)).ok()["cancelSubscription"]["cancelAtPeriodEnd"]
    resumed = (await payment.graphql.execute(RESUME, as_=club.admin)).ok()
    assert resumed["resumeSubscription"]["cancelAtPeriodEnd"] is False
    changes = [event["changed"] for event in await outbox(payment, "subscription.changed")]
    assert changes[1:] == [["cancel_at_period_end"], ["cancel_at_period_end"]]


async def test_stripe_lists_are_empty_before_the_club_pays_through_stripe(payment: RunningService, club: Club) -> None:
    data = (await payment.graphql.execute(FROM_STRIPE, as_=club.admin)).ok()
    assert data == {"stripeInvoices": [], "billingPaymentMethods": []}


async def test_a_webhook_in_the_same_second_as_the_reply_still_applies(
    stripe_payment: RunningService, club: Club, local_stripe: LocalStripe
) -> None:
    # given a club that just subscribed through the API
    plan = await make_plan(stripe_payment, trial_days=0)
    await _subscribed(stripe_payment, local_stripe, club, plan.id)
    at_stripe = await _at_stripe(stripe_payment, local_stripe, club)
    async with stripe_payment.runtime.sessions() as session:
        [row] = await repository.plans_by_ids(session, [plan.id])
    assert row.external_price_id is not None
    # when Stripe reports a change stamped with this very second (the first charge failing, say)
    event = subscription_event(
        "customer.subscription.updated",
        organization_id=club.organization_id,
        price=row.external_price_id,
        status="past_due",
        created=int(time.time()),
    )
    event["data"]["object"]["id"] = at_stripe.id
    # then it is applied, not taken for an older state
    assert (await deliver(stripe_payment, local_stripe.webhook_secret, event))[1]["outcome"] == "applied"
    data = (await stripe_payment.graphql.execute("query { organizationSubscription { status } }", as_=club.admin)).ok()
    assert data["organizationSubscription"]["status"] == "PAST_DUE"
