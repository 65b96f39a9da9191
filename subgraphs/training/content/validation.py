"""Checking a draft workout against its kind; each failure is BAD_USER_INPUT naming the field's path."""

from __future__ import annotations

from shared.errors import InvalidInput
from subgraphs.training.content.structure import (
    PACED_EQUIPMENT,
    POWERED_EQUIPMENT,
    TEMPO,
    AgilityDrill,
    ExercisePrescription,
    Interval,
    IntervalProgram,
    RecoveryActivity,
    RecoveryModality,
    WorkoutBlock,
    WorkoutContent,
    WorkoutSet,
)
from subgraphs.training.models import ConditioningEquipment, MuscleGroup, WorkoutKind

_FLEXIBILITY_MODALITIES = frozenset(
    {RecoveryModality.STRETCH, RecoveryModality.MOBILITY, RecoveryModality.FOAM_ROLL, RecoveryModality.BREATHING}
)
_TEMPERATURES = {RecoveryModality.COLD: (0, 20), RecoveryModality.HEAT: (30, 110)}
"""Degrees Celsius: cold water; a warm bath up to a sauna."""
MAX_RECOVERY_RPE = 5
"""Recovery stays light: anything harder is training, not recovery."""
MAX_ACTIVITIES = 40


def _whole(value: int, path: str, *, low: int, high: int) -> int:
    if not low <= value <= high:
        raise InvalidInput(f"{path} must be between {low} and {high}", field=path)
    return value


def _text(value: str | None, path: str, *, max_length: int, required: bool = False) -> str | None:
    cleaned = (value or "").strip()
    if not cleaned:
        if required:
            raise InvalidInput(f"{path} must not be empty", field=path)
        return None
    if len(cleaned) > max_length:
        raise InvalidInput(f"{path} must be at most {max_length} characters", field=path)
    return cleaned


def _set(value: WorkoutSet, path: str) -> WorkoutSet:
    tempo = None
    if value.tempo is not None and value.tempo.strip():
        tempo = value.tempo.strip().upper()
        if not TEMPO.match(tempo):
            raise InvalidInput(
                f"{path}.tempo must be four phases such as 3-1-1-0 or 31X0 (seconds, X for explosive)",
                field=f"{path}.tempo",
            )
    load = value.load_kg
    if load is not None and not 0 <= load <= 500:
        raise InvalidInput(f"{path}.loadKg must be between 0 and 500", field=f"{path}.loadKg")
    return WorkoutSet(
        reps=_whole(value.reps, f"{path}.reps", low=1, high=200),
        load_kg=None if load is None else round(load, 2),
        tempo=tempo,
        rest_seconds=_whole(value.rest_seconds, f"{path}.restSeconds", low=0, high=900),
        duration_seconds=None
        if value.duration_seconds is None
        else _whole(value.duration_seconds, f"{path}.durationSeconds", low=1, high=3600),
    )


def _prescriptions(values: tuple[ExercisePrescription, ...] | None, path: str) -> tuple[ExercisePrescription, ...]:
    if not values:
        raise InvalidInput(f"{path} needs at least one exercise", field=path)
    checked = []
    for index, one in enumerate(values):
        here = f"{path}[{index}]"
        if not one.sets:
            raise InvalidInput(f"{here}.sets needs at least one set", field=f"{here}.sets")
        if len(one.sets) > 20:
            raise InvalidInput(f"{here}.sets may hold at most 20 sets", field=f"{here}.sets")
        checked.append(
            ExercisePrescription(
                exercise_id=one.exercise_id,
                sets=tuple(_set(item, f"{here}.sets[{n}]") for n, item in enumerate(one.sets)),
                notes=_text(one.notes, f"{here}.notes", max_length=500),
            )
        )
    return tuple(checked)


def _interval(value: Interval, equipment: ConditioningEquipment, path: str) -> Interval:
    work = value.work_seconds
    if work <= 0:
        raise InvalidInput(f"{path}.workSeconds must be more than zero", field=f"{path}.workSeconds")
    if value.heart_rate_zone is None and value.target_watts is None and value.target_pace_seconds is None:
        raise InvalidInput(f"{path} needs a target: heartRateZone, targetWatts or targetPaceSeconds", field=path)
    if value.target_watts is not None and equipment not in POWERED_EQUIPMENT:
        raise InvalidInput(
            f"{path}.targetWatts needs equipment that measures power (rower, bike, ski erg)",
            field=f"{path}.targetWatts",
        )
    if value.target_pace_seconds is not None and equipment not in PACED_EQUIPMENT:
        raise InvalidInput(
            f"{path}.targetPaceSeconds needs equipment with a pace (rower, ski erg, treadmill, running)",
            field=f"{path}.targetPaceSeconds",
        )
    return Interval(
        work_seconds=_whole(work, f"{path}.workSeconds", low=1, high=3600),
        rest_seconds=_whole(value.rest_seconds, f"{path}.restSeconds", low=0, high=3600),
        repeats=_whole(value.repeats, f"{path}.repeats", low=1, high=100),
        heart_rate_zone=None
        if value.heart_rate_zone is None
        else _whole(value.heart_rate_zone, f"{path}.heartRateZone", low=1, high=5),
        target_watts=None
        if value.target_watts is None
        else _whole(value.target_watts, f"{path}.targetWatts", low=1, high=2500),
        target_pace_seconds=None
        if value.target_pace_seconds is None
        else _whole(value.target_pace_seconds, f"{path}.targetPaceSeconds", low=30, high=1200),
    )


def _program(value: IntervalProgram | None, path: str) -> IntervalProgram:
    if value is None:
        raise InvalidInput(f"{path} is required", field=path)
    if not value.intervals:
        raise InvalidInput(f"{path}.intervals needs at least one interval", field=f"{path}.intervals")
    return IntervalProgram(
        equipment=value.equipment,
        intervals=tuple(
            _interval(one, value.equipment, f"{path}.intervals[{index}]") for index, one in enumerate(value.intervals)
        ),
        warmup_seconds=_whole(value.warmup_seconds, f"{path}.warmupSeconds", low=0, high=3600),
        cooldown_seconds=_whole(value.cooldown_seconds, f"{path}.cooldownSeconds", low=0, high=3600),
    )


def _drills(values: tuple[AgilityDrill, ...] | None) -> tuple[AgilityDrill, ...]:
    if not values:
        raise InvalidInput("drills needs at least one drill", field="drills")
    checked = []
    for index, one in enumerate(values):
        path = f"drills[{index}]"
        if not 0 < one.target_seconds <= 600:
            raise InvalidInput(
                f"{path}.targetSeconds must be more than 0 and at most 600", field=f"{path}.targetSeconds"
            )
        checked.append(
            AgilityDrill(
                name=_text(one.name, f"{path}.name", max_length=120, required=True) or "",
                target_seconds=round(one.target_seconds, 2),
                reps=_whole(one.reps, f"{path}.reps", low=1, high=50),
                rest_seconds=_whole(one.rest_seconds, f"{path}.restSeconds", low=0, high=600),
                description=_text(one.description, f"{path}.description", max_length=1000),
                allowed_errors=None
                if one.allowed_errors is None
                else _whole(one.allowed_errors, f"{path}.allowedErrors", low=0, high=50),
            )
        )
    return tuple(checked)


def _activity(kind: WorkoutKind, one: RecoveryActivity, path: str) -> RecoveryActivity:
    if one.duration_seconds is None and one.repetitions is None:
        raise InvalidInput(f"{path} needs durationSeconds or repetitions", field=f"{path}.durationSeconds")
    modality = one.modality
    if kind is WorkoutKind.FLEXIBILITY and modality is not None and modality not in _FLEXIBILITY_MODALITIES:
        raise InvalidInput(
            f"{path}.modality of a FLEXIBILITY activity is STRETCH, MOBILITY, FOAM_ROLL or BREATHING",
            field=f"{path}.modality",
        )
    body_areas = tuple(sorted(set(one.body_areas), key=list(MuscleGroup).index))
    if kind is WorkoutKind.FLEXIBILITY and not body_areas:
        raise InvalidInput(
            f"{path}.bodyAreas: a FLEXIBILITY activity names what it stretches", field=f"{path}.bodyAreas"
        )
    rpe = None if one.rpe is None else _whole(one.rpe, f"{path}.rpe", low=1, high=10)
    if kind is WorkoutKind.RECOVERY and rpe is not None and rpe > MAX_RECOVERY_RPE:
        raise InvalidInput(f"{path}.rpe of a RECOVERY activity is at most {MAX_RECOVERY_RPE}", field=f"{path}.rpe")
    temperature = one.temperature_celsius
    if temperature is not None:
        if modality not in _TEMPERATURES:
            raise InvalidInput(
                f"{path}.temperatureCelsius is for COLD and HEAT only", field=f"{path}.temperatureCelsius"
            )
        low, high = _TEMPERATURES[modality]
        temperature = _whole(temperature, f"{path}.temperatureCelsius", low=low, high=high)
    return RecoveryActivity(
        name=_text(one.name, f"{path}.name", max_length=120, required=True) or "",
        duration_seconds=None
        if one.duration_seconds is None
        else _whole(one.duration_seconds, f"{path}.durationSeconds", low=1, high=3600),
        repetitions=None
        if one.repetitions is None
        else _whole(one.repetitions, f"{path}.repetitions", low=1, high=200),
        sets=_whole(one.sets, f"{path}.sets", low=1, high=10),
        rest_seconds=_whole(one.rest_seconds, f"{path}.restSeconds", low=0, high=600),
        sides=one.sides,
        modality=modality,
        body_areas=body_areas,
        exercise_id=one.exercise_id,
        rpe=rpe,
        temperature_celsius=temperature,
        notes=_text(one.notes, f"{path}.notes", max_length=500),
    )


def _activities(kind: WorkoutKind, values: tuple[RecoveryActivity, ...] | None) -> tuple[RecoveryActivity, ...]:
    if not values:
        raise InvalidInput("activities needs at least one activity", field="activities")
    if len(values) > MAX_ACTIVITIES:
        raise InvalidInput(f"activities may hold at most {MAX_ACTIVITIES} activities", field="activities")
    return tuple(_activity(kind, one, f"activities[{index}]") for index, one in enumerate(values))


def _blocks(values: tuple[WorkoutBlock, ...] | None) -> tuple[WorkoutBlock, ...]:
    if not values:
        raise InvalidInput("blocks needs at least one strength and one conditioning block", field="blocks")
    checked = []
    for index, block in enumerate(values):
        path = f"blocks[{index}]"
        has_strength, has_intervals = block.exercises is not None, block.interval_program is not None
        if has_strength == has_intervals:
            raise InvalidInput(f"{path} holds either exercises or an intervalProgram", field=path)
        checked.append(
            WorkoutBlock(
                name=_text(block.name, f"{path}.name", max_length=120),
                exercises=_prescriptions(block.exercises, f"{path}.exercises") if has_strength else None,
                interval_program=_program(block.interval_program, f"{path}.intervalProgram") if has_intervals else None,
            )
        )
    if not any(block.exercises for block in checked) or not any(block.interval_program for block in checked):
        raise InvalidInput("a HYBRID workout mixes strength and conditioning blocks", field="blocks")
    return tuple(checked)


_PARTS = {
    WorkoutKind.STRENGTH: "exercises",
    WorkoutKind.CONDITIONING: "intervalProgram",
    WorkoutKind.HYBRID: "blocks",
    WorkoutKind.AGILITY: "drills",
    WorkoutKind.RECOVERY: "activities",
    WorkoutKind.FLEXIBILITY: "activities",
}


def validate(kind: WorkoutKind, draft: WorkoutContent) -> WorkoutContent:
    """The checked content of a workout of this kind; only the kind's own part may be given."""
    given = {
        "exercises": draft.exercises is not None,
        "intervalProgram": draft.interval_program is not None,
        "blocks": draft.blocks is not None,
        "drills": draft.drills is not None,
        "activities": draft.activities is not None,
    }
    for part, present in given.items():
        if present and part != _PARTS[kind]:
            raise InvalidInput(f"{part} is not part of a {kind.name} workout", field=part)
    if kind is WorkoutKind.STRENGTH:
        return WorkoutContent(exercises=_prescriptions(draft.exercises, "exercises"))
    if kind is WorkoutKind.CONDITIONING:
        return WorkoutContent(interval_program=_program(draft.interval_program, "intervalProgram"))
    if kind is WorkoutKind.HYBRID:
        return WorkoutContent(blocks=_blocks(draft.blocks))
    if kind is WorkoutKind.AGILITY:
        return WorkoutContent(drills=_drills(draft.drills))
    return WorkoutContent(activities=_activities(kind, draft.activities))
