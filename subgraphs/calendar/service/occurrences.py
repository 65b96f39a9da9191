"""Occurrences: what a calendar shows. A single event is one; a series is expanded in its zone, and each
of its exceptions (a changed or cancelled occurrence, a row of its own) takes the place of the occurrence
it replaces."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.calendar import repository
from subgraphs.calendar.models import CalendarEvent, CalendarEventStatus
from subgraphs.calendar.service import recurrence


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One date on the calendar. `row` holds its details: the event, the exception, or the series (for an
    occurrence the rule generates, whose times are computed)."""

    row: CalendarEvent
    starts_at: datetime
    ends_at: datetime
    original_starts_at: datetime | None = None

    @property
    def series_id(self) -> uuid.UUID | None:
        if self.row.series_id is not None:
            return self.row.series_id
        return self.row.id if self.original_starts_at is not None else None

    @property
    def id(self) -> str:
        """Stable: the series and the original start for an occurrence, the row's id otherwise."""
        series_id = self.series_id
        if series_id is None or self.original_starts_at is None:
            return str(self.row.id)
        return recurrence.occurrence_id(series_id, self.original_starts_at)

    @property
    def is_generated(self) -> bool:
        return self.row.recurrence_rule is not None and self.original_starts_at is not None


def of_row(row: CalendarEvent) -> Occurrence:
    return Occurrence(row, row.starts_at, row.ends_at, row.original_starts_at)


def expand(
    series: CalendarEvent, replaced: Collection[datetime], *, starts: datetime, ends: datetime
) -> list[Occurrence]:
    """The series' generated occurrences overlapping [starts, ends), except those replaced by exceptions."""
    assert series.recurrence_rule is not None
    duration = series.ends_at - series.starts_at
    return [
        Occurrence(series, start, start + duration, start)
        for start in recurrence.starts(
            series.recurrence_rule, series.starts_at, series.time_zone, after=starts - duration, before=ends
        )
        if start + duration > starts and start not in replaced
    ]


async def replaced_starts(session: AsyncSession, series: Iterable[CalendarEvent]) -> dict[uuid.UUID, set[datetime]]:
    found: dict[uuid.UUID, set[datetime]] = defaultdict(set)
    for row in await repository.exceptions_of(session, [s.id for s in series]):
        if row.series_id is not None and row.original_starts_at is not None:
            found[row.series_id].add(row.original_starts_at)
    return found


async def expand_all(
    session: AsyncSession, series: list[CalendarEvent], *, starts: datetime, ends: datetime
) -> list[Occurrence]:
    replaced = await replaced_starts(session, series)
    return [found for row in series for found in expand(row, replaced[row.id], starts=starts, ends=ends)]


async def in_range(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    starts: datetime,
    ends: datetime,
    team_id: uuid.UUID | None = None,
    resource_id: uuid.UUID | None = None,
    include_cancelled: bool = False,
    audience: repository.Audience | None = None,
    bookings_only: bool = False,
) -> list[Occurrence]:
    """Every occurrence overlapping [starts, ends), by start and title."""

    found_rows = await repository.events_in_range(
        session,
        organization_id=organization_id,
        starts_before=ends,
        ends_after=starts,
        team_id=team_id,
        resource_id=resource_id,
        include_cancelled=include_cancelled,
        audience=audience,
        bookings_only=bookings_only,
    )
    rows = [row for row in found_rows if row.recurrence_rule is None]
    series = [row for row in found_rows if row.recurrence_rule is not None]
    found = [of_row(row) for row in rows] + await expand_all(session, series, starts=starts, ends=ends)
    return sorted(found, key=lambda occurrence: (occurrence.starts_at, occurrence.row.title, occurrence.id))


def series_spans(
    rule: str,
    first_start: datetime,
    duration: timedelta,
    time_zone: str,
    exceptions: Iterable[tuple[datetime, CalendarEvent]],
) -> list[tuple[datetime, datetime]]:
    """Every span a series would take: its generated occurrences and its standing exceptions, given as
    (original start, row) so a change can pass the originals it is about to give them."""
    listed = list(exceptions)
    replaced = {original for original, _ in listed}
    spans = [
        (start, start + duration) for start in recurrence.starts(rule, first_start, time_zone) if start not in replaced
    ]
    kept = [(row.starts_at, row.ends_at) for _, row in listed if row.status is not CalendarEventStatus.CANCELLED]
    return sorted([*spans, *kept])


def series_times(series: CalendarEvent, exceptions: Iterable[CalendarEvent]) -> list[tuple[datetime, datetime]]:
    assert series.recurrence_rule is not None
    return series_spans(
        series.recurrence_rule,
        series.starts_at,
        series.ends_at - series.starts_at,
        series.time_zone,
        [(row.original_starts_at, row) for row in exceptions if row.original_starts_at is not None],
    )
