"""Input checks every service uses; each failure is BAD_USER_INPUT naming the field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.errors import InvalidInput

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def camel(name: str) -> str:
    """A Python attribute name as the API spells it: birth_date -> birthDate."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def required(values: Mapping[str, Any], name: str) -> Any:
    """A changed value that may not be cleared to null."""
    value = values[name]
    if value is None:
        raise InvalidInput(f"{camel(name)} cannot be cleared", field=camel(name))
    return value


def text(value: str, *, field: str, max_length: int, min_length: int = 1) -> str:
    cleaned = value.strip()
    if len(cleaned) < min_length:
        raise InvalidInput(f"{field} must not be empty", field=field)
    if len(cleaned) > max_length:
        raise InvalidInput(f"{field} must be at most {max_length} characters", field=field)
    return cleaned


def optional_text(value: str | None, *, field: str, max_length: int) -> str | None:
    if value is None or not value.strip():
        return None
    return text(value, field=field, max_length=max_length)


def email(value: str, *, field: str = "email") -> str:
    cleaned = value.strip().lower()
    if len(cleaned) > 254 or not _EMAIL.match(cleaned):
        raise InvalidInput(f"{field} is not a valid email address", field=field)
    return cleaned


def integer(value: int, *, field: str, minimum: int | None = None, maximum: int | None = None) -> int:
    if minimum is not None and value < minimum:
        raise InvalidInput(f"{field} must be at least {minimum}", field=field)
    if maximum is not None and value > maximum:
        raise InvalidInput(f"{field} must be at most {maximum}", field=field)
    return value


def number(value: float, *, field: str, minimum: float | None = None, maximum: float | None = None) -> float:
    if minimum is not None and value < minimum:
        raise InvalidInput(f"{field} must be at least {minimum}", field=field)
    if maximum is not None and value > maximum:
        raise InvalidInput(f"{field} must be at most {maximum}", field=field)
    return value


def past_date(value: date, *, field: str, earliest: date = date(1900, 1, 1)) -> date:
    if value > date.today() or value < earliest:  # noqa: DTZ011 (calendar dates, not instants)
        raise InvalidInput(f"{field} must be a date between {earliest} and today", field=field)
    return value


def date_range(start: date, end: date | None, *, field: str = "endDate") -> None:
    if end is not None and end < start:
        raise InvalidInput(f"{field} must not be before the start", field=field)


def time_range(start: datetime, end: datetime, *, field: str = "endsAt") -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidInput("times must carry a time zone offset", field=field)
    if end <= start:
        raise InvalidInput(f"{field} must be after the start", field=field)


def time_zone(value: str, *, field: str = "timeZone") -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"{field} is not an IANA time zone such as Europe/Stockholm", field=field) from None
    return value


def color(value: str | None, *, field: str) -> str | None:
    if value is None:
        return None
    if not _COLOR.match(value):
        raise InvalidInput(f"{field} must be a colour like #1A2B3C", field=field)
    return value.upper()
