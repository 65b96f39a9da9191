"""Invoices through GraphQL: pages, amounts due, lines, and who may read them."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from subgraphs.payment.models import InvoiceStatus
from tests.payment.factories import PLATFORM_ADMIN, Club, make_club, make_invoice
from tests.support.services import RunningService
from tests.support.statements import count_statements

INVOICES = """
query Invoices($status: InvoiceStatus, $first: Int! = 20, $after: String, $organizationId: ID) {
  invoices(status: $status, first: $first, after: $after, organizationId: $organizationId) {
    items { number status total amountPaid amountDue lines { description quantity unitAmount amount } }
    endCursor hasNextPage
  }
}
"""

COUNT = "query Count($status: InvoiceStatus) { invoices(status: $status) { totalCount } }"

INVOICE = """
query Invoice($id: ID!) {
  invoice(id: $id) {
    id number status currency subtotal tax total amountPaid amountDue issueDate dueDate paidAt isOverdue
    organization { id }
    lines { description quantity unitAmount amount }
  }
}
"""


async def _year_of_invoices(payment: RunningService, club: Club) -> None:
    first = date(2026, 1, 5)
    for month in range(12):
        await make_invoice(
            payment,
            club=club,
            number=f"INV-{month + 1:03d}",
            issued=first + timedelta(days=30 * month),
            status=InvoiceStatus.OPEN if month == 11 else InvoiceStatus.PAID,
        )


async def test_invoices_come_newest_first_a_page_at_a_time(payment: RunningService, club: Club) -> None:
    # given a year of monthly invoices, the last one open
    await _year_of_invoices(payment, club)
    # when the club admin pages through them five at a time
    numbers: list[str] = []
    after = None
    pages = 0
    while True:
        with count_statements(payment.engine) as log:
            page = (await payment.graphql.execute(INVOICES, {"first": 5, "after": after}, as_=club.admin)).ok()[
                "invoices"
            ]
        assert log.count == 2, log.statements  # the page, and the lines of all its invoices
        numbers += [invoice["number"] for invoice in page["items"]]
        pages += 1
        if not page["hasNextPage"]:
            break
        after = page["endCursor"]
    # then every invoice comes once, newest first, over three pages
    assert numbers == [f"INV-{n:03d}" for n in range(12, 0, -1)]
    assert pages == 3
    total = (await payment.graphql.execute(COUNT, as_=club.admin)).ok()["invoices"]["totalCount"]
    assert total == 12


async def test_invoices_filter_by_status(payment: RunningService, club: Club) -> None:
    await _year_of_invoices(payment, club)
    open_ = (await payment.graphql.execute(INVOICES, {"status": "OPEN"}, as_=club.admin)).ok()["invoices"]
    assert [(row["number"], row["amountDue"]) for row in open_["items"]] == [("INV-012", 18_625)]
    assert open_["hasNextPage"] is False
    count = (await payment.graphql.execute(COUNT, {"status": "PAID"}, as_=club.admin)).ok()
    assert count["invoices"]["totalCount"] == 11


async def test_amount_due_follows_payments_and_voiding(payment: RunningService, club: Club) -> None:
    # given a partly paid invoice with two lines, and a voided one
    partly = await make_invoice(
        payment,
        club=club,
        number="INV-A",
        issued=date(2026, 3, 1),
        status=InvoiceStatus.OPEN,
        subtotal=20_000,
        tax=5_000,
        amount_paid=10_000,
        lines=(("Standard plan, March", 1, 14_900), ("Extra team", 2, 2_550)),
    )
    void = await make_invoice(payment, club=club, number="INV-B", issued=date(2026, 2, 1), status=InvoiceStatus.VOID)
    # when the admin reads them
    read = (await payment.graphql.execute(INVOICE, {"id": str(partly.id)}, as_=club.admin)).ok()["invoice"]
    # then the amount due is what is left to pay, the lines add up, and the past due date shows
    assert (read["total"], read["amountPaid"], read["amountDue"]) == (25_000, 10_000, 15_000)
    assert read["lines"] == [
        {"description": "Standard plan, March", "quantity": 1, "unitAmount": 14_900, "amount": 14_900},
        {"description": "Extra team", "quantity": 2, "unitAmount": 2_550, "amount": 5_100},
    ]
    assert (read["issueDate"], read["dueDate"], read["isOverdue"]) == ("2026-03-01", "2026-03-15", True)
    assert read["organization"] == {"id": str(club.organization_id)}
    voided = (await payment.graphql.execute(INVOICE, {"id": str(void.id)}, as_=club.admin)).ok()["invoice"]
    assert (voided["status"], voided["amountDue"], voided["isOverdue"]) == ("VOID", 0, False)


async def test_invoices_are_for_club_admins_and_platform_admins_only(payment: RunningService, club: Club) -> None:
    invoice = await make_invoice(payment, club=club, number="INV-1", issued=date(2026, 4, 1))
    for caller in (club.coach, club.player, club.parent):
        assert (await payment.graphql.execute(INVOICE, {"id": str(invoice.id)}, as_=caller)).codes == ["FORBIDDEN"]
        assert (await payment.graphql.execute(INVOICES, as_=caller)).codes == ["FORBIDDEN"]
    other = make_club()
    assert (await payment.graphql.execute(INVOICE, {"id": str(invoice.id)}, as_=other.admin)).codes == ["NOT_FOUND"]
    assert (await payment.graphql.execute(INVOICES, as_=other.admin)).ok()["invoices"]["items"] == []
    platform = (
        await payment.graphql.execute(INVOICES, {"organizationId": str(club.organization_id)}, as_=PLATFORM_ADMIN)
    ).ok()
    assert [row["number"] for row in platform["invoices"]["items"]] == ["INV-1"]


async def test_bad_ids_cursors_and_page_sizes_are_typed_errors(payment: RunningService, club: Club) -> None:
    malformed = await payment.graphql.execute(INVOICE, {"id": "INV-1"}, as_=club.admin)
    assert malformed.error("BAD_USER_INPUT")["extensions"]["field"] == "id"
    unknown = await payment.graphql.execute(INVOICE, {"id": str(uuid.uuid4())}, as_=club.admin)
    assert unknown.codes == ["NOT_FOUND"]
    for variables, field in (
        ({"after": "garbage!"}, "after"),
        ({"after": "WzFd"}, "after"),  # valid base64 of a JSON list, but not one of our cursors
        ({"first": 0}, "first"),
        ({"first": 101}, "first"),
    ):
        response = await payment.graphql.execute(INVOICES, variables, as_=club.admin)
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field, variables
