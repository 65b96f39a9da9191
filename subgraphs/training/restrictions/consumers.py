"""The medical service's events that keep the restrictions copy, and the flags, in step.

- `restriction.changed` (`added` or `lifted`): the restriction's kind, severity, body part, intensity limit
  and dates.
- `injury.created` / `injury.updated` / `injury.resolved`: only whether the injury is active (the player is
  unavailable), since when, and when they are expected back. The payloads carry no diagnosis or note,
  and nothing but the fields named here is kept.

Each event is applied once (the kernel's processed-events table) and an event older than the one that
last wrote a row changes nothing, so redelivery and reordering are harmless.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.events import Event
from shared.events.consumer import DomainHandler
from subgraphs.training.models import RestrictionKind, RestrictionSeverity, RestrictionSource
from subgraphs.training.restrictions import repository, service

logger = logging.getLogger(__name__)

INJURY_CREATED = "injury.created"
INJURY_UPDATED = "injury.updated"
INJURY_RESOLVED = "injury.resolved"
RESTRICTION_CHANGED = "restriction.changed"

ACTIVE_INJURY = "active"
"""The medical status of an injury that keeps the player out; `recovering` and `resolved` do not."""


def _uuid(value: Any) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(str(value))


def _date(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def _integer(value: Any) -> int | None:
    return None if value is None else int(value)


def _severity(value: Any, kind: RestrictionKind) -> RestrictionSeverity:
    """As published; events from before severities existed: a rest order allows nothing, others MODERATE."""
    try:
        return RestrictionSeverity(str(value))
    except ValueError:
        return RestrictionSeverity.COMPLETE if kind is RestrictionKind.REST else RestrictionSeverity.MODERATE


async def restriction_changed(session: AsyncSession, event: Event) -> None:
    data = event.data
    restriction_id, player_id = _uuid(data.get("restriction_id")), _uuid(data.get("player_id"))
    starts_on = _date(data.get("starts_on"))
    if restriction_id is None or player_id is None or starts_on is None or event.organization_id is None:
        logger.warning("restriction event without a player, club or start ignored", extra={"event_id": str(event.id)})
        return
    try:
        kind = RestrictionKind(str(data.get("kind")))
    except ValueError:
        kind = RestrictionKind.UNAVAILABLE
    if kind is RestrictionKind.UNAVAILABLE:  # injuries' own kind, never a medical restriction's
        logger.warning("restriction of an unknown kind ignored", extra={"event_id": str(event.id)})
        return
    await repository.lock_players(session, [player_id])
    written = await repository.upsert_restriction(
        session,
        id=restriction_id,
        organization_id=event.organization_id,
        player_id=player_id,
        source=RestrictionSource.RESTRICTION,
        kind=kind,
        severity=_severity(data.get("severity"), kind),
        body_part=str(data["body_part"])[:40] if data.get("body_part") else None,
        max_intensity_percent=_integer(data.get("max_intensity_percent")),
        starts_on=starts_on,
        ends_on=_date(data.get("ends_on")),
        expected_return_on=None,
        in_force=not data.get("lifted") and data.get("change") != "lifted",
        occurred_at=event.occurred_at,
    )
    if written:
        await service.reflag_player(session, player_id)


async def injury_changed(session: AsyncSession, event: Event) -> None:
    data = event.data
    injury_id, player_id = _uuid(data.get("injury_id")), _uuid(data.get("player_id"))
    occurred_on = _date(data.get("occurred_on"))
    if injury_id is None or player_id is None or occurred_on is None or event.organization_id is None:
        logger.warning("injury event without a player, club or date ignored", extra={"event_id": str(event.id)})
        return
    await repository.lock_players(session, [player_id])
    written = await repository.upsert_restriction(
        session,
        id=injury_id,
        organization_id=event.organization_id,
        player_id=player_id,
        source=RestrictionSource.INJURY,
        kind=RestrictionKind.UNAVAILABLE,
        severity=RestrictionSeverity.COMPLETE,
        body_part=None,
        max_intensity_percent=None,
        starts_on=occurred_on,
        ends_on=None,
        expected_return_on=_date(data.get("expected_return_on")),
        in_force=event.type != INJURY_RESOLVED and data.get("status") == ACTIVE_INJURY,
        occurred_at=event.occurred_at,
    )
    if written:
        await service.reflag_player(session, player_id)


EVENT_HANDLERS: dict[str, DomainHandler] = {
    INJURY_CREATED: injury_changed,
    INJURY_UPDATED: injury_changed,
    INJURY_RESOLVED: injury_changed,
    RESTRICTION_CHANGED: restriction_changed,
}
