"""Per-request DataLoaders of the calendar service: one SQL statement per batch."""

from __future__ import annotations

import uuid

from strawberry.dataloader import DataLoader

from shared.graphql import Ctx
from shared.graphql.loaders import many_per_key, one_per_key
from subgraphs.calendar import repository
from subgraphs.calendar.models import CalendarEvent, CalendarResource, EventAttendee


def resources(info: Ctx) -> DataLoader[uuid.UUID, CalendarResource | None]:
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[CalendarResource | None]:
        return one_per_key(await repository.resources_by_ids(session, ids), ids, lambda row: row.id)

    return info.context.loader("calendar.resources", load)


def events(info: Ctx) -> DataLoader[uuid.UUID, CalendarEvent | None]:
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[CalendarEvent | None]:
        return one_per_key(await repository.events_by_ids(session, ids), ids, lambda row: row.id)

    return info.context.loader("calendar.events", load)


def attendees_of_event(info: Ctx) -> DataLoader[uuid.UUID, list[EventAttendee]]:
    session = info.context.session

    async def load(event_ids: list[uuid.UUID]) -> list[list[EventAttendee]]:
        rows = await repository.attendees_of_events(session, event_ids)
        return many_per_key(rows, event_ids, lambda row: row.event_id)

    return info.context.loader("calendar.attendees_of_event", load)
