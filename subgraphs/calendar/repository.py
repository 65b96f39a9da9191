"""All SQL of the calendar service."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    String,
    Uuid,
    and_,
    any_,
    cast,
    delete,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.database.models import utcnow
from shared.roster import roster_players
from subgraphs.calendar.models import (
    BLOCKING_BOOKINGS,
    BUSY_RSVPS,
    BookingStatus,
    CalendarEvent,
    CalendarEventStatus,
    CalendarResource,
    CalendarSettings,
    EventAttendee,
    FeedToken,
    PlayerUnavailability,
    ReminderSent,
    RsvpStatus,
    Visibility,
)


@dataclass(frozen=True, slots=True)
class Audience:
    """Who is reading, for the events' visibility: public events reach the whole club, team events the
    club's staff, the team (`team_ids`: a parent's include their children's) and the invited, private ones
    the organizer and the invited, role-restricted ones the invited and holders of the roles."""

    user_id: uuid.UUID | None
    team_ids: Collection[uuid.UUID]
    roles: Collection[str] = ()
    is_staff: bool = False


# Resources ---------------------------------------------------------------------------------------------


async def crowded_bookings(
    session: AsyncSession, resource_id: uuid.UUID, *, after: datetime, above: int
) -> list[tuple[CalendarEvent, int]]:
    """Events (and series) booking the resource that are not over by `after` and expect more than `above`
    people (attendees but those who declined), with that number, by start."""
    people = (
        select(EventAttendee.event_id, func.count().label("people"))
        .where(EventAttendee.status != RsvpStatus.DECLINED)
        .group_by(EventAttendee.event_id)
        .subquery()
    )
    rows = await session.execute(
        select(CalendarEvent, people.c.people)
        .join(people, people.c.event_id == CalendarEvent.id)
        .where(
            CalendarEvent.resource_id == resource_id,
            CalendarEvent.status != CalendarEventStatus.CANCELLED,
            or_(CalendarEvent.ends_at > after, CalendarEvent.recurs_until > after),
            people.c.people > above,
        )
        .order_by(CalendarEvent.starts_at)
    )
    return [(row[0], int(row[1])) for row in rows]


async def resources_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[CalendarResource]:
    return list(await session.scalars(select(CalendarResource).where(CalendarResource.id.in_(ids))))


async def lock_resource(session: AsyncSession, resource_id: uuid.UUID) -> None:
    """Bookings of one resource are checked one at a time: series and buffers are beyond the exclusion
    constraint, so the check itself must not race."""
    await session.execute(select(CalendarResource.id).where(CalendarResource.id == resource_id).with_for_update())


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
    by_team = CalendarEvent.team_id.in_(list(audience.team_ids)) if audience.team_ids else false()
    shown = [
        CalendarEvent.visibility == Visibility.PUBLIC,
        and_(CalendarEvent.visibility == Visibility.TEAM, true() if audience.is_staff else by_team),
    ]
    if audience.roles:
        shown.append(
            and_(
                CalendarEvent.visibility == Visibility.ROLES,
                CalendarEvent.visible_to_roles.op("&&")(cast(list(audience.roles), ARRAY(String(40)))),
            )
        )
    if audience.user_id is not None:
        invited = (
            exists()
            .where(EventAttendee.event_id == CalendarEvent.id, EventAttendee.user_id == audience.user_id)
            .correlate(CalendarEvent)
        )
        shown += [invited, CalendarEvent.organizer_user_id == audience.user_id]
    return or_(*shown)


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
    bookings_only: bool = False,
) -> list[CalendarEvent]:
    """Single events and exceptions of the club overlapping the window, and the series whose span (first
    start to `recurs_until`) overlaps it, to be expanded; by start time."""
    single = and_(CalendarEvent.recurrence_rule.is_(None), CalendarEvent.ends_at > ends_after)
    series = and_(CalendarEvent.recurrence_rule.is_not(None), CalendarEvent.recurs_until > ends_after)
    query = select(CalendarEvent).where(
        CalendarEvent.organization_id == organization_id, CalendarEvent.starts_at < starts_before, or_(single, series)
    )
    if team_id is not None:
        query = query.where(CalendarEvent.team_id == team_id)
    if resource_id is not None:
        query = query.where(CalendarEvent.resource_id == resource_id)
    if bookings_only:
        query = query.where(CalendarEvent.booking_status.in_(BLOCKING_BOOKINGS))
    if not include_cancelled:
        query = query.where(CalendarEvent.status != CalendarEventStatus.CANCELLED)
    if (visible := _visible_to(audience)) is not None:
        query = query.where(visible)
    return list(await session.scalars(query.order_by(CalendarEvent.starts_at, CalendarEvent.title)))


async def exceptions_of(
    session: AsyncSession, series_ids: Collection[uuid.UUID], *, for_update: bool = False
) -> list[CalendarEvent]:
    """The rows that replace single occurrences (changed or cancelled) of the series."""
    if not series_ids:
        return []
    query = select(CalendarEvent).where(CalendarEvent.series_id.in_(list(series_ids)))
    if for_update:
        query = query.with_for_update()
    return list(await session.scalars(query.order_by(CalendarEvent.original_starts_at)))


async def exception(
    session: AsyncSession, series_id: uuid.UUID, original_starts_at: datetime, *, for_update: bool = False
) -> CalendarEvent | None:
    query = select(CalendarEvent).where(
        CalendarEvent.series_id == series_id, CalendarEvent.original_starts_at == original_starts_at
    )
    if for_update:
        query = query.with_for_update()
    return (await session.scalars(query)).first()


async def move_exceptions(
    session: AsyncSession, *, from_series: uuid.UUID, to_series: uuid.UUID, starting: datetime
) -> None:
    await session.execute(
        update(CalendarEvent)
        .where(CalendarEvent.series_id == from_series, CalendarEvent.original_starts_at >= starting)
        .values(series_id=to_series)
    )


async def carry_reminders(
    session: AsyncSession, *, from_event: uuid.UUID, to_event: uuid.UUID, starting: datetime, only_then: bool
) -> None:
    """The reminders already sent for occurrences of `from_event` (the one starting at `starting` when
    `only_then`, else those from it on) count as sent for `to_event`, which takes them over."""
    when = ReminderSent.occurrence_starts_at == starting if only_then else ReminderSent.occurrence_starts_at >= starting
    sent = select(
        literal(to_event, Uuid()),
        ReminderSent.occurrence_starts_at,
        ReminderSent.user_id,
        ReminderSent.minutes,
        ReminderSent.sent_at,
    ).where(ReminderSent.event_id == from_event, when)
    await session.execute(
        insert(ReminderSent)
        .from_select(["event_id", "occurrence_starts_at", "user_id", "minutes", "sent_at"], sent)
        .on_conflict_do_nothing()
    )


async def attendee_clashes(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    user_ids: Collection[uuid.UUID],
    starts_at: datetime,
    ends_at: datetime,
    series: bool = False,
) -> list[tuple[uuid.UUID, CalendarEvent]]:
    """(user, event) for each of the users who accepted or may attend an overlapping single event or
    exception; with `series`, the series they attend whose span overlaps, to be expanded."""
    if not user_ids:
        return []
    conditions = [
        CalendarEvent.organization_id == organization_id,
        CalendarEvent.status != CalendarEventStatus.CANCELLED,
        CalendarEvent.starts_at < ends_at,
        EventAttendee.user_id.in_(list(user_ids)),
        EventAttendee.status.in_(BUSY_RSVPS),
    ]
    if series:
        conditions += [CalendarEvent.recurrence_rule.is_not(None), CalendarEvent.recurs_until > starts_at]
    else:
        conditions += [CalendarEvent.recurrence_rule.is_(None), CalendarEvent.ends_at > starts_at]
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


# Settings ----------------------------------------------------------------------------------------------


async def settings_of(session: AsyncSession, organization_id: uuid.UUID) -> CalendarSettings | None:
    return await session.get(CalendarSettings, organization_id)


async def save_settings(session: AsyncSession, organization_id: uuid.UUID, *, time_zone: str) -> CalendarSettings:
    statement = insert(CalendarSettings).values(
        organization_id=organization_id, time_zone=time_zone, updated_at=utcnow()
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[CalendarSettings.organization_id],
            set_={"time_zone": statement.excluded.time_zone, "updated_at": statement.excluded.updated_at},
        )
    )
    found = await session.get(CalendarSettings, organization_id, populate_existing=True)
    assert found is not None
    return found


async def pending_bookings(session: AsyncSession, organization_id: uuid.UUID) -> list[CalendarEvent]:
    return list(
        await session.scalars(
            select(CalendarEvent)
            .where(
                CalendarEvent.organization_id == organization_id,
                CalendarEvent.booking_status == BookingStatus.PENDING,
                CalendarEvent.status != CalendarEventStatus.CANCELLED,
            )
            .order_by(CalendarEvent.starts_at, CalendarEvent.id)
        )
    )


# Reminders ---------------------------------------------------------------------------------------------


async def upcoming_events(session: AsyncSession, *, after: datetime, before: datetime) -> list[CalendarEvent]:
    """Every club's standing single events and exceptions starting in (after, before], and the series
    whose span reaches into it."""
    single = and_(CalendarEvent.recurrence_rule.is_(None), CalendarEvent.starts_at > after)
    series = and_(CalendarEvent.recurrence_rule.is_not(None), CalendarEvent.recurs_until > after)
    return list(
        await session.scalars(
            select(CalendarEvent).where(
                CalendarEvent.status != CalendarEventStatus.CANCELLED,
                CalendarEvent.starts_at <= before,
                or_(single, series),
            )
        )
    )


async def claim_reminders(
    session: AsyncSession,
    *,
    event_id: uuid.UUID,
    occurrence_starts_at: datetime,
    user_ids: Collection[uuid.UUID],
    minutes: Collection[int],
    sending: int,
    now: datetime,
) -> list[uuid.UUID]:
    """Mark the reminders as sent; the users whose `sending` reminder this call marked first (a concurrent
    caller waits for this transaction, then marks nothing)."""
    statement = (
        insert(ReminderSent)
        .values(
            [
                {
                    "event_id": event_id,
                    "occurrence_starts_at": occurrence_starts_at,
                    "user_id": user_id,
                    "minutes": minute,
                    "sent_at": now,
                }
                for user_id in user_ids
                for minute in minutes
            ]
        )
        .on_conflict_do_nothing()
        .returning(ReminderSent.user_id, ReminderSent.minutes)
    )
    rows = await session.execute(statement)
    return sorted({user_id for user_id, minute in rows if minute == sending})


# Feeds -------------------------------------------------------------------------------------------------


async def feed(session: AsyncSession, feed_id: uuid.UUID) -> FeedToken | None:
    return await session.get(FeedToken, feed_id, with_for_update=True)


async def feed_by_hash(session: AsyncSession, token_hash: str) -> FeedToken | None:
    return (await session.scalars(select(FeedToken).where(FeedToken.token_hash == token_hash))).first()


async def feeds_following_child(session: AsyncSession, player_id: uuid.UUID) -> list[FeedToken]:
    """Live feeds of parents that follow this player's team."""
    following = literal(player_id, Uuid()) == any_(FeedToken.child_ids)
    return list(await session.scalars(select(FeedToken).where(following, FeedToken.revoked_at.is_(None))))


async def feeds_of_user(session: AsyncSession, user_id: uuid.UUID) -> list[FeedToken]:
    return list(
        await session.scalars(select(FeedToken).where(FeedToken.user_id == user_id).order_by(FeedToken.created_at))
    )
