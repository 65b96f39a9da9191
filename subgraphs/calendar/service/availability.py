"""Players out of training and games: the days the medical service's events mark, as coaches see them.

Only "unavailable (injury)" or "unavailable (rest order)" and the dates reach the calendar, never a
diagnosis or a note. The calendar reads its days in UTC, like the rest of its ranges.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import Principal
from shared.errors import Forbidden, InvalidInput
from subgraphs.calendar import repository
from subgraphs.calendar.models import UnavailabilityReason
from subgraphs.calendar.permissions import sees_all_events
from subgraphs.calendar.repository import TeamUnavailability
from subgraphs.calendar.service.common import MAX_WINDOW

__all__ = ["TeamUnavailability", "event_days", "record_unavailability", "team_availability", "visible_to"]


async def record_unavailability(
    session: AsyncSession,
    *,
    source_id: uuid.UUID,
    organization_id: uuid.UUID,
    player_id: uuid.UUID,
    reason: UnavailabilityReason,
    starts_on: date,
    available_from: date | None,
    occurred_at: datetime,
) -> None:
    """The days one injury or rest order keeps a player out, as of the event that happened at
    `occurred_at`; an event older than the one that last wrote them changes nothing."""
    await repository.upsert_unavailability(
        session,
        {
            "source_id": source_id,
            "organization_id": organization_id,
            "player_id": player_id,
            "reason": reason,
            "starts_on": starts_on,
            "available_from": available_from,
            "source_occurred_at": occurred_at,
        },
    )


async def team_availability(
    session: AsyncSession, actor: Principal, *, team_id: uuid.UUID, first: date, last: date
) -> list[TeamUnavailability]:
    """Who of the team is out on any day from `first` through `last`: the club's staff only."""
    organization_id = actor.require_organization()
    if not sees_all_events(actor, organization_id):
        raise Forbidden("player availability is for the club's staff")
    if last < first:
        raise InvalidInput("to must not be before from", field="to")
    if last - first > MAX_WINDOW:
        raise InvalidInput(f"the range may span at most {MAX_WINDOW.days} days", field="to")
    return await repository.unavailability_of_teams(session, organization_id, [team_id], first=first, last=last)


def event_days(starts_at: datetime, ends_at: datetime) -> tuple[date, date]:
    """The first and last day an event takes (an event ending at midnight does not take the next day)."""
    last_moment = ends_at - timedelta(microseconds=1)
    return starts_at.date(), max(starts_at.date(), last_moment.date())


def visible_to(
    actor: Principal, organization_id: uuid.UUID, found: list[TeamUnavailability]
) -> list[TeamUnavailability]:
    """Staff see the whole team; a player only themselves, a parent only their children."""
    if sees_all_events(actor, organization_id):
        return found
    own = {*actor.children, *([actor.player_id] if actor.player_id else [])}
    return [entry for entry in found if entry.unavailability.player_id in own]
