"""Conflicts: a resource is never double-booked (CONFLICT); a double-booked person is a warning.

Two events overlap when one starts before the other ends; a resource's buffer widens every booking on
it by that many minutes each side. Only confirmed and pending bookings hold a resource. Bookings of one
resource are checked under a lock on its row (series and buffers are beyond the exclusion constraint),
and the constraint still guards single bookings written by anything that skips the check.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shared.database.integrity import constraint_name
from shared.errors import Conflict, InvalidInput
from subgraphs.calendar import repository
from subgraphs.calendar.models import (
    RESOURCE_OVERLAP,
    CalendarEvent,
    CalendarEventStatus,
    CalendarResource,
    EventAttendee,
    RsvpStatus,
)
from subgraphs.calendar.service import occurrences
from subgraphs.calendar.service.occurrences import Occurrence

Span = tuple[datetime, datetime]


@dataclass(frozen=True, slots=True)
class SchedulingWarning:
    """An attendee who is already busy (accepted or tentative) in overlapping events."""

    user_id: uuid.UUID
    clashes: list[Occurrence]


def clash_details(occurrence: Occurrence) -> dict[str, Any]:
    return {
        "id": occurrence.id,
        "title": occurrence.row.title,
        "startsAt": occurrence.starts_at.isoformat(),
        "endsAt": occurrence.ends_at.isoformat(),
    }


def _describe(clashes: Sequence[Occurrence]) -> str:
    return "; ".join(
        f"{clash.row.title!r} ({clash.starts_at.isoformat()} to {clash.ends_at.isoformat()})" for clash in clashes
    )


def resource_conflict(resource: CalendarResource, clashes: Sequence[Occurrence]) -> Conflict:
    if clashes:
        message = f"{resource.name} is already booked then by {_describe(clashes)}"
    else:
        message = f"{resource.name} was booked for that time by a concurrent request"
    listed = [clash_details(clash) for clash in clashes]
    return Conflict(message, details={"conflicts": listed, "details": {"clashes": listed}})


def _overlapping(spans: Sequence[Span], found: Sequence[Occurrence], margin: timedelta) -> list[Occurrence]:
    return [
        occurrence
        for occurrence in found
        if any(start < occurrence.ends_at + margin and end > occurrence.starts_at - margin for start, end in spans)
    ]


def _minute_of_day(value: object, *, midnight_is_end: bool = False) -> int:
    moment = value if isinstance(value, time) else time.fromisoformat(str(value))
    minutes = moment.hour * 60 + moment.minute
    return 24 * 60 if midnight_is_end and minutes == 0 else minutes


def check_opening_hours(resource: CalendarResource, spans: Sequence[Span], time_zone: str) -> None:
    """Every span lies within one opening window of its local weekday (a window closing at 00:00 runs to
    midnight); a span past midnight fits no window."""
    if resource.opening_hours is None:
        return
    zone = ZoneInfo(time_zone)
    for start, end in spans:
        local_start, local_end = start.astimezone(zone), end.astimezone(zone)
        first = _minute_of_day(local_start.time())
        if local_end.date() == local_start.date():
            last = _minute_of_day(local_end.time())
        elif local_end.date() == local_start.date() + timedelta(days=1) and local_end.time() == time(0):
            last = 24 * 60
        else:
            last = 24 * 60 + 1  # past midnight: no window holds it
        windows = [w for w in resource.opening_hours if int(w["weekday"]) == local_start.weekday()]
        if not any(
            _minute_of_day(w["opens"]) <= first and last <= _minute_of_day(w["closes"], midnight_is_end=True)
            for w in windows
        ):
            raise InvalidInput(
                f"{resource.name} is closed then ({local_start:%a %Y-%m-%d %H:%M} to {local_end:%H:%M} {time_zone})",
                field="startsAt",
            )


async def resource_clashes(
    session: AsyncSession, resource: CalendarResource, spans: Sequence[Span], *, exclude: Collection[uuid.UUID]
) -> list[Occurrence]:
    """Confirmed and pending bookings of the resource within its buffer of any span, except the rows (or
    series) named in `exclude`."""
    if not spans:
        return []
    margin = timedelta(minutes=resource.buffer_minutes)
    booked = await occurrences.in_range(
        session,
        organization_id=resource.organization_id,
        starts=min(start for start, _ in spans) - margin,
        ends=max(end for _, end in spans) + margin,
        resource_id=resource.id,
        bookings_only=True,
    )
    others = [o for o in booked if o.row.id not in exclude and o.row.series_id not in exclude]
    return _overlapping(spans, others, margin)


async def write_booking(
    session: AsyncSession,
    apply: Callable[[], object],
    *,
    resource: CalendarResource | None,
    spans: Sequence[Span],
    exclude: Collection[uuid.UUID] = (),
    time_zone: str,
) -> None:
    """Check the resource is open and free for every span, then `apply` the change and write it.

    The change is applied inside a savepoint (opening one flushes pending changes first), so a write the
    exclusion constraint refuses rolls back to it and the transaction can still read the rival booking.
    """
    if resource is not None:
        await repository.lock_resource(session, resource.id)
        check_opening_hours(resource, spans, time_zone)
        clashes = await resource_clashes(session, resource, spans, exclude=exclude)
        if clashes:
            raise resource_conflict(resource, clashes)
    try:
        async with session.begin_nested():
            apply()
            await session.flush()
    except IntegrityError as error:
        if resource is None or constraint_name(error) != RESOURCE_OVERLAP:
            raise
        # The rival transaction has committed (the constraint waited for it): its event is visible now.
        raise resource_conflict(resource, await resource_clashes(session, resource, spans, exclude=exclude)) from None


async def warnings(
    session: AsyncSession,
    event: CalendarEvent,
    attendees: Sequence[EventAttendee],
    spans: Sequence[Span] | None = None,
) -> list[SchedulingWarning]:
    """Attendees (except those who declined this event) already busy elsewhere during any of `spans`
    (the event's own times by default)."""
    if event.status is CalendarEventStatus.CANCELLED:
        return []
    spans = spans or [(event.starts_at, event.ends_at)]
    user_ids = [a.user_id for a in attendees if a.status is not RsvpStatus.DECLINED]
    if not user_ids:
        return []
    starts, ends = min(s for s, _ in spans), max(e for _, e in spans)
    own = {event.id, *([event.series_id] if event.series_id else [])}

    async def busy(series: bool) -> list[tuple[uuid.UUID, CalendarEvent]]:
        return await repository.attendee_clashes(
            session,
            organization_id=event.organization_id,
            user_ids=user_ids,
            starts_at=starts,
            ends_at=ends,
            series=series,
        )

    found: list[tuple[uuid.UUID, Occurrence]] = [
        (user_id, occurrences.of_row(row)) for user_id, row in await busy(series=False) if row.id not in own
    ]
    series_rows = await busy(series=True)
    unique = list({row.id: row for _, row in series_rows if row.id not in own}.values())
    expanded: dict[uuid.UUID, list[Occurrence]] = defaultdict(list)
    for occurrence in await occurrences.expand_all(session, unique, starts=starts, ends=ends):
        expanded[occurrence.row.id].append(occurrence)
    found += [(user_id, o) for user_id, row in series_rows for o in expanded.get(row.id, [])]
    clashes: dict[uuid.UUID, list[Occurrence]] = defaultdict(list)
    for user_id, occurrence in found:
        if occurrence.row.series_id in own:
            continue
        if _overlapping(spans, [occurrence], timedelta(0)):
            clashes[user_id].append(occurrence)
    return [
        SchedulingWarning(user_id=user_id, clashes=sorted(found, key=lambda o: o.starts_at))
        for user_id, found in clashes.items()
    ]
