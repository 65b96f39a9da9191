"""Per-request DataLoaders of the calendar service: one SQL statement per batch."""

from __future__ import annotations

import uuid
from datetime import date

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


TeamDays = tuple[uuid.UUID, uuid.UUID, date, date]
"""(organization, team, first day, last day): whose unavailability an event shows."""


def unavailability_of_team_days(info: Ctx) -> DataLoader[TeamDays, list[repository.TeamUnavailability]]:
    """One statement per club in the batch (a request sees one club), spanning all the batch's days."""
    session = info.context.session

    async def load(keys: list[TeamDays]) -> list[list[repository.TeamUnavailability]]:
        found: dict[uuid.UUID, list[repository.TeamUnavailability]] = {}
        for organization_id in dict.fromkeys(key[0] for key in keys):
            mine = [key for key in keys if key[0] == organization_id]
            found[organization_id] = await repository.unavailability_of_teams(
                session,
                organization_id,
                {key[1] for key in mine},
                first=min(key[2] for key in mine),
                last=max(key[3] for key in mine),
            )
        return [
            [
                entry
                for entry in found[organization_id]
                if entry.team_id == team_id
                and entry.unavailability.starts_on <= last
                and (entry.unavailability.available_from is None or entry.unavailability.available_from > first)
            ]
            for organization_id, team_id, first, last in keys
        ]

    return info.context.loader("calendar.unavailability_of_team_days", load)
