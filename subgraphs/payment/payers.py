"""Who pays a player's team fees, kept from the user service's events: `parent.linked` /
`parent.unlinked` (a parent pays), `player.*` (the player's own account, billed when no parent is
linked: an adult player), and `user.*` (each payer's name, email and whether their account is active).

Like the roster copy (`shared.roster`), every write carries its event's time and an older event never
overwrites a newer one, so late and redelivered events are harmless.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.events.consumer import DomainHandler, combined
from shared.events.envelope import Event
from shared.roster import ROSTER_EVENT_HANDLERS
from subgraphs.payment import repository

PARENT_LINKED = "parent.linked"
PARENT_UNLINKED = "parent.unlinked"
USER_CREATED = "user.created"
USER_UPDATED = "user.updated"
USER_DEACTIVATED = "user.deactivated"
PLAYER_ADDED = "player.added"
PLAYER_UPDATED = "player.updated"


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return None if value is None else uuid.UUID(str(value))
    except ValueError:
        return None


async def apply_parent_link(session: AsyncSession, event: Event) -> None:
    player_id, parent_id = _uuid(event.data.get("player_id")), _uuid(event.data.get("parent_user_id"))
    if player_id is None or parent_id is None:
        return
    await repository.upsert_payer_link(
        session,
        player_id=player_id,
        user_id=parent_id,
        is_parent=True,
        is_active=event.type == PARENT_LINKED,
        occurred_at=event.occurred_at,
    )


async def apply_user(session: AsyncSession, event: Event) -> None:
    data: Mapping[str, Any] = event.data
    user_id = _uuid(data.get("user_id"))
    if user_id is None or event.organization_id is None:
        return
    email = data.get("email")
    await repository.upsert_payer(
        session,
        user_id=user_id,
        organization_id=event.organization_id,
        email=str(email)[:254] if email else None,
        name=f"{data.get('first_name') or ''} {data.get('last_name') or ''}".strip()[:201],
        is_active=event.type != USER_DEACTIVATED and bool(data.get("is_active", True)),
        occurred_at=event.occurred_at,
    )


async def apply_player_account(session: AsyncSession, event: Event) -> None:
    """A player with an account of their own pays for themself when no parent is linked."""
    player_id, user_id = _uuid(event.data.get("player_id")), _uuid(event.data.get("user_id"))
    if player_id is None or user_id is None:
        return
    await repository.upsert_payer_link(
        session, player_id=player_id, user_id=user_id, is_parent=False, is_active=True, occurred_at=event.occurred_at
    )


_OWN: Mapping[str, DomainHandler] = {
    PARENT_LINKED: apply_parent_link,
    PARENT_UNLINKED: apply_parent_link,
    USER_CREATED: apply_user,
    USER_UPDATED: apply_user,
    USER_DEACTIVATED: apply_user,
    PLAYER_ADDED: apply_player_account,
    PLAYER_UPDATED: apply_player_account,
}

EVENT_HANDLERS: Mapping[str, DomainHandler] = combined(ROSTER_EVENT_HANDLERS, _OWN)
"""The payment service's consumers: the roster copy's and this module's, both run for an event both need."""


async def payers_of(session: AsyncSession, player_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    """Each player's payer: the parent linked longest, else the player's own account. Players with
    neither are left out (their fees stay uninvoiced until one is known)."""
    chosen: dict[uuid.UUID, uuid.UUID] = {}
    for player_id, user_id, _ in await repository.payers_of_players(session, player_ids):
        chosen.setdefault(player_id, user_id)
    return chosen
