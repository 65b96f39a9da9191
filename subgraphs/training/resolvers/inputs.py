"""Input objects of the training service, and the draft workout structure they describe."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

from shared.graphql import parse_id, provided
from subgraphs.training import content
from subgraphs.training.models import (
    AssignmentConflictChoice,
    ConditioningEquipment,
    ExerciseCategory,
    ExerciseUnit,
    MuscleGroup,
    TemplateVisibility,
    WorkoutKind,
)
from subgraphs.training.service.assignments import AssignmentPosition
from subgraphs.training.service.library import ExerciseDefaults, Progression
from subgraphs.training.types import library as _enums  # noqa: F401 (registers the GraphQL enums first)
from subgraphs.training.types.compliance import AssignmentLineInput, AssignmentRecurrenceInput
from subgraphs.training.types.restrictions import RestrictionOverrideInput


@strawberry.input(
    description="Where a prescription of an exercise starts. Only the measures of its unit: reps (REPS, "
    "KILOGRAMS), loadKg (KILOGRAMS), seconds (SECONDS, WATTS), meters (METERS), watts (WATTS); sets and "
    "restSeconds fit every unit."
)
class ExerciseDefaultsInput:
    sets: int | None = strawberry.field(default=None, description="Sets, 1-20.")
    reps: int | None = strawberry.field(default=None, description="Repetitions per set, 1-200.")
    load_kg: float | None = strawberry.field(default=None, description="Kilograms, 0-500.")
    seconds: int | None = strawberry.field(default=None, description="Seconds per set, 1-3600.")
    meters: int | None = strawberry.field(default=None, description="Meters per set, 1-100000.")
    watts: int | None = strawberry.field(default=None, description="Target power, 1-2500.")
    rest_seconds: int | None = strawberry.field(default=None, description="Rest after each set, 0-900.")


@strawberry.input(description="How an exercise progresses: an increment with its unit and a condition, and text.")
class ExerciseProgressionInput:
    increment_amount: float | None = strawberry.field(default=None, description="More than 0, at most 1000.")
    increment_unit: ExerciseUnit | None = strawberry.field(default=None, description="Required with an amount.")
    condition: str | None = strawberry.field(default=None, description="When to progress, up to 300 characters.")
    notes: str | None = strawberry.field(default=None, description="Further guidance.")


@strawberry.input(description="A new exercise of the club's library.")
class CreateExerciseInput:
    name: str = strawberry.field(description="Unique in the library, up to 120 characters.")
    category: ExerciseCategory = strawberry.field(description="What it develops.")
    unit: ExerciseUnit = strawberry.field(description="What it is measured in.")
    muscle_groups: list[MuscleGroup] = strawberry.field(default_factory=list, description="Muscle groups.")
    equipment: list[str] = strawberry.field(default_factory=list, description="Up to 10 items it needs.")
    description: str | None = strawberry.field(default=None, description="How to do it.")
    defaults: ExerciseDefaultsInput | None = strawberry.field(default=None, description="Where prescriptions start.")
    progression: ExerciseProgressionInput | None = strawberry.field(default=None, description="How it progresses.")
    alternative_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Up to 10 exercises of the library to swap in, in order of preference."
    )


@strawberry.input(description="Changes to an exercise; omitted fields stay as they are.")
class UpdateExerciseInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Unique in the library.")
    category: ExerciseCategory | None = strawberry.field(default=strawberry.UNSET, description="What it develops.")
    unit: ExerciseUnit | None = strawberry.field(default=strawberry.UNSET, description="What it is measured in.")
    muscle_groups: list[MuscleGroup] | None = strawberry.field(default=strawberry.UNSET, description="Muscle groups.")
    equipment: list[str] | None = strawberry.field(default=strawberry.UNSET, description="What it needs.")
    description: str | None = strawberry.field(default=strawberry.UNSET, description="How to do it, or null.")
    defaults: ExerciseDefaultsInput | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces the defaults; null clears them."
    )
    progression: ExerciseProgressionInput | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces the progression; null clears it."
    )
    alternative_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces the alternatives; null or [] clears them."
    )


def exercise_values(value: CreateExerciseInput | UpdateExerciseInput) -> dict[str, Any]:
    """The fields given, with the nested inputs turned into the service's values."""
    values = provided(value)
    if values.get("defaults") is not None:
        values["defaults"] = ExerciseDefaults(**provided(values["defaults"]))
    if values.get("progression") is not None:
        given = values["progression"]
        values["progression"] = Progression(
            increment=given.increment_amount, unit=given.increment_unit, condition=given.condition, notes=given.notes
        )
    if values.get("alternative_ids") is not None:
        values["alternative_ids"] = [
            parse_id(one, field=f"alternativeIds[{index}]") for index, one in enumerate(values["alternative_ids"])
        ]
    return values


@strawberry.input(description="One set of a strength exercise.")
class WorkoutSetInput:
    reps: int = strawberry.field(description="Repetitions, 1-200.")
    load_kg: float | None = strawberry.field(default=None, description="Load in kilograms; null for bodyweight.")
    tempo: str | None = strawberry.field(default=None, description="Four phases such as 3-1-1-0 or 31X0.")
    rest_seconds: int = strawberry.field(default=60, description="Rest after the set, 0-900.")
    duration_seconds: int | None = strawberry.field(default=None, description="Time per rep of a timed set.")


@strawberry.input(description="A library exercise with its sets, in order.")
class WorkoutExerciseInput:
    exercise_id: strawberry.ID = strawberry.field(description="An exercise of the club's library.")
    sets: list[WorkoutSetInput] = strawberry.field(description="At least one set.")
    notes: str | None = strawberry.field(default=None, description="Coaching notes.")


@strawberry.input(description="One interval: work and rest, repeated; with a heart-rate, power or pace target.")
class ConditioningIntervalInput:
    work_seconds: int = strawberry.field(description="Work time of one repeat; more than zero.")
    rest_seconds: int = strawberry.field(default=0, description="Rest after each repeat.")
    repeats: int = strawberry.field(default=1, description="How many times, 1-100.")
    heart_rate_zone: int | None = strawberry.field(default=None, description="Target zone 1-5.")
    target_watts: int | None = strawberry.field(default=None, description="Target power (rower, bike, ski erg).")
    target_pace_seconds: int | None = strawberry.field(
        default=None, description="Seconds per 500 m (rower, ski erg) or per km (treadmill, running)."
    )


@strawberry.input(description="A conditioning session on one piece of equipment.")
class IntervalProgramInput:
    equipment: ConditioningEquipment = strawberry.field(description="What it is done on.")
    intervals: list[ConditioningIntervalInput] = strawberry.field(description="At least one interval.")
    warmup_seconds: int = strawberry.field(default=0, description="Warm-up before the first interval.")
    cooldown_seconds: int = strawberry.field(default=0, description="Cool-down after the last interval.")


@strawberry.input(description="A hybrid workout's block: give either exercises or an intervalProgram.")
class WorkoutBlockInput:
    name: str | None = strawberry.field(default=None, description="The block's name.")
    exercises: list[WorkoutExerciseInput] | None = strawberry.field(default=None, description="A strength block.")
    interval_program: IntervalProgramInput | None = strawberry.field(default=None, description="A conditioning block.")


@strawberry.input(description="A timed agility drill.")
class AgilityDrillInput:
    name: str = strawberry.field(description="The drill.")
    target_seconds: float = strawberry.field(description="Target time of one rep, more than zero.")
    reps: int = strawberry.field(description="Repetitions, 1-50.")
    rest_seconds: int = strawberry.field(default=30, description="Rest after each rep.")
    description: str | None = strawberry.field(default=None, description="Set-up and cues.")
    allowed_errors: int | None = strawberry.field(
        default=None, description="Errors (missed cones, wrong turns) a rep may have and still count, 0-50."
    )


@strawberry.input(
    description="An activity of a RECOVERY or FLEXIBILITY workout: give durationSeconds (per side and set) or "
    "repetitions."
)
class RecoveryActivityInput:
    name: str = strawberry.field(description="E.g. 'Hip flexor stretch', 'Box breathing', 'Cold plunge'.")
    duration_seconds: int | None = strawberry.field(default=None, description="Per side and set, 1-3600.")
    repetitions: int | None = strawberry.field(default=None, description="Per side and set, 1-200.")
    sets: int = strawberry.field(default=1, description="1-10.")
    rest_seconds: int = strawberry.field(default=0, description="Rest after each set, 0-600.")
    sides: content.ActivitySides = strawberry.field(
        default=content.ActivitySides.BOTH, description="EACH_SIDE doubles the time per set."
    )
    modality: content.RecoveryModality | None = strawberry.field(
        default=None, description="FLEXIBILITY: STRETCH, MOBILITY, FOAM_ROLL or BREATHING only."
    )
    body_areas: list[MuscleGroup] = strawberry.field(
        default_factory=list, description="What it works; required for FLEXIBILITY."
    )
    exercise_id: strawberry.ID | None = strawberry.field(default=None, description="A library exercise it is.")
    rpe: int | None = strawberry.field(default=None, description="Intensity, RPE 1-10 (1-3 light); RECOVERY at most 5.")
    temperature_celsius: int | None = strawberry.field(default=None, description="COLD (0-20) and HEAT (30-110) only.")
    notes: str | None = strawberry.field(default=None, description="Cues, up to 500 characters.")


@strawberry.input(
    description="A workout. Give the part its kind needs: exercises (STRENGTH), intervalProgram "
    "(CONDITIONING), blocks (HYBRID), drills (AGILITY) or activities (RECOVERY, FLEXIBILITY)."
)
class WorkoutInput:
    name: str = strawberry.field(description="The workout's name.")
    kind: WorkoutKind = strawberry.field(description="Strength, conditioning, hybrid or agility.")
    description: str | None = strawberry.field(default=None, description="Purpose and instructions.")
    exercises: list[WorkoutExerciseInput] | None = strawberry.field(default=None, description="For STRENGTH.")
    interval_program: IntervalProgramInput | None = strawberry.field(default=None, description="For CONDITIONING.")
    blocks: list[WorkoutBlockInput] | None = strawberry.field(default=None, description="For HYBRID.")
    drills: list[AgilityDrillInput] | None = strawberry.field(default=None, description="For AGILITY.")
    activities: list[RecoveryActivityInput] | None = strawberry.field(
        default=None, description="For RECOVERY and FLEXIBILITY."
    )


@strawberry.input(description="Saving a workout as a template.")
class SaveWorkoutTemplateInput:
    workout_id: strawberry.ID = strawberry.field(description="The workout to copy.")
    visibility: TemplateVisibility = strawberry.field(description="Who sees the template.")
    name: str | None = strawberry.field(default=None, description="Default: the workout's name.")
    team_id: strawberry.ID | None = strawberry.field(default=None, description="The team, for TEAM visibility.")


@strawberry.input(description="Copying a template the caller sees into a template of their own.")
class DuplicateWorkoutTemplateInput:
    visibility: TemplateVisibility = strawberry.field(description="Who sees the copy.")
    name: str | None = strawberry.field(default=None, description="Default: the template's name with ' (copy)'.")
    team_id: strawberry.ID | None = strawberry.field(default=None, description="The team, for TEAM visibility.")


@strawberry.input(description="Changes to a template; omitted fields stay as they are.")
class UpdateWorkoutTemplateInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="The template's name.")
    description: str | None = strawberry.field(default=strawberry.UNSET, description="Purpose, or null.")
    visibility: TemplateVisibility | None = strawberry.field(default=strawberry.UNSET, description="Who sees it.")
    team_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The team, for TEAM visibility."
    )
    from_workout_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Replace the structure (and kind) with this workout's as it is now."
    )


def template_changes(value: UpdateWorkoutTemplateInput) -> dict[str, Any]:
    changes = provided(value)
    for name, field in (("team_id", "teamId"), ("from_workout_id", "fromWorkoutId")):
        if changes.get(name) is not None:
            changes[name] = parse_id(changes[name], field=field)
    return changes


@strawberry.input(description="A player's load in an assignment.")
class PlayerLoadModifierInput:
    player_id: strawberry.ID = strawberry.field(description="A player of the assignment.")
    percent: int = strawberry.field(description="Load in percent of the prescription, 10-200.")


@strawberry.input(description="Giving a workout to players and/or a team, for a day or a date range.")
class AssignWorkoutInput:
    workout_id: strawberry.ID = strawberry.field(description="The workout.")
    starts_on: date = strawberry.field(description="First day.")
    ends_on: date | None = strawberry.field(default=None, description="Last day; default the first day.")
    team_id: strawberry.ID | None = strawberry.field(
        default=None, description="A team: its active players now are assigned."
    )
    position: AssignmentPosition | None = strawberry.field(
        default=None, description="Only the team's players at this position (needs teamId)."
    )
    line: AssignmentLineInput | None = strawberry.field(
        default=None, description="Only the players of this line of the team's latest lineup (needs teamId)."
    )
    player_ids: list[strawberry.ID] = strawberry.field(default_factory=list, description="Players to assign.")
    load_modifiers: list[PlayerLoadModifierInput] = strawberry.field(
        default_factory=list, description="Per-player load, in percent; others get 100."
    )
    note: str | None = strawberry.field(default=None, description="Instructions for the players.")
    override_restriction: RestrictionOverrideInput | None = strawberry.field(
        default=None,
        description="Assign it even where players' medical restrictions forbid it and no adaptation makes it "
        "safe (otherwise such an assignment fails with RESTRICTION_CONFLICT): recorded on the assignment, and "
        "those players may do it only once the medical staff approve (restrictionOverrideRequests).",
    )
    recurrence: AssignmentRecurrenceInput | None = strawberry.field(
        default=None, description="Repeat it: one assignment per occurrence, sharing a series."
    )
    on_conflict: AssignmentConflictChoice | None = strawberry.field(
        default=None,
        description="Where players already have an open workout in the days. Null: refuse with CONFLICT "
        "listing the clashes (extensions.details.clashes).",
    )


def _sets(values: list[WorkoutSetInput]) -> tuple[content.WorkoutSet, ...]:
    return tuple(
        content.WorkoutSet(
            reps=one.reps,
            load_kg=one.load_kg,
            tempo=one.tempo,
            rest_seconds=one.rest_seconds,
            duration_seconds=one.duration_seconds,
        )
        for one in values
    )


def _exercises(values: list[WorkoutExerciseInput] | None, path: str) -> tuple[content.ExercisePrescription, ...] | None:
    if values is None:
        return None
    return tuple(
        content.ExercisePrescription(
            exercise_id=parse_id(one.exercise_id, field=f"{path}[{index}].exerciseId"),
            sets=_sets(one.sets),
            notes=one.notes,
        )
        for index, one in enumerate(values)
    )


def _program(value: IntervalProgramInput | None) -> content.IntervalProgram | None:
    if value is None:
        return None
    return content.IntervalProgram(
        equipment=value.equipment,
        warmup_seconds=value.warmup_seconds,
        cooldown_seconds=value.cooldown_seconds,
        intervals=tuple(
            content.Interval(
                work_seconds=one.work_seconds,
                rest_seconds=one.rest_seconds,
                repeats=one.repeats,
                heart_rate_zone=one.heart_rate_zone,
                target_watts=one.target_watts,
                target_pace_seconds=one.target_pace_seconds,
            )
            for one in value.intervals
        ),
    )


def draft_of(value: WorkoutInput) -> content.WorkoutContent:
    return content.WorkoutContent(
        exercises=_exercises(value.exercises, "exercises"),
        interval_program=_program(value.interval_program),
        blocks=None
        if value.blocks is None
        else tuple(
            content.WorkoutBlock(
                name=block.name,
                exercises=_exercises(block.exercises, f"blocks[{index}].exercises"),
                interval_program=_program(block.interval_program),
            )
            for index, block in enumerate(value.blocks)
        ),
        drills=None
        if value.drills is None
        else tuple(
            content.AgilityDrill(
                name=one.name,
                target_seconds=one.target_seconds,
                reps=one.reps,
                rest_seconds=one.rest_seconds,
                description=one.description,
                allowed_errors=one.allowed_errors,
            )
            for one in value.drills
        ),
        activities=None if value.activities is None else _activities(value.activities),
    )


def _activities(values: list[RecoveryActivityInput]) -> tuple[content.RecoveryActivity, ...]:
    return tuple(
        content.RecoveryActivity(
            name=one.name,
            duration_seconds=one.duration_seconds,
            repetitions=one.repetitions,
            sets=one.sets,
            rest_seconds=one.rest_seconds,
            sides=one.sides,
            modality=one.modality,
            body_areas=tuple(one.body_areas),
            exercise_id=None
            if one.exercise_id is None
            else parse_id(one.exercise_id, field=f"activities[{index}].exerciseId"),
            rpe=one.rpe,
            temperature_celsius=one.temperature_celsius,
            notes=one.notes,
        )
        for index, one in enumerate(values)
    )
