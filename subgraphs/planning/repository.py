"""All SQL of the planning service."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.planning.models import (
    DevelopmentGoal,
    GoalProgressUpdate,
    GoalStatus,
    PracticeDrill,
    PracticePlan,
    PracticePlanStatus,
    Season,
    SeasonPhase,
)

# Seasons -----------------------------------------------------------------------------------------------


async def season(
    session: AsyncSession, season_id: uuid.UUID, *, for_update: bool = False, for_share: bool = False
) -> Season | None:
    query = select(Season).where(Season.id == season_id)
    if for_update or for_share:
        query = query.with_for_update(read=not for_update)
    return (await session.scalars(query)).first()


async def seasons_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Season]:
    return list(await session.scalars(select(Season).where(Season.id.in_(ids))))


async def seasons_of_organization(session: AsyncSession, organization_id: uuid.UUID) -> list[Season]:
    return list(
        await session.scalars(
            select(Season).where(Season.organization_id == organization_id).order_by(Season.start_date.desc())
        )
    )


async def overlapping_seasons(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    start: date,
    end: date,
    exclude_id: uuid.UUID | None,
) -> list[Season]:
    query = select(Season).where(
        Season.organization_id == organization_id, Season.start_date <= end, Season.end_date >= start
    )
    if exclude_id is not None:
        query = query.where(Season.id != exclude_id)
    return list(await session.scalars(query.order_by(Season.start_date)))


async def phase(session: AsyncSession, phase_id: uuid.UUID) -> SeasonPhase | None:
    return await session.get(SeasonPhase, phase_id)


async def phases_of_seasons(session: AsyncSession, season_ids: Sequence[uuid.UUID]) -> list[SeasonPhase]:
    return list(
        await session.scalars(
            select(SeasonPhase).where(SeasonPhase.season_id.in_(season_ids)).order_by(SeasonPhase.start_date)
        )
    )


async def overlapping_phases(
    session: AsyncSession, *, season_id: uuid.UUID, start: date, end: date, exclude_id: uuid.UUID | None
) -> list[SeasonPhase]:
    """Phases of the season sharing a day with [start, end], as the exclusion constraint sees it."""
    query = select(SeasonPhase).where(
        SeasonPhase.season_id == season_id, SeasonPhase.start_date <= end, SeasonPhase.end_date >= start
    )
    if exclude_id is not None:
        query = query.where(SeasonPhase.id != exclude_id)
    return list(await session.scalars(query.order_by(SeasonPhase.start_date)))


async def phase_on(session: AsyncSession, *, organization_id: uuid.UUID, day: date) -> SeasonPhase | None:
    """The club's phase covering the day; seasons and phases never overlap, so there is at most one."""
    query = select(SeasonPhase).where(
        SeasonPhase.organization_id == organization_id,
        SeasonPhase.start_date <= day,
        SeasonPhase.end_date >= day,
    )
    return (await session.scalars(query.limit(1))).first()


# Practice plans ----------------------------------------------------------------------------------------


async def practice_plan(session: AsyncSession, plan_id: uuid.UUID, *, for_update: bool = False) -> PracticePlan | None:
    query = select(PracticePlan).where(PracticePlan.id == plan_id)
    if for_update:
        query = query.with_for_update()
    return (await session.scalars(query)).first()


async def practice_plans_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[PracticePlan]:
    return list(await session.scalars(select(PracticePlan).where(PracticePlan.id.in_(ids))))


async def practice_plans(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    team_id: uuid.UUID | None,
    start: date | None,
    end: date | None,
    status: PracticePlanStatus | None,
    limit: int,
) -> list[PracticePlan]:
    query = select(PracticePlan).where(PracticePlan.organization_id == organization_id)
    if team_id is not None:
        query = query.where(PracticePlan.team_id == team_id)
    if start is not None:
        query = query.where(PracticePlan.practice_date >= start)
    if end is not None:
        query = query.where(PracticePlan.practice_date <= end)
    if status is not None:
        query = query.where(PracticePlan.status == status)
    order = (PracticePlan.practice_date, PracticePlan.created_at)
    return list(await session.scalars(query.order_by(*order).limit(limit)))


async def drills_of_plans(session: AsyncSession, plan_ids: Sequence[uuid.UUID]) -> list[PracticeDrill]:
    return list(
        await session.scalars(
            select(PracticeDrill)
            .where(PracticeDrill.practice_plan_id.in_(plan_ids))
            .order_by(PracticeDrill.practice_plan_id, PracticeDrill.position)
        )
    )


async def remove_drills(session: AsyncSession, plan_id: uuid.UUID) -> None:
    await session.execute(delete(PracticeDrill).where(PracticeDrill.practice_plan_id == plan_id))


# Development goals -------------------------------------------------------------------------------------


async def goal(session: AsyncSession, goal_id: uuid.UUID, *, for_update: bool = False) -> DevelopmentGoal | None:
    query = select(DevelopmentGoal).where(DevelopmentGoal.id == goal_id)
    if for_update:
        query = query.with_for_update()
    return (await session.scalars(query)).first()


async def goals(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    team_id: uuid.UUID | None = None,
    player_ids: Sequence[uuid.UUID] | None = None,
    team_ids: Sequence[uuid.UUID] | None = None,
    status: GoalStatus | None = None,
) -> list[DevelopmentGoal]:
    """The club's goals, narrowed to a team, to some players and/or teams (whichever are given)."""
    query = select(DevelopmentGoal).where(DevelopmentGoal.organization_id == organization_id)
    if team_id is not None:
        query = query.where(DevelopmentGoal.team_id == team_id)
    if player_ids is not None or team_ids is not None:
        query = query.where(
            DevelopmentGoal.player_id.in_(list(player_ids or ())) | DevelopmentGoal.team_id.in_(list(team_ids or ()))
        )
    if status is not None:
        query = query.where(DevelopmentGoal.status == status)
    return list(await session.scalars(query.order_by(DevelopmentGoal.due_date.nulls_last(), DevelopmentGoal.title)))


async def goals_of_players(session: AsyncSession, player_ids: Sequence[uuid.UUID]) -> list[DevelopmentGoal]:
    return list(
        await session.scalars(
            select(DevelopmentGoal)
            .where(DevelopmentGoal.player_id.in_(player_ids))
            .order_by(DevelopmentGoal.due_date.nulls_last(), DevelopmentGoal.title)
        )
    )


async def progress_of_goals(session: AsyncSession, goal_ids: Sequence[uuid.UUID]) -> list[GoalProgressUpdate]:
    return list(
        await session.scalars(
            select(GoalProgressUpdate)
            .where(GoalProgressUpdate.goal_id.in_(goal_ids))
            .order_by(GoalProgressUpdate.goal_id, GoalProgressUpdate.recorded_on, GoalProgressUpdate.created_at)
        )
    )
