"""When attendees are reminded of an event: defaults by kind, overridable per event."""

from __future__ import annotations

from subgraphs.calendar.models import CalendarEvent, CalendarEventKind

DEFAULT_REMINDERS: dict[CalendarEventKind, tuple[int, ...]] = {
    CalendarEventKind.GAME: (120, 60, 15),
    CalendarEventKind.PRACTICE: (60, 15),
    CalendarEventKind.TRAINING: (60, 15),
    CalendarEventKind.MEETING: (60, 5),
    CalendarEventKind.MEDICAL: (1440, 60),
    CalendarEventKind.OTHER: (60,),
}
"""Minutes before the start, largest first."""


def reminder_minutes_of(event: CalendarEvent) -> list[int]:
    if event.reminder_minutes is not None:
        return list(event.reminder_minutes)
    return list(DEFAULT_REMINDERS[event.kind])
