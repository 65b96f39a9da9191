"""GraphQL types of training load (the rules are in workload.py; `WorkloadRatio` is in types.py, beside
the `Player` it names)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from subgraphs.statistics import models
from subgraphs.statistics.workload import TeamLoad

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


@strawberry.type(
    description=(
        "A team's training load on one day, over its active players: means and the ratio count only players "
        "with a baseline (load in the last 28 days)."
    )
)
class TeamLoadSummary:
    as_of: date = strawberry.field(description="The last day of the windows.")
    players: int = strawberry.field(description="Active players on the team.")
    players_with_baseline: int = strawberry.field(description="Of them, those with load in the last 28 days.")
    acute_load: float | None = strawberry.field(description="Mean 7-day load per player, to two decimals.")
    chronic_load: float | None = strawberry.field(description="Mean chronic weekly load per player, to two decimals.")
    ratio: float | None = strawberry.field(
        description="The team's acute:chronic ratio: summed acute load / summed chronic weekly load."
    )
    spikes: int = strawberry.field(description="Players with a ratio above 1.5.")
    under_training: int = strawberry.field(description="Players with a ratio below 0.8.")
    in_range: int = strawberry.field(description="Players from 0.8 to 1.5.")
    no_baseline: int = strawberry.field(description="Players without load in the last 28 days.")
    in_target_band: int = strawberry.field(description="Players in the 0.8-1.3 target band.")
    flagged: int = strawberry.field(description="Players flaggedPlayers lists.")

    @classmethod
    def from_row(cls, row: TeamLoad) -> TeamLoadSummary:
        def number(value: Decimal | None) -> float | None:
            return None if value is None else float(value)

        return cls(
            as_of=row.as_of,
            players=row.players,
            players_with_baseline=row.with_baseline,
            acute_load=number(row.acute_load),
            chronic_load=number(row.chronic_load),
            ratio=number(row.ratio),
            spikes=row.flags[models.WorkloadFlag.SPIKE],
            under_training=row.flags[models.WorkloadFlag.UNDER_TRAINING],
            in_range=row.flags[models.WorkloadFlag.IN_RANGE],
            no_baseline=row.flags[models.WorkloadFlag.NO_BASELINE],
            in_target_band=row.in_target_band,
            flagged=row.flagged,
        )
