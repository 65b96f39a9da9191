"""Stripe webhook events for tests: built as Stripe sends them, signed as Stripe signs them (the v1
HMAC-SHA256 of `timestamp.payload` with the endpoint's secret, as Stripe documents it), and delivered to
`POST /webhooks/stripe`."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from typing import Any

from subgraphs.payment.models import BillingPlan
from tests.payment.factories import make_plan
from tests.support.services import RunningService

PERIOD = 30 * 24 * 3600


def signed(payload: bytes, secret: str, *, at: int | None = None) -> dict[str, str]:
    timestamp = at or int(time.time())
    signature = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return {"Stripe-Signature": f"t={timestamp},v1={signature}", "Content-Type": "application/json"}


def subscription_event(
    type: str,
    *,
    organization_id: uuid.UUID,
    price: str,
    status: str,
    created: int,
    event_id: str | None = None,
    **fields: Any,
) -> dict[str, Any]:
    return {
        "id": event_id or f"evt_{uuid.uuid4().hex[:24]}",
        "object": "event",
        "type": type,
        "created": created,
        "data": {
            "object": {
                "id": "sub_webhook1",
                "object": "subscription",
                "customer": "cus_webhook1",
                "status": status,
                "metadata": {"organization_id": str(organization_id)},
                "items": {"object": "list", "data": [{"id": "si_1", "plan": {"id": price, "object": "plan"}}]},
                "current_period_start": created - 3600,
                "current_period_end": created - 3600 + PERIOD,
                "cancel_at_period_end": False,
                "trial_end": None,
                "canceled_at": None,
                **fields,
            }
        },
    }


async def deliver(payment: RunningService, secret: str, event: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    payload = json.dumps(event).encode()
    response = await payment.http.post("/webhooks/stripe", content=payload, headers=signed(payload, secret))
    return response.status_code, response.json()


async def priced(payment: RunningService, **options: Any) -> str:
    """A plan Stripe knows by a price id, as after its first subscriber."""
    plan = await make_plan(payment, trial_days=0, **options)
    price = f"plan_{uuid.uuid4().hex[:14]}"
    async with payment.runtime.sessions.begin() as session:
        row = await session.get(BillingPlan, plan.id)
        assert row is not None
        row.external_price_id = price
    return price
