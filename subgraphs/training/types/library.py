"""GraphQL enums of the training service, and the library's types."""

from __future__ import annotations

import uuid

import strawberry
from strawberry import Private

from shared.graphql import Ctx, to_id
from shared.graphql.loaders import many_per_key
from subgraphs.training import content, models
from subgraphs.training.service import library

strawberry.enum(models.ExerciseCategory, name="ExerciseCategory", description="What an exercise develops.")
strawberry.enum(models.MuscleGroup, name="MuscleGroup", description="A muscle group an exercise works.")
strawberry.enum(models.ExerciseUnit, name="ExerciseUnit", description="What an exercise is measured in.")
strawberry.enum(
    models.WorkoutKind,
    name="WorkoutKind",
    description="STRENGTH (exercises with sets), CONDITIONING (an interval program), HYBRID (strength and "
    "conditioning blocks), AGILITY (timed drills), RECOVERY or FLEXIBILITY (activities such as foam rolling, "
    "stretches, breathing, cold water).",
)
strawberry.enum(models.ExerciseOrder, name="ExerciseOrder", description="How the exercise library is listed.")
strawberry.enum(
    content.RecoveryModality,
    name="RecoveryModality",
    description="What a recovery or flexibility activity is: FOAM_ROLL, STRETCH, MOBILITY, BREATHING, COLD "
    "(water), HEAT (bath, sauna), MASSAGE, EASY_CARDIO (an easy walk or bike).",
)
strawberry.enum(
    content.ActivitySides,
    name="ActivitySides",
    description="BOTH: done once per set; EACH_SIDE: one side then the other, so its time counts twice.",
)
strawberry.enum(
    models.ConditioningEquipment,
    name="ConditioningEquipment",
    description="What a conditioning interval program is done on.",
)
strawberry.enum(
    models.TemplateVisibility,
    name="TemplateVisibility",
    description="Who sees a template: its author, a team's staff, or all of the club's staff.",
)
strawberry.enum(
    models.AssignmentStatus,
    name="AssignmentStatus",
    description="Where a player is with an assigned workout.",
)


@strawberry.type(description="Where a prescription of an exercise starts; only the measures its unit has.")
class ExerciseDefaults:
    sets: int | None = strawberry.field(description="Sets, 1-20.")
    reps: int | None = strawberry.field(description="Repetitions per set (REPS, KILOGRAMS).")
    load_kg: float | None = strawberry.field(description="Load in kilograms (KILOGRAMS).")
    seconds: int | None = strawberry.field(description="Seconds per set (SECONDS, WATTS).")
    meters: int | None = strawberry.field(description="Meters per set (METERS).")
    watts: int | None = strawberry.field(description="Target power (WATTS).")
    rest_seconds: int | None = strawberry.field(description="Rest after each set.")


@strawberry.type(
    description="How an exercise progresses: add incrementAmount incrementUnit when the condition holds "
    "(e.g. 2.5 KILOGRAMS when all sets were done at RPE 8 or less), and free text."
)
class ExerciseProgression:
    increment_amount: float | None = strawberry.field(description="How much to add, e.g. 2.5.")
    increment_unit: models.ExerciseUnit | None = strawberry.field(description="What the increment is counted in.")
    condition: str | None = strawberry.field(description="When to progress, e.g. 'all sets at RPE <= 8'.")
    notes: str | None = strawberry.field(description="Further guidance.")


@strawberry.type(description="An exercise of the club's library.")
class Exercise:
    id: strawberry.ID = strawberry.field(description="The exercise's id.")
    name: str = strawberry.field(description="Unique in the club's library.")
    category: models.ExerciseCategory = strawberry.field(description="What it develops.")
    muscle_groups: list[models.MuscleGroup] = strawberry.field(description="Muscle groups it works.")
    equipment: list[str] = strawberry.field(description="What it needs, e.g. barbell, box, slideboard.")
    unit: models.ExerciseUnit = strawberry.field(description="What it is measured in.")
    description: str | None = strawberry.field(description="How to do it, and coaching cues.")
    defaults: ExerciseDefaults | None = strawberry.field(
        description="Where a prescription starts; null when the library gives none."
    )
    progression: ExerciseProgression | None = strawberry.field(description="How it progresses; null when not said.")
    exercise_id: Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: models.Exercise) -> Exercise:
        defaults, progression = library.defaults_of(row), library.progression_of(row)
        return cls(
            id=to_id(row.id),
            name=row.name,
            category=row.category,
            muscle_groups=list(row.muscle_groups),
            equipment=list(row.equipment),
            unit=row.unit,
            description=row.description,
            defaults=None
            if defaults is None
            else ExerciseDefaults(
                sets=defaults.sets,
                reps=defaults.reps,
                load_kg=defaults.load_kg,
                seconds=defaults.seconds,
                meters=defaults.meters,
                watts=defaults.watts,
                rest_seconds=defaults.rest_seconds,
            ),
            progression=None
            if progression is None
            else ExerciseProgression(
                increment_amount=progression.increment,
                increment_unit=progression.unit,
                condition=progression.condition,
                notes=progression.notes,
            ),
            exercise_id=row.id,
        )

    @strawberry.field(
        description="Exercises of the library a trainer may swap in for this one (e.g. for a medical "
        "substitution), in order of preference."
    )
    async def alternatives(self, info: Ctx) -> list[Exercise]:
        session = info.context.session

        async def load(ids: list[uuid.UUID]) -> list[list[models.Exercise]]:
            rows = await library.alternatives_by_exercise(session, ids)
            grouped = many_per_key(rows, ids, lambda row: row[0])
            return [[alternative for _, alternative in group] for group in grouped]

        loader = info.context.loader("training.exercise_alternatives", load)
        return [Exercise.from_row(row) for row in await loader.load(self.exercise_id)]
