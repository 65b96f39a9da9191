"""SQL of the exercise library: filtered and ordered search, and each exercise's alternatives."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import Boolean, ColumnElement, cast, delete, exists, func, literal, or_, select
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.training.models import (
    Exercise,
    ExerciseAlternative,
    ExerciseCategory,
    ExerciseOrder,
    ExerciseUnit,
    MuscleGroup,
)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_ORDER = {
    ExerciseOrder.CATEGORY: (Exercise.category, func.lower(Exercise.name), Exercise.id),
    ExerciseOrder.NAME: (func.lower(Exercise.name), Exercise.id),
    ExerciseOrder.NEWEST: (Exercise.created_at.desc(), Exercise.id),
}


async def locked_exercise(session: AsyncSession, exercise_id: uuid.UUID) -> Exercise | None:
    """The exercise, locked: changes to one exercise (its alternatives are rewritten whole) are serialized."""
    return (await session.scalars(select(Exercise).where(Exercise.id == exercise_id).with_for_update())).first()


async def search_exercises(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID | None,
    search: str | None = None,
    category: ExerciseCategory | None = None,
    muscle_groups: Sequence[MuscleGroup] = (),
    equipment: Sequence[str] = (),
    unit: ExerciseUnit | None = None,
    order: ExerciseOrder = ExerciseOrder.CATEGORY,
    limit: int = 100,
    offset: int = 0,
) -> list[Exercise]:
    """The library's exercises that match every filter given; `muscle_groups` and `equipment` match any
    of theirs (equipment without regard to case)."""
    conditions: list[ColumnElement[bool]] = []
    if organization_id is not None:
        conditions.append(Exercise.organization_id == organization_id)
    if search:
        pattern = f"%{_escape_like(search)}%"
        conditions.append(
            or_(Exercise.name.ilike(pattern, escape="\\"), Exercise.description.ilike(pattern, escape="\\"))
        )
    if category is not None:
        conditions.append(Exercise.category == category)
    if unit is not None:
        conditions.append(Exercise.unit == unit)
    if muscle_groups:
        wanted = cast(array([one.value for one in muscle_groups]), Exercise.muscle_groups.type)
        conditions.append(Exercise.muscle_groups.op("&&", return_type=Boolean)(wanted))
    if equipment:
        item = func.unnest(Exercise.equipment).table_valued("item").alias("item")
        wanted_items = [one.lower() for one in equipment]
        conditions.append(exists(select(literal(1)).select_from(item).where(func.lower(item.c.item).in_(wanted_items))))
    statement = select(Exercise).where(*conditions).order_by(*_ORDER[order]).limit(limit).offset(offset)
    return list(await session.scalars(statement))


async def alternatives_of(session: AsyncSession, exercise_ids: Sequence[uuid.UUID]) -> list[tuple[uuid.UUID, Exercise]]:
    """(exercise id, alternative) of each of the exercises, in order of preference."""
    if not exercise_ids:
        return []
    rows = await session.execute(
        select(ExerciseAlternative.exercise_id, Exercise)
        .join(Exercise, Exercise.id == ExerciseAlternative.alternative_id)
        .where(ExerciseAlternative.exercise_id.in_(exercise_ids))
        .order_by(ExerciseAlternative.exercise_id, ExerciseAlternative.position)
    )
    return [(row[0], row[1]) for row in rows]


async def replace_alternatives(
    session: AsyncSession, exercise_id: uuid.UUID, alternative_ids: Sequence[uuid.UUID]
) -> None:
    await session.execute(delete(ExerciseAlternative).where(ExerciseAlternative.exercise_id == exercise_id))
    session.add_all(
        ExerciseAlternative(exercise_id=exercise_id, alternative_id=alternative, position=position)
        for position, alternative in enumerate(alternative_ids)
    )
    await session.flush()
