"""The organization settings the platform knows: each with its type, default and rules.

A setting is stored only once an organization changes it; reads fill in the defaults, so adding a
setting here needs no migration and no backfill.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from shared.errors import InvalidInput


class SettingType(StrEnum):
    INTEGER = "integer"
    STRING = "string"
    CHOICE = "choice"
    BOOLEAN = "boolean"


@dataclass(frozen=True, slots=True)
class SettingDefinition:
    key: str
    description: str
    type: SettingType
    default: Any
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()
    pattern: re.Pattern[str] | None = field(default=None)
    pattern_hint: str | None = None

    def validate(self, value: Any, *, field: str = "value") -> Any:
        """The value as stored, or BAD_USER_INPUT saying what this setting accepts."""
        match self.type:
            case SettingType.INTEGER:
                # JSON has one number type; bool is an int in Python but not a number in JSON.
                if isinstance(value, bool) or not isinstance(value, int):
                    raise InvalidInput(f"{self.key} is a whole number", field=field)
                if (self.minimum is not None and value < self.minimum) or (
                    self.maximum is not None and value > self.maximum
                ):
                    raise InvalidInput(f"{self.key} must be between {self.minimum} and {self.maximum}", field=field)
                return value
            case SettingType.BOOLEAN:
                if not isinstance(value, bool):
                    raise InvalidInput(f"{self.key} is true or false", field=field)
                return value
            case SettingType.CHOICE:
                if not isinstance(value, str) or value.strip().lower() not in self.choices:
                    raise InvalidInput(f"{self.key} is one of: {', '.join(self.choices)}", field=field)
                return value.strip().lower()
            case SettingType.STRING:
                if not isinstance(value, str) or not value.strip():
                    raise InvalidInput(f"{self.key} is a non-empty text", field=field)
                text = value.strip()
                if self.pattern is not None and not self.pattern.fullmatch(text):
                    raise InvalidInput(f"{self.key} must look like {self.pattern_hint}", field=field)
                return text


SETTINGS: dict[str, SettingDefinition] = {
    definition.key: definition
    for definition in (
        SettingDefinition(
            "season_start_month",
            "The month (1-12) the club's season starts; season plans and statistics begin on its first day.",
            SettingType.INTEGER,
            default=8,
            minimum=1,
            maximum=12,
        ),
        SettingDefinition(
            "default_practice_minutes",
            "How long a new practice lasts unless the coach says otherwise, in minutes.",
            SettingType.INTEGER,
            default=90,
            minimum=15,
            maximum=240,
        ),
        SettingDefinition(
            "locale",
            "Language and region for texts, dates and numbers, as a BCP 47 tag such as sv-SE.",
            SettingType.STRING,
            default="en-US",
            pattern=re.compile(r"[a-z]{2,3}(-[A-Z]{2})?"),
            pattern_hint="a language tag such as en-US or sv-SE",
        ),
        SettingDefinition(
            "week_start_day",
            "The first day of the week in calendars and weekly training plans.",
            SettingType.CHOICE,
            default="monday",
            choices=("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        ),
        SettingDefinition(
            "time_format",
            "Clock times as 24-hour (18:30) or 12-hour (6:30 PM).",
            SettingType.CHOICE,
            default="24h",
            choices=("24h", "12h"),
        ),
        SettingDefinition(
            "measurement_system",
            "Units for heights, weights and distances.",
            SettingType.CHOICE,
            default="metric",
            choices=("metric", "imperial"),
        ),
        SettingDefinition(
            "wellness_reminders",
            "Remind players each morning to fill in the wellness form.",
            SettingType.BOOLEAN,
            default=True,
        ),
    )
}


def definition(key: str, *, field: str = "key") -> SettingDefinition:
    found = SETTINGS.get(key.strip())
    if found is None:
        raise InvalidInput(f"there is no setting {key!r}; known settings: {', '.join(SETTINGS)}", field=field)
    return found
