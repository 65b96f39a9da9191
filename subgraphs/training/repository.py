"""All SQL of the training service.

Reads take the caller's organization (`None` only for the platform administrator, who sees every club).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import ColumnElement, delete, exists, func, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.training.models import (
    AssignmentStatus,
    Exercise,
    PlayerWorkout,
    TemplateOrder,
    TemplateVisibility,
    Workout,
    WorkoutAssignment,
    WorkoutKind,
    WorkoutTemplate,
)


def _in(organization_id: uuid.UUID | None, column: ColumnElement[uuid.UUID] | object) -> ColumnElement[bool]:
    if organization_id is None:
        return literal(True)
    return column == organization_id  # type: ignore[return-value]


def _overlapping(
    model: type[WorkoutAssignment] | type[PlayerWorkout], start: date | None, end: date | None
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if start is not None:
        conditions.append(model.ends_on >= start)
    if end is not None:
        conditions.append(model.starts_on <= end)
    return conditions


# Exercises ---------------------------------------------------------------------------------------------


async def exercise(session: AsyncSession, exercise_id: uuid.UUID) -> Exercise | None:
    return await session.get(Exercise, exercise_id)


async def exercises_by_ids(session: AsyncSession, exercise_ids: Sequence[uuid.UUID]) -> list[Exercise]:
    return list(await session.scalars(select(Exercise).where(Exercise.id.in_(exercise_ids))))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# Workouts and templates --------------------------------------------------------------------------------


async def workout(session: AsyncSession, workout_id: uuid.UUID, *, for_update: bool = False) -> Workout | None:
    statement = select(Workout).where(Workout.id == workout_id)
    if for_update:
        statement = statement.with_for_update()
    return (await session.scalars(statement)).first()


async def workouts_by_ids(session: AsyncSession, workout_ids: Sequence[uuid.UUID]) -> list[Workout]:
    return list(await session.scalars(select(Workout).where(Workout.id.in_(workout_ids))))


async def list_workouts(
    session: AsyncSession, *, organization_id: uuid.UUID | None, kind: WorkoutKind | None
) -> list[Workout]:
    statement = select(Workout).where(_in(organization_id, Workout.organization_id))
    if kind is not None:
        statement = statement.where(Workout.kind == kind)
    return list(await session.scalars(statement.order_by(func.lower(Workout.name), Workout.created_at)))


async def is_assigned_to_any(session: AsyncSession, workout_id: uuid.UUID, player_ids: Sequence[uuid.UUID]) -> bool:
    if not player_ids:
        return False
    found = await session.execute(
        select(exists().where(PlayerWorkout.workout_id == workout_id, PlayerWorkout.player_id.in_(player_ids)))
    )
    return bool(found.scalar())


async def template(session: AsyncSession, template_id: uuid.UUID) -> WorkoutTemplate | None:
    return await session.get(WorkoutTemplate, template_id)


_TEMPLATE_ORDER = {
    TemplateOrder.NAME: (func.lower(WorkoutTemplate.name), WorkoutTemplate.created_at),
    TemplateOrder.MOST_USED: (
        WorkoutTemplate.usage_count.desc(),
        WorkoutTemplate.last_used_at.desc().nulls_last(),
        func.lower(WorkoutTemplate.name),
    ),
    TemplateOrder.RECENTLY_USED: (
        WorkoutTemplate.last_used_at.desc().nulls_last(),
        func.lower(WorkoutTemplate.name),
    ),
}


async def templates_of_organization(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID | None,
    kind: WorkoutKind | None,
    visibility: TemplateVisibility | None = None,
    search: str | None = None,
    order: TemplateOrder = TemplateOrder.NAME,
) -> list[WorkoutTemplate]:
    statement = select(WorkoutTemplate).where(_in(organization_id, WorkoutTemplate.organization_id))
    if kind is not None:
        statement = statement.where(WorkoutTemplate.kind == kind)
    if visibility is not None:
        statement = statement.where(WorkoutTemplate.visibility == visibility)
    if search:
        pattern = f"%{_escape_like(search)}%"
        statement = statement.where(
            or_(
                WorkoutTemplate.name.ilike(pattern, escape="\\"),
                WorkoutTemplate.description.ilike(pattern, escape="\\"),
            )
        )
    return list(await session.scalars(statement.order_by(*_TEMPLATE_ORDER[order])))


async def template_used(session: AsyncSession, template_id: uuid.UUID, *, at: datetime) -> WorkoutTemplate | None:
    """Counts one more workout made from the template, atomically (concurrent uses all count)."""
    used = await session.scalars(
        update(WorkoutTemplate)
        .where(WorkoutTemplate.id == template_id)
        .values(usage_count=WorkoutTemplate.usage_count + 1, last_used_at=at)
        .returning(WorkoutTemplate)
        .execution_options(populate_existing=True)
    )
    return used.first()


async def delete_template(session: AsyncSession, template_id: uuid.UUID) -> bool:
    deleted = await session.execute(
        delete(WorkoutTemplate).where(WorkoutTemplate.id == template_id).returning(WorkoutTemplate.id)
    )
    return deleted.first() is not None


async def templates_by_ids(session: AsyncSession, template_ids: Sequence[uuid.UUID]) -> list[WorkoutTemplate]:
    return list(await session.scalars(select(WorkoutTemplate).where(WorkoutTemplate.id.in_(template_ids))))


# Assignments -------------------------------------------------------------------------------------------


async def assignment(session: AsyncSession, assignment_id: uuid.UUID) -> WorkoutAssignment | None:
    return await session.get(WorkoutAssignment, assignment_id)


async def assignments_by_ids(session: AsyncSession, assignment_ids: Sequence[uuid.UUID]) -> list[WorkoutAssignment]:
    return list(await session.scalars(select(WorkoutAssignment).where(WorkoutAssignment.id.in_(assignment_ids))))


async def list_assignments(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID | None,
    team_id: uuid.UUID | None,
    start: date | None,
    end: date | None,
    player_ids: Sequence[uuid.UUID] | None,
) -> list[WorkoutAssignment]:
    """Assignments overlapping [start, end]; with `player_ids`, only those that include one of them."""
    statement = select(WorkoutAssignment).where(
        _in(organization_id, WorkoutAssignment.organization_id),
        *_overlapping(WorkoutAssignment, start, end),
    )
    if team_id is not None:
        statement = statement.where(WorkoutAssignment.team_id == team_id)
    if player_ids is not None:
        statement = statement.where(
            exists().where(PlayerWorkout.assignment_id == WorkoutAssignment.id, PlayerWorkout.player_id.in_(player_ids))
        )
    return list(await session.scalars(statement.order_by(WorkoutAssignment.starts_on, WorkoutAssignment.created_at)))


async def player_workouts_of_assignments(
    session: AsyncSession, assignment_ids: Sequence[uuid.UUID]
) -> list[PlayerWorkout]:
    return list(
        await session.scalars(
            select(PlayerWorkout)
            .where(PlayerWorkout.assignment_id.in_(assignment_ids))
            .order_by(PlayerWorkout.player_id)
        )
    )


async def player_workouts_of_players(
    session: AsyncSession,
    player_ids: Sequence[uuid.UUID],
    *,
    organization_id: uuid.UUID | None,
    start: date | None,
    end: date | None,
    status: AssignmentStatus | None,
) -> list[PlayerWorkout]:
    statement = select(PlayerWorkout).where(
        PlayerWorkout.player_id.in_(player_ids),
        _in(organization_id, PlayerWorkout.organization_id),
        *_overlapping(PlayerWorkout, start, end),
    )
    if status is not None:
        statement = statement.where(PlayerWorkout.status == status)
    return list(await session.scalars(statement.order_by(PlayerWorkout.starts_on, PlayerWorkout.created_at)))


async def player_workout(session: AsyncSession, player_workout_id: uuid.UUID) -> PlayerWorkout | None:
    return await session.get(PlayerWorkout, player_workout_id)


async def player_workouts_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[PlayerWorkout]:
    return list(await session.scalars(select(PlayerWorkout).where(PlayerWorkout.id.in_(ids))))


async def complete_player_workout(
    session: AsyncSession,
    player_workout_id: uuid.UUID,
    *,
    completed_on: date,
    completed_at: datetime,
    rpe: int | None,
    minutes: int | None,
) -> PlayerWorkout | None:
    """Mark a not yet completed workout completed, atomically; None when it already was."""
    done = await session.scalars(
        update(PlayerWorkout)
        .where(PlayerWorkout.id == player_workout_id, PlayerWorkout.status != AssignmentStatus.COMPLETED)
        .values(
            status=AssignmentStatus.COMPLETED,
            completed_on=completed_on,
            completed_at=completed_at,
            rpe=rpe,
            minutes=minutes,
            skipped_reason=None,
            updated_at=completed_at,
        )
        .returning(PlayerWorkout)
        .execution_options(populate_existing=True)
    )
    return done.first()


async def skip_player_workout(
    session: AsyncSession, player_workout_id: uuid.UUID, *, reason: str | None, at: datetime
) -> PlayerWorkout | None:
    """Mark an assigned workout skipped, atomically; None when it was not in the ASSIGNED state."""
    skipped = await session.scalars(
        update(PlayerWorkout)
        .where(PlayerWorkout.id == player_workout_id, PlayerWorkout.status == AssignmentStatus.ASSIGNED)
        .values(status=AssignmentStatus.SKIPPED, skipped_reason=reason, updated_at=at)
        .returning(PlayerWorkout)
        .execution_options(populate_existing=True)
    )
    return skipped.first()


async def add(session: AsyncSession, *records: object) -> None:
    session.add_all(records)
    await session.flush()
