"""A reported performance: validated per exercise unit, turned into set rows, summed up.

Estimated one-rep max is Epley's: load x (1 + reps / 30), taken from the set where it is highest.
Volume is the sum over sets of reps x load (kg). Session load is minutes x RPE (CR-10, Foster).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from shared import validation
from shared.errors import InvalidInput
from subgraphs.training.models import Exercise, ExerciseUnit, PerformedSet, PlayerWorkout

MAX_EXERCISES = 40
MAX_SETS = 50
MAX_LOAD_KG = 1000


@dataclass(frozen=True)
class SetDraft:
    reps: int | None = None
    load_kg: float | None = None
    seconds: int | None = None
    meters: int | None = None
    heart_rate_avg: int | None = None
    heart_rate_max: int | None = None


@dataclass(frozen=True)
class ExerciseDraft:
    exercise_id: uuid.UUID
    sets: tuple[SetDraft, ...]


REQUIRED_BY_UNIT: dict[ExerciseUnit, tuple[str, ...]] = {
    ExerciseUnit.KILOGRAMS: ("reps", "load_kg"),
    ExerciseUnit.REPS: ("reps",),
    ExerciseUnit.SECONDS: ("seconds",),
    ExerciseUnit.METERS: ("meters",),
    ExerciseUnit.WATTS: ("seconds",),
}
"""What a set must say for each unit; the other measures are optional extras."""

_GRAPHQL_NAMES = {
    "reps": "reps",
    "load_kg": "loadKg",
    "seconds": "seconds",
    "meters": "meters",
}


def _set_row(
    draft: SetDraft,
    *,
    unit: ExerciseUnit,
    path: str,
    row: PlayerWorkout,
    exercise_id: uuid.UUID,
    index: int,
    number: int,
) -> PerformedSet:
    for name in REQUIRED_BY_UNIT[unit]:
        if getattr(draft, name) is None:
            raise InvalidInput(
                f"a set of an exercise in {unit.value} needs {_GRAPHQL_NAMES[name]}",
                field=f"{path}.{_GRAPHQL_NAMES[name]}",
            )
    reps = None if draft.reps is None else validation.integer(draft.reps, field=f"{path}.reps", minimum=1, maximum=1000)
    load = None
    if draft.load_kg is not None:
        validation.number(draft.load_kg, field=f"{path}.loadKg", minimum=0, maximum=MAX_LOAD_KG)
        load = Decimal(str(draft.load_kg)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    seconds = (
        None
        if draft.seconds is None
        else validation.integer(draft.seconds, field=f"{path}.seconds", minimum=1, maximum=36000)
    )
    meters = (
        None
        if draft.meters is None
        else validation.integer(draft.meters, field=f"{path}.meters", minimum=1, maximum=100000)
    )
    average = (
        None
        if draft.heart_rate_avg is None
        else validation.integer(draft.heart_rate_avg, field=f"{path}.heartRateAvg", minimum=20, maximum=250)
    )
    peak = (
        None
        if draft.heart_rate_max is None
        else validation.integer(draft.heart_rate_max, field=f"{path}.heartRateMax", minimum=20, maximum=250)
    )
    if average is not None and peak is not None and average > peak:
        raise InvalidInput("the average heart rate is above the maximum", field=f"{path}.heartRateAvg")
    return PerformedSet(
        id=uuid.uuid4(),
        player_workout_id=row.id,
        organization_id=row.organization_id,
        player_id=row.player_id,
        exercise_id=exercise_id,
        exercise_index=index,
        set_number=number,
        reps=reps,
        load_kg=load,
        seconds=seconds,
        meters=meters,
        heart_rate_avg=average,
        heart_rate_max=peak,
    )


def set_rows(
    drafts: Sequence[ExerciseDraft], *, exercises: dict[uuid.UUID, Exercise], row: PlayerWorkout
) -> list[PerformedSet]:
    """The rows of a reported performance; `exercises` are the club's library entries it names."""
    if not drafts:
        raise InvalidInput("report at least one exercise or drill", field="performance.exercises")
    if len(drafts) > MAX_EXERCISES:
        raise InvalidInput(f"report at most {MAX_EXERCISES} exercises", field="performance.exercises")
    rows: list[PerformedSet] = []
    for index, draft in enumerate(drafts):
        path = f"performance.exercises[{index}]"
        exercise = exercises.get(draft.exercise_id)
        if exercise is None or exercise.organization_id != row.organization_id:
            raise InvalidInput("no such exercise in the club's library", field=f"{path}.exerciseId")
        if not draft.sets:
            raise InvalidInput("report at least one set", field=f"{path}.sets")
        if len(draft.sets) > MAX_SETS:
            raise InvalidInput(f"report at most {MAX_SETS} sets", field=f"{path}.sets")
        rows.extend(
            _set_row(
                one,
                unit=exercise.unit,
                path=f"{path}.sets[{number}]",
                row=row,
                exercise_id=exercise.id,
                index=index,
                number=number + 1,
            )
            for number, one in enumerate(draft.sets)
        )
    return rows


def estimated_one_rep_max(one: PerformedSet) -> float | None:
    """Epley: load x (1 + reps / 30), to 0.1 kg. None without both reps and a load."""
    if one.reps is None or one.load_kg is None or one.load_kg == 0:
        return None
    return round(float(one.load_kg) * (1 + one.reps / 30), 1)


def volume_kg(sets: Sequence[PerformedSet]) -> float:
    """Sum over sets of reps x load."""
    return round(
        sum(float(one.load_kg) * one.reps for one in sets if one.reps is not None and one.load_kg is not None), 2
    )


def best_one_rep_max(sets: Sequence[PerformedSet]) -> float | None:
    estimates = [estimate for estimate in map(estimated_one_rep_max, sets) if estimate is not None]
    return max(estimates, default=None)


def session_load(row: PlayerWorkout) -> int | None:
    return row.minutes * row.rpe if row.minutes is not None and row.rpe is not None else None


def summary(sets: Sequence[PerformedSet]) -> dict[str, object]:
    """What `workout.completed` carries about the performance, per exercise in the order reported."""
    by_exercise: dict[int, list[PerformedSet]] = {}
    for one in sets:
        by_exercise.setdefault(one.exercise_index, []).append(one)
    return {
        "volume_kg": volume_kg(sets),
        "sets": len(sets),
        "exercises": [
            {
                "exercise_id": str(group[0].exercise_id),
                "sets": len(group),
                "reps": sum(one.reps or 0 for one in group),
                "volume_kg": volume_kg(group),
                "best_e1rm_kg": best_one_rep_max(group),
            }
            for _, group in sorted(by_exercise.items())
        ],
    }
