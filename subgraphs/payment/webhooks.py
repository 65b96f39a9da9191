"""Stripe's webhook events, applied once each.

The event's id is stored in the transaction of its effect (`stripe_events`), so a redelivery, even a
concurrent one, changes nothing. Delivery order is not guaranteed: a subscription's state carries the
event's time, and an older event never overwrites a newer state (`billing.record_provider_state`).
Events of types not handled here are stored too, so they are not counted as pending.

`invoice.*` events of team fees' invoices settle the fees (team_fee_invoices.py), with the same rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.errors import InvalidInput
from subgraphs.payment import repository
from subgraphs.payment.billing import record_provider_state
from subgraphs.payment.stripe_gateway import ProviderFeeInvoice, ProviderSubscription
from subgraphs.payment.team_fee_invoices import INVOICE_EVENTS, record_invoice_state

SUBSCRIPTION_EVENTS = frozenset(
    {
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "customer.subscription.paused",
        "customer.subscription.resumed",
        "customer.subscription.trial_will_end",
    }
)


class Outcome(StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"
    """Processed before: nothing changed."""
    IGNORED = "ignored"
    """Stored, with no effect here (a type not handled, a price or club unknown, or an older state)."""


def _field(event: Mapping[str, Any], name: str) -> Any:
    if event.get(name) in (None, ""):
        raise InvalidInput(f"the event has no {name}", field=name)
    return event[name]


async def process_event(session: AsyncSession, event: Mapping[str, Any]) -> Outcome:
    """Apply one verified Stripe event; the caller commits."""
    event_id, event_type = str(_field(event, "id")), str(_field(event, "type"))
    try:
        created = datetime.fromtimestamp(int(_field(event, "created")), UTC)
    except (TypeError, ValueError):
        raise InvalidInput("the event's created time is not a Unix time", field="created") from None
    if not await repository.claim_stripe_event(session, event_id=event_id, type=event_type, created=created):
        return Outcome.DUPLICATE
    if event_type not in SUBSCRIPTION_EVENTS and event_type not in INVOICE_EVENTS:
        return Outcome.IGNORED
    data = event.get("data") or {}
    subject = data.get("object") if isinstance(data, Mapping) else None
    if event_type in INVOICE_EVENTS:
        if not isinstance(subject, Mapping) or subject.get("object") != "invoice" or not subject.get("id"):
            raise InvalidInput("the event's data.object is not an invoice", field="data.object")
        applied = await record_invoice_state(session, event_type, ProviderFeeInvoice.from_object(subject), at=created)
        return Outcome.APPLIED if applied else Outcome.IGNORED
    if not isinstance(subject, Mapping) or subject.get("object") != "subscription":
        raise InvalidInput("the event's data.object is not a subscription", field="data.object")
    state = ProviderSubscription.from_object(subject)
    subscription = await record_provider_state(session, state, at=created)
    if subscription is None or subscription.provider_state_at != created:
        return Outcome.IGNORED
    return Outcome.APPLIED
