"""Recurring assignments: the days a repeated workout falls on, expanded with RFC 5545 rules (dateutil).

Each occurrence spans as many days as the first ([startsOn, endsOn]); occurrences may not overlap each
other, so a player never holds two occurrences of one series at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from itertools import pairwise
from typing import Literal

from dateutil import rrule

from shared import validation
from shared.errors import InvalidInput

MAX_OCCURRENCES = 60
MAX_SERIES_DAYS = 366


class Frequency(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"


@dataclass(frozen=True, slots=True)
class Recurrence:
    frequency: Frequency
    interval: int = 1
    weekdays: tuple[int, ...] = ()
    """ISO weekdays, 1 (Monday) to 7 (Sunday); WEEKLY only. Default: the first day's weekday."""
    until: date | None = None
    count: int | None = None


_RRULE_FREQUENCY: dict[Frequency, Literal[0, 1, 2, 3, 4, 5, 6]] = {
    Frequency.DAILY: rrule.DAILY,
    Frequency.WEEKLY: rrule.WEEKLY,
}


def occurrences(starts_on: date, ends_on: date, recurrence: Recurrence | None) -> list[tuple[date, date]]:
    """[(first day, last day)] of every occurrence, in order; the one given when there is no recurrence."""
    if recurrence is None:
        return [(starts_on, ends_on)]
    path = "recurrence"
    interval = validation.integer(recurrence.interval, field=f"{path}.interval", minimum=1, maximum=8)
    if (recurrence.until is None) == (recurrence.count is None):
        raise InvalidInput("a recurrence ends either on a day (until) or after a count", field=path)
    if recurrence.count is not None:
        validation.integer(recurrence.count, field=f"{path}.count", minimum=1, maximum=MAX_OCCURRENCES)
    if recurrence.until is not None:
        if recurrence.until < starts_on:
            raise InvalidInput("until must not be before startsOn", field=f"{path}.until")
        if (recurrence.until - starts_on).days >= MAX_SERIES_DAYS:
            raise InvalidInput(f"a series spans at most {MAX_SERIES_DAYS} days", field=f"{path}.until")
    weekdays = tuple(dict.fromkeys(recurrence.weekdays))
    if weekdays and recurrence.frequency is not Frequency.WEEKLY:
        raise InvalidInput("weekdays are for a WEEKLY recurrence", field=f"{path}.weekdays")
    for day in weekdays:
        validation.integer(day, field=f"{path}.weekdays", minimum=1, maximum=7)

    rule = rrule.rrule(
        _RRULE_FREQUENCY[recurrence.frequency],
        dtstart=datetime.combine(starts_on, time()),
        interval=interval,
        byweekday=[day - 1 for day in weekdays] or None,
        until=None if recurrence.until is None else datetime.combine(recurrence.until, time()),
        count=recurrence.count,
    )
    span = ends_on - starts_on
    days: list[date] = []
    for moment in rule:
        if len(days) == MAX_OCCURRENCES:
            raise InvalidInput(f"a series holds at most {MAX_OCCURRENCES} occurrences", field=path)
        days.append(moment.date())
    if not days:
        raise InvalidInput("the recurrence falls on no day", field=path)
    for earlier, later in pairwise(days):
        if later - earlier <= span:
            raise InvalidInput(
                f"occurrences {span.days + 1} days long would overlap: {earlier} and {later}", field=path
            )
    return [(day, day + span) for day in days]
