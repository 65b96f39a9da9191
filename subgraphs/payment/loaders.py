"""Per-request DataLoaders of the payment service: one SQL statement per batch."""

from __future__ import annotations

import uuid

from strawberry.dataloader import DataLoader

from shared.graphql import Ctx
from shared.graphql.loaders import many_per_key, one_per_key
from subgraphs.payment import repository
from subgraphs.payment.models import BillingPlan, InvoiceLine


def plans(info: Ctx) -> DataLoader[uuid.UUID, BillingPlan | None]:
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[BillingPlan | None]:
        return one_per_key(await repository.plans_by_ids(session, ids), ids, lambda row: row.id)

    return info.context.loader("payment.plans", load)


def lines_of_invoice(info: Ctx) -> DataLoader[uuid.UUID, list[InvoiceLine]]:
    session = info.context.session

    async def load(invoice_ids: list[uuid.UUID]) -> list[list[InvoiceLine]]:
        rows = await repository.lines_of_invoices(session, invoice_ids)
        return many_per_key(rows, invoice_ids, lambda row: row.invoice_id)

    return info.context.loader("payment.lines_of_invoice", load)
