"""Events of other services that the statistics service keeps numbers of.

- `workout.completed` (training): the session's training load, for loads and workload ratios
  (workload.py). Both of the training service's forms carry it: a player marking an assigned workout
  done (with RPE and minutes, when given) and a live session ending (minutes, no RPE).
- the user service's player events: the roster copy (`shared.roster`), which says who a team's players
  are in the team's workload view.

The kernel runs each handler in the transaction that marks the event processed, so a redelivered event
has no effect; the training load table's unique event id makes that hold for the row itself too.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.events import Event
from shared.events.consumer import DomainHandler
from shared.roster import ROSTER_EVENT_HANDLERS
from subgraphs.statistics import workload, workload_repository

logger = logging.getLogger(__name__)

WORKOUT_COMPLETED = "workout.completed"
"""From the training service: a player completed a workout (`subgraphs/training/events.py`)."""

MAX_MINUTES = 600
"""The training service's own bound on a session's minutes."""


def _uuid(value: Any) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(str(value))


def _bounded(value: Any, *, name: str, low: int, high: int) -> int | None:
    if value is None:
        return None
    number = int(value)
    if not low <= number <= high:
        raise ValueError(f"workout.completed with {name}={number}, outside {low}-{high}")
    return number


async def workout_completed(session: AsyncSession, event: Event) -> None:
    """Record the session's load. A malformed event raises, so the kernel retries it and then parks it in
    the dead-letter queue rather than dropping it unseen."""
    data = event.data
    player_id = _uuid(data.get("player_id"))
    if player_id is None or event.organization_id is None:
        raise ValueError("workout.completed without a player or a club")
    minutes = _bounded(data.get("minutes"), name="minutes", low=1, high=MAX_MINUTES)
    if minutes is None:
        logger.info("workout completed without minutes: no load to record", extra={"event_id": str(event.id)})
        return
    rpe = _bounded(data.get("rpe"), name="rpe", low=1, high=10)
    kind = str(data.get("workout_kind") or "")
    load, source = workload.session_load(minutes=minutes, rpe=rpe, workout_kind=kind)
    await workload_repository.record_load(
        session,
        event_id=event.id,
        organization_id=event.organization_id,
        player_id=player_id,
        team_id=_uuid(data.get("team_id")),
        workout_id=_uuid(data.get("workout_id")),
        workout_kind=kind[:40],
        completed_on=date.fromisoformat(str(data["date"])),
        minutes=minutes,
        rpe=rpe,
        load=load,
        source=source,
    )


EVENT_HANDLERS: dict[str, DomainHandler] = {WORKOUT_COMPLETED: workout_completed, **ROSTER_EVENT_HANDLERS}
