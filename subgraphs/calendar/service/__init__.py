"""Domain rules of the club calendar. No GraphQL here: plain values in, models out.

A resource is never double-booked: bookings of one resource are checked under a lock on its row (its
buffer and every occurrence of a series counted), and the exclusion constraint `RESOURCE_OVERLAP` still
refuses single bookings that skip the check; both end as the same CONFLICT. A person may be
double-booked (a trainer with two teams): that is a warning on the result, not an error.
"""

from subgraphs.calendar.service.availability import (
    TeamUnavailability,
    event_days,
    record_unavailability,
    team_availability,
    visible_to,
)
from subgraphs.calendar.service.bookings import (
    ClashKind,
    ScheduleClash,
    decide_booking,
    pending_bookings,
    schedule_clashes,
)
from subgraphs.calendar.service.common import MAX_WINDOW, aware, window
from subgraphs.calendar.service.conflicts import SchedulingWarning, clash_details, resource_conflict
from subgraphs.calendar.service.event_rules import (
    MAX_ATTENDEES,
    MAX_EVENT_LENGTH,
    EventResult,
    attendee_ids,
    event_times,
)
from subgraphs.calendar.service.feeds import NewFeed, create_feed, export_csv, feed_ics, my_feeds, revoke_feed
from subgraphs.calendar.service.occurrences import Occurrence
from subgraphs.calendar.service.occurrences import of_row as occurrences_of_row
from subgraphs.calendar.service.participants import check_in, invite, remove_attendee, respond
from subgraphs.calendar.service.reminder_rules import DEFAULT_REMINDERS, reminder_minutes_of
from subgraphs.calendar.service.resources import (
    OpeningWindow,
    create_resource,
    get_resource,
    list_resources,
    opening_windows,
    update_resource,
)
from subgraphs.calendar.service.scheduling import (
    cancel_event,
    create_event,
    get_event,
    list_events,
    move_event,
    resource_schedule,
    update_event,
)
from subgraphs.calendar.service.settings import ClubCalendar, club_calendar, set_time_zone, time_zone_of
from subgraphs.calendar.service.targets import EditScope, teams_seen_by

__all__ = [
    "DEFAULT_REMINDERS",
    "MAX_ATTENDEES",
    "MAX_EVENT_LENGTH",
    "MAX_WINDOW",
    "ClashKind",
    "ClubCalendar",
    "EditScope",
    "EventResult",
    "NewFeed",
    "Occurrence",
    "OpeningWindow",
    "ScheduleClash",
    "SchedulingWarning",
    "TeamUnavailability",
    "attendee_ids",
    "aware",
    "cancel_event",
    "check_in",
    "clash_details",
    "club_calendar",
    "create_event",
    "create_feed",
    "create_resource",
    "decide_booking",
    "event_days",
    "event_times",
    "export_csv",
    "feed_ics",
    "get_event",
    "get_resource",
    "invite",
    "list_events",
    "list_resources",
    "move_event",
    "my_feeds",
    "occurrences_of_row",
    "opening_windows",
    "pending_bookings",
    "record_unavailability",
    "reminder_minutes_of",
    "remove_attendee",
    "resource_conflict",
    "resource_schedule",
    "respond",
    "revoke_feed",
    "schedule_clashes",
    "set_time_zone",
    "team_availability",
    "teams_seen_by",
    "time_zone_of",
    "update_event",
    "update_resource",
    "visible_to",
    "window",
]
