"""GraphQL types of what players actually did: performed sets, drill attempts, per-session progression."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

import strawberry
from strawberry import Private

from shared.graphql import Ctx, parse_id, to_id
from shared.graphql.loaders import many_per_key
from subgraphs.training import loaders, models
from subgraphs.training.execution import drills, performance
from subgraphs.training.execution.drills import AttemptDraft, DrillDraft
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


@strawberry.type(description="One timed attempt of an agility drill.")
class DrillAttempt:
    attempt_number: int = strawberry.field(description="1 for the first attempt.")
    seconds: float = strawberry.field(description="Time of the attempt.")
    errors: int = strawberry.field(description="Errors made (missed cones, wrong turns).")
    counted: bool = strawberry.field(description="Whether its errors are within those the drill allows.")
    met_target: bool = strawberry.field(description="Counted and no slower than the drill's target time.")

    @classmethod
    def from_row(cls, row: models.PerformedDrillAttempt) -> DrillAttempt:
        return cls(
            attempt_number=row.attempt_number,
            seconds=float(row.seconds),
            errors=row.errors,
            counted=drills.counts(row),
            met_target=drills.meets_target(row),
        )


@strawberry.type(description="One session in which the player did a drill: its prescription and the attempts.")
class DrillSessionProgress:
    completed_on: date = strawberry.field(description="The day the workout was done.")
    assigned_workout_id: strawberry.ID = strawberry.field(description="The player's assigned workout it was part of.")
    drill_name: str = strawberry.field(description="The drill as the workout named it.")
    target_seconds: float = strawberry.field(description="The target time then.")
    allowed_errors: int | None = strawberry.field(description="Errors an attempt could have and count, then.")
    attempts: list[DrillAttempt] = strawberry.field(description="The attempts, in order.")
    best_seconds: float | None = strawberry.field(description="The fastest attempt that counted.")
    total_errors: int = strawberry.field(description="Errors over all attempts.")

    @classmethod
    def of_sessions(
        cls, rows: Sequence[tuple[models.PerformedDrillAttempt, models.PlayerWorkout]]
    ) -> list[DrillSessionProgress]:
        sessions: dict[tuple[uuid.UUID, int], tuple[models.PlayerWorkout, list[models.PerformedDrillAttempt]]] = {}
        for one, workout in rows:
            sessions.setdefault((workout.id, one.drill_index), (workout, []))[1].append(one)
        progress = []
        for workout, attempts in sessions.values():
            assert workout.completed_on is not None  # attempts are written when a workout is completed
            first = attempts[0]
            progress.append(
                cls(
                    completed_on=workout.completed_on,
                    assigned_workout_id=to_id(workout.id),
                    drill_name=first.drill_name,
                    target_seconds=float(first.target_seconds),
                    allowed_errors=first.allowed_errors,
                    attempts=[DrillAttempt.from_row(one) for one in attempts],
                    best_seconds=drills.best_seconds(attempts),
                    total_errors=sum(one.errors for one in attempts),
                )
            )
        return progress

    @classmethod
    async def of_player(
        cls, info: Ctx, player_id: uuid.UUID, *, drill: str, organization_id: uuid.UUID | None
    ) -> list[DrillSessionProgress]:
        session = info.context.session

        async def load(ids: list[uuid.UUID]) -> list[list[tuple[models.PerformedDrillAttempt, models.PlayerWorkout]]]:
            rows = await drills.drill_history(session, ids, drill_name=drill, organization_id=organization_id)
            return many_per_key(rows, ids, lambda row: row[0].player_id)

        loader = info.context.loader(("training.drill_history", organization_id, drill.strip().lower()), load)
        return cls.of_sessions(await loader.load(player_id))


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


@strawberry.input(description="One timed attempt of a drill.")
class DrillAttemptInput:
    seconds: float = strawberry.field(description="Time, more than 0 and at most 600.")
    errors: int = strawberry.field(default=0, description="Errors made, 0-100.")


@strawberry.input(description="One of the workout's agility drills as done: its attempts, in order.")
class PerformedDrillInput:
    drill_index: int = strawberry.field(description="The drill's position in the workout's drills, from 0.")
    attempts: list[DrillAttemptInput] = strawberry.field(description="At least one attempt, at most 50.")


@strawberry.input(description="What the player actually did of a workout: exercises with their sets, drills.")
class WorkoutPerformanceInput:
    exercises: list[PerformedExerciseInput] = strawberry.field(
        default_factory=list, description="The exercises, in the order done."
    )
    drills: list[PerformedDrillInput] = strawberry.field(
        default_factory=list, description="The workout's agility drills as done, each with its timed attempts."
    )


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


def drill_drafts_of(input: WorkoutPerformanceInput) -> list[DrillDraft]:
    return [
        DrillDraft(
            drill_index=one.drill_index,
            attempts=tuple(AttemptDraft(seconds=attempt.seconds, errors=attempt.errors) for attempt in one.attempts),
        )
        for one in input.drills
    ]
