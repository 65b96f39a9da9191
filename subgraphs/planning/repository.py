"""All SQL of the planning service."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.planning.models import (
    DevelopmentGoal,
    Drill,
    DrillCategory,
    DrillDifficulty,
    DrillRating,
    GamePlan,
    GoalProgressUpdate,
    GoalStatus,
    LineType,
    LineupSlot,
    PhaseBlock,
    PracticeDrill,
    PracticeParticipant,
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


async def phase(
    session: AsyncSession, phase_id: uuid.UUID, *, for_update: bool = False, for_share: bool = False
) -> SeasonPhase | None:
    query = select(SeasonPhase).where(SeasonPhase.id == phase_id)
    if for_update or for_share:
        query = query.with_for_update(read=not for_update)
    return (await session.scalars(query)).first()


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


# Blocks ------------------------------------------------------------------------------------------------


async def block(session: AsyncSession, block_id: uuid.UUID) -> PhaseBlock | None:
    return await session.get(PhaseBlock, block_id)


async def blocks_of_phases(session: AsyncSession, phase_ids: Sequence[uuid.UUID]) -> list[PhaseBlock]:
    return list(
        await session.scalars(
            select(PhaseBlock).where(PhaseBlock.phase_id.in_(phase_ids)).order_by(PhaseBlock.start_date)
        )
    )


async def overlapping_blocks(
    session: AsyncSession, *, phase_id: uuid.UUID, start: date, end: date, exclude_id: uuid.UUID | None
) -> list[PhaseBlock]:
    query = select(PhaseBlock).where(
        PhaseBlock.phase_id == phase_id, PhaseBlock.start_date <= end, PhaseBlock.end_date >= start
    )
    if exclude_id is not None:
        query = query.where(PhaseBlock.id != exclude_id)
    return list(await session.scalars(query.order_by(PhaseBlock.start_date)))


async def block_on(session: AsyncSession, *, phase_id: uuid.UUID, day: date) -> PhaseBlock | None:
    query = select(PhaseBlock).where(
        PhaseBlock.phase_id == phase_id, PhaseBlock.start_date <= day, PhaseBlock.end_date >= day
    )
    return (await session.scalars(query.limit(1))).first()


# Drill library -----------------------------------------------------------------------------------------


async def drill(session: AsyncSession, drill_id: uuid.UUID) -> Drill | None:
    return await session.get(Drill, drill_id)


async def drills_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Drill]:
    return list(await session.scalars(select(Drill).where(Drill.id.in_(ids))))


async def drill_library(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    category: DrillCategory | None,
    difficulty: DrillDifficulty | None,
    search: str | None,
    limit: int,
) -> list[Drill]:
    query = select(Drill).where(Drill.organization_id == organization_id)
    if category is not None:
        query = query.where(Drill.category == category)
    if difficulty is not None:
        query = query.where(Drill.difficulty == difficulty)
    if search:
        escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(Drill.name.ilike(f"%{escaped}%"))
    return list(await session.scalars(query.order_by(Drill.name).limit(limit)))


async def rate_drill(
    session: AsyncSession, *, drill_id: uuid.UUID, user_id: uuid.UUID, stars: int, comment: str | None
) -> None:
    """One rating per coach and drill: rating again replaces it, atomically."""
    statement = insert(DrillRating).values(
        id=uuid.uuid4(), drill_id=drill_id, user_id=user_id, stars=stars, comment=comment
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[DrillRating.drill_id, DrillRating.user_id],
            set_={"stars": statement.excluded.stars, "comment": statement.excluded.comment, "updated_at": func.now()},
        )
    )


async def rating_summaries(session: AsyncSession, drill_ids: Sequence[uuid.UUID]) -> list[tuple[uuid.UUID, float, int]]:
    """(drill, average stars, number of ratings) of each rated drill."""
    rows = await session.execute(
        select(DrillRating.drill_id, func.avg(DrillRating.stars), func.count())
        .where(DrillRating.drill_id.in_(drill_ids))
        .group_by(DrillRating.drill_id)
    )
    return [(drill_id, float(average), count) for drill_id, average, count in rows.all()]


async def ratings_of_drills(session: AsyncSession, drill_ids: Sequence[uuid.UUID]) -> list[DrillRating]:
    return list(
        await session.scalars(
            select(DrillRating)
            .where(DrillRating.drill_id.in_(drill_ids))
            .order_by(DrillRating.drill_id, DrillRating.updated_at.desc())
        )
    )


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


async def participants_of_plans(session: AsyncSession, plan_ids: Sequence[uuid.UUID]) -> list[PracticeParticipant]:
    return list(
        await session.scalars(
            select(PracticeParticipant)
            .where(PracticeParticipant.practice_plan_id.in_(plan_ids))
            .order_by(PracticeParticipant.practice_plan_id, PracticeParticipant.player_id)
        )
    )


async def participant(session: AsyncSession, *, plan_id: uuid.UUID, player_id: uuid.UUID) -> PracticeParticipant | None:
    query = select(PracticeParticipant).where(
        PracticeParticipant.practice_plan_id == plan_id, PracticeParticipant.player_id == player_id
    )
    return (await session.scalars(query)).first()


# Game plans --------------------------------------------------------------------------------------------


async def game_plan(session: AsyncSession, game_plan_id: uuid.UUID, *, for_update: bool = False) -> GamePlan | None:
    query = select(GamePlan).where(GamePlan.id == game_plan_id)
    if for_update:
        query = query.with_for_update()
    return (await session.scalars(query)).first()


async def game_plans_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[GamePlan]:
    return list(await session.scalars(select(GamePlan).where(GamePlan.id.in_(ids))))


async def game_plans(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    team_ids: Sequence[uuid.UUID] | None,
    start: date | None,
    end: date | None,
    limit: int,
) -> list[GamePlan]:
    """The club's game plans by game date, narrowed to some teams when `team_ids` is given."""
    query = select(GamePlan).where(GamePlan.organization_id == organization_id)
    if team_ids is not None:
        query = query.where(GamePlan.team_id.in_(list(team_ids)))
    if start is not None:
        query = query.where(GamePlan.game_date >= start)
    if end is not None:
        query = query.where(GamePlan.game_date <= end)
    return list(await session.scalars(query.order_by(GamePlan.game_date, GamePlan.created_at).limit(limit)))


async def slots_of_game_plans(session: AsyncSession, game_plan_ids: Sequence[uuid.UUID]) -> list[LineupSlot]:
    return list(
        await session.scalars(
            select(LineupSlot)
            .where(LineupSlot.game_plan_id.in_(game_plan_ids))
            .order_by(
                LineupSlot.game_plan_id, LineupSlot.line_type, LineupSlot.group, LineupSlot.unit, LineupSlot.position
            )
        )
    )


async def remove_slots(session: AsyncSession, *, game_plan_id: uuid.UUID, line_type: LineType) -> None:
    await session.execute(
        delete(LineupSlot).where(LineupSlot.game_plan_id == game_plan_id, LineupSlot.line_type == line_type)
    )


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
