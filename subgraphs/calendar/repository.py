"""All SQL of the calendar service."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, false, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.roster import roster_players
from subgraphs.calendar.models import (
    BUSY_RSVPS,
    CalendarEvent,
    CalendarEventStatus,
    CalendarResource,
    EventAttendee,
    PlayerUnavailability,
)


@dataclass(frozen=True, slots=True)
class Audience:
    """Whose events a non-staff caller sees: their teams' events and those they are invited to."""

    user_id: uuid.UUID | None
    team_ids: Collection[uuid.UUID]


# Resources ---------------------------------------------------------------------------------------------


async def resources_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[CalendarResource]:
    return list(await session.scalars(select(CalendarResource).where(CalendarResource.id.in_(ids))))


async def resources_of_organization(
    session: AsyncSession, organization_id: uuid.UUID, *, include_inactive: bool
) -> list[CalendarResource]:
    query = select(CalendarResource).where(CalendarResource.organization_id == organization_id)
    if not include_inactive:
        query = query.where(CalendarResource.is_active.is_(True))
    return list(await session.scalars(query.order_by(CalendarResource.name)))


# Events ------------------------------------------------------------------------------------------------


def _visible_to(audience: Audience | None) -> ColumnElement[bool] | None:
    if audience is None:
        return None
    invited = (
        exists()
        .where(EventAttendee.event_id == CalendarEvent.id, EventAttendee.user_id == audience.user_id)
        .correlate(CalendarEvent)
    )
    by_team = CalendarEvent.team_id.in_(list(audience.team_ids)) if audience.team_ids else false()
    return or_(by_team, invited) if audience.user_id is not None else by_team


async def event(session: AsyncSession, event_id: uuid.UUID, *, for_update: bool = False) -> CalendarEvent | None:
    query = select(CalendarEvent).where(CalendarEvent.id == event_id)
    if for_update:
        query = query.with_for_update()
    return (await session.scalars(query)).first()


async def events_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[CalendarEvent]:
    return list(await session.scalars(select(CalendarEvent).where(CalendarEvent.id.in_(ids))))


async def is_visible(session: AsyncSession, event_id: uuid.UUID, audience: Audience) -> bool:
    condition = _visible_to(audience)
    assert condition is not None
    found = await session.scalar(select(CalendarEvent.id).where(CalendarEvent.id == event_id, condition))
    return found is not None


async def events_in_range(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    starts_before: datetime,
    ends_after: datetime,
    team_id: uuid.UUID | None = None,
    resource_id: uuid.UUID | None = None,
    include_cancelled: bool = False,
    audience: Audience | None = None,
) -> list[CalendarEvent]:
    """Events of the club that overlap the window, by start time."""
    query = select(CalendarEvent).where(
        CalendarEvent.organization_id == organization_id,
        CalendarEvent.starts_at < starts_before,
        CalendarEvent.ends_at > ends_after,
    )
    if team_id is not None:
        query = query.where(CalendarEvent.team_id == team_id)
    if resource_id is not None:
        query = query.where(CalendarEvent.resource_id == resource_id)
    if not include_cancelled:
        query = query.where(CalendarEvent.status != CalendarEventStatus.CANCELLED)
    if (visible := _visible_to(audience)) is not None:
        query = query.where(visible)
    return list(await session.scalars(query.order_by(CalendarEvent.starts_at, CalendarEvent.title)))


async def resource_clashes(
    session: AsyncSession,
    *,
    resource_id: uuid.UUID,
    starts_at: datetime,
    ends_at: datetime,
    exclude_event_id: uuid.UUID | None,
) -> list[CalendarEvent]:
    """Non-cancelled events on the resource overlapping [starts_at, ends_at), as the constraint sees it."""
    query = select(CalendarEvent).where(
        CalendarEvent.resource_id == resource_id,
        CalendarEvent.status != CalendarEventStatus.CANCELLED,
        CalendarEvent.starts_at < ends_at,
        CalendarEvent.ends_at > starts_at,
    )
    if exclude_event_id is not None:
        query = query.where(CalendarEvent.id != exclude_event_id)
    return list(await session.scalars(query.order_by(CalendarEvent.starts_at)))


async def attendee_clashes(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    user_ids: Collection[uuid.UUID],
    starts_at: datetime,
    ends_at: datetime,
    exclude_event_id: uuid.UUID | None,
) -> list[tuple[uuid.UUID, CalendarEvent]]:
    """(user, event) for each of the users who accepted or may attend an overlapping event."""
    if not user_ids:
        return []
    conditions = [
        CalendarEvent.organization_id == organization_id,
        CalendarEvent.status != CalendarEventStatus.CANCELLED,
        CalendarEvent.starts_at < ends_at,
        CalendarEvent.ends_at > starts_at,
        EventAttendee.user_id.in_(list(user_ids)),
        EventAttendee.status.in_(BUSY_RSVPS),
    ]
    if exclude_event_id is not None:
        conditions.append(CalendarEvent.id != exclude_event_id)
    rows = await session.execute(
        select(EventAttendee.user_id, CalendarEvent)
        .join(CalendarEvent, EventAttendee.event_id == CalendarEvent.id)
        .where(and_(*conditions))
        .order_by(EventAttendee.user_id, CalendarEvent.starts_at)
    )
    return [(user_id, found) for user_id, found in rows]


# Attendees ---------------------------------------------------------------------------------------------


async def attendees_of_events(session: AsyncSession, event_ids: Sequence[uuid.UUID]) -> list[EventAttendee]:
    return list(
        await session.scalars(
            select(EventAttendee)
            .where(EventAttendee.event_id.in_(event_ids))
            .order_by(EventAttendee.event_id, EventAttendee.created_at, EventAttendee.user_id)
        )
    )


async def attendee(session: AsyncSession, event_id: uuid.UUID, user_id: uuid.UUID) -> EventAttendee | None:
    return await session.get(EventAttendee, (event_id, user_id))


async def remove_attendee(session: AsyncSession, event_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    result = await session.execute(
        delete(EventAttendee).where(EventAttendee.event_id == event_id, EventAttendee.user_id == user_id)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


# Player unavailability ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TeamUnavailability:
    """An unavailability of a player the roster copy places on `team_id`."""

    unavailability: PlayerUnavailability
    team_id: uuid.UUID
    first_name: str
    last_name: str


async def upsert_unavailability(session: AsyncSession, values: dict[str, Any]) -> None:
    """Insert or replace one medical record's days, unless a newer event already wrote them (one atomic
    statement, so two deliveries racing each other still leave the newer state)."""
    statement = insert(PlayerUnavailability).values(**values)
    excluded = statement.excluded
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[PlayerUnavailability.source_id],
            set_={name: excluded[name] for name in values if name != "source_id"},
            where=PlayerUnavailability.source_occurred_at <= excluded.source_occurred_at,
        )
    )


async def unavailability_of_teams(
    session: AsyncSession, organization_id: uuid.UUID, team_ids: Collection[uuid.UUID], *, first: date, last: date
) -> list[TeamUnavailability]:
    """Unavailabilities overlapping the days `first` through `last` of the active players of those teams,
    by team, name and start."""
    if not team_ids:
        return []
    rows = await session.execute(
        select(PlayerUnavailability, roster_players.c.team_id, roster_players.c.first_name, roster_players.c.last_name)
        .join(roster_players, roster_players.c.player_id == PlayerUnavailability.player_id)
        .where(
            roster_players.c.team_id.in_(team_ids),
            roster_players.c.is_active,
            roster_players.c.organization_id == organization_id,
            PlayerUnavailability.organization_id == organization_id,
            PlayerUnavailability.starts_on <= last,
            or_(PlayerUnavailability.available_from.is_(None), PlayerUnavailability.available_from > first),
            # An injury resolved the day it happened leaves no day out.
            or_(
                PlayerUnavailability.available_from.is_(None),
                PlayerUnavailability.available_from > PlayerUnavailability.starts_on,
            ),
        )
        .order_by(
            roster_players.c.team_id,
            roster_players.c.last_name,
            roster_players.c.first_name,
            PlayerUnavailability.player_id,
            PlayerUnavailability.starts_on,
        )
    )
    return [
        TeamUnavailability(unavailability=row[0], team_id=row[1], first_name=row[2], last_name=row[3]) for row in rows
    ]
