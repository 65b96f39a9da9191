"""`POST /webhooks/stripe`: Stripe's events, verified by their signature, each applied once (webhooks.py).

Answers 200 with the outcome (`applied`, `duplicate`, `ignored`); 400 with a JSON error for a bad
signature or payload, which Stripe does not retry; 503 when no webhook secret is configured.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from shared.errors import DomainError
from shared.runtime import ServiceRuntime
from subgraphs.payment.stripe_gateway import BillingProviderMissing, verified_event
from subgraphs.payment.webhooks import process_event


def _error(error: DomainError, status: int) -> JSONResponse:
    return JSONResponse({"errors": [{"message": error.message, "extensions": error.extensions()}]}, status_code=status)


async def _stripe_webhook(request: Request) -> JSONResponse:
    runtime: ServiceRuntime = request.app.state.runtime
    secret = runtime.settings.stripe_webhook_secret
    if secret is None:
        return _error(
            BillingProviderMissing("webhooks need a signing secret; set HOCKEY_HUB_STRIPE_WEBHOOK_SECRET"), 503
        )
    payload = await request.body()
    try:
        event = verified_event(payload, request.headers.get("stripe-signature"), secret.get_secret_value())
        async with runtime.sessions.begin() as session:
            outcome = await process_event(session, event)
    except DomainError as error:
        return _error(error, 400)
    return JSONResponse({"received": True, "outcome": outcome.value})


def add_webhook_routes(app: FastAPI) -> None:
    app.add_api_route("/webhooks/stripe", _stripe_webhook, methods=["POST"], include_in_schema=False)
