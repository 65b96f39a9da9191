"""Events of other services the calendar follows: the medical service's injuries and rest orders become
days a player is unavailable; the user service's player events keep the roster copy (which team a
player is on) that places them on their team's events, and its account and team events narrow or end
calendar feeds whose owner lost the access they were made with.

Events can be redelivered and arrive out of order: each consumer is idempotent by event id (the kernel),
and each write carries the time of its event, so an older event never overwrites a newer one.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.events import Event
from shared.events.consumer import DomainHandler, combined
from shared.roster import ROSTER_EVENT_HANDLERS, roster_entries
from subgraphs.calendar.models import UnavailabilityReason
from subgraphs.calendar.service import feeds
from subgraphs.calendar.service.availability import record_unavailability

INJURY_CREATED = "injury.created"
INJURY_UPDATED = "injury.updated"
INJURY_RESOLVED = "injury.resolved"
RESTRICTION_CHANGED = "restriction.changed"
"""From the medical service (`subgraphs/medical/events.py`): ids, statuses and dates, no diagnosis."""
USER_UPDATED = "user.updated"
USER_DEACTIVATED = "user.deactivated"
TEAM_STAFF_REMOVED = "team.staff_removed"
PLAYER_UPDATED = "player.updated"
PLAYER_REMOVED = "player.removed"
PARENT_UNLINKED = "parent.unlinked"
"""From the user service: a feed's access follows its owner's account, roles and teams."""

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


async def account_changed(session: AsyncSession, event: Event) -> None:
    """`user.updated` / `user.deactivated`: a deactivated account's feeds end; changed roles narrow them."""
    user_id = uuid.UUID(str(event.data["user_id"]))
    if event.type == USER_DEACTIVATED or not event.data.get("is_active", True):
        await feeds.end_feeds_of(session, user_id)
    else:
        await feeds.narrow_feeds_to_roles(session, user_id, [str(role) for role in event.data.get("roles", [])])


async def left_team(session: AsyncSession, event: Event) -> None:
    """`team.staff_removed` / `player.removed`: the person's feeds stop showing that team as theirs."""
    user_id = event.data.get("user_id")
    if user_id is not None:
        await feeds.leave_team_in_feeds(session, uuid.UUID(str(user_id)), uuid.UUID(str(event.data["team_id"])))


async def player_moved(session: AsyncSession, event: Event) -> None:
    """`player.updated`, before the roster copy takes it: a player who moved to another team leaves the old
    one in their feeds (an event older than the copy's entry moves nobody)."""
    user_id = event.data.get("user_id")
    if user_id is None:
        return
    known = await roster_entries(session, [uuid.UUID(str(event.data["player_id"]))])
    if not known or known[0].team_id is None or known[0].source_occurred_at >= event.occurred_at:
        return
    if str(known[0].team_id) != str(event.data.get("team_id")):
        await feeds.leave_team_in_feeds(session, uuid.UUID(str(user_id)), known[0].team_id)


async def parent_unlinked(session: AsyncSession, event: Event) -> None:
    """`parent.unlinked`: the parent's feeds stop following the child's team."""
    await feeds.unlink_child_in_feeds(
        session, uuid.UUID(str(event.data["parent_user_id"])), uuid.UUID(str(event.data["player_id"]))
    )


async def child_moved(session: AsyncSession, event: Event) -> None:
    """`player.updated` / `player.removed`, after the roster copy took it: parents' team feeds follow."""
    await feeds.child_changed_team(session, uuid.UUID(str(event.data["player_id"])))


EVENT_HANDLERS: dict[str, DomainHandler] = combined(
    {PLAYER_UPDATED: player_moved},
    ROSTER_EVENT_HANDLERS,
    {PLAYER_UPDATED: child_moved, PLAYER_REMOVED: child_moved},
    {
        PARENT_UNLINKED: parent_unlinked,
        INJURY_CREATED: injury_changed,
        INJURY_UPDATED: injury_changed,
        INJURY_RESOLVED: injury_changed,
        RESTRICTION_CHANGED: restriction_changed,
        USER_UPDATED: account_changed,
        USER_DEACTIVATED: account_changed,
        TEAM_STAFF_REMOVED: left_team,
        PLAYER_REMOVED: left_team,
    },
)
