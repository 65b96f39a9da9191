"""GraphQL types of a workout's structure: sets, exercises, intervals, blocks, drills, and the interface
workouts and templates share."""

from __future__ import annotations

import uuid

import strawberry
from strawberry import Private

from shared.errors import not_found
from shared.graphql import Ctx
from subgraphs.training import content, loaders, models
from subgraphs.training.types.library import Exercise


@strawberry.type(description="One set of a strength exercise.")
class WorkoutSet:
    set_number: int = strawberry.field(description="1 for the first set.")
    reps: int = strawberry.field(description="Repetitions.")
    load_kg: float | None = strawberry.field(description="Load in kilograms; null for bodyweight.")
    tempo: str | None = strawberry.field(description="Tempo such as 3-1-1-0 (eccentric, pause, concentric, pause).")
    rest_seconds: int = strawberry.field(description="Rest after the set.")
    duration_seconds: int | None = strawberry.field(description="Time per rep of a timed set (holds, carries).")


@strawberry.type(description="An exercise of a strength workout or block, with its sets in order.")
class WorkoutExercise:
    sets: list[WorkoutSet] = strawberry.field(description="The sets, in order.")
    notes: str | None = strawberry.field(description="Coaching notes.")
    volume_kg: float = strawberry.field(description="Sets x reps x load, in kilograms.")
    exercise_id: Private[uuid.UUID]

    @classmethod
    def from_content(cls, value: content.ExercisePrescription) -> WorkoutExercise:
        return cls(
            sets=[
                WorkoutSet(
                    set_number=number,
                    reps=one.reps,
                    load_kg=one.load_kg,
                    tempo=one.tempo,
                    rest_seconds=one.rest_seconds,
                    duration_seconds=one.duration_seconds,
                )
                for number, one in enumerate(value.sets, start=1)
            ],
            notes=value.notes,
            volume_kg=round(value.volume_kg, 1),
            exercise_id=value.exercise_id,
        )

    @strawberry.field(description="The library exercise.")
    async def exercise(self, info: Ctx) -> Exercise:
        row = await loaders.exercises(info).load(self.exercise_id)
        if row is None:
            raise not_found("Exercise", self.exercise_id)
        return Exercise.from_row(row)


@strawberry.type(description="One interval of a conditioning program, repeated `repeats` times.")
class ConditioningInterval:
    work_seconds: int = strawberry.field(description="Work time of one repeat.")
    rest_seconds: int = strawberry.field(description="Rest after each repeat.")
    repeats: int = strawberry.field(description="How many times it is done.")
    heart_rate_zone: int | None = strawberry.field(description="Target heart-rate zone, 1 (easy) to 5 (max).")
    target_watts: int | None = strawberry.field(description="Target power.")
    target_pace_seconds: int | None = strawberry.field(
        description="Target pace: seconds per 500 m (rower, ski erg) or per km (treadmill, running)."
    )


@strawberry.type(description="A conditioning session on one piece of equipment: warm-up, intervals, cool-down.")
class IntervalProgram:
    equipment: models.ConditioningEquipment = strawberry.field(description="What it is done on.")
    warmup_seconds: int = strawberry.field(description="Warm-up before the first interval.")
    intervals: list[ConditioningInterval] = strawberry.field(description="The intervals, in order.")
    cooldown_seconds: int = strawberry.field(description="Cool-down after the last interval.")
    total_duration_seconds: int = strawberry.field(description="Warm-up, intervals with rests, and cool-down.")
    work_seconds: int = strawberry.field(description="Time spent working, rests excluded.")

    @classmethod
    def from_content(cls, value: content.IntervalProgram) -> IntervalProgram:
        return cls(
            equipment=value.equipment,
            warmup_seconds=value.warmup_seconds,
            intervals=[
                ConditioningInterval(
                    work_seconds=one.work_seconds,
                    rest_seconds=one.rest_seconds,
                    repeats=one.repeats,
                    heart_rate_zone=one.heart_rate_zone,
                    target_watts=one.target_watts,
                    target_pace_seconds=one.target_pace_seconds,
                )
                for one in value.intervals
            ],
            cooldown_seconds=value.cooldown_seconds,
            total_duration_seconds=value.seconds,
            work_seconds=value.work_seconds,
        )


@strawberry.type(description="A part of a hybrid workout: strength exercises or an interval program.")
class WorkoutBlock:
    name: str | None = strawberry.field(description="The block's name, e.g. 'Circuit A'.")
    exercises: list[WorkoutExercise] | None = strawberry.field(description="Strength exercises, for a strength block.")
    interval_program: IntervalProgram | None = strawberry.field(description="Intervals, for a conditioning block.")
    duration_seconds: int = strawberry.field(description="How long the block takes.")

    @classmethod
    def from_content(cls, value: content.WorkoutBlock) -> WorkoutBlock:
        return cls(
            name=value.name,
            exercises=None if value.exercises is None else [WorkoutExercise.from_content(e) for e in value.exercises],
            interval_program=None
            if value.interval_program is None
            else IntervalProgram.from_content(value.interval_program),
            duration_seconds=value.seconds,
        )


@strawberry.type(description="An agility drill: a timed run, done `reps` times.")
class AgilityDrill:
    name: str = strawberry.field(description="The drill, e.g. 'Pro agility 5-10-5'.")
    target_seconds: float = strawberry.field(description="Target time of one rep.")
    reps: int = strawberry.field(description="Repetitions.")
    rest_seconds: int = strawberry.field(description="Rest after each rep.")
    description: str | None = strawberry.field(description="Set-up and cues.")
    allowed_errors: int | None = strawberry.field(
        description="Errors (missed cones, wrong turns) a rep may have and still count."
    )


@strawberry.type(description="An activity of a recovery or flexibility workout, held for a time or repeated.")
class RecoveryActivity:
    name: str = strawberry.field(description="E.g. 'Hip flexor stretch', 'Box breathing', 'Cold plunge'.")
    modality: content.RecoveryModality | None = strawberry.field(description="What kind of activity it is.")
    duration_seconds: int | None = strawberry.field(description="Per side and set.")
    repetitions: int | None = strawberry.field(description="Per side and set.")
    sets: int = strawberry.field(description="How many times it is done.")
    rest_seconds: int = strawberry.field(description="Rest after each set.")
    sides: content.ActivitySides = strawberry.field(description="Both sides at once, or each side in turn.")
    body_areas: list[models.MuscleGroup] = strawberry.field(description="What it works.")
    rpe: int | None = strawberry.field(description="Intensity, RPE 1-10 (1-3 light).")
    temperature_celsius: int | None = strawberry.field(description="Water or room temperature (cold, heat).")
    notes: str | None = strawberry.field(description="Cues.")
    total_seconds: int = strawberry.field(
        description="sets x (time per set, doubled for EACH_SIDE, + rest); repetitions count "
        f"{content.DEFAULT_SECONDS_PER_REP} s each when no duration is given."
    )
    exercise_id: Private[uuid.UUID | None]

    @classmethod
    def from_content(cls, value: content.RecoveryActivity) -> RecoveryActivity:
        return cls(
            name=value.name,
            modality=value.modality,
            duration_seconds=value.duration_seconds,
            repetitions=value.repetitions,
            sets=value.sets,
            rest_seconds=value.rest_seconds,
            sides=value.sides,
            body_areas=list(value.body_areas),
            rpe=value.rpe,
            temperature_celsius=value.temperature_celsius,
            notes=value.notes,
            total_seconds=value.seconds,
            exercise_id=value.exercise_id,
        )

    @strawberry.field(description="The library exercise it is, if one.")
    async def exercise(self, info: Ctx) -> Exercise | None:
        if self.exercise_id is None:
            return None
        row = await loaders.exercises(info).load(self.exercise_id)
        return None if row is None else Exercise.from_row(row)


@strawberry.interface(description="What a workout prescribes; workouts and templates share it.")
class WorkoutStructure:
    kind: models.WorkoutKind = strawberry.field(
        description="Strength, conditioning, hybrid, agility, recovery or flexibility."
    )
    document: Private[content.WorkoutContent]

    @strawberry.field(description="Exercises with their sets (STRENGTH); empty for other kinds.")
    def exercises(self) -> list[WorkoutExercise]:
        return [WorkoutExercise.from_content(one) for one in self.document.exercises or ()]

    @strawberry.field(description="The interval program (CONDITIONING); null for other kinds.")
    def interval_program(self) -> IntervalProgram | None:
        program = self.document.interval_program
        return None if program is None else IntervalProgram.from_content(program)

    @strawberry.field(description="Strength and conditioning blocks (HYBRID); empty for other kinds.")
    def blocks(self) -> list[WorkoutBlock]:
        return [WorkoutBlock.from_content(one) for one in self.document.blocks or ()]

    @strawberry.field(description="Timed drills (AGILITY); empty for other kinds.")
    def drills(self) -> list[AgilityDrill]:
        return [
            AgilityDrill(
                name=one.name,
                target_seconds=one.target_seconds,
                reps=one.reps,
                rest_seconds=one.rest_seconds,
                description=one.description,
                allowed_errors=one.allowed_errors,
            )
            for one in self.document.drills or ()
        ]

    @strawberry.field(description="Recovery or flexibility activities (RECOVERY, FLEXIBILITY); empty for other kinds.")
    def activities(self) -> list[RecoveryActivity]:
        return [RecoveryActivity.from_content(one) for one in self.document.activities or ()]

    @strawberry.field(description="Total time in seconds: work, tempo-timed reps and rests.")
    def total_duration_seconds(self) -> int:
        return self.document.duration_seconds

    @strawberry.field(description="Total strength volume: sets x reps x load, in kilograms.")
    def volume_kg(self) -> float:
        return self.document.volume_kg

    @strawberry.field(
        description="Time working in interval programs (CONDITIONING, HYBRID): repeats x work seconds, without "
        "rests, warm-ups and cool-downs; 0 without intervals."
    )
    def work_seconds(self) -> int:
        return self.document.work_seconds

    @strawberry.field(description="Intervals done, each repeat counted (CONDITIONING, HYBRID); 0 without intervals.")
    def interval_count(self) -> int:
        return self.document.interval_count

    @strawberry.field(description="Strength exercises prescribed (STRENGTH, HYBRID); a repeated one counts twice.")
    def exercise_count(self) -> int:
        return self.document.exercise_count

    @strawberry.field(description="Strength sets over every exercise (STRENGTH, HYBRID).")
    def set_count(self) -> int:
        return self.document.set_count
