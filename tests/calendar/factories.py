"""Keyword-only async factories for the calendar service, writing through its service layer."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from shared.auth.principal import Principal, Role
from shared.database.kernel import outbox_events
from subgraphs.calendar import service as calendar_service
from subgraphs.calendar.models import CalendarEventKind, CalendarResource, ResourceKind
from tests.support.principals import principal
from tests.support.services import RunningService

MONDAY = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
"""A fixed Monday afternoon the tests schedule around."""


def at(hours: float, *, day: int = 0) -> datetime:
    """MONDAY plus `day` days and `hours` hours."""
    return MONDAY + timedelta(days=day, hours=hours)


@dataclass
class Club:
    """A club as the calendar sees it: ids from other services are just UUIDs here."""

    organization_id: uuid.UUID
    senior: uuid.UUID
    junior: uuid.UUID
    admin: Principal
    coach: Principal
    equipment_manager: Principal
    player: Principal
    """A senior team player."""
    junior_player: Principal
    parent: Principal
    """A parent with no team of their own."""
    outsider: Principal
    """Another club's administrator."""


def make_club() -> Club:
    organization_id, senior, junior = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    return Club(
        organization_id=organization_id,
        senior=senior,
        junior=junior,
        admin=principal(Role.CLUB_ADMIN, organization_id=organization_id, teams=(senior, junior)),
        coach=principal(Role.COACH, organization_id=organization_id, teams=(senior,)),
        equipment_manager=principal(Role.EQUIPMENT_MANAGER, organization_id=organization_id),
        player=principal(Role.PLAYER, organization_id=organization_id, teams=(senior,), player_id=uuid.uuid4()),
        junior_player=principal(Role.PLAYER, organization_id=organization_id, teams=(junior,), player_id=uuid.uuid4()),
        parent=principal(Role.PARENT, organization_id=organization_id, children=(uuid.uuid4(),)),
        outsider=principal(Role.CLUB_ADMIN, organization_id=uuid.uuid4()),
    )


async def make_resource(
    calendar: RunningService,
    *,
    club: Club,
    name: str | None = None,
    kind: ResourceKind = ResourceKind.ICE_RINK,
    capacity: int | None = None,
) -> CalendarResource:
    async with calendar.runtime.sessions() as session, session.begin():
        return await calendar_service.create_resource(
            session,
            club.admin,
            name=name or f"Rink {uuid.uuid4().hex[:6]}",
            kind=kind,
            capacity=capacity,
            location="Lakeside Arena",
        )


async def make_event(
    calendar: RunningService,
    *,
    club: Club,
    starts_at: datetime = MONDAY,
    hours: float = 1.5,
    title: str = "Practice",
    kind: CalendarEventKind = CalendarEventKind.PRACTICE,
    team: uuid.UUID | None = None,
    resource: CalendarResource | None = None,
    attendees: Sequence[uuid.UUID] = (),
    by: Principal | None = None,
) -> calendar_service.EventResult:
    async with calendar.runtime.sessions() as session, session.begin():
        return await calendar_service.create_event(
            session,
            by or club.coach,
            kind=kind,
            title=title,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=hours),
            team_id=team,
            resource_id=resource.id if resource else None,
            attendee_user_ids=attendees,
        )


async def published(calendar: RunningService, *, type_prefix: str = "event.") -> list[tuple[str, dict[str, Any]]]:
    """(type, data) of the events the service wrote to its outbox, oldest first."""
    async with calendar.runtime.sessions() as session:
        rows = await session.execute(
            select(outbox_events.c.type, outbox_events.c.data)
            .where(outbox_events.c.type.startswith(type_prefix))
            .order_by(outbox_events.c.seq)
        )
        return [(row.type, row.data) for row in rows]
