"""GraphQL types of the calendar service; each wraps a model and shows what the caller may see."""

from subgraphs.calendar.types.club import CalendarFeed, ClubCalendarSettings, NewCalendarFeed, ScheduleClash
from subgraphs.calendar.types.events import (
    CalendarEvent,
    CalendarEventResult,
    EventAttendee,
    PlayerReference,
    PlayerUnavailability,
    SchedulingClash,
    SchedulingWarning,
)
from subgraphs.calendar.types.resources import CalendarResource, OpeningWindow

__all__ = [
    "CalendarEvent",
    "CalendarEventResult",
    "CalendarFeed",
    "CalendarResource",
    "ClubCalendarSettings",
    "EventAttendee",
    "NewCalendarFeed",
    "OpeningWindow",
    "PlayerReference",
    "PlayerUnavailability",
    "ScheduleClash",
    "SchedulingClash",
    "SchedulingWarning",
]
