"""Players' positions, kept from the user service's player events alongside the shared roster copy:
assignments to a position expand through them (`assignment_repository.team_players_at`)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.events import Event
from shared.events.consumer import DomainHandler
from shared.roster import (
    PLAYER_ADDED,
    PLAYER_UPDATED,
    ROSTER_EVENT_HANDLERS,
    USER_DEACTIVATED,
    USER_UPDATED,
    apply_player_event,
)
from subgraphs.training import assignment_repository

POSITION_LENGTH = 20


async def apply_player_and_position(session: AsyncSession, event: Event) -> None:
    await apply_player_event(session, event)
    data: Mapping[str, Any] = event.data
    if event.type in (USER_UPDATED, USER_DEACTIVATED):
        entry = data.get("player")
        if not isinstance(entry, Mapping):
            return
        data = entry
    player_id, position = data.get("player_id"), data.get("position")
    if player_id is None or not position:
        return
    await assignment_repository.upsert_position(
        session,
        player_id=uuid.UUID(str(player_id)),
        position=str(position)[:POSITION_LENGTH],
        occurred_at=event.occurred_at,
    )


EVENT_HANDLERS: dict[str, DomainHandler] = {
    **ROSTER_EVENT_HANDLERS,
    PLAYER_ADDED: apply_player_and_position,
    PLAYER_UPDATED: apply_player_and_position,
    USER_UPDATED: apply_player_and_position,
}
"""The roster copy's handlers, with positions kept too."""
