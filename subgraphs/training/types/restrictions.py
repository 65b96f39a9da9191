"""Players' medical restrictions as a trainer sees them, the conflicts they raise, and overrides."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from shared.graphql import UserReference
from subgraphs.training import models
from subgraphs.training.restrictions import rules
from subgraphs.training.service.common import today

strawberry.enum(
    models.RestrictionKind,
    name="TrainingRestrictionKind",
    description="What a player may not do, from the medical staff: the medical restriction kinds, and "
    "UNAVAILABLE while an injury keeps the player out.",
)


@strawberry.type(
    description="A restriction on a player's training from the medical staff, as a trainer may see it: what, "
    "where and when, never a diagnosis or note."
)
class TrainingRestriction:
    kind: models.RestrictionKind = strawberry.field(description="What the player may not do.")
    severity: models.RestrictionSeverity = strawberry.field(
        description="How strictly: scales the player's load and rest; COMPLETE exempts them from what it touches."
    )
    body_part: str | None = strawberry.field(
        description="The body part it protects, as the medical staff name it (e.g. `knee`, `lower_back`)."
    )
    max_intensity_percent: int | None = strawberry.field(
        description="LIMITED_INTENSITY: the highest intensity allowed, in percent."
    )
    starts_on: date = strawberry.field(description="First day (UNAVAILABLE: the day of the injury).")
    ends_on: date | None = strawberry.field(description="Last day; null: until the medical staff lift it.")
    expected_return_on: date | None = strawberry.field(
        description="UNAVAILABLE: when the medical staff expect the player back, an estimate."
    )
    summary: str = strawberry.field(
        description="The restriction in words, e.g. `Player restricted from lower-body load (knee) until 2026-12-10`."
    )

    @classmethod
    def from_row(cls, row: models.PlayerRestriction) -> TrainingRestriction:
        return cls(
            kind=row.kind,
            severity=row.severity,
            body_part=row.body_part,
            max_intensity_percent=row.max_intensity_percent,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            expected_return_on=row.expected_return_on,
            summary=rules.describe(row, today=today()),
        )


@strawberry.type(
    description="A flag on a player's workout: a restriction in force during the workout's days forbids it. "
    "UNAVAILABLE and REST forbid every workout; NO_LOWER_BODY_LOAD exercises working a lower-body muscle group, "
    "plyometric and agility exercises, intervals on a bike, rower, treadmill or running, and agility drills; "
    "NO_UPPER_BODY_LOAD exercises working an upper-body muscle group and intervals on a rower or ski erg; "
    "LIMITED_INTENSITY work above the allowed percent (strength at the player's load modifier, intervals at "
    "the top of their heart-rate zone, 50 + 10 x zone %, drills and plyometric or agility exercises at 100 %); "
    "NO_SKATING, NO_CONTACT and NO_GAME_PLAY no off-ice workout. The flag goes when the restriction is lifted "
    "or the injury resolves."
)
class RestrictionConflict:
    reason: str = strawberry.field(
        description="Why, for the trainer, e.g. `Player restricted from lower-body load (knee) until "
        "2026-12-10: Back Squat loads the lower body`."
    )
    overridden: bool = strawberry.field(description="True once the medical staff approved an override of it.")
    flagged_at: datetime = strawberry.field(description="When the conflict was found.")
    restriction: TrainingRestriction = strawberry.field(description="The restriction that forbids the workout.")

    @classmethod
    def from_rows(
        cls, conflict: models.RestrictionConflict, restriction: models.PlayerRestriction
    ) -> RestrictionConflict:
        return cls(
            reason=conflict.reason,
            overridden=conflict.overridden,
            flagged_at=conflict.flagged_at,
            restriction=TrainingRestriction.from_row(restriction),
        )


@strawberry.type(description="A trainer's decision to assign a workout despite players' medical restrictions.")
class RestrictionOverride:
    reason: str = strawberry.field(description="Why the trainer assigned it anyway.")
    overridden_at: datetime = strawberry.field(description="When.")
    overridden_by: UserReference | None = strawberry.field(description="Who.")

    @classmethod
    def of(cls, row: models.WorkoutAssignment) -> RestrictionOverride | None:
        if row.override_reason is None or row.override_at is None:
            return None
        return cls(
            reason=row.override_reason,
            overridden_at=row.override_at,
            overridden_by=UserReference.from_id(row.override_by) if row.override_by is not None else None,
        )


@strawberry.input(description="Assign a workout even though it conflicts with players' medical restrictions.")
class RestrictionOverrideInput:
    reason: str = strawberry.field(description="Why, up to 500 characters: recorded on the assignment.")
