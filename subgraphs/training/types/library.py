"""GraphQL enums of the training service, and the library's types."""

from __future__ import annotations

import strawberry

from shared.graphql import to_id
from subgraphs.training import models

strawberry.enum(models.ExerciseCategory, name="ExerciseCategory", description="What an exercise develops.")
strawberry.enum(models.MuscleGroup, name="MuscleGroup", description="A muscle group an exercise works.")
strawberry.enum(models.ExerciseUnit, name="ExerciseUnit", description="What an exercise is measured in.")
strawberry.enum(
    models.WorkoutKind,
    name="WorkoutKind",
    description="STRENGTH (exercises with sets), CONDITIONING (an interval program), HYBRID (strength and "
    "conditioning blocks) or AGILITY (timed drills).",
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


@strawberry.type(description="An exercise of the club's library.")
class Exercise:
    id: strawberry.ID = strawberry.field(description="The exercise's id.")
    name: str = strawberry.field(description="Unique in the club's library.")
    category: models.ExerciseCategory = strawberry.field(description="What it develops.")
    muscle_groups: list[models.MuscleGroup] = strawberry.field(description="Muscle groups it works.")
    equipment: list[str] = strawberry.field(description="What it needs, e.g. barbell, box, slideboard.")
    unit: models.ExerciseUnit = strawberry.field(description="What it is measured in.")
    description: str | None = strawberry.field(description="How to do it, and coaching cues.")

    @classmethod
    def from_row(cls, row: models.Exercise) -> Exercise:
        return cls(
            id=to_id(row.id),
            name=row.name,
            category=row.category,
            muscle_groups=list(row.muscle_groups),
            equipment=list(row.equipment),
            unit=row.unit,
            description=row.description,
        )
