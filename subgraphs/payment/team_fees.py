"""Season fees for a team's players, billed to their parents: created by the club's administrators for
a whole team at once (one fee per active player on the roster copy), read by staff (all of the club's)
and by parents and players (their own), marked paid or voided by the administrators.

An open fee past its due date reads as OVERDUE; nothing needs to run at midnight for that.

With a Stripe key, billing the fees also invoices them through Stripe (team_fee_invoices.py), and
Stripe's webhooks settle them; marking one paid or void by hand closes its Stripe invoice too. Billing is
done on creation rather than by a separate "send" step, so no fee exists that its payer cannot pay; a
fee whose payer is not known yet is invoiced when the season is billed again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from shared import roster, validation
from shared.auth.principal import Principal, Role
from shared.database import utcnow
from shared.errors import Conflict, Forbidden, InvalidInput, not_found
from shared.settings import Settings
from subgraphs.payment import repository
from subgraphs.payment.models import TeamFee, TeamFeeStatus
from subgraphs.payment.stripe_gateway import gateway_for
from subgraphs.payment.team_fee_invoices import invoice_fees, settle_by_hand

MAX_FEE = 10_000_000
"""A hundred thousand in major units: far above any season fee, low enough to catch a misplaced decimal."""

_FEE_IDS = uuid.UUID("5f0c1a52-7d2e-4c39-9a5e-2f8f6d1b7e40")


def fee_id(team_id: uuid.UUID, season: str, player_id: uuid.UUID) -> uuid.UUID:
    """The same fee gets the same id on every attempt to create it: Stripe's idempotency keys are made
    from it, so retrying a failed billing run never invoices anyone twice."""
    return uuid.uuid5(_FEE_IDS, f"{team_id}/{season}/{player_id}")


@dataclass(frozen=True, slots=True)
class FeeView:
    fee: TeamFee
    overdue: bool


def view(fee: TeamFee, *, today: date | None = None) -> FeeView:
    day = today or utcnow().date()
    return FeeView(fee, overdue=fee.status is TeamFeeStatus.OPEN and fee.due_date < day)


def _may_manage(actor: Principal, organization_id: uuid.UUID) -> bool:
    return actor.is_platform_admin or (actor.in_organization(organization_id) and actor.has_role(Role.CLUB_ADMIN))


async def create_team_fees(
    session: AsyncSession,
    actor: Principal,
    settings: Settings,
    *,
    team_id: uuid.UUID,
    season: str,
    description: str,
    amount: int,
    currency: str,
    due_date: date,
) -> list[FeeView]:
    """Bill every active player of the team; creating the same season's fees again adds only players
    who joined since (and invoices, through Stripe, fees whose payer was not known before). Returns the
    team's fees for the season."""
    players = [entry for entry in await roster.team_roster(session, team_id) if entry.is_active]
    organization = players[0].organization_id if players else actor.organization_id
    if organization is None or (not actor.is_platform_admin and not actor.in_organization(organization)):
        raise not_found("Team", team_id)
    if not _may_manage(actor, organization):
        raise Forbidden("only the club's administrators bill team fees")
    if not players:
        raise InvalidInput("the team has no active players to bill", field="teamId")
    season_name = validation.text(season, field="season", max_length=40)
    code = currency.strip().upper()
    if len(code) != 3 or not code.isalpha() or not code.isascii():
        raise InvalidInput("currency must be an ISO 4217 code such as EUR or SEK", field="currency")
    rows = [
        {
            "id": fee_id(team_id, season_name, entry.player_id),
            "organization_id": organization,
            "team_id": team_id,
            "player_id": entry.player_id,
            "season": season_name,
            "description": validation.text(description, field="description", max_length=200),
            "amount": validation.integer(amount, field="amount", minimum=1, maximum=MAX_FEE),
            "currency": code,
            "due_date": due_date,
            "status": TeamFeeStatus.OPEN,
            "created_by": actor.user_id,
        }
        for entry in players
    ]
    await repository.add_team_fees(session, rows)
    gateway = gateway_for(settings)
    if gateway is not None:
        uninvoiced = await repository.uninvoiced_team_fees(
            session, organization_id=organization, team_id=team_id, season=season_name
        )
        await invoice_fees(session, gateway, uninvoiced)
    fees = await repository.team_fees(session, organization_id=organization, team_id=team_id, season=season_name)
    return [view(fee) for fee in fees]


async def list_team_fees(
    session: AsyncSession,
    actor: Principal,
    *,
    team_id: uuid.UUID | None = None,
    overdue_only: bool = False,
) -> list[FeeView]:
    """Staff see every fee of their club; parents those of their children; players their own."""
    organization = actor.require_organization()
    if actor.is_staff or actor.is_platform_admin:
        player_ids = None
    else:
        player_ids = sorted({*actor.children, *([actor.player_id] if actor.player_id else [])})
    fees = await repository.team_fees(session, organization_id=organization, team_id=team_id, player_ids=player_ids)
    views = [view(fee) for fee in fees]
    return [item for item in views if item.overdue] if overdue_only else views


async def set_team_fee_status(
    session: AsyncSession, actor: Principal, settings: Settings, id: uuid.UUID, status: TeamFeeStatus
) -> FeeView:
    """Mark a fee paid (payment received outside Stripe, e.g. a bank transfer) or void it; its Stripe
    invoice, if any, is marked paid out of band or voided with it. Marking it as it already is changes
    nothing; a paid fee is not voided, nor a void one paid."""
    fee = await repository.team_fee_for_update(session, id)
    if fee is None or not (actor.is_platform_admin or actor.in_organization(fee.organization_id)):
        raise not_found("TeamFee", id)
    if not _may_manage(actor, fee.organization_id):
        raise Forbidden("only the club's administrators mark team fees paid or void")
    if fee.status is not status:
        if fee.status is not TeamFeeStatus.OPEN:
            raise Conflict(f"the fee is already {fee.status.value}", field="id")
        fee.status = status
        fee.paid_at = utcnow() if status is TeamFeeStatus.PAID else None
        await settle_by_hand(session, gateway_for(settings), fee)
        await session.flush()
    return view(fee)
