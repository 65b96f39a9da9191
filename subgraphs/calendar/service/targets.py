"""What a change applies to: an event, one occurrence of a series, that occurrence and the following
ones, or the whole series.

Changing one occurrence makes it an exception: a row of its own (`series_id`, `original_starts_at`)
copying the series' details and attendees, which then changes like any event. Changing an occurrence
and the following ones splits the series: the old one ends before it, a new one starts with it (a COUNT
is shared between them), and the later exceptions move to the new one.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import Principal
from shared.database.models import utcnow
from shared.errors import Conflict, Forbidden, InvalidInput, not_found
from shared.roster import roster_entries
from subgraphs.calendar import repository
from subgraphs.calendar.models import CalendarEvent, CalendarEventStatus, EventAttendee
from subgraphs.calendar.permissions import can_schedule, sees_all_events
from subgraphs.calendar.service import recurrence
from subgraphs.calendar.service.occurrences import Occurrence, of_row


class EditScope(StrEnum):
    THIS = "this"
    THIS_AND_FOLLOWING = "this_and_following"
    ALL = "all"


COPIED = (
    "organization_id",
    "kind",
    "title",
    "description",
    "team_id",
    "location",
    "resource_id",
    "organizer_user_id",
    "time_zone",
    "reminder_minutes",
    "visibility",
    "visible_to_roles",
    "booking_status",
)
"""What an exception or a split-off series takes from its series."""


async def teams_of_children(session: AsyncSession, child_ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
    """The teams the children play on now, from the roster copy."""
    if not child_ids:
        return set()
    children = await roster_entries(session, sorted(child_ids))
    return {child.team_id for child in children if child.team_id is not None and child.is_active}


async def teams_seen_by(session: AsyncSession, actor: Principal) -> frozenset[uuid.UUID]:
    """The caller's teams, and a parent's children's: a parent follows their child's team schedule as its
    members do, without joining the team anywhere else (its chat, say)."""
    return frozenset(actor.team_ids) | await teams_of_children(session, actor.children)


async def audience(session: AsyncSession, actor: Principal, organization_id: uuid.UUID) -> repository.Audience | None:
    """What the caller's reads are filtered by; nothing for the platform administrator."""
    if actor.is_platform_admin:
        return None
    return repository.Audience(
        user_id=actor.user_id,
        team_ids=await teams_seen_by(session, actor),
        roles=sorted(role.value for role in actor.roles),
        is_staff=sees_all_events(actor, organization_id),
    )


def series_until(row: CalendarEvent) -> datetime:
    """The end of the series' last occurrence; a rule with none at all is refused."""
    assert row.recurrence_rule is not None
    last = recurrence.last_start(row.recurrence_rule, row.starts_at, row.time_zone)
    if last is None:
        raise InvalidInput("the rule gives no occurrence at all", field="recurrence")
    return last + (row.ends_at - row.starts_at)


async def find(
    session: AsyncSession, actor: Principal, target: str | uuid.UUID, *, for_update: bool = False
) -> Occurrence:
    """The event or occurrence named by `target`, when the caller may see it; NOT_FOUND otherwise."""
    event_id, original = recurrence.parse_occurrence_id(str(target))
    row = await repository.event(session, event_id, for_update=for_update)
    if row is None or not actor.in_organization(row.organization_id):
        raise not_found("CalendarEvent", target)
    seen = await audience(session, actor, row.organization_id)
    if seen is not None and not await repository.is_visible(session, row.id, seen):
        raise not_found("CalendarEvent", target)
    if original is None:
        return of_row(row)
    if row.recurrence_rule is None:
        raise not_found("CalendarEvent", target)
    replaced = await repository.exception(session, row.id, original, for_update=for_update)
    if replaced is not None:
        return of_row(replaced)
    if not recurrence.is_occurrence(row.recurrence_rule, row.starts_at, row.time_zone, original):
        raise not_found("CalendarEvent", target)
    return Occurrence(row, original, original + (row.ends_at - row.starts_at), original)


async def editable(
    session: AsyncSession, actor: Principal, target: str | uuid.UUID, *, allow_cancelled: bool = False
) -> Occurrence:
    """The event or occurrence, its row locked for this change, when the caller may reschedule it."""
    event_id, _ = recurrence.parse_occurrence_id(str(target))
    row = await repository.event(session, event_id, for_update=True)
    if row is None or not actor.in_organization(row.organization_id):
        raise not_found("CalendarEvent", target)
    if not can_schedule(actor, row.organization_id):
        seen = await audience(session, actor, row.organization_id)
        if seen is not None and await repository.is_visible(session, row.id, seen):
            raise Forbidden("only staff change events")
        raise not_found("CalendarEvent", target)
    found = await find(session, actor, target, for_update=True)
    if found.row.status is CalendarEventStatus.CANCELLED and not allow_cancelled:
        raise Conflict("the event is cancelled; schedule a new one instead", field="id")
    return found


def default_scope(found: Occurrence, scope: EditScope | None) -> EditScope:
    """One occurrence by default when one is named; the whole series when the series is."""
    if scope is None:
        return EditScope.THIS if found.original_starts_at is not None else EditScope.ALL
    if scope is not EditScope.ALL and found.original_starts_at is None and found.row.recurrence_rule is not None:
        raise InvalidInput("name an occurrence (its id from a calendar range) to change it alone", field="scope")
    return scope


async def _copy_attendees(session: AsyncSession, source: uuid.UUID, target: uuid.UUID) -> None:
    session.add_all(
        EventAttendee(event_id=target, user_id=a.user_id, status=a.status, responded_at=a.responded_at, role=a.role)
        for a in await repository.attendees_of_events(session, [source])
    )


def _copy(series: CalendarEvent) -> dict[str, Any]:
    return {name: getattr(series, name) for name in COPIED}


async def detach(
    session: AsyncSession, series: CalendarEvent, original: datetime, *, cancelled: bool = False
) -> CalendarEvent:
    """The exception that replaces one generated occurrence, with the series' attendees."""
    row = CalendarEvent(
        id=uuid.uuid4(),
        **_copy(series),
        starts_at=original,
        ends_at=original + (series.ends_at - series.starts_at),
        series_id=series.id,
        original_starts_at=original,
        status=CalendarEventStatus.CANCELLED if cancelled else series.status,
        cancelled_at=utcnow() if cancelled else None,
    )
    session.add(row)
    await session.flush()
    await _copy_attendees(session, series.id, row.id)
    # The occurrence keeps its reminders: one already sent is not sent again for the exception.
    await repository.carry_reminders(session, from_event=series.id, to_event=row.id, starting=original, only_then=True)
    await session.flush()
    return row


async def split(session: AsyncSession, series: CalendarEvent, original: datetime) -> CalendarEvent:
    """End the series before `original`; a new series with the same details starts there."""
    assert series.recurrence_rule is not None
    found = recurrence.parts(series.recurrence_rule)
    earlier, later = dict(found), dict(found)
    if "COUNT" in found:
        before = recurrence.count_before(series.recurrence_rule, series.starts_at, series.time_zone, original)
        earlier["COUNT"], later["COUNT"] = str(before), str(int(found["COUNT"]) - before)
    else:
        earlier["UNTIL"] = recurrence.stamp(original - timedelta(seconds=1))
    duration = series.ends_at - series.starts_at
    new = CalendarEvent(
        id=uuid.uuid4(),
        **_copy(series),
        starts_at=original,
        ends_at=original + duration,
        recurrence_rule=recurrence.join(later),
        status=series.status,
    )
    new.recurs_until = series_until(new)
    series.recurrence_rule = recurrence.join(earlier)
    series.recurs_until = series_until(series)
    session.add(new)
    await session.flush()
    await _copy_attendees(session, series.id, new.id)
    await repository.move_exceptions(session, from_series=series.id, to_series=new.id, starting=original)
    await repository.carry_reminders(session, from_event=series.id, to_event=new.id, starting=original, only_then=False)
    await session.flush()
    return new


async def scoped(session: AsyncSession, found: Occurrence, scope: EditScope) -> CalendarEvent:
    """The row a change with this scope applies to, detaching or splitting first as it needs."""
    if found.series_id is None:
        return found.row
    if found.row.recurrence_rule is None:  # an exception
        if scope is EditScope.THIS:
            return found.row
        series = await repository.event(session, found.series_id, for_update=True)
        assert series is not None
    else:
        series = found.row
    original = found.original_starts_at
    assert original is not None
    if scope is EditScope.THIS:
        return await detach(session, series, original)
    if scope is EditScope.ALL or original <= series.starts_at:
        return series
    return await split(session, series, original)


async def exceptions_of(session: AsyncSession, row: CalendarEvent) -> Sequence[CalendarEvent]:
    if row.recurrence_rule is None:
        return []
    return await repository.exceptions_of(session, [row.id], for_update=True)
