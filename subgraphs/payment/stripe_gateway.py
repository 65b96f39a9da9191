"""Stripe behind one small gateway: the only module that imports the `stripe` SDK.

Calls use the SDK's own async client (`StripeClient` with its httpx transport), so no thread is blocked;
replies come back as plain frozen values, never SDK objects. `HOCKEY_HUB_STRIPE_API_BASE` points the
client at another address (the localstripe emulator in tests). Without `HOCKEY_HUB_STRIPE_API_KEY` there
is no gateway (`gateway_for` is None) and subscriptions stay local, as in the embedded demo.

Prices are Stripe *plans* (`/v1/plans`): the older price object every Stripe API version still serves,
and the one the localstripe emulator knows.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import stripe

from shared.errors import DomainError, InvalidInput, ServiceUnavailable
from shared.settings import Settings

_INTERVALS = {"monthly": ("month", 1), "quarterly": ("month", 3), "annual": ("year", 1)}


class BillingProviderMissing(DomainError):
    """The operation goes through Stripe, and this deployment has no Stripe key."""

    code = "BILLING_PROVIDER_NOT_CONFIGURED"


def _instant(value: Any) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(int(value), UTC)


def _id(value: Any) -> str | None:
    """An expandable field: an id, or the expanded object with one."""
    if value is None or isinstance(value, str):
        return value
    return str(value["id"])


@dataclass(frozen=True, slots=True)
class ProviderSubscription:
    """A Stripe subscription as this service reads it, from an API reply or a webhook's object."""

    id: str
    customer_id: str | None
    status: str
    price_id: str | None
    current_period_start: datetime
    current_period_end: datetime
    trial_end: datetime | None
    cancel_at_period_end: bool
    canceled_at: datetime | None
    organization_id: uuid.UUID | None
    """From the subscription's metadata, which this service sets when it subscribes."""

    @classmethod
    def from_object(cls, data: Mapping[str, Any]) -> ProviderSubscription:
        items = (data.get("items") or {}).get("data") or [{}]
        item = items[0]
        # Newer Stripe API versions keep the period on the item, older ones on the subscription.
        start = data.get("current_period_start") or item.get("current_period_start")
        end = data.get("current_period_end") or item.get("current_period_end")
        price = item.get("price") or item.get("plan") or data.get("plan")
        organization = (data.get("metadata") or {}).get("organization_id")
        try:
            organization_id = uuid.UUID(str(organization)) if organization else None
        except ValueError:
            organization_id = None
        period_start, period_end = _instant(start), _instant(end)
        if period_start is None or period_end is None:
            raise InvalidInput("the Stripe subscription has no current period", field="data.object")
        return cls(
            id=str(data["id"]),
            customer_id=_id(data.get("customer")),
            status=str(data.get("status")),
            price_id=_id(price),
            current_period_start=period_start,
            current_period_end=period_end,
            trial_end=_instant(data.get("trial_end")),
            cancel_at_period_end=bool(data.get("cancel_at_period_end")),
            canceled_at=_instant(data.get("canceled_at")),
            organization_id=organization_id,
        )


@dataclass(frozen=True, slots=True)
class ProviderInvoice:
    id: str
    number: str | None
    status: str | None
    currency: str
    total: int
    amount_due: int
    amount_paid: int
    created: datetime
    due_date: datetime | None
    hosted_invoice_url: str | None


@dataclass(frozen=True, slots=True)
class ProviderFeeInvoice:
    """A team fee's Stripe invoice, from an API reply or a webhook's object."""

    id: str
    number: str | None
    status: str | None
    hosted_invoice_url: str | None
    paid_at: datetime | None
    attempt_count: int
    team_fee_id: uuid.UUID | None
    """From the invoice's metadata, which this service sets when it invoices a fee."""

    @classmethod
    def from_object(cls, data: Mapping[str, Any]) -> ProviderFeeInvoice:
        fee = (data.get("metadata") or {}).get("team_fee_id")
        try:
            fee_id = uuid.UUID(str(fee)) if fee else None
        except ValueError:
            fee_id = None
        return cls(
            id=str(data["id"]),
            number=data.get("number"),
            status=data.get("status"),
            hosted_invoice_url=data.get("hosted_invoice_url"),
            paid_at=_instant((data.get("status_transitions") or {}).get("paid_at")),
            attempt_count=int(data.get("attempt_count") or 0),
            team_fee_id=fee_id,
        )


@dataclass(frozen=True, slots=True)
class ProviderPaymentMethod:
    id: str
    type: str
    brand: str | None
    last4: str | None
    exp_month: int | None
    exp_year: int | None
    is_default: bool


def _fail(error: stripe.StripeError, *, field: str) -> DomainError:
    """Stripe's refusal as the error a client can act on; its own message says what to fix."""
    message = error.user_message or str(error) or "Stripe refused the request"
    if isinstance(error, stripe.APIConnectionError):
        return ServiceUnavailable("Stripe cannot be reached right now; try again shortly")
    if isinstance(error, stripe.CardError):
        return InvalidInput(f"the card was declined: {message}", field="paymentMethodId")
    if isinstance(error, stripe.InvalidRequestError):
        return InvalidInput(f"Stripe refused the request: {message}", field=field)
    return ServiceUnavailable(f"Stripe failed: {message}")


class HTTPXTransport(stripe.HTTPXClient):
    """The SDK's httpx transport, sending the form body it has already encoded as `content=`: stripe 16
    passes it as `data=`, which httpx deprecates for raw text (a DeprecationWarning on every call)."""

    def _get_request_args_kwargs(self, method: str, url: str, headers: Mapping[str, str], post_data: Any) -> list[Any]:
        args, kwargs = super()._get_request_args_kwargs(method, url, headers, post_data)
        body = kwargs.pop("data", None)
        if body:
            kwargs["content"] = body
        return [args, kwargs]


class StripeGateway:
    """What the payment service asks of Stripe. Every method raises domain errors, never SDK ones."""

    def __init__(self, api_key: str, *, api_base: str | None = None):
        self._client = stripe.StripeClient(
            api_key,
            base_addresses={"api": api_base} if api_base else {},
            http_client=HTTPXTransport(),
            max_network_retries=2,
        )
        self._v1 = self._client.v1

    async def create_customer(self, *, organization_id: uuid.UUID, email: str | None) -> str:
        params: dict[str, Any] = {"metadata": {"organization_id": str(organization_id)}}
        if email:
            params["email"] = email
        try:
            customer = await self._v1.customers.create_async(params=params)  # type: ignore[arg-type]
        except stripe.StripeError as error:
            raise _fail(error, field="organizationId") from error
        return str(customer.id)

    async def create_price(self, *, name: str, amount: int, currency: str, interval: str, plan_id: uuid.UUID) -> str:
        """A Stripe product and price (plan) for a billing plan, made on its first subscriber."""
        unit, count = _INTERVALS[interval]
        try:
            product = await self._v1.products.create_async(params={"name": name, "metadata": {"plan_id": str(plan_id)}})
            price = await self._v1.plans.create_async(
                params={
                    "product": product.id,
                    "amount": amount,
                    "currency": currency.lower(),
                    "interval": unit,
                    "interval_count": count,
                    "metadata": {"plan_id": str(plan_id)},
                }
            )
        except stripe.StripeError as error:
            raise _fail(error, field="planId") from error
        return str(price.id)

    async def use_payment_method(self, *, customer_id: str, payment_method_id: str) -> None:
        """Attach a payment method (collected by Stripe.js in the client) and make it the default."""
        try:
            await self._v1.payment_methods.attach_async(payment_method_id, params={"customer": customer_id})
            await self._v1.customers.update_async(
                customer_id, params={"invoice_settings": {"default_payment_method": payment_method_id}}
            )
        except stripe.StripeError as error:
            raise _fail(error, field="paymentMethodId") from error

    async def create_subscription(
        self, *, customer_id: str, price_id: str, organization_id: uuid.UUID, trial_end: datetime | None
    ) -> ProviderSubscription:
        params: dict[str, Any] = {
            "customer": customer_id,
            "items": [{"plan": price_id}],
            "metadata": {"organization_id": str(organization_id)},
        }
        if trial_end is not None:
            params["trial_end"] = int(trial_end.timestamp())
        try:
            subscription = await self._v1.subscriptions.create_async(params=params)  # type: ignore[arg-type]
        except stripe.StripeError as error:
            raise _fail(error, field="planId") from error
        return ProviderSubscription.from_object(subscription.to_dict())

    async def change_price(self, *, subscription_id: str, price_id: str) -> ProviderSubscription:
        """Move the subscription's one item to another price; Stripe prorates by default."""
        try:
            current = await self._v1.subscriptions.retrieve_async(subscription_id)
            item = current["items"].data[0].id
            subscription = await self._v1.subscriptions.update_async(
                subscription_id, params={"items": [{"id": item, "plan": price_id}]}
            )
        except stripe.StripeError as error:
            raise _fail(error, field="planId") from error
        return ProviderSubscription.from_object(subscription.to_dict())

    async def cancel_at_period_end(self, *, subscription_id: str, cancel: bool) -> ProviderSubscription:
        try:
            subscription = await self._v1.subscriptions.update_async(
                subscription_id, params={"cancel_at_period_end": cancel}
            )
        except stripe.StripeError as error:
            raise _fail(error, field="organizationId") from error
        return ProviderSubscription.from_object(subscription.to_dict())

    async def create_person_customer(self, *, user_id: uuid.UUID, email: str | None, name: str) -> str:
        """A person's Stripe customer (a parent's, an adult player's), for their team fee invoices."""
        params: dict[str, Any] = {"metadata": {"user_id": str(user_id)}}
        if email:
            params["email"] = email
        if name:
            params["name"] = name
        try:
            customer = await self._v1.customers.create_async(
                params=params,  # type: ignore[arg-type]
                options={"idempotency_key": f"payer-customer-{user_id}"},
            )
        except stripe.StripeError as error:
            raise _fail(error, field="teamId") from error
        return str(customer.id)

    async def invoice_team_fee(
        self,
        *,
        fee_id: uuid.UUID,
        customer_id: str,
        amount: int,
        currency: str,
        description: str,
        days_until_due: int,
    ) -> ProviderFeeInvoice:
        """One finalized invoice for one fee: an invoice item, the invoice sent to the customer (they pay
        on its hosted page), finalized so it has its number and page. Every call carries an idempotency
        key made from the fee's id, so a retry after a failure part-way returns the objects made before
        instead of making more."""
        metadata = {"team_fee_id": str(fee_id)}
        try:
            await self._v1.invoice_items.create_async(
                params={
                    "customer": customer_id,
                    "amount": amount,
                    "currency": currency.lower(),
                    "description": description,
                    "metadata": metadata,
                },
                options={"idempotency_key": f"team-fee-{fee_id}-item"},
            )
            draft = await self._v1.invoices.create_async(
                params={
                    "customer": customer_id,
                    "collection_method": "send_invoice",
                    "days_until_due": days_until_due,
                    "auto_advance": False,
                    "pending_invoice_items_behavior": "include",
                    "description": description,
                    "metadata": metadata,
                },
                options={"idempotency_key": f"team-fee-{fee_id}-invoice"},
            )
            invoice = await self._v1.invoices.finalize_invoice_async(
                str(draft.id), options={"idempotency_key": f"team-fee-{fee_id}-finalize"}
            )
        except stripe.StripeError as error:
            raise _fail(error, field="teamId") from error
        return ProviderFeeInvoice.from_object(invoice.to_dict())

    async def void_invoice(self, invoice_id: str) -> ProviderFeeInvoice:
        try:
            invoice = await self._v1.invoices.void_invoice_async(invoice_id)
        except stripe.StripeError as error:
            raise _fail(error, field="id") from error
        return ProviderFeeInvoice.from_object(invoice.to_dict())

    async def mark_invoice_paid(self, invoice_id: str) -> ProviderFeeInvoice:
        """Paid outside Stripe (a bank transfer): Stripe closes the invoice without charging anyone."""
        try:
            invoice = await self._v1.invoices.pay_async(invoice_id, params={"paid_out_of_band": True})
        except stripe.StripeError as error:
            raise _fail(error, field="id") from error
        return ProviderFeeInvoice.from_object(invoice.to_dict())

    async def invoices(self, *, customer_id: str, limit: int) -> list[ProviderInvoice]:
        try:
            page = await self._v1.invoices.list_async(params={"customer": customer_id, "limit": limit})
        except stripe.StripeError as error:
            raise _fail(error, field="organizationId") from error
        return [
            ProviderInvoice(
                id=str(invoice.id),
                number=getattr(invoice, "number", None),
                status=getattr(invoice, "status", None),
                currency=str(invoice.currency).upper(),
                total=int(invoice.total),
                amount_due=int(invoice.amount_due),
                amount_paid=int(invoice.amount_paid),
                created=datetime.fromtimestamp(int(invoice.created), UTC),
                due_date=_instant(getattr(invoice, "due_date", None)),
                hosted_invoice_url=getattr(invoice, "hosted_invoice_url", None),
            )
            for invoice in page.data
        ]

    async def payment_methods(self, *, customer_id: str) -> list[ProviderPaymentMethod]:
        try:
            customer = await self._v1.customers.retrieve_async(customer_id)
            page = await self._v1.payment_methods.list_async(params={"customer": customer_id, "type": "card"})
        except stripe.StripeError as error:
            raise _fail(error, field="organizationId") from error
        settings = getattr(customer, "invoice_settings", None)
        default = _id(getattr(settings, "default_payment_method", None)) if settings else None
        methods = []
        for method in page.data:
            card = getattr(method, "card", None)
            methods.append(
                ProviderPaymentMethod(
                    id=str(method.id),
                    type=str(method.type),
                    brand=getattr(card, "brand", None),
                    last4=getattr(card, "last4", None),
                    exp_month=getattr(card, "exp_month", None),
                    exp_year=getattr(card, "exp_year", None),
                    is_default=method.id == default,
                )
            )
        return methods


def verified_event(payload: bytes, signature: str | None, secret: str) -> dict[str, Any]:
    """The webhook's event, once its `Stripe-Signature` header proves Stripe sent this very payload."""
    try:
        event = stripe.Webhook.construct_event(payload, signature, secret)
    except stripe.SignatureVerificationError:
        raise InvalidInput("the Stripe-Signature header does not match the payload", field="Stripe-Signature") from None
    except ValueError:
        raise InvalidInput("the payload is not a Stripe event", field="body") from None
    data: dict[str, Any] = event.to_dict()
    return data


_gateways: dict[tuple[str, str | None], StripeGateway] = {}


def gateway_for(settings: Settings) -> StripeGateway | None:
    """The process's gateway for these settings; None when no Stripe key is configured."""
    if settings.stripe_api_key is None:
        return None
    key = (settings.stripe_api_key.get_secret_value(), settings.stripe_api_base)
    if key not in _gateways:
        _gateways[key] = StripeGateway(key[0], api_base=key[1])
    return _gateways[key]


def require_gateway(settings: Settings) -> StripeGateway:
    gateway = gateway_for(settings)
    if gateway is None:
        raise BillingProviderMissing(
            "this operation goes through Stripe, and this server has no Stripe key "
            "(set HOCKEY_HUB_STRIPE_API_KEY); a platform administrator can still change the plan by hand"
        )
    return gateway
