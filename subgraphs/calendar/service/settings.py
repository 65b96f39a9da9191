"""A club's calendar settings: the time zone its series repeat in.

The user service does not publish a club's zone, so the calendar keeps its own setting per club,
Europe/Stockholm until a club administrator chooses another. A series keeps the zone it was created
in, so changing the setting never moves existing practices.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal, Role
from shared.errors import Forbidden
from subgraphs.calendar import repository
from subgraphs.calendar.models import DEFAULT_TIME_ZONE
from subgraphs.calendar.service.common import acting_organization


@dataclass(frozen=True, slots=True)
class ClubCalendar:
    organization_id: uuid.UUID
    time_zone: str


async def time_zone_of(session: AsyncSession, organization_id: uuid.UUID) -> str:
    found = await repository.settings_of(session, organization_id)
    return found.time_zone if found else DEFAULT_TIME_ZONE


async def club_calendar(
    session: AsyncSession, actor: Principal, *, organization_id: uuid.UUID | None = None
) -> ClubCalendar:
    organization = acting_organization(actor, organization_id)
    return ClubCalendar(organization, await time_zone_of(session, organization))


async def set_time_zone(
    session: AsyncSession, actor: Principal, *, time_zone: str, organization_id: uuid.UUID | None = None
) -> ClubCalendar:
    organization = acting_organization(actor, organization_id)
    if not (actor.is_platform_admin or (actor.in_organization(organization) and actor.has_role(Role.CLUB_ADMIN))):
        raise Forbidden("only a club administrator sets the club's time zone")
    saved = await repository.save_settings(
        session, organization, time_zone=validation.time_zone(time_zone, field="timeZone")
    )
    return ClubCalendar(organization, saved.time_zone)
