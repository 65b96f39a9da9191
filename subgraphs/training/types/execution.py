"""GraphQL types of what players actually did: performed sets and per-session progression."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

import strawberry
from strawberry import Private

from shared.graphql import Ctx, parse_id, to_id
from subgraphs.training import loaders, models
from subgraphs.training.execution import performance
from subgraphs.training.execution.performance import ExerciseDraft, SetDraft
from subgraphs.training.types.library import Exercise


@strawberry.type(description="One set (or bout) as the player did it.")
class PerformedSet:
    set_number: int = strawberry.field(description="1 for the first set of the exercise.")
    reps: int | None = strawberry.field(description="Repetitions.")
    load_kg: float | None = strawberry.field(description="Load lifted, in kilograms.")
    seconds: int | None = strawberry.field(description="Time, in seconds.")
    meters: int | None = strawberry.field(description="Distance, in meters.")
    heart_rate_avg: int | None = strawberry.field(description="Average heart rate (beats per minute).")
    heart_rate_max: int | None = strawberry.field(description="Maximum heart rate (beats per minute).")
    estimated_one_rep_max_kg: float | None = strawberry.field(
        description="Epley's estimate: loadKg x (1 + reps / 30), to 0.1 kg; null without reps and a load."
    )

    @classmethod
    def from_row(cls, row: models.PerformedSet) -> PerformedSet:
        return cls(
            set_number=row.set_number,
            reps=row.reps,
            load_kg=None if row.load_kg is None else float(row.load_kg),
            seconds=row.seconds,
            meters=row.meters,
            heart_rate_avg=row.heart_rate_avg,
            heart_rate_max=row.heart_rate_max,
            estimated_one_rep_max_kg=performance.estimated_one_rep_max(row),
        )


@strawberry.type(description="One exercise as the player did it, with its sets.")
class PerformedExercise:
    sets: list[PerformedSet] = strawberry.field(description="The sets, in order.")
    volume_kg: float = strawberry.field(description="Sum over sets of reps x loadKg.")
    exercise_id: Private[uuid.UUID]

    @classmethod
    def group(cls, rows: Sequence[models.PerformedSet]) -> list[PerformedExercise]:
        by_index: dict[int, list[models.PerformedSet]] = {}
        for row in rows:
            by_index.setdefault(row.exercise_index, []).append(row)
        return [
            cls(
                sets=[PerformedSet.from_row(row) for row in group],
                volume_kg=performance.volume_kg(group),
                exercise_id=group[0].exercise_id,
            )
            for _, group in sorted(by_index.items())
        ]

    @strawberry.field(description="The library exercise.")
    async def exercise(self, info: Ctx) -> Exercise | None:
        row = await loaders.exercises(info).load(self.exercise_id)
        return None if row is None else Exercise.from_row(row)


@strawberry.type(description="One session in which the player did an exercise: how strong and how much.")
class ExerciseSessionProgress:
    completed_on: date = strawberry.field(description="The day the workout was done.")
    assigned_workout_id: strawberry.ID = strawberry.field(description="The player's assigned workout it was part of.")
    sets: list[PerformedSet] = strawberry.field(description="The sets of the exercise that session.")
    estimated_one_rep_max_kg: float | None = strawberry.field(
        description="The best set's Epley estimate, loadKg x (1 + reps / 30), to 0.1 kg."
    )
    volume_kg: float = strawberry.field(description="Sum over the exercise's sets of reps x loadKg.")
    training_load: int | None = strawberry.field(
        description="The whole session's load: minutes x RPE (CR-10), when both were reported."
    )

    @classmethod
    def of_sessions(
        cls, rows: Sequence[tuple[models.PerformedSet, models.PlayerWorkout]]
    ) -> list[ExerciseSessionProgress]:
        sessions: dict[uuid.UUID, tuple[models.PlayerWorkout, list[models.PerformedSet]]] = {}
        for one, workout in rows:
            sessions.setdefault(workout.id, (workout, []))[1].append(one)
        progress = []
        for workout, sets in sessions.values():
            assert workout.completed_on is not None  # sets are written when a workout is completed
            progress.append(
                cls(
                    completed_on=workout.completed_on,
                    assigned_workout_id=to_id(workout.id),
                    sets=[PerformedSet.from_row(one) for one in sets],
                    estimated_one_rep_max_kg=performance.best_one_rep_max(sets),
                    volume_kg=performance.volume_kg(sets),
                    training_load=performance.session_load(workout),
                )
            )
        return progress


@strawberry.input(description="One set as done; which measures are required depends on the exercise's unit.")
class PerformedSetInput:
    reps: int | None = strawberry.field(default=None, description="Repetitions (required for REPS and KILOGRAMS).")
    load_kg: float | None = strawberry.field(default=None, description="Kilograms lifted (required for KILOGRAMS).")
    seconds: int | None = strawberry.field(default=None, description="Seconds (required for SECONDS and WATTS).")
    meters: int | None = strawberry.field(default=None, description="Meters (required for METERS).")
    heart_rate_avg: int | None = strawberry.field(default=None, description="Average heart rate, 20-250.")
    heart_rate_max: int | None = strawberry.field(default=None, description="Maximum heart rate, 20-250.")


@strawberry.input(description="One exercise as done, with its sets in order.")
class PerformedExerciseInput:
    exercise_id: strawberry.ID = strawberry.field(description="An exercise of the club's library.")
    sets: list[PerformedSetInput] = strawberry.field(description="The sets, at least one.")


@strawberry.input(description="What the player actually did of a workout.")
class WorkoutPerformanceInput:
    exercises: list[PerformedExerciseInput] = strawberry.field(description="The exercises, in the order done.")


def drafts_of(input: WorkoutPerformanceInput) -> list[ExerciseDraft]:
    return [
        ExerciseDraft(
            exercise_id=parse_id(one.exercise_id, field=f"performance.exercises[{index}].exerciseId"),
            sets=tuple(
                SetDraft(
                    reps=done.reps,
                    load_kg=done.load_kg,
                    seconds=done.seconds,
                    meters=done.meters,
                    heart_rate_avg=done.heart_rate_avg,
                    heart_rate_max=done.heart_rate_max,
                )
                for done in one.sets
            ),
        )
        for index, one in enumerate(input.exercises)
    ]
