"""The localstripe emulator, with the one-off invoice operations it lacks: run as
`python -m tests.payment.localstripe_server --port N --from-scratch` (the `local_stripe` fixture).

localstripe only invoices subscriptions. Team fees are one-off invoices, so this adds, with
localstripe's own objects and state machine (nothing here answers on its own):
- `POST /v1/invoices` for a customer without a subscription: an invoice of the customer's pending
  invoice items, accepting Stripe's `collection_method`, `days_until_due` and `auto_advance`;
- `POST /v1/invoices/{id}/finalize`: localstripe's own `Invoice._finalize` (draft -> open);
- `POST /v1/invoices/{id}/void` of an invoice no payment was attempted on (localstripe voids only
  those with a payment intent);
- `POST /v1/invoices/{id}/pay` with `paid_out_of_band=true`: paid without a charge.

What localstripe still does not model is left out: invoice `number`, `hosted_invoice_url`, the
`invoice.finalized` / `invoice.paid` / `invoice.voided` events, and idempotency keys (it ignores them).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web
from localstripe import resources, server  # type: ignore[import-untyped]  # it ships no types

_ACTION = re.compile(r"^/v1/invoices/(?P<id>in_\w+)/(?P<action>finalize|void|pay)$")

Invoice: Any = resources.Invoice
_original_create = Invoice._api_create.__func__
_original_void = Invoice._api_void_invoice.__func__
_original_pay = Invoice._api_pay_invoice.__func__
_original_status = Invoice.status


def _create(
    cls: Any,
    /,
    customer: str | None = None,
    subscription: str | None = None,
    collection_method: str | None = None,
    days_until_due: Any = None,
    auto_advance: Any = None,
    **data: Any,
) -> Any:
    owner = resources.Customer._api_retrieve(customer) if isinstance(customer, str) else None
    if subscription is not None or owner is None or owner.subscriptions._list:
        return _original_create(cls, customer=customer, subscription=subscription, **data)
    data.pop("pending_invoice_items_behavior", None)
    invoice = Invoice(customer=customer, **data)
    if collection_method is not None:
        invoice.collection_method = collection_method
    if days_until_due is not None:
        invoice.due_date = int(time.time()) + int(days_until_due) * 86400
    return invoice


def _finalize(cls: Any, id: str, **_: Any) -> Any:
    invoice = Invoice._api_retrieve(id)
    if invoice.status != "draft":
        raise resources.UserError(400, "This invoice is already finalized")
    invoice._finalize()
    return invoice


def _void(cls: Any, id: str, **_: Any) -> Any:
    invoice = Invoice._api_retrieve(id)
    if invoice.payment_intent is not None:
        return _original_void(cls, id)
    if invoice.status not in ("draft", "open"):
        raise resources.UserError(400, "Only draft or open invoices can be voided")
    invoice._draft = False
    invoice._voided = True
    invoice.status_transitions["voided_at"] = int(time.time())
    return invoice


def _pay(cls: Any, id: str, paid_out_of_band: Any = None) -> Any:
    if str(paid_out_of_band).lower() != "true":
        return _original_pay(cls, id)
    invoice = Invoice._api_retrieve(id)
    if invoice.status != "open":
        raise resources.UserError(400, "Only open invoices can be paid")
    invoice._paid_out_of_band = True
    invoice.paid_out_of_band = True
    invoice.status_transitions["paid_at"] = int(time.time())
    return invoice


def _status(self: Any) -> str:
    if getattr(self, "_paid_out_of_band", False):
        return "paid"
    return str(_original_status.fget(self))


_ROUTES: dict[str, Callable[..., Any]] = {"finalize": _finalize, "void": _void, "pay": _pay}


@web.middleware
async def _invoice_actions(request: web.Request, handler: Any) -> web.StreamResponse:
    """localstripe's routes for /pay and /void hold its own functions: these answer first."""
    match = _ACTION.match(request.path)
    if request.method != "POST" or match is None:
        response: web.StreamResponse = await handler(request)
        return response
    data = await server.get_post_data(request) or {}
    expand = data.pop("expand", None)
    invoice = _ROUTES[match["action"]](Invoice, match["id"], **data)
    answer: web.StreamResponse = server.json_response(invoice._export(expand=expand))
    return answer


Invoice._api_create = classmethod(_create)
Invoice.status = property(_status)
server.app.middlewares.append(_invoice_actions)


if __name__ == "__main__":
    server.start()
