"""GraphQL types of what Stripe holds for a club: its invoices and payment methods, read live."""

from __future__ import annotations

from datetime import datetime

import strawberry

from subgraphs.payment.stripe_gateway import ProviderInvoice, ProviderPaymentMethod


@strawberry.type(description="An invoice of the club's Stripe subscription, as Stripe holds it.")
class StripeInvoice:
    id: strawberry.ID = strawberry.field(description="Stripe's invoice id (in_...).")
    number: str | None = strawberry.field(description="The invoice number, once finalized.")
    status: str | None = strawberry.field(description="Stripe's status: draft, open, paid, void, uncollectible.")
    currency: str = strawberry.field(description="ISO 4217 currency code.")
    total: int = strawberry.field(description="Total in minor units.")
    amount_due: int = strawberry.field(description="Still owed, in minor units.")
    amount_paid: int = strawberry.field(description="Paid, in minor units.")
    created: datetime = strawberry.field(description="When Stripe created it.")
    due_date: datetime | None = strawberry.field(description="When payment is due, for invoices sent to pay.")
    hosted_invoice_url: str | None = strawberry.field(description="Stripe's page to view and pay it.")

    @classmethod
    def of(cls, invoice: ProviderInvoice) -> StripeInvoice:
        return cls(
            id=strawberry.ID(invoice.id),
            number=invoice.number,
            status=invoice.status,
            currency=invoice.currency,
            total=invoice.total,
            amount_due=invoice.amount_due,
            amount_paid=invoice.amount_paid,
            created=invoice.created,
            due_date=invoice.due_date,
            hosted_invoice_url=invoice.hosted_invoice_url,
        )


@strawberry.type(description="A card the club pays with, as Stripe holds it; never the full number.")
class PaymentMethod:
    id: strawberry.ID = strawberry.field(description="Stripe's payment method id (pm_...).")
    type: str = strawberry.field(description="The kind, e.g. card.")
    brand: str | None = strawberry.field(description="The card's brand, e.g. visa.")
    last4: str | None = strawberry.field(description="The card number's last four digits.")
    exp_month: int | None = strawberry.field(description="Expiry month (1-12).")
    exp_year: int | None = strawberry.field(description="Expiry year.")
    is_default: bool = strawberry.field(description="True for the one invoices are charged to.")

    @classmethod
    def of(cls, method: ProviderPaymentMethod) -> PaymentMethod:
        return cls(
            id=strawberry.ID(method.id),
            type=method.type,
            brand=method.brand,
            last4=method.last4,
            exp_month=method.exp_month,
            exp_year=method.exp_year,
            is_default=method.is_default,
        )
