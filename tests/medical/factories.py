"""Keyword-only async factories for the medical service, writing through its service layer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from shared.auth.principal import Principal, Role
from shared.database import utcnow
from shared.database.kernel import outbox_events
from shared.roster import upsert_roster_entry
from subgraphs.medical import service
from subgraphs.medical.models import (
    AccessAction,
    BodyPart,
    HealthDataAccess,
    Injury,
    InjurySeverity,
    InjuryStatus,
    Restriction,
    RestrictionKind,
    Treatment,
    TreatmentKind,
)
from tests.support.principals import principal
from tests.support.services import RunningService

TODAY = date.today()  # noqa: DTZ011 (the service's calendar day)


@dataclass
class Club:
    """One club as the medical service sees it: a team, two players on the roster, and its people."""

    organization_id: uuid.UUID = field(default_factory=uuid.uuid4)
    team_id: uuid.UUID = field(default_factory=uuid.uuid4)
    adult_player_id: uuid.UUID = field(default_factory=uuid.uuid4)
    minor_player_id: uuid.UUID = field(default_factory=uuid.uuid4)

    def staff(self, role: Role) -> Principal:
        return principal(role, organization_id=self.organization_id, teams=[self.team_id])

    @property
    def medic(self) -> Principal:
        return self.staff(Role.MEDICAL_STAFF)

    def player(self, player_id: uuid.UUID) -> Principal:
        return principal(Role.PLAYER, organization_id=self.organization_id, teams=[self.team_id], player_id=player_id)

    def parent(self, child_id: uuid.UUID, *, minor: bool) -> Principal:
        return principal(
            Role.PARENT,
            organization_id=self.organization_id,
            children=[child_id],
            minor_children=[child_id] if minor else [],
        )


async def make_club(medical: RunningService) -> Club:
    club = Club()
    async with medical.runtime.sessions() as session, session.begin():
        for player_id in (club.adult_player_id, club.minor_player_id):
            await upsert_roster_entry(
                session,
                player_id=player_id,
                organization_id=club.organization_id,
                team_id=club.team_id,
                is_active=True,
                occurred_at=utcnow(),
            )
    return club


async def add_to_roster(
    medical: RunningService,
    *,
    player_id: uuid.UUID,
    organization_id: uuid.UUID,
    team_id: uuid.UUID | None = None,
) -> None:
    async with medical.runtime.sessions() as session, session.begin():
        await upsert_roster_entry(
            session,
            player_id=player_id,
            organization_id=organization_id,
            team_id=team_id,
            is_active=True,
            occurred_at=utcnow(),
        )


async def make_injury(
    medical: RunningService,
    *,
    by: Principal,
    player_id: uuid.UUID,
    body_part: BodyPart = BodyPart.KNEE,
    diagnosis: str = "MCL sprain, grade 2",
    severity: InjurySeverity = InjurySeverity.MODERATE,
    status: InjuryStatus = InjuryStatus.ACTIVE,
    days_ago: int = 5,
    notes: str | None = "Valgus stress test positive; no ACL laxity.",
) -> Injury:
    async with medical.runtime.sessions() as session, session.begin():
        return await service.record_injury(
            session,
            by,
            player_id=player_id,
            body_part=body_part,
            diagnosis=diagnosis,
            severity=severity,
            status=status,
            occurred_on=TODAY - timedelta(days=days_ago),
            expected_return_on=TODAY + timedelta(days=21),
            notes=notes,
        )


async def make_treatment(
    medical: RunningService, *, by: Principal, injury: Injury, notes: str = "Quad activation, bike 20 min."
) -> Treatment:
    async with medical.runtime.sessions() as session, session.begin():
        return await service.add_treatment(
            session,
            by,
            injury_id=injury.id,
            treated_on=injury.occurred_on + timedelta(days=1),
            kind=TreatmentKind.PHYSIOTHERAPY,
            provider="Club physio",
            notes=notes,
        )


async def make_restriction(
    medical: RunningService,
    *,
    by: Principal,
    player_id: uuid.UUID,
    kind: RestrictionKind = RestrictionKind.NO_CONTACT,
    body_part: BodyPart | None = BodyPart.KNEE,
    max_intensity_percent: int | None = 70,
    starts_on: date | None = None,
    ends_on: date | None = None,
    injury: Injury | None = None,
    reason: str | None = "Protect the healing MCL.",
) -> Restriction:
    async with medical.runtime.sessions() as session, session.begin():
        return await service.add_restriction(
            session,
            by,
            player_id=player_id,
            kind=kind,
            body_part=body_part,
            max_intensity_percent=max_intensity_percent,
            starts_on=starts_on or TODAY - timedelta(days=2),
            ends_on=ends_on if ends_on is not None else TODAY + timedelta(days=14),
            injury_id=injury.id if injury else None,
            reason=reason,
        )


async def access_log(
    medical: RunningService, action: AccessAction | None = AccessAction.READ
) -> list[HealthDataAccess]:
    """The access log's rows, oldest first: the reads unless another action (None: all) is asked for."""
    statement = select(HealthDataAccess).order_by(HealthDataAccess.occurred_at, HealthDataAccess.source)
    if action is not None:
        statement = statement.where(HealthDataAccess.action == action)
    async with medical.runtime.sessions() as session:
        return list(await session.scalars(statement))


async def outbox(medical: RunningService) -> list[dict[str, Any]]:
    """The events written so far, oldest first, as (type, data) dicts."""
    async with medical.runtime.sessions() as session:
        rows = await session.execute(select(outbox_events.c.type, outbox_events.c.data).order_by(outbox_events.c.seq))
        return [{"type": row.type, "data": row.data} for row in rows]
