"""GraphQL types and inputs of team fees (team_fees.py)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import strawberry

from shared.graphql import TeamReference, to_id
from subgraphs.payment.team_fees import FeeView


@strawberry.enum(description="Where a team fee stands; OVERDUE is an open fee past its due date.")
class TeamFeeState(StrEnum):
    OPEN = "open"
    OVERDUE = "overdue"
    PAID = "paid"
    VOID = "void"


@strawberry.type(description="A season fee for one player of a team, billed to the player's parents.")
class TeamFee:
    id: strawberry.ID = strawberry.field(description="The fee's id.")
    team: TeamReference = strawberry.field(description="The team billed for.")
    player_id: strawberry.ID = strawberry.field(description="The player the fee is for.")
    season: str = strawberry.field(description="The season, as the club names it (e.g. 2026/27).")
    description: str = strawberry.field(description="What the fee covers.")
    amount: int = strawberry.field(description="Amount in minor units.")
    currency: str = strawberry.field(description="ISO 4217 currency code.")
    due_date: date = strawberry.field(description="Day by which it is to be paid.")
    status: TeamFeeState = strawberry.field(description="Open, overdue, paid or void.")
    paid_at: datetime | None = strawberry.field(description="When it was marked paid.")
    payer_user_id: strawberry.ID | None = strawberry.field(
        description="Who the Stripe invoice went to: a linked parent, or the player themself; null while not invoiced."
    )
    invoice_number: str | None = strawberry.field(description="The Stripe invoice's number, once finalized.")
    hosted_invoice_url: str | None = strawberry.field(
        description="Stripe's page where the payer sees and pays the invoice."
    )
    stripe_status: str | None = strawberry.field(
        description="The Stripe invoice's own status (draft, open, paid, void, uncollectible); null while the "
        "fee is not invoiced through Stripe."
    )
    payment_failed_at: datetime | None = strawberry.field(
        description="When Stripe last failed to collect the payment, while the fee is still open."
    )
    payment_failure: str | None = strawberry.field(description="Why the last payment attempt failed, for staff.")

    @classmethod
    def of(cls, item: FeeView) -> TeamFee:
        fee = item.fee
        return cls(
            id=to_id(fee.id),
            team=TeamReference.from_id(fee.team_id),
            player_id=to_id(fee.player_id),
            season=fee.season,
            description=fee.description,
            amount=fee.amount,
            currency=fee.currency,
            due_date=fee.due_date,
            status=TeamFeeState.OVERDUE if item.overdue else TeamFeeState(fee.status.value),
            paid_at=fee.paid_at,
            payer_user_id=to_id(fee.payer_user_id) if fee.payer_user_id else None,
            invoice_number=fee.invoice_number,
            hosted_invoice_url=fee.hosted_invoice_url,
            stripe_status=fee.provider_status,
            payment_failed_at=fee.payment_failed_at,
            payment_failure=fee.payment_failure,
        )


@strawberry.input(description="Season fees for every active player of a team (club administrators).")
class CreateTeamFeesInput:
    team_id: strawberry.ID = strawberry.field(description="The team.")
    season: str = strawberry.field(description="The season, e.g. 2026/27; one fee per player and season.")
    description: str = strawberry.field(description="What the fee covers, shown to parents.")
    amount: int = strawberry.field(description="Amount per player in minor units.")
    currency: str = strawberry.field(description="ISO 4217 currency code, e.g. SEK.")
    due_date: date = strawberry.field(description="Day by which it is to be paid.")
