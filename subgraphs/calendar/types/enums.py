"""The calendar's enums as GraphQL sees them, registered once, before any type or input uses them."""

from __future__ import annotations

import strawberry

from subgraphs.calendar import models
from subgraphs.calendar.service.targets import EditScope

strawberry.enum(
    models.ResourceKind,
    name="ResourceKind",
    description="What a bookable resource is: an ice rink, a room, a gym, a vehicle...",
)
strawberry.enum(
    models.CalendarEventKind,
    name="CalendarEventKind",
    description="What happens at an event: practice, game, meeting, off-ice training, medical, other.",
)
strawberry.enum(
    models.CalendarEventStatus,
    name="CalendarEventStatus",
    description="Whether an event still takes place.",
)
strawberry.enum(
    models.UnavailabilityReason,
    name="UnavailabilityReason",
    description="Why a player is out: an injury or a rest order (the medical details stay with the medical service).",
)
strawberry.enum(
    models.AttendeeRole,
    name="AttendeeRole",
    description="Why someone is on an event: its organizer, required, optional, or staff.",
)
strawberry.enum(
    models.Visibility,
    name="EventVisibility",
    description="Who sees an event: the whole club (PUBLIC), staff, the team, its players' parents and the "
    "invited (TEAM), the organizer and the invited (PRIVATE), or the invited and holders of some roles (ROLES).",
)
strawberry.enum(
    models.BookingStatus,
    name="BookingStatus",
    description="An event's hold on its resource: pending approval, confirmed, or rejected (the resource is free).",
)
strawberry.enum(
    EditScope,
    name="EditScope",
    description="What a change to an occurrence of a series applies to: THIS occurrence, THIS_AND_FOLLOWING "
    "(the series is split there), or ALL of the series.",
)
strawberry.enum(
    models.RsvpStatus,
    name="RsvpStatus",
    description="An attendee's answer to an invitation.",
)
