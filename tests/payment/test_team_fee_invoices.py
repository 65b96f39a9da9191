"""Team fees invoiced through Stripe (the emulator): one finalized invoice per fee to the player's parent,
or the adult player; settled by Stripe's signed `invoice.*` webhooks once each, never reopened by an
older event; voided or paid out of band at Stripe when an administrator settles the fee by hand."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta
from typing import Any

import stripe
from sqlalchemy import select

from shared import roster
from shared.database import utcnow
from shared.events import Event
from subgraphs.payment.models import Payer, PayerLink, TeamFee
from subgraphs.payment.stripe_gateway import HTTPXTransport
from tests.payment.conftest import LocalStripe
from tests.payment.factories import Club
from tests.payment.stripe_events import deliver
from tests.support.services import RunningService
from tests.support.waiting import eventually

CREATE = """
mutation Create($input: CreateTeamFeesInput!) {
  createTeamFees(input: $input) {
    id playerId amount status paidAt payerUserId invoiceNumber hostedInvoiceUrl stripeStatus
    paymentFailedAt paymentFailure
  }
}
"""
LIST = "query { teamFees { id playerId status paidAt stripeStatus paymentFailure } }"
MARK_PAID = "mutation Paid($id: ID!) { markTeamFeePaid(id: $id) { id status stripeStatus } }"
VOID = "mutation Void($id: ID!) { voidTeamFee(id: $id) { id status stripeStatus } }"


def _stripe(local_stripe: LocalStripe) -> stripe.StripeClient:
    return stripe.StripeClient(
        local_stripe.api_key, base_addresses={"api": local_stripe.url}, http_client=HTTPXTransport()
    )


async def _announce(payment: RunningService, club: Club, *events: tuple[str, dict[str, Any]]) -> None:
    """The user service's events, published on the bus the payment service consumes."""
    for kind, data in events:
        await payment.runtime.bus.publish(
            Event(type=kind, producer="user", organization_id=club.organization_id, data=data)
        )


async def _player(
    payment: RunningService, club: Club, team: uuid.UUID, *, account: uuid.UUID | None = None
) -> uuid.UUID:
    player = uuid.uuid4()
    async with payment.runtime.sessions.begin() as session:
        await roster.upsert_roster_entry(
            session,
            player_id=player,
            organization_id=club.organization_id,
            team_id=team,
            first_name="Alex",
            last_name=f"Player {str(player)[:4]}",
            occurred_at=utcnow(),
        )
    if account is not None:
        await _announce(
            payment,
            club,
            ("player.added", {"player_id": str(player), "team_id": str(team), "user_id": str(account)}),
        )
    return player


def _user(user_id: uuid.UUID, email: str) -> tuple[str, dict[str, Any]]:
    return (
        "user.created",
        {"user_id": str(user_id), "email": email, "first_name": "Kim", "last_name": "Berg", "is_active": True},
    )


async def _links(payment: RunningService, count: int) -> None:
    async def settled() -> bool:
        async with payment.runtime.sessions() as session:
            links = list(await session.scalars(select(PayerLink)))
            payers = list(await session.scalars(select(Payer)))
        return len(links) >= count and all(payer.email for payer in payers) and len(payers) >= count

    await eventually(settled)


def _input(team: uuid.UUID, amount: int = 180_000) -> dict[str, object]:
    due = (utcnow().date() + timedelta(days=30)).isoformat()
    return {
        "input": {
            "teamId": str(team),
            "season": "2026/27",
            "description": "Season fee U18",
            "amount": amount,
            "currency": "SEK",
            "dueDate": due,
        }
    }


def _invoice_event(
    kind: str, invoice_id: str, *, status: str, created: int, event_id: str | None = None
) -> dict[str, Any]:
    return {
        "id": event_id or f"evt_{uuid.uuid4().hex[:24]}",
        "object": "event",
        "type": kind,
        "created": created,
        "data": {
            "object": {
                "id": invoice_id,
                "object": "invoice",
                "status": status,
                "number": "HH-0001",
                "hosted_invoice_url": f"https://invoice.stripe.com/i/{invoice_id}",
                "attempt_count": 1,
                "status_transitions": {"paid_at": created if status == "paid" else None},
            }
        },
    }


async def _fee_row(payment: RunningService, fee_id: str) -> TeamFee:
    async with payment.runtime.sessions() as session:
        fee = await session.get(TeamFee, uuid.UUID(fee_id))
    assert fee is not None
    return fee


async def test_fees_become_finalized_invoices_to_the_parent_or_the_adult_player(
    stripe_payment: RunningService, local_stripe: LocalStripe, club: Club
) -> None:
    # given a junior whose parent is linked, an adult player with their own account, and a player with neither
    team, parent, adult_account = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    junior = await _player(stripe_payment, club, team)
    adult = await _player(stripe_payment, club, team, account=adult_account)
    unknown = await _player(stripe_payment, club, team)
    await _announce(
        stripe_payment,
        club,
        _user(parent, "parent@example.com"),
        _user(adult_account, "adult@example.com"),
        ("parent.linked", {"player_id": str(junior), "parent_user_id": str(parent)}),
    )
    await _links(stripe_payment, 2)
    # when the administrator bills the season fee
    fees = (await stripe_payment.graphql.execute(CREATE, _input(team), as_=club.admin)).ok()["createTeamFees"]
    by_player = {uuid.UUID(fee["playerId"]): fee for fee in fees}
    # then the junior's fee is invoiced to the parent and the adult's to the adult, finalized (open)
    assert by_player[junior]["payerUserId"] == str(parent)
    assert by_player[adult]["payerUserId"] == str(adult_account)
    assert {by_player[p]["stripeStatus"] for p in (junior, adult)} == {"open"}
    # and the player nobody pays for yet is not invoiced
    assert (by_player[unknown]["payerUserId"], by_player[unknown]["stripeStatus"]) == (None, None)
    # and Stripe holds each invoice, for the fee's amount, to the payer's own customer
    client = _stripe(local_stripe)
    for player, email in ((junior, "parent@example.com"), (adult, "adult@example.com")):
        row = await _fee_row(stripe_payment, by_player[player]["id"])
        assert row.external_invoice_id is not None
        invoice = await client.v1.invoices.retrieve_async(row.external_invoice_id)
        customer = await client.v1.customers.retrieve_async(str(invoice.customer))
        assert (invoice.status, invoice.total, invoice.currency) == ("open", 180_000, "sek")
        assert invoice.collection_method == "send_invoice"
        assert invoice.metadata is not None
        assert invoice.metadata["team_fee_id"] == by_player[player]["id"]
        assert customer.email == email


async def test_a_paid_webhook_settles_the_fee_once_and_an_older_failure_does_not_reopen_it(
    stripe_payment: RunningService, local_stripe: LocalStripe, club: Club
) -> None:
    # given an invoiced fee
    team, account = uuid.uuid4(), uuid.uuid4()
    await _player(stripe_payment, club, team, account=account)
    await _announce(stripe_payment, club, _user(account, "adult@example.com"))
    await _links(stripe_payment, 1)
    [fee] = (await stripe_payment.graphql.execute(CREATE, _input(team), as_=club.admin)).ok()["createTeamFees"]
    invoice_id = (await _fee_row(stripe_payment, fee["id"])).external_invoice_id
    assert invoice_id is not None
    now = int(time.time()) + 5
    # when a first payment attempt fails, then the fee stays open and staff see why
    failed = _invoice_event("invoice.payment_failed", invoice_id, status="open", created=now)
    assert (await deliver(stripe_payment, local_stripe.webhook_secret, failed))[1]["outcome"] == "applied"
    [listed] = (await stripe_payment.graphql.execute(LIST, as_=club.admin)).ok()["teamFees"]
    assert listed["status"] == "OPEN"
    assert "attempt 1" in listed["paymentFailure"]
    # when Stripe then says it is paid
    paid = _invoice_event("invoice.paid", invoice_id, status="paid", created=now + 60)
    assert (await deliver(stripe_payment, local_stripe.webhook_secret, paid))[1]["outcome"] == "applied"
    # then the fee is paid as of the payment, with its invoice's number, and the failure is cleared
    [listed] = (await stripe_payment.graphql.execute(LIST, as_=club.admin)).ok()["teamFees"]
    assert (listed["status"], listed["stripeStatus"], listed["paymentFailure"]) == ("PAID", "paid", None)
    paid_at = listed["paidAt"]
    assert paid_at.startswith(time.strftime("%Y-%m-%dT%H:%M", time.gmtime(now + 60)))
    # when the same event is delivered again, then nothing changes
    status, body = await deliver(stripe_payment, local_stripe.webhook_secret, paid)
    assert (status, body["outcome"]) == (200, "duplicate")
    # when an older failure, delivered late, arrives, then it is ignored and the fee stays paid
    late = _invoice_event("invoice.payment_failed", invoice_id, status="open", created=now + 30)
    assert (await deliver(stripe_payment, local_stripe.webhook_secret, late))[1]["outcome"] == "ignored"
    # and a void event cannot undo the payment either
    voided = _invoice_event("invoice.voided", invoice_id, status="void", created=now + 120)
    await deliver(stripe_payment, local_stripe.webhook_secret, voided)
    [listed] = (await stripe_payment.graphql.execute(LIST, as_=club.admin)).ok()["teamFees"]
    assert (listed["status"], listed["paidAt"], listed["paymentFailure"]) == ("PAID", paid_at, None)


async def test_voiding_or_marking_paid_by_hand_closes_the_stripe_invoice(
    stripe_payment: RunningService, local_stripe: LocalStripe, club: Club
) -> None:
    # given two invoiced fees
    team, first_account, second_account = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await _player(stripe_payment, club, team, account=first_account)
    await _player(stripe_payment, club, team, account=second_account)
    await _announce(
        stripe_payment, club, _user(first_account, "one@example.com"), _user(second_account, "two@example.com")
    )
    await _links(stripe_payment, 2)
    fees = (await stripe_payment.graphql.execute(CREATE, _input(team), as_=club.admin)).ok()["createTeamFees"]
    voided, transferred = fees
    # when the administrator voids one and marks the other paid (a bank transfer)
    result = (await stripe_payment.graphql.execute(VOID, {"id": voided["id"]}, as_=club.admin)).ok()["voidTeamFee"]
    assert (result["status"], result["stripeStatus"]) == ("VOID", "void")
    result = (await stripe_payment.graphql.execute(MARK_PAID, {"id": transferred["id"]}, as_=club.admin)).ok()
    assert (result["markTeamFeePaid"]["status"], result["markTeamFeePaid"]["stripeStatus"]) == ("PAID", "paid")
    # then Stripe's invoices are void and paid (out of band), so the payer cannot pay them there again
    client = _stripe(local_stripe)
    for fee, status in ((voided, "void"), (transferred, "paid")):
        invoice_id = (await _fee_row(stripe_payment, fee["id"])).external_invoice_id
        assert invoice_id is not None
        assert (await client.v1.invoices.retrieve_async(invoice_id)).status == status


async def test_when_stripe_fails_part_way_no_fee_is_written(
    stripe_payment: RunningService, local_stripe: LocalStripe, club: Club
) -> None:
    # given a payer whose Stripe customer no longer exists at Stripe
    team, account = uuid.uuid4(), uuid.uuid4()
    await _player(stripe_payment, club, team, account=account)
    await _announce(stripe_payment, club, _user(account, "gone@example.com"))
    await _links(stripe_payment, 1)
    async with stripe_payment.runtime.sessions.begin() as session:
        payer = await session.get(Payer, account)
        assert payer is not None
        payer.external_customer_id = "cus_deleted000000"
    # when the administrator bills the season, then Stripe's refusal is a typed error
    response = await stripe_payment.graphql.execute(CREATE, _input(team), as_=club.admin)
    assert response.error("BAD_USER_INPUT")["message"].startswith("Stripe refused the request")
    # and no fee was written
    assert (await stripe_payment.graphql.execute(LIST, as_=club.admin)).ok()["teamFees"] == []
