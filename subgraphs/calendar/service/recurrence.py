"""Recurring events: RFC 5545 rules (python-dateutil) expanded in the series' time zone.

A series repeats at the same wall-clock time in its zone, so an 18:00 practice stays at 18:00 local
across daylight-saving changes (its UTC instant moves). Rules are bounded: a rule without COUNT or
UNTIL gets an UNTIL two years after its first occurrence, so a series never runs forever. Occurrences
are named by the series id and their original start in UTC (`<series>:20260302T170000Z`): the name
stays the same when that occurrence is later moved or changed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from shared.errors import InvalidInput

MAX_SERIES_SPAN = timedelta(days=731)
"""How far past its first occurrence a series may repeat."""
FREQUENCIES = frozenset({"DAILY", "WEEKLY", "MONTHLY", "YEARLY"})
"""Sub-daily rules make no sense for a club calendar and could expand to huge numbers of occurrences."""
MAX_COUNT = 1000
_STAMP = "%Y%m%dT%H%M%SZ"


def parts(rule: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for part in rule.split(";"):
        name, _, value = part.partition("=")
        found[name.strip().upper()] = value.strip().upper()
    return found


def join(found: dict[str, str]) -> str:
    ordered = ["FREQ", *(name for name in found if name != "FREQ")]
    return ";".join(f"{name}={found[name]}" for name in ordered if name in found)


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(_STAMP)


def normalize_rule(rule: str, first_start: datetime, time_zone: str, *, field: str = "recurrence") -> str:
    """A valid, bounded RRULE value: `FREQ=WEEKLY;BYDAY=TU;COUNT=10`. An UNTIL without `Z` is read as the
    series' local time; an unbounded rule gets UNTIL two years on."""
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text or "\n" in text or ":" in text:
        raise InvalidInput("give one RRULE value, e.g. FREQ=WEEKLY;BYDAY=TU;COUNT=10", field=field)
    found = parts(text)
    if "" in found or any(not value for value in found.values()):
        raise InvalidInput("an RRULE is NAME=VALUE parts separated by semicolons", field=field)
    if found.get("FREQ") not in FREQUENCIES:
        raise InvalidInput("FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY", field=field)
    if "COUNT" in found and "UNTIL" in found:
        raise InvalidInput("an RRULE has COUNT or UNTIL, not both", field=field)
    zone = ZoneInfo(time_zone)
    if "UNTIL" in found and not found["UNTIL"].endswith("Z"):
        try:
            local = datetime.strptime(found["UNTIL"], "%Y%m%dT%H%M%S")  # noqa: DTZ007 (the series' zone is added below)
        except ValueError:
            try:
                day = datetime.strptime(found["UNTIL"], "%Y%m%d")  # noqa: DTZ007 (the series' zone is added below)
                local = day.replace(hour=23, minute=59, second=59)
            except ValueError:
                raise InvalidInput("UNTIL must look like 20260630 or 20260630T235959Z", field=field) from None
        found["UNTIL"] = stamp(local.replace(tzinfo=zone))
    if "COUNT" not in found and "UNTIL" not in found:
        found["UNTIL"] = stamp(first_start + MAX_SERIES_SPAN)
    if "COUNT" in found and (not found["COUNT"].isdigit() or not 1 <= int(found["COUNT"]) <= MAX_COUNT):
        raise InvalidInput(f"COUNT must be from 1 to {MAX_COUNT}", field=field)
    normalized = join(found)
    try:
        _build(normalized, first_start, time_zone)
    except (ValueError, TypeError) as error:
        raise InvalidInput(f"not a valid RRULE: {error}", field=field) from None
    return normalized


def _build(rule: str, first_start: datetime, time_zone: str) -> rrule:
    built = rrulestr(rule, dtstart=first_start.astimezone(ZoneInfo(time_zone)), cache=False)
    assert isinstance(built, rrule)
    return built


def starts(
    rule: str, first_start: datetime, time_zone: str, *, after: datetime | None = None, before: datetime | None = None
) -> Iterator[datetime]:
    """The series' occurrence starts (UTC) from `after` (included) up to `before` (excluded), within two years
    of the first."""
    limit = first_start + MAX_SERIES_SPAN
    upper = limit if before is None else min(before, limit)
    for moment in _build(rule, first_start, time_zone).xafter(after or first_start, inc=True):
        if moment >= upper:
            return
        yield moment.astimezone(UTC)


def last_start(rule: str, first_start: datetime, time_zone: str) -> datetime | None:
    last = None
    for last in starts(rule, first_start, time_zone):  # noqa: B007 (the last one is what we want)
        pass
    return last


def is_occurrence(rule: str, first_start: datetime, time_zone: str, moment: datetime) -> bool:
    return next(starts(rule, first_start, time_zone, after=moment), None) == moment


def count_before(rule: str, first_start: datetime, time_zone: str, moment: datetime) -> int:
    return sum(1 for _ in starts(rule, first_start, time_zone, before=moment))


def occurrence_id(series_id: uuid.UUID, original_start: datetime) -> str:
    return f"{series_id}:{stamp(original_start)}"


def parse_occurrence_id(value: str, *, field: str = "id") -> tuple[uuid.UUID, datetime | None]:
    """`<uuid>` (an event or a whole series) or `<uuid>:<original start>` (one occurrence of a series)."""
    head, _, tail = value.partition(":")
    try:
        event_id = uuid.UUID(head)
        original = datetime.strptime(tail, _STAMP).replace(tzinfo=UTC) if tail else None
    except ValueError:
        raise InvalidInput(f"{field} is not an event or occurrence id", field=field) from None
    return event_id, original


def local_shift(moment: datetime, delta: timedelta, time_zone: str) -> datetime:
    """`moment` moved by `delta` of wall-clock time in the zone (so a day is a calendar day across DST)."""
    zone = ZoneInfo(time_zone)
    local = moment.astimezone(zone).replace(tzinfo=None) + delta
    return local.replace(tzinfo=zone).astimezone(UTC)


def shift_until(rule: str, delta: timedelta, time_zone: str) -> str:
    """A rule's UNTIL moved with its series, so a series moved later keeps its last occurrence (and one
    moved earlier gains none)."""
    found = parts(rule)
    if "UNTIL" not in found or not delta:
        return rule
    until = datetime.strptime(found["UNTIL"], _STAMP).replace(tzinfo=UTC)
    found["UNTIL"] = stamp(local_shift(until, delta, time_zone))
    return join(found)


def local_delta(old: datetime, new: datetime, time_zone: str) -> timedelta:
    zone = ZoneInfo(time_zone)
    return new.astimezone(zone).replace(tzinfo=None) - old.astimezone(zone).replace(tzinfo=None)
