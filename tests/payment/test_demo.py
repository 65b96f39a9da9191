"""The demo's plans and the demo club's billing, loaded into the test database and read back."""

from __future__ import annotations

from collections import Counter
from datetime import date

from shared.auth.principal import Role
from shared.demo import demo_club
from subgraphs.payment.demo import load_demo
from tests.payment.factories import outbox
from tests.support.principals import principal
from tests.support.services import RunningService

BILLING = """
query Billing {
  billingPlans { tier billingInterval priceAmount currency limits { maxTeams } }
  organizationSubscription {
    status isActive currentPeriodStart currentPeriodEnd plan { tier billingInterval priceAmount }
    limits { maxUsers maxTeams maxPlayers } features
  }
  billingCustomer { billingEmail }
  invoices(first: 20) {
    items { number status total amountDue issueDate paidAt lines { amount } }
    hasNextPage
  }
}
"""


async def test_the_demo_club_bills_annually_with_a_year_of_invoices(payment: RunningService) -> None:
    # given the demo's billing
    club = demo_club()
    async with payment.runtime.sessions() as session, session.begin():
        assert await load_demo(session, club) is True
    async with payment.runtime.sessions() as session, session.begin():
        assert await load_demo(session, club) is False
    admin = club.person("admin@lynx.example")
    as_admin = principal(Role.CLUB_ADMIN, organization_id=club.organization_id, user_id=admin.id)
    # when the club's administrator reads it
    data = (await payment.graphql.execute(BILLING, as_=as_admin)).ok()
    # then four tiers are on sale, monthly and annual
    plans = data["billingPlans"]
    assert [(plan["tier"], plan["billingInterval"]) for plan in plans] == [
        (tier, interval)
        for tier in ("BASIC", "STANDARD", "PREMIUM", "ENTERPRISE")
        for interval in ("MONTHLY", "ANNUAL")
    ]
    assert all(plan["currency"] == "EUR" and plan["priceAmount"] > 0 for plan in plans)
    # and the club is on standard annual, active, for a year from ten days ago
    subscription = data["organizationSubscription"]
    assert subscription["status"] == "ACTIVE"
    assert subscription["isActive"] is True
    assert subscription["plan"] == {"tier": "STANDARD", "billingInterval": "ANNUAL", "priceAmount": 149_000}
    assert subscription["limits"] == {"maxUsers": 350, "maxTeams": 4, "maxPlayers": 120}
    assert subscription["features"] == ["MEDICAL_TRACKING", "PARENT_PAYMENTS"]
    assert date.fromisoformat(subscription["currentPeriodStart"][:10]) < club.today
    assert date.fromisoformat(subscription["currentPeriodEnd"][:10]) > club.today
    assert data["billingCustomer"] == {"billingEmail": "billing@lynx.example"}
    # and a year of invoices: eleven monthly ones paid, the annual one open
    invoices = data["invoices"]["items"]
    assert len(invoices) == 12
    assert data["invoices"]["hasNextPage"] is False
    assert Counter(invoice["status"] for invoice in invoices) == {"PAID": 11, "OPEN": 1}
    assert invoices[0]["status"] == "OPEN"
    assert (invoices[0]["total"], invoices[0]["amountDue"]) == (186_250, 186_250)  # 1490 EUR + 25% VAT
    assert all(invoice["amountDue"] == 0 and invoice["paidAt"] for invoice in invoices[1:])
    assert all(
        sum(line["amount"] for line in invoice["lines"]) * 125 // 100 == invoice["total"] for invoice in invoices
    )
    issued = [date.fromisoformat(invoice["issueDate"]) for invoice in invoices]
    assert issued == sorted(issued, reverse=True)
    assert (issued[0] - issued[-1]).days > 300
    # and the subscription's history went out as events: started, canceled, the annual one started
    events = await outbox(payment, "subscription.changed")
    assert [(event["status"], event["billing_interval"]) for event in events] == [
        ("active", "monthly"),
        ("canceled", "monthly"),
        ("active", "annual"),
    ]
