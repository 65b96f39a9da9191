"""Keyword-only async factories for planning, writing through its service layer."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from shared.auth.principal import Principal, Role
from shared.database.kernel import outbox_events
from shared.roster import upsert_roster_entry
from subgraphs.planning import service as planning_service
from subgraphs.planning.models import (
    DevelopmentGoal,
    Drill,
    DrillCategory,
    DrillDifficulty,
    GamePlan,
    PracticePlan,
    Season,
    SeasonPhase,
    SeasonPhaseKind,
)
from tests.support.principals import principal
from tests.support.services import RunningService


@dataclass
class Club:
    """A club as planning sees it: ids from other services are just UUIDs here."""

    organization_id: uuid.UUID
    senior: uuid.UUID
    junior: uuid.UUID
    admin: Principal
    coach: Principal
    """The senior team's head coach."""
    junior_coach: Principal
    trainer: Principal
    player: Principal
    """A senior player."""
    player_id: uuid.UUID
    teammate: Principal
    parent: Principal
    """The parent of `child_id`, a junior player."""
    child_id: uuid.UUID
    outsider: Principal


def make_club() -> Club:
    organization_id, senior, junior = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    player_id, teammate_id, child_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    return Club(
        organization_id=organization_id,
        senior=senior,
        junior=junior,
        admin=principal(Role.CLUB_ADMIN, organization_id=organization_id, teams=(senior, junior)),
        coach=principal(Role.COACH, organization_id=organization_id, teams=(senior,)),
        junior_coach=principal(Role.COACH, organization_id=organization_id, teams=(junior,)),
        trainer=principal(Role.PHYSICAL_TRAINER, organization_id=organization_id, teams=(senior, junior)),
        player=principal(Role.PLAYER, organization_id=organization_id, teams=(senior,), player_id=player_id),
        player_id=player_id,
        teammate=principal(Role.PLAYER, organization_id=organization_id, teams=(senior,), player_id=teammate_id),
        parent=principal(Role.PARENT, organization_id=organization_id, children=(child_id,)),
        child_id=child_id,
        outsider=principal(Role.CLUB_ADMIN, organization_id=uuid.uuid4()),
    )


async def make_season(
    planning: RunningService,
    *,
    club: Club,
    start: date = date(2025, 7, 1),
    end: date = date(2026, 6, 30),
    name: str | None = None,
) -> Season:
    async with planning.runtime.sessions() as session, session.begin():
        return await planning_service.create_season(
            session,
            club.admin,
            name=name or f"{start.year}-{str(end.year)[2:]}",
            start_date=start,
            end_date=end,
        )


async def make_phase(
    planning: RunningService,
    *,
    club: Club,
    season: Season,
    kind: SeasonPhaseKind,
    start: date,
    end: date,
) -> SeasonPhase:
    async with planning.runtime.sessions() as session, session.begin():
        return await planning_service.add_phase(
            session, club.coach, season_id=season.id, kind=kind, start_date=start, end_date=end
        )


DEFAULT_DRILLS = (
    planning_service.DrillSpec("Dynamic warm-up", 10, "Edges and crossovers.", DrillCategory.SKATING),
    planning_service.DrillSpec("Breakout 5-on-0", 15, None, DrillCategory.TEAM_SYSTEMS),
    planning_service.DrillSpec("3-on-2 rushes", 20, None, DrillCategory.SMALL_AREA_GAMES),
)


async def make_practice_plan(
    planning: RunningService,
    *,
    club: Club,
    team: uuid.UUID | None = None,
    day: date = date(2026, 3, 2),
    duration: int = 60,
    drills: Sequence[planning_service.DrillSpec] = DEFAULT_DRILLS,
    title: str = "Tuesday practice",
    by: Principal | None = None,
) -> PracticePlan:
    async with planning.runtime.sessions() as session, session.begin():
        return await planning_service.create_practice_plan(
            session,
            by or club.admin,
            team_id=team or club.senior,
            title=title,
            date=day,
            duration_minutes=duration,
            drills=drills,
        )


async def make_goal(
    planning: RunningService,
    *,
    club: Club,
    player: uuid.UUID | None = None,
    team: uuid.UUID | None = None,
    title: str = "Faceoffs",
    start: float = 45,
    target: float = 55,
    current: float | None = None,
) -> DevelopmentGoal:
    async with planning.runtime.sessions() as session, session.begin():
        return await planning_service.create_goal(
            session,
            club.coach,
            title=title,
            metric="Faceoff win rate",
            unit="%",
            start_value=start,
            target_value=target,
            current_value=current,
            player_id=player,
            team_id=team,
        )


async def published(planning: RunningService, *, type_prefix: str) -> list[tuple[str, dict[str, Any]]]:
    """(type, data) of the events the service wrote to its outbox, oldest first."""
    async with planning.runtime.sessions() as session:
        rows = await session.execute(
            select(outbox_events.c.type, outbox_events.c.data)
            .where(outbox_events.c.type.startswith(type_prefix))
            .order_by(outbox_events.c.seq)
        )
        return [(row.type, row.data) for row in rows]


async def put_on_roster(
    planning: RunningService, *, club: Club, team: uuid.UUID, players: Sequence[uuid.UUID], active: bool = True
) -> None:
    """The roster copy as the user service's player events would leave it."""
    async with planning.runtime.sessions() as session, session.begin():
        for number, player_id in enumerate(players):
            await upsert_roster_entry(
                session,
                player_id=player_id,
                organization_id=club.organization_id,
                team_id=team,
                first_name="Player",
                last_name=str(number),
                is_active=active,
                occurred_at=datetime.now(UTC),
            )


async def make_drill(
    planning: RunningService,
    *,
    club: Club,
    name: str = "Breakout 5-on-0",
    minutes: int = 15,
    category: DrillCategory = DrillCategory.TEAM_SYSTEMS,
) -> Drill:
    async with planning.runtime.sessions() as session, session.begin():
        return await planning_service.create_drill(
            session,
            club.coach,
            name=name,
            category=category,
            difficulty=DrillDifficulty.INTERMEDIATE,
            players_needed=5,
            duration_minutes=minutes,
        )


async def make_game_plan(
    planning: RunningService, *, club: Club, team: uuid.UUID | None = None, day: date = date(2026, 3, 7)
) -> GamePlan:
    async with planning.runtime.sessions() as session, session.begin():
        return await planning_service.create_game_plan(
            session,
            club.admin,
            team_id=team or club.senior,
            game_id=uuid.uuid4(),
            game_date=day,
            opponent="Northside Wolves",
        )
