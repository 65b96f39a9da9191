"""Team fees as Stripe invoices: each fee becomes one finalized invoice to its payer (payers.py: a linked
parent, else the adult player), which they pay on Stripe's hosted page; Stripe's `invoice.*` webhooks
then settle the fee (webhooks.py -> `record_invoice_state`).

Stripe is called inside the request's transaction, before its commit, as billing.py does: the fee row
needs the invoice's id. Every call carries an idempotency key made from the fee's id, and a fee's id is
derived from its team, season and player (team_fees.py), so when Stripe fails part-way or the commit
fails, nothing is written here, and the retry gets back from Stripe the objects made before instead of
duplicates. A fee with no payer known yet stays uninvoiced; billing the season again invoices it.

Like subscriptions, an invoice's state carries its time: an older webhook never overwrites a newer state,
and a settled fee (paid or void) is never reopened.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from shared.database import utcnow
from subgraphs.payment import repository
from subgraphs.payment.models import TeamFee, TeamFeeStatus
from subgraphs.payment.payers import payers_of
from subgraphs.payment.stripe_gateway import ProviderFeeInvoice, StripeGateway

PAID_EVENTS = frozenset({"invoice.paid", "invoice.payment_succeeded"})
VOIDED_EVENTS = frozenset({"invoice.voided"})
FAILED_EVENTS = frozenset({"invoice.payment_failed"})
INVOICE_EVENTS = PAID_EVENTS | VOIDED_EVENTS | FAILED_EVENTS | {"invoice.finalized", "invoice.updated"}


def stripe_now() -> datetime:
    """Now in whole seconds, as Stripe stamps its events (see billing._stripe_now)."""
    return utcnow().replace(microsecond=0)


def _mirror(fee: TeamFee, state: ProviderFeeInvoice, *, at: datetime) -> None:
    fee.external_invoice_id = state.id
    fee.invoice_number = state.number or fee.invoice_number
    fee.hosted_invoice_url = state.hosted_invoice_url or fee.hosted_invoice_url
    fee.provider_status = state.status
    fee.provider_state_at = at


async def invoice_fees(session: AsyncSession, gateway: StripeGateway, fees: Sequence[TeamFee]) -> None:
    """Invoice each of these open, uninvoiced (and row-locked) fees whose player has a payer."""
    payers = await payers_of(session, [fee.player_id for fee in fees])
    today = utcnow().date()
    for fee in fees:
        payer_id = payers.get(fee.player_id)
        if payer_id is None:
            continue
        payer = await repository.lock_payer(session, payer_id, fee.organization_id)
        if payer.external_customer_id is None:
            payer.external_customer_id = await gateway.create_person_customer(
                user_id=payer.user_id, email=payer.email, name=payer.name
            )
        state = await gateway.invoice_team_fee(
            fee_id=fee.id,
            customer_id=payer.external_customer_id,
            amount=fee.amount,
            currency=fee.currency,
            description=f"{fee.description} ({fee.season})",
            # Stripe wants a due date ahead; a fee billed late is due the next day.
            days_until_due=max(1, (fee.due_date - today).days),
        )
        fee.payer_user_id = payer_id
        _mirror(fee, state, at=stripe_now())
    await session.flush()


async def settle_by_hand(session: AsyncSession, gateway: StripeGateway | None, fee: TeamFee) -> None:
    """A fee marked paid or void by an administrator: its Stripe invoice follows, so the payer can no
    longer pay it there (paid out of band for a bank transfer, voided otherwise)."""
    if fee.external_invoice_id is None or gateway is None or fee.provider_status in ("paid", "void"):
        return
    if fee.status is TeamFeeStatus.VOID:
        state = await gateway.void_invoice(fee.external_invoice_id)
    else:
        state = await gateway.mark_invoice_paid(fee.external_invoice_id)
    _mirror(fee, state, at=stripe_now())


async def record_invoice_state(
    session: AsyncSession, event_type: str, state: ProviderFeeInvoice, *, at: datetime
) -> bool:
    """Apply a Stripe invoice event to its fee; False when no fee has the invoice or the state is older
    than the one stored. A paid or void fee stays so: Stripe neither reopens an invoice nor pays a void one."""
    fee = await repository.team_fee_by_external_invoice(session, state.id)
    if fee is None or (fee.provider_state_at is not None and at < fee.provider_state_at):
        return False
    _mirror(fee, state, at=at)
    if fee.status is TeamFeeStatus.OPEN:
        if event_type in PAID_EVENTS or state.status == "paid":
            fee.status = TeamFeeStatus.PAID
            fee.paid_at = state.paid_at or at
            fee.payment_failed_at = fee.payment_failure = None
        elif event_type in VOIDED_EVENTS or state.status == "void":
            fee.status = TeamFeeStatus.VOID
            fee.payment_failed_at = fee.payment_failure = None
        elif event_type in FAILED_EVENTS:
            fee.payment_failed_at = at
            fee.payment_failure = f"Stripe could not collect the payment (attempt {max(state.attempt_count, 1)})"
    await session.flush()
    return True
