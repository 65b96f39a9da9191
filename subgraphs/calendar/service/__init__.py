"""Domain rules of the club calendar. No GraphQL here: plain values in, models out.

A resource is never double-booked: the service names the clashing events before writing, and the
exclusion constraint `RESOURCE_OVERLAP` refuses the write when a concurrent booking got in between; both
end as the same CONFLICT. A person may be double-booked (a trainer with two teams): that is a warning
on the result, not an error.
"""

from subgraphs.calendar.service.availability import (
    TeamUnavailability,
    event_days,
    record_unavailability,
    team_availability,
    visible_to,
)
from subgraphs.calendar.service.common import MAX_WINDOW, aware, window
from subgraphs.calendar.service.conflicts import SchedulingWarning, clash_details, resource_conflict
from subgraphs.calendar.service.resources import (
    create_resource,
    get_resource,
    list_resources,
    update_resource,
)
from subgraphs.calendar.service.scheduling import (
    MAX_ATTENDEES,
    MAX_EVENT_LENGTH,
    EventResult,
    attendee_ids,
    cancel_event,
    create_event,
    event_times,
    get_event,
    invite,
    list_events,
    move_event,
    remove_attendee,
    resource_schedule,
    respond,
    update_event,
)

__all__ = [
    "MAX_ATTENDEES",
    "MAX_EVENT_LENGTH",
    "MAX_WINDOW",
    "EventResult",
    "SchedulingWarning",
    "TeamUnavailability",
    "attendee_ids",
    "aware",
    "cancel_event",
    "clash_details",
    "create_event",
    "create_resource",
    "event_days",
    "event_times",
    "get_event",
    "get_resource",
    "invite",
    "list_events",
    "list_resources",
    "move_event",
    "record_unavailability",
    "remove_attendee",
    "resource_conflict",
    "resource_schedule",
    "respond",
    "team_availability",
    "update_event",
    "update_resource",
    "visible_to",
    "window",
]
