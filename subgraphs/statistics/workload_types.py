"""GraphQL types of training load (the rules are in workload.py; `WorkloadRatio` is in types.py, beside
the `Player` it names)."""

from __future__ import annotations

from datetime import date

import strawberry

from subgraphs.statistics import models

strawberry.enum(
    models.WorkloadFlag,
    name="WorkloadFlag",
    description=(
        "Where an acute:chronic workload ratio lies: SPIKE above 1.5, UNDER_TRAINING below 0.8, IN_RANGE "
        "from 0.8 to 1.5, NO_BASELINE without any training load in the last 28 days."
    ),
)


@strawberry.type(description="A player's training load on one day: the sum of the day's sessions.")
class TrainingDay:
    date: date = strawberry.field(description="The day.")
    load: int = strawberry.field(
        description=(
            "Arbitrary units: per session RPE x minutes (session-RPE), or without RPE minutes x the typical "
            "RPE of the workout's kind (strength 6, conditioning 7, hybrid 7, agility 5)."
        )
    )
    sessions: int = strawberry.field(description="Completed workouts that day.")

    @classmethod
    def from_row(cls, row: models.TrainingDay) -> TrainingDay:
        return cls(date=row.day, load=row.load, sessions=row.sessions)
