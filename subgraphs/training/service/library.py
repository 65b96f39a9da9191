"""The exercise library: every member of the club reads it; training staff edit it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.database import utcnow
from shared.database.integrity import flush
from shared.errors import Conflict, Forbidden, InvalidInput, not_found
from subgraphs.training import repository
from subgraphs.training.models import Exercise, ExerciseCategory, ExerciseUnit, MuscleGroup
from subgraphs.training.permissions import can_write_training
from subgraphs.training.service.common import organization_of, writing_organization

_EXERCISE_NAME_TAKEN = {
    "uq_exercises_organization_name": Conflict("the library already has an exercise of that name", field="name")
}


async def list_exercises(
    session: AsyncSession,
    actor: Principal,
    *,
    search: str | None = None,
    category: ExerciseCategory | None = None,
) -> list[Exercise]:
    """The club's library, for everyone in the club."""
    if search is not None:
        search = validation.optional_text(search, field="search", max_length=100)
    return await repository.search_exercises(
        session, organization_id=organization_of(actor), search=search, category=category
    )


def _exercise_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    checked: dict[str, Any] = {}
    if "name" in values:
        checked["name"] = validation.text(validation.required(values, "name"), field="name", max_length=120)
    for name in ("category", "unit"):
        if name in values:
            checked[name] = validation.required(values, name)
    if "muscle_groups" in values:
        checked["muscle_groups"] = sorted(set(values["muscle_groups"] or ()), key=list(MuscleGroup).index)
    if "equipment" in values:
        items = [validation.text(item, field="equipment", max_length=60) for item in values["equipment"] or ()]
        if len(items) > 10:
            raise InvalidInput("equipment may list at most 10 items", field="equipment")
        checked["equipment"] = list(dict.fromkeys(items))
    if "description" in values:
        checked["description"] = validation.optional_text(values["description"], field="description", max_length=2000)
    return checked


async def create_exercise(
    session: AsyncSession,
    actor: Principal,
    *,
    name: str,
    category: ExerciseCategory,
    unit: ExerciseUnit,
    muscle_groups: Sequence[MuscleGroup] = (),
    equipment: Sequence[str] = (),
    description: str | None = None,
) -> Exercise:
    organization = writing_organization(actor)
    exercise = Exercise(
        organization_id=organization,
        created_by=actor.user_id,
        **_exercise_fields(
            {
                "name": name,
                "category": category,
                "unit": unit,
                "muscle_groups": muscle_groups,
                "equipment": equipment,
                "description": description,
            }
        ),
    )
    session.add(exercise)
    await flush(session, violations=_EXERCISE_NAME_TAKEN)
    return exercise


async def update_exercise(
    session: AsyncSession, actor: Principal, exercise_id: uuid.UUID, changes: Mapping[str, Any]
) -> Exercise:
    exercise = await repository.exercise(session, exercise_id)
    if exercise is None or not actor.in_organization(exercise.organization_id):
        raise not_found("Exercise", exercise_id)
    if not can_write_training(actor, exercise.organization_id):
        raise Forbidden("only physical trainers, coaches and club administrators edit the library")
    for name, value in _exercise_fields(changes).items():
        setattr(exercise, name, value)
    exercise.updated_at = utcnow()
    await flush(session, violations=_EXERCISE_NAME_TAKEN)
    return exercise
