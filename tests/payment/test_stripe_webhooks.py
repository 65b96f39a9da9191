"""`POST /webhooks/stripe`: events signed as Stripe signs them, each applied once, an older state never
overwriting a newer one."""

from __future__ import annotations

import json
import time

from sqlalchemy import func, select

from subgraphs.payment.models import BillingPlan, PlanTier, StripeEvent
from tests.payment.conftest import LocalStripe
from tests.payment.factories import PLATFORM_ADMIN, Club, outbox
from tests.payment.stripe_events import deliver, priced, signed, subscription_event
from tests.support.services import RunningService

SUBSCRIPTION = "query { organizationSubscription { status cancelAtPeriodEnd plan { tier } } }"
PERIOD = 30 * 24 * 3600


async def _stored_events(payment: RunningService) -> int:
    async with payment.runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(StripeEvent)) or 0)


async def test_a_replayed_event_changes_nothing(
    stripe_payment: RunningService, local_stripe: LocalStripe, club: Club
) -> None:
    # given a subscription event Stripe sent and the service applied
    price = await priced(stripe_payment)
    event = subscription_event(
        "customer.subscription.created",
        organization_id=club.organization_id,
        price=price,
        status="active",
        created=int(time.time()),
    )
    assert await deliver(stripe_payment, local_stripe.webhook_secret, event) == (
        200,
        {"received": True, "outcome": "applied"},
    )
    # when Stripe delivers it again
    status, body = await deliver(stripe_payment, local_stripe.webhook_secret, event)
    # then it is acknowledged as a duplicate, and announced only once
    assert (status, body["outcome"]) == (200, "duplicate")
    assert len(await outbox(stripe_payment, "subscription.changed")) == 1
    assert await _stored_events(stripe_payment) == 1
    data = (await stripe_payment.graphql.execute(SUBSCRIPTION, as_=club.admin)).ok()
    assert data["organizationSubscription"]["status"] == "ACTIVE"


async def test_an_older_update_delivered_late_does_not_overwrite_a_newer_one(
    stripe_payment: RunningService, local_stripe: LocalStripe, club: Club
) -> None:
    # given the club's subscription updated twice at Stripe: first to past due, a minute later to active
    price = await priced(stripe_payment)
    now = int(time.time())
    older = subscription_event(
        "customer.subscription.updated",
        organization_id=club.organization_id,
        price=price,
        status="past_due",
        created=now - 60,
    )
    newer = subscription_event(
        "customer.subscription.updated",
        organization_id=club.organization_id,
        price=price,
        status="active",
        created=now,
        cancel_at_period_end=True,
    )
    # when the newer event arrives first and the older after it
    assert (await deliver(stripe_payment, local_stripe.webhook_secret, newer))[1]["outcome"] == "applied"
    assert (await deliver(stripe_payment, local_stripe.webhook_secret, older))[1]["outcome"] == "ignored"
    # then the newer state stands, and only it was announced
    data = (await stripe_payment.graphql.execute(SUBSCRIPTION, as_=club.admin)).ok()
    assert data["organizationSubscription"] == {
        "status": "ACTIVE",
        "cancelAtPeriodEnd": True,
        "plan": {"tier": "STANDARD"},
    }
    [event] = await outbox(stripe_payment, "subscription.changed")
    assert event["status"] == "active"
    assert await _stored_events(stripe_payment) == 2


async def test_a_deleted_subscription_stays_canceled(
    stripe_payment: RunningService, local_stripe: LocalStripe, club: Club
) -> None:
    # given a subscription Stripe created, then deleted
    price = await priced(stripe_payment)
    now = int(time.time())
    created = subscription_event(
        "customer.subscription.created",
        organization_id=club.organization_id,
        price=price,
        status="active",
        created=now - 120,
    )
    deleted = subscription_event(
        "customer.subscription.deleted",
        organization_id=club.organization_id,
        price=price,
        status="canceled",
        created=now - 60,
        canceled_at=now - 60,
    )
    late_update = subscription_event(
        "customer.subscription.updated",
        organization_id=club.organization_id,
        price=price,
        status="active",
        created=now - 90,
    )
    for event in (created, deleted, late_update):
        await deliver(stripe_payment, local_stripe.webhook_secret, event)
    # then the club has no current subscription, and the falling back was announced
    data = (await stripe_payment.graphql.execute(SUBSCRIPTION, as_=club.admin)).ok()
    assert data["organizationSubscription"] is None
    statuses = [event["status"] for event in await outbox(stripe_payment, "subscription.changed")]
    assert statuses == ["active", "canceled"]


async def test_a_plan_change_at_stripe_reaches_the_club_with_its_limits(
    stripe_payment: RunningService, local_stripe: LocalStripe, club: Club
) -> None:
    standard = await priced(stripe_payment, max_teams=2)
    premium = await priced(stripe_payment, tier=PlanTier.PREMIUM, max_teams=10)
    now = int(time.time())
    for price, created in ((standard, now - 60), (premium, now)):
        event = subscription_event(
            "customer.subscription.updated",
            organization_id=club.organization_id,
            price=price,
            status="active",
            created=created,
        )
        await deliver(stripe_payment, local_stripe.webhook_secret, event)
    data = (await stripe_payment.graphql.execute(SUBSCRIPTION, as_=club.admin)).ok()
    assert data["organizationSubscription"]["plan"] == {"tier": "PREMIUM"}
    assert [event["max_teams"] for event in await outbox(stripe_payment, "subscription.changed")] == [2, 10]


async def test_a_bad_signature_is_refused_with_a_json_error(
    stripe_payment: RunningService, local_stripe: LocalStripe, club: Club
) -> None:
    price = await priced(stripe_payment)
    payload = json.dumps(
        subscription_event(
            "customer.subscription.created",
            organization_id=club.organization_id,
            price=price,
            status="active",
            created=int(time.time()),
        )
    ).encode()
    headers = signed(payload, "whsec_not_the_endpoint_secret")
    response = await stripe_payment.http.post("/webhooks/stripe", content=payload, headers=headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "Stripe-Signature"}
    assert await _stored_events(stripe_payment) == 0
    assert await outbox(stripe_payment, "subscription.changed") == []


async def test_a_payload_that_is_not_an_event_is_refused(
    stripe_payment: RunningService, local_stripe: LocalStripe
) -> None:
    payload = b"not json"
    response = await stripe_payment.http.post(
        "/webhooks/stripe", content=payload, headers=signed(payload, local_stripe.webhook_secret)
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_other_event_types_are_stored_and_ignored(
    stripe_payment: RunningService, local_stripe: LocalStripe
) -> None:
    event = {"id": "evt_other", "object": "event", "type": "charge.refunded", "created": int(time.time()), "data": {}}
    assert (await deliver(stripe_payment, local_stripe.webhook_secret, event))[1]["outcome"] == "ignored"
    assert await _stored_events(stripe_payment) == 1


async def test_without_a_webhook_secret_webhooks_are_refused(payment: RunningService) -> None:
    response = await payment.http.post("/webhooks/stripe", content=b"{}", headers={"Stripe-Signature": "t=1,v1=00"})
    assert response.status_code == 503
    assert response.json()["errors"][0]["extensions"]["code"] == "BILLING_PROVIDER_NOT_CONFIGURED"


async def test_a_signature_older_than_five_minutes_is_refused(
    stripe_payment: RunningService, local_stripe: LocalStripe, club: Club
) -> None:
    # a captured delivery sent again later: its signature is right, but its time too old
    price = await priced(stripe_payment)
    now = int(time.time())
    event = subscription_event(
        "customer.subscription.created", organization_id=club.organization_id, price=price, status="active", created=now
    )
    payload = json.dumps(event).encode()
    headers = signed(payload, local_stripe.webhook_secret, at=now - 3600)
    response = await stripe_payment.http.post("/webhooks/stripe", content=payload, headers=headers)
    assert response.status_code == 400
    assert await _stored_events(stripe_payment) == 0


async def test_events_of_a_subscription_not_known_here_never_replace_the_current_one(
    stripe_payment: RunningService, local_stripe: LocalStripe, club: Club
) -> None:
    # given the club on a Stripe subscription
    price = await priced(stripe_payment)
    now = int(time.time())
    current = subscription_event(
        "customer.subscription.created", organization_id=club.organization_id, price=price, status="active", created=now
    )
    await deliver(stripe_payment, local_stripe.webhook_secret, current)
    # when events of another Stripe subscription of the club arrive (an old one's, delivered late)
    for type, status in (("customer.subscription.updated", "past_due"), ("customer.subscription.deleted", "canceled")):
        other = subscription_event(type, organization_id=club.organization_id, price=price, status=status, created=now)
        other["data"]["object"]["id"] = "sub_older"
        assert (await deliver(stripe_payment, local_stripe.webhook_secret, other))[1]["outcome"] == "ignored"
    # then the current subscription is untouched
    data = (await stripe_payment.graphql.execute(SUBSCRIPTION, as_=club.admin)).ok()
    assert data["organizationSubscription"]["status"] == "ACTIVE"
    assert len(await outbox(stripe_payment, "subscription.changed")) == 1


async def test_a_plan_sold_through_stripe_keeps_its_price(stripe_payment: RunningService) -> None:
    price = await priced(stripe_payment)
    async with stripe_payment.runtime.sessions() as session:
        plan_id = await session.scalar(select(BillingPlan.id).where(BillingPlan.external_price_id == price))
    update = (
        "mutation U($id: ID!, $input: UpdateBillingPlanInput!) { updateBillingPlan(id: $id, input: $input) { id } }"
    )
    variables = {"id": str(plan_id), "input": {"priceAmount": 19_900}}
    response = await stripe_payment.graphql.execute(update, variables, as_=PLATFORM_ADMIN)
    assert response.error("CONFLICT")["extensions"]["field"] == "priceAmount"
    renamed = {"id": str(plan_id), "input": {"name": "Standard 2027"}}
    (await stripe_payment.graphql.execute(update, renamed, as_=PLATFORM_ADMIN)).ok()
