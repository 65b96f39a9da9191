"""The club's subscription and billing contact: who sees them, and the subscription.changed event."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from shared.auth.principal import Role
from shared.database import utcnow
from shared.database.integrity import constraint_name
from shared.errors import InvalidInput
from subgraphs.payment import service as payment_service
from subgraphs.payment.models import BillingInterval, PlanFeature, PlanTier, Subscription, SubscriptionStatus
from tests.payment.factories import PLATFORM_ADMIN, Club, make_plan, make_subscription, outbox
from tests.support.principals import principal
from tests.support.services import RunningService

SUBSCRIPTION = """
query Subscription($organizationId: ID) {
  organizationSubscription(organizationId: $organizationId) {
    id status isActive cancelAtPeriodEnd currentPeriodStart currentPeriodEnd trialEnd
    organization { id }
    plan { tier billingInterval priceAmount currency }
    limits { maxUsers maxTeams maxPlayers }
    features
  }
}
"""

UPDATE_CONTACT = """
mutation UpdateContact($input: UpdateBillingContactInput!) {
  updateBillingContact(input: $input) { id billingEmail organization { id } }
}
"""

CUSTOMER = "query Customer { billingCustomer { billingEmail } }"


async def test_the_club_admin_sees_the_current_subscription_with_its_limits(
    payment: RunningService, club: Club
) -> None:
    # given no subscription yet
    nothing = (await payment.graphql.execute(SUBSCRIPTION, as_=club.admin)).ok()
    assert nothing["organizationSubscription"] is None
    # when the club subscribes to the standard annual plan
    plan = await make_plan(
        payment,
        tier=PlanTier.STANDARD,
        interval=BillingInterval.ANNUAL,
        price=149_000,
        features=(PlanFeature.MEDICAL_TRACKING, PlanFeature.PARENT_PAYMENTS),
        max_users=100,
        max_teams=4,
        max_players=None,
    )
    subscription = await make_subscription(payment, club=club, plan=plan, days=365)
    # then its administrator sees it with the plan's period, limits and features
    data = (await payment.graphql.execute(SUBSCRIPTION, as_=club.admin)).ok()["organizationSubscription"]
    assert data["id"] == str(subscription.id)
    assert (data["status"], data["isActive"], data["cancelAtPeriodEnd"]) == ("ACTIVE", True, False)
    assert data["organization"] == {"id": str(club.organization_id)}
    assert data["plan"] == {
        "tier": "STANDARD",
        "billingInterval": "ANNUAL",
        "priceAmount": 149_000,
        "currency": "EUR",
    }
    assert data["limits"] == {"maxUsers": 100, "maxTeams": 4, "maxPlayers": None}
    assert data["features"] == ["MEDICAL_TRACKING", "PARENT_PAYMENTS"]
    assert data["currentPeriodEnd"] == subscription.current_period_end.isoformat()
    # and a platform administrator sees it by naming the club
    as_platform = (
        await payment.graphql.execute(SUBSCRIPTION, {"organizationId": str(club.organization_id)}, as_=PLATFORM_ADMIN)
    ).ok()
    assert as_platform["organizationSubscription"]["id"] == str(subscription.id)


async def test_billing_is_forbidden_to_everyone_else(payment: RunningService, club: Club) -> None:
    await make_subscription(payment, club=club, plan=await make_plan(payment))
    medic = principal(Role.MEDICAL_STAFF, organization_id=club.organization_id)
    for caller in (club.coach, club.player, club.parent, medic):
        assert (await payment.graphql.execute(SUBSCRIPTION, as_=caller)).codes == ["FORBIDDEN"]
        assert (await payment.graphql.execute(CUSTOMER, as_=caller)).codes == ["FORBIDDEN"]
        contact = await payment.graphql.execute(
            UPDATE_CONTACT, {"input": {"billingEmail": "x@club.example"}}, as_=caller
        )
        assert contact.codes == ["FORBIDDEN"]
    other_admin = principal(Role.CLUB_ADMIN, organization_id=uuid.uuid4())
    foreign = await payment.graphql.execute(
        SUBSCRIPTION, {"organizationId": str(club.organization_id)}, as_=other_admin
    )
    assert foreign.codes == ["FORBIDDEN"]
    malformed = await payment.graphql.execute(SUBSCRIPTION, {"organizationId": "lynx"}, as_=PLATFORM_ADMIN)
    assert malformed.error("BAD_USER_INPUT")["extensions"]["field"] == "organizationId"


async def test_the_club_admin_sets_the_billing_email(payment: RunningService, club: Club) -> None:
    assert (await payment.graphql.execute(CUSTOMER, as_=club.admin)).ok() == {"billingCustomer": None}
    updated = (
        await payment.graphql.execute(
            UPDATE_CONTACT, {"input": {"billingEmail": " Kassor@Lynx.Example "}}, as_=club.admin
        )
    ).ok()["updateBillingContact"]
    assert updated["billingEmail"] == "kassor@lynx.example"
    assert updated["organization"] == {"id": str(club.organization_id)}
    again = (
        await payment.graphql.execute(
            UPDATE_CONTACT, {"input": {"billingEmail": "ekonomi@lynx.example"}}, as_=club.admin
        )
    ).ok()["updateBillingContact"]
    assert again["id"] == updated["id"]  # the same customer, not a second one
    assert (await payment.graphql.execute(CUSTOMER, as_=club.admin)).ok() == {
        "billingCustomer": {"billingEmail": "ekonomi@lynx.example"}
    }
    invalid = await payment.graphql.execute(UPDATE_CONTACT, {"input": {"billingEmail": "not-an-email"}}, as_=club.admin)
    assert invalid.error("BAD_USER_INPUT")["extensions"]["field"] == "billingEmail"


async def test_subscription_changes_are_published(payment: RunningService, club: Club) -> None:
    monthly = await make_plan(payment, interval=BillingInterval.MONTHLY)
    # when a subscription starts, it is published as created
    subscription = await make_subscription(payment, club=club, plan=monthly, status=SubscriptionStatus.TRIALING)
    [created] = await outbox(payment, "subscription.changed")
    assert created["subscription_id"] == str(subscription.id)
    assert (created["created"], created["status"], created["previous_status"]) == (True, "trialing", None)
    assert (created["tier"], created["max_teams"], created["features"]) == (
        "standard",
        4,
        ["medical_tracking"],
    )
    # and the same state reported again publishes nothing
    async with payment.runtime.sessions() as session, session.begin():
        await payment_service.record_subscription(
            session,
            organization_id=club.organization_id,
            plan_id=monthly.id,
            status=SubscriptionStatus.TRIALING,
            current_period_start=subscription.current_period_start,
            current_period_end=subscription.current_period_end,
        )
    assert len(await outbox(payment, "subscription.changed")) == 1
    # and a change of status is published with what it was before
    async with payment.runtime.sessions() as session, session.begin():
        await payment_service.record_subscription(
            session,
            organization_id=club.organization_id,
            plan_id=monthly.id,
            status=SubscriptionStatus.PAST_DUE,
            current_period_start=subscription.current_period_start,
            current_period_end=subscription.current_period_end,
        )
    changed = (await outbox(payment, "subscription.changed"))[-1]
    assert (changed["created"], changed["status"], changed["previous_status"]) == (
        False,
        "past_due",
        "trialing",
    )
    assert changed["changed"] == ["status"]
    # and once canceled, the club has no current subscription
    async with payment.runtime.sessions() as session, session.begin():
        await payment_service.record_subscription(
            session,
            organization_id=club.organization_id,
            plan_id=monthly.id,
            status=SubscriptionStatus.CANCELED,
            current_period_start=subscription.current_period_start,
            current_period_end=subscription.current_period_end,
            canceled_at=utcnow(),
        )
    assert len(await outbox(payment, "subscription.changed")) == 3
    assert (await payment.graphql.execute(SUBSCRIPTION, as_=club.admin)).ok()["organizationSubscription"] is None


async def test_a_club_has_at_most_one_current_subscription(payment: RunningService, club: Club) -> None:
    plan = await make_plan(payment)
    current = await make_subscription(payment, club=club, plan=plan)
    # a second current subscription is refused by the database itself, whoever writes it
    with pytest.raises(IntegrityError) as refused:
        async with payment.runtime.sessions() as session, session.begin():
            session.add(
                Subscription(
                    organization_id=club.organization_id,
                    customer_id=current.customer_id,
                    plan_id=plan.id,
                    status=SubscriptionStatus.ACTIVE,
                    current_period_start=current.current_period_start,
                    current_period_end=current.current_period_end,
                )
            )
    assert constraint_name(refused.value) == "uq_subscriptions_current_organization_id"
    # while canceled ones stay beside it as history
    async with payment.runtime.sessions() as session, session.begin():
        session.add(
            Subscription(
                organization_id=club.organization_id,
                customer_id=current.customer_id,
                plan_id=plan.id,
                status=SubscriptionStatus.CANCELED,
                current_period_start=current.current_period_start - timedelta(days=30),
                current_period_end=current.current_period_start,
            )
        )


async def test_recorded_subscriptions_are_validated(payment: RunningService, club: Club) -> None:
    plan = await make_plan(payment)
    now = utcnow()
    cases: list[tuple[dict[str, object], str]] = [
        ({"plan_id": uuid.uuid4()}, "planId"),
        ({"current_period_end": now - timedelta(days=1)}, "currentPeriodEnd"),
        ({"current_period_start": now.replace(tzinfo=None)}, "currentPeriodStart"),
    ]
    for changes, field in cases:
        values: dict[str, object] = {
            "organization_id": club.organization_id,
            "plan_id": plan.id,
            "status": SubscriptionStatus.ACTIVE,
            "current_period_start": now,
            "current_period_end": now + timedelta(days=30),
            **changes,
        }
        with pytest.raises(InvalidInput) as error:
            async with payment.runtime.sessions() as session, session.begin():
                await payment_service.record_subscription(session, **values)  # type: ignore[arg-type]
        assert error.value.field == field
