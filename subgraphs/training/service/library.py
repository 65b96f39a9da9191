"""The exercise library: every member of the club reads it; training staff edit it.

An exercise carries what a prescription of it starts from (defaults: only the measures its unit has), one
structured progression rule with free text, and alternatives: other exercises of the same club a trainer
may swap in, e.g. when a player's restriction forbids the exercise.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.database import utcnow
from shared.database.integrity import flush
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound, not_found
from subgraphs.training import library_repository, repository
from subgraphs.training.models import (
    Exercise,
    ExerciseCategory,
    ExerciseOrder,
    ExerciseUnit,
    MuscleGroup,
)
from subgraphs.training.permissions import can_write_training
from subgraphs.training.service.common import organization_of, writing_organization

_EXERCISE_NAME_TAKEN = {
    "uq_exercises_organization_name": Conflict("the library already has an exercise of that name", field="name")
}
MAX_LISTED = 500
MAX_ALTERNATIVES = 10


@dataclass(frozen=True)
class ExerciseDefaults:
    """Where a prescription of the exercise starts; None is "no default"."""

    sets: int | None = None
    reps: int | None = None
    load_kg: float | None = None
    seconds: int | None = None
    meters: int | None = None
    watts: int | None = None
    rest_seconds: int | None = None


@dataclass(frozen=True)
class Progression:
    """One rule, e.g. add 2.5 KILOGRAMS when all sets were done at RPE 8 or less, and free text."""

    increment: float | None = None
    unit: ExerciseUnit | None = None
    condition: str | None = None
    notes: str | None = None


_MEASURES_BY_UNIT: dict[ExerciseUnit, frozenset[str]] = {
    ExerciseUnit.KILOGRAMS: frozenset({"reps", "load_kg"}),
    ExerciseUnit.REPS: frozenset({"reps"}),
    ExerciseUnit.SECONDS: frozenset({"seconds"}),
    ExerciseUnit.METERS: frozenset({"meters"}),
    ExerciseUnit.WATTS: frozenset({"watts", "seconds"}),
}
"""The measured defaults each unit has; sets and rest fit every unit."""
_MEASURED = frozenset({"reps", "load_kg", "seconds", "meters", "watts"})
_RANGES: dict[str, tuple[int, int]] = {
    "sets": (1, 20),
    "reps": (1, 200),
    "load_kg": (0, 500),
    "seconds": (1, 3600),
    "meters": (1, 100000),
    "watts": (1, 2500),
    "rest_seconds": (0, 900),
}


def defaults_of(exercise: Exercise) -> ExerciseDefaults | None:
    found = ExerciseDefaults(
        sets=exercise.default_sets,
        reps=exercise.default_reps,
        load_kg=None if exercise.default_load_kg is None else float(exercise.default_load_kg),
        seconds=exercise.default_seconds,
        meters=exercise.default_meters,
        watts=exercise.default_watts,
        rest_seconds=exercise.default_rest_seconds,
    )
    return None if found == ExerciseDefaults() else found


def progression_of(exercise: Exercise) -> Progression | None:
    found = Progression(
        increment=None if exercise.progression_increment is None else float(exercise.progression_increment),
        unit=exercise.progression_unit,
        condition=exercise.progression_condition,
        notes=exercise.progression_notes,
    )
    return None if found == Progression() else found


def _checked_defaults(value: ExerciseDefaults, unit: ExerciseUnit) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    for item in fields(ExerciseDefaults):
        given = getattr(value, item.name)
        path = f"defaults.{validation.camel(item.name)}"
        if given is not None:
            if (
                item.name in {"reps", "load_kg", "seconds", "meters", "watts"}
                and item.name not in _MEASURES_BY_UNIT[unit]
            ):
                raise InvalidInput(f"{path} does not fit an exercise measured in {unit.value}", field=path)
            low, high = _RANGES[item.name]
            if item.name == "load_kg":
                validation.number(given, field=path, minimum=low, maximum=high)
                given = Decimal(str(given)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            else:
                validation.integer(given, field=path, minimum=low, maximum=high)
        columns[f"default_{item.name}"] = given
    return columns


def _checked_progression(value: Progression | None) -> dict[str, Any]:
    value = value or Progression()
    if value.increment is not None and value.unit is None:
        raise InvalidInput("progression.incrementUnit is required with an increment", field="progression.incrementUnit")
    if value.unit is not None and value.increment is None:
        raise InvalidInput("progression.incrementAmount is required with a unit", field="progression.incrementAmount")
    increment = None
    if value.increment is not None:
        if not 0 < value.increment <= 1000:
            raise InvalidInput(
                "progression.incrementAmount must be more than 0 and at most 1000", field="progression.incrementAmount"
            )
        increment = Decimal(str(value.increment)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return {
        "progression_increment": increment,
        "progression_unit": value.unit,
        "progression_condition": validation.optional_text(
            value.condition, field="progression.condition", max_length=300
        ),
        "progression_notes": validation.optional_text(value.notes, field="progression.notes", max_length=2000),
    }


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
    if "progression" in values:
        checked.update(_checked_progression(values["progression"]))
    return checked


def _apply_defaults(exercise: Exercise, values: Mapping[str, Any]) -> None:
    """Sets the defaults given, or checks the kept ones against a changed unit."""
    if "defaults" in values:
        for name, value in _checked_defaults(values["defaults"] or ExerciseDefaults(), exercise.unit).items():
            setattr(exercise, name, value)
        return
    kept = defaults_of(exercise)
    for name in sorted(_MEASURED):
        if kept is not None and getattr(kept, name) is not None and name not in _MEASURES_BY_UNIT[exercise.unit]:
            raise InvalidInput(
                f"the exercise's defaults give {validation.camel(name)}, which an exercise in "
                f"{exercise.unit.value} does not have: change the defaults with the unit",
                field="unit",
            )


async def _set_alternatives(
    session: AsyncSession, exercise: Exercise, alternative_ids: Sequence[uuid.UUID] | None
) -> None:
    wanted = list(dict.fromkeys(alternative_ids or ()))
    if len(wanted) > MAX_ALTERNATIVES:
        raise InvalidInput(f"alternativeIds may name at most {MAX_ALTERNATIVES} exercises", field="alternativeIds")
    if exercise.id in wanted:
        raise InvalidInput("an exercise is not its own alternative", field="alternativeIds")
    known = {
        row.id
        for row in await repository.exercises_by_ids(session, wanted)
        if row.organization_id == exercise.organization_id
    }
    for index, alternative in enumerate(wanted):
        if alternative not in known:
            raise NotFound(
                f"Exercise {alternative} is not in the club's library",
                field=f"alternativeIds[{index}]",
                details={"entity": "Exercise"},
            )
    await library_repository.replace_alternatives(session, exercise.id, wanted)


async def list_exercises(
    session: AsyncSession,
    actor: Principal,
    *,
    search: str | None = None,
    category: ExerciseCategory | None = None,
    muscle_groups: Sequence[MuscleGroup] = (),
    equipment: Sequence[str] = (),
    unit: ExerciseUnit | None = None,
    order: ExerciseOrder = ExerciseOrder.CATEGORY,
    limit: int = 100,
    offset: int = 0,
) -> list[Exercise]:
    """The club's library, for everyone in the club: a page of the exercises matching every filter."""
    if search is not None:
        search = validation.optional_text(search, field="search", max_length=100)
    return await library_repository.search_exercises(
        session,
        organization_id=organization_of(actor),
        search=search,
        category=category,
        muscle_groups=list(dict.fromkeys(muscle_groups)),
        equipment=[validation.text(item, field="equipment", max_length=60) for item in equipment],
        unit=unit,
        order=order,
        limit=validation.integer(limit, field="limit", minimum=1, maximum=MAX_LISTED),
        offset=validation.integer(offset, field="offset", minimum=0, maximum=100_000),
    )


async def alternatives_by_exercise(
    session: AsyncSession, exercise_ids: Sequence[uuid.UUID]
) -> list[tuple[uuid.UUID, Exercise]]:
    """(exercise id, alternative) for a batch of exercises, in order of preference."""
    return await library_repository.alternatives_of(session, exercise_ids)


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
    defaults: ExerciseDefaults | None = None,
    progression: Progression | None = None,
    alternative_ids: Sequence[uuid.UUID] = (),
) -> Exercise:
    organization = writing_organization(actor)
    exercise = Exercise(
        id=uuid.uuid4(),
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
                "progression": progression,
            }
        ),
    )
    _apply_defaults(exercise, {"defaults": defaults})
    session.add(exercise)
    await flush(session, violations=_EXERCISE_NAME_TAKEN)
    if alternative_ids:
        await _set_alternatives(session, exercise, alternative_ids)
    return exercise


async def update_exercise(
    session: AsyncSession, actor: Principal, exercise_id: uuid.UUID, changes: Mapping[str, Any]
) -> Exercise:
    """Changes the fields given; `defaults`, `progression` and `alternative_ids` are replaced whole."""
    exercise = await library_repository.locked_exercise(session, exercise_id)
    if exercise is None or not actor.in_organization(exercise.organization_id):
        raise not_found("Exercise", exercise_id)
    if not can_write_training(actor, exercise.organization_id):
        raise Forbidden("only physical trainers, coaches and club administrators edit the library")
    for name, value in _exercise_fields(changes).items():
        setattr(exercise, name, value)
    _apply_defaults(exercise, changes)
    exercise.updated_at = utcnow()
    await flush(session, violations=_EXERCISE_NAME_TAKEN)
    if "alternative_ids" in changes:
        await _set_alternatives(session, exercise, changes["alternative_ids"])
    return exercise
