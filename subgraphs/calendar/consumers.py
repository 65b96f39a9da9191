"""Events of other services the calendar follows: the medical service's injuries and rest orders become
days a player is unavailable, and the user service's player events keep the roster copy (which team a
player is on) that places them on their team's events.

Events can be redelivered and arrive out of order: each consumer is idempotent by event id (the kernel),
and each write carries the time of its event, so an older event never overwrites a newer one.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.events import Event
from shared.events.consumer import DomainHandler
from shared.roster import ROSTER_EVENT_HANDLERS
from subgraphs.calendar.models import UnavailabilityReason
from subgraphs.calendar.service.availability import record_unavailability

INJURY_CREATED = "injury.created"
INJURY_UPDATED = "injury.updated"
INJURY_RESOLVED = "injury.resolved"
RESTRICTION_CHANGED = "restriction.changed"
"""From the medical service (`subgraphs/medical/events.py`): ids, statuses and dates, no diagnosis."""

RESOLVED = "resolved"
REST = "rest"
"""The restriction kind that keeps a player out altogether; the others limit what they do."""


def _date(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


async def injury_changed(session: AsyncSession, event: Event) -> None:
    """Out from the day of the injury until it is resolved, or until the expected return (open-ended
    without one); an injury reopened later is out again."""
    data = event.data
    occurred_on = _date(data.get("occurred_on"))
    if event.organization_id is None or occurred_on is None:
        return
    resolved_on = _date(data.get("resolved_on"))
    resolved = data.get("status") == RESOLVED and resolved_on is not None
    await record_unavailability(
        session,
        source_id=uuid.UUID(str(data["injury_id"])),
        organization_id=event.organization_id,
        player_id=uuid.UUID(str(data["player_id"])),
        reason=UnavailabilityReason.INJURY,
        starts_on=occurred_on,
        available_from=resolved_on if resolved else _date(data.get("expected_return_on")),
        occurred_at=event.occurred_at,
    )


async def restriction_changed(session: AsyncSession, event: Event) -> None:
    """A rest order keeps the player out from its first through its last day; lifting it ends that the
    day it is lifted. Lighter restrictions (no contact, limited intensity...) leave them available."""
    data = event.data
    starts_on = _date(data.get("starts_on"))
    if event.organization_id is None or data.get("kind") != REST or starts_on is None:
        return
    ends_on = _date(data.get("ends_on"))
    available_from = ends_on + timedelta(days=1) if ends_on is not None else None
    if data.get("lifted") or data.get("change") == "lifted":
        lifted_on = event.occurred_at.date()
        available_from = lifted_on if available_from is None else min(available_from, lifted_on)
    await record_unavailability(
        session,
        source_id=uuid.UUID(str(data["restriction_id"])),
        organization_id=event.organization_id,
        player_id=uuid.UUID(str(data["player_id"])),
        reason=UnavailabilityReason.REST_ORDER,
        starts_on=starts_on,
        available_from=available_from,
        occurred_at=event.occurred_at,
    )


EVENT_HANDLERS: dict[str, DomainHandler] = {
    **ROSTER_EVENT_HANDLERS,
    INJURY_CREATED: injury_changed,
    INJURY_UPDATED: injury_changed,
    INJURY_RESOLVED: injury_changed,
    RESTRICTION_CHANGED: restriction_changed,
}
