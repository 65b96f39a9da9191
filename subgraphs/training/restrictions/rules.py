"""When a medical restriction forbids a workout, and how that reads for a trainer. Pure functions, no I/O.

A restriction in force conflicts with a player's workout when their dates overlap and the workout does what
the restriction forbids:

- UNAVAILABLE (an active injury) and REST: every workout.
- NO_LOWER_BODY_LOAD: an exercise working a lower-body muscle group (glutes, hip flexors, adductors,
  quadriceps, hamstrings, calves, full body) or of category PLYOMETRICS or AGILITY; an interval program on
  a bike, rower, treadmill or running; any agility drill.
- NO_UPPER_BODY_LOAD: an exercise working an upper-body muscle group (chest, back, shoulders, biceps,
  triceps, forearms, full body); an interval program on a rower or ski erg.
- LIMITED_INTENSITY: the workout's peak intensity for the player is above the allowed percent. Strength
  work is at the player's load modifier (the prescription is 100 %); an interval in heart-rate zone z
  peaks at 50 + 10 z % of maximum heart rate (zone 4: 90 %), one without a zone at the load modifier;
  agility drills and plyometric or agility exercises are maximal efforts (100 %).
- NO_SKATING, NO_CONTACT, NO_GAME_PLAY: never; they concern the ice and games, not off-ice workouts. A
  trainer still sees them among the player's restrictions.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from subgraphs.training import content
from subgraphs.training.models import (
    ConditioningEquipment,
    Exercise,
    ExerciseCategory,
    MuscleGroup,
    PlayerRestriction,
    RestrictionKind,
)

LOWER_BODY = frozenset(
    {
        MuscleGroup.GLUTES,
        MuscleGroup.HIP_FLEXORS,
        MuscleGroup.ADDUCTORS,
        MuscleGroup.QUADRICEPS,
        MuscleGroup.HAMSTRINGS,
        MuscleGroup.CALVES,
        MuscleGroup.FULL_BODY,
    }
)
UPPER_BODY = frozenset(
    {
        MuscleGroup.CHEST,
        MuscleGroup.BACK,
        MuscleGroup.SHOULDERS,
        MuscleGroup.BICEPS,
        MuscleGroup.TRICEPS,
        MuscleGroup.FOREARMS,
        MuscleGroup.FULL_BODY,
    }
)
LOWER_BODY_EQUIPMENT = frozenset(
    {
        ConditioningEquipment.BIKE,
        ConditioningEquipment.ROWER,
        ConditioningEquipment.TREADMILL,
        ConditioningEquipment.RUNNING,
    }
)
UPPER_BODY_EQUIPMENT = frozenset({ConditioningEquipment.ROWER, ConditioningEquipment.SKI_ERG})
MAXIMAL_CATEGORIES = frozenset({ExerciseCategory.PLYOMETRICS, ExerciseCategory.AGILITY})

LABELS = {
    RestrictionKind.NO_CONTACT: "restricted from contact",
    RestrictionKind.NO_SKATING: "restricted from skating",
    RestrictionKind.NO_LOWER_BODY_LOAD: "restricted from lower-body load",
    RestrictionKind.NO_UPPER_BODY_LOAD: "restricted from upper-body load",
    RestrictionKind.NO_GAME_PLAY: "restricted from game play",
    RestrictionKind.REST: "on rest",
    RestrictionKind.UNAVAILABLE: "unavailable (injured)",
}


@dataclass(frozen=True, slots=True)
class PlannedWorkout:
    """What a player is to do and when: a workout's structure with the library rows it names."""

    structure: content.WorkoutContent
    exercises: Mapping[uuid.UUID, Exercise]
    starts_on: date
    ends_on: date
    load_modifier_percent: int


def zone_peak_percent(zone: int) -> int:
    """The top of heart-rate zone 1-5 in percent of maximum heart rate."""
    return 50 + 10 * zone


def describe(restriction: PlayerRestriction, *, today: date) -> str:
    """The restriction in a trainer's words, e.g. `Player restricted from lower-body load (knee) until
    2026-12-10`. Never more than the restriction itself: no diagnosis, no reason."""
    if restriction.kind is RestrictionKind.LIMITED_INTENSITY:
        label = f"limited to {restriction.max_intensity_percent}% intensity"
    else:
        label = LABELS[restriction.kind]
    area = f" ({restriction.body_part.replace('_', ' ')})" if restriction.body_part else ""
    if restriction.kind is RestrictionKind.UNAVAILABLE:
        back = restriction.expected_return_on
        period = f" since {restriction.starts_on}" + (f", expected back {back}" if back else "")
    else:
        start = f" from {restriction.starts_on}" if restriction.starts_on > today else ""
        period = start + (f" until {restriction.ends_on}" if restriction.ends_on else " until lifted")
    return f"Player {label}{area}{period}"


def overlaps(restriction: PlayerRestriction, workout: PlannedWorkout) -> bool:
    ends_on = restriction.ends_on
    return restriction.starts_on <= workout.ends_on and (ends_on is None or ends_on >= workout.starts_on)


def conflict(restriction: PlayerRestriction, workout: PlannedWorkout, *, today: date) -> str | None:
    """The reason a trainer reads when the restriction forbids the workout, else None."""
    if not restriction.in_force or not overlaps(restriction, workout):
        return None
    detail = _forbidden(restriction, workout)
    return None if detail is None else f"{describe(restriction, today=today)}: {detail}"


def forbids(restriction: PlayerRestriction, workout: PlannedWorkout) -> bool:
    """Whether the restriction touches the workout at all, in force or not, whatever the dates."""
    return _forbidden(restriction, workout) is not None


def _forbidden(restriction: PlayerRestriction, workout: PlannedWorkout) -> str | None:
    match restriction.kind:
        case RestrictionKind.UNAVAILABLE | RestrictionKind.REST:
            return "no workouts"
        case RestrictionKind.NO_LOWER_BODY_LOAD:
            return _body_load(workout, LOWER_BODY, LOWER_BODY_EQUIPMENT, "lower body", drills=True)
        case RestrictionKind.NO_UPPER_BODY_LOAD:
            return _body_load(workout, UPPER_BODY, UPPER_BODY_EQUIPMENT, "upper body", drills=False)
        case RestrictionKind.LIMITED_INTENSITY:
            allowed = restriction.max_intensity_percent if restriction.max_intensity_percent is not None else 100
            return _too_intense(workout, allowed)
        case _:
            return None


def _body_load(
    workout: PlannedWorkout,
    muscles: frozenset[MuscleGroup],
    equipment: frozenset[ConditioningEquipment],
    area: str,
    *,
    drills: bool,
) -> str | None:
    for exercise in _exercises(workout):
        worked = muscles.intersection(exercise.muscle_groups)
        if worked or (area == "lower body" and exercise.category in MAXIMAL_CATEGORIES):
            return f"{exercise.name} loads the {area}"
    for program in _programs(workout.structure):
        if program.equipment in equipment:
            return f"intervals on the {program.equipment.value.replace('_', ' ')} load the {area}"
    if drills and workout.structure.drills:
        return f"agility drill {workout.structure.drills[0].name} loads the {area}"
    return None


def _too_intense(workout: PlannedWorkout, allowed: int) -> str | None:
    modifier = workout.load_modifier_percent
    for exercise in _exercises(workout):
        if exercise.category in MAXIMAL_CATEGORIES and allowed < 100:
            return f"{exercise.name} is a maximal effort"
    if workout.structure.drills and allowed < 100:
        return f"agility drill {workout.structure.drills[0].name} is a maximal effort"
    for program in _programs(workout.structure):
        for interval in program.intervals:
            zone = interval.heart_rate_zone
            if zone is not None and zone_peak_percent(zone) > allowed:
                return f"intervals in heart-rate zone {zone} reach {zone_peak_percent(zone)}%"
            if zone is None and modifier > allowed:
                return f"intervals at {modifier}% load"
    if any(True for _ in workout.structure.prescriptions()) and modifier > allowed:
        return f"strength work at {modifier}% load"
    return None


def _exercises(workout: PlannedWorkout) -> Iterator[Exercise]:
    for _, prescription in workout.structure.prescriptions():
        exercise = workout.exercises.get(prescription.exercise_id)
        if exercise is not None:
            yield exercise


def _programs(structure: content.WorkoutContent) -> Iterator[content.IntervalProgram]:
    if structure.interval_program is not None:
        yield structure.interval_program
    for block in structure.blocks or ():
        if block.interval_program is not None:
            yield block.interval_program
