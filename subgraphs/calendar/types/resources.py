"""GraphQL types of the club's bookable resources."""

from __future__ import annotations

from datetime import time

import strawberry

from shared.errors import not_found
from shared.graphql import Ctx, parse_id, to_id
from subgraphs.calendar import loaders, models, permissions, service
from subgraphs.calendar.types import enums  # noqa: F401 (registers the enums first)


@strawberry.type(description="Hours a resource is open on one weekday, in the club's time zone.")
class OpeningWindow:
    weekday: int = strawberry.field(description="0 Monday to 6 Sunday.")
    opens: time = strawberry.field(description="Opening time, local.")
    closes: time = strawberry.field(description="Closing time, local; 00:00 is midnight at the end of the day.")


@strawberry.federation.type(keys=["id"], description="Something events book: a rink, a room, a gym, a bus.")
class CalendarResource:
    id: strawberry.ID = strawberry.field(description="The resource's id.")
    name: str = strawberry.field(description="Unique within the club, e.g. Main Rink.")
    kind: models.ResourceKind = strawberry.field(description="What the resource is.")
    capacity: int | None = strawberry.field(
        description="How many people it holds, when that matters: an event booking it expects no more (its "
        "attendees but those who declined)."
    )
    location: str | None = strawberry.field(description="Where it is, e.g. the arena's address.")
    is_active: bool = strawberry.field(description="False once retired: it can no longer be booked.")
    buffer_minutes: int = strawberry.field(
        description="Kept free before and after every booking (ice resurfacing, cleaning)."
    )
    opening_hours: list[OpeningWindow] | None = strawberry.field(
        description="When it can be booked, in the club's time zone; null means always."
    )
    requires_approval: bool = strawberry.field(
        description="Bookings stay pending until a club administrator or the equipment manager approves them."
    )

    @classmethod
    def from_row(cls, row: models.CalendarResource) -> CalendarResource:
        windows = service.opening_windows(row)
        return cls(
            id=to_id(row.id),
            name=row.name,
            kind=row.kind,
            capacity=row.capacity,
            location=row.location,
            is_active=row.is_active,
            buffer_minutes=row.buffer_minutes,
            opening_hours=None
            if windows is None
            else [OpeningWindow(weekday=w.weekday, opens=w.opens, closes=w.closes) for w in windows],
            requires_approval=row.requires_approval,
        )

    @classmethod
    async def resolve_reference(cls, info: Ctx, id: strawberry.ID) -> CalendarResource:
        row = await loaders.resources(info).load(parse_id(id))
        if row is None or not permissions.can_view_resources(info.context.principal, row.organization_id):
            raise not_found("CalendarResource", id)
        return cls.from_row(row)
