"""GraphQL types of players' compliance with their medical restrictions, adapted prescriptions and overrides,
and of how assignments are given out (positions, recurrence, clashes)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import strawberry
from strawberry import Private

from shared.errors import not_found
from shared.graphql import Ctx, UserReference, to_id
from subgraphs.training import content, loaders, models, planning_copy
from subgraphs.training.restrictions import compliance
from subgraphs.training.service import schedule
from subgraphs.training.service.assignments import AssignmentLineType, AssignmentPosition
from subgraphs.training.types.library import Exercise
from subgraphs.training.types.structure import WorkoutStructure

strawberry.enum(
    models.WorkoutCompliance,
    name="WorkoutCompliance",
    description="A player's workout against their medical restrictions: COMPLIANT (untouched), "
    "PARTIALLY_COMPLIANT (adapted: load and rest scaled by severity, unsafe exercises swapped), EXEMPT (a "
    "COMPLETE restriction, a rest order or an injury: not to be done), NOT_COMPLIANT (no safe adaptation: "
    "only with an override the medical staff approved).",
)
strawberry.enum(
    models.RestrictionSeverity,
    name="TrainingRestrictionSeverity",
    description="How strictly a restriction holds: MILD scales load x0.8 and rest x1.2, MODERATE x0.6 and "
    "x1.5, SEVERE x0.3 and x2.0; COMPLETE exempts the player.",
)
strawberry.enum(models.OverrideStatus, name="RestrictionOverrideStatus", description="Pending, approved or rejected.")
strawberry.enum(
    models.AssignmentConflictChoice,
    name="AssignmentConflictChoice",
    description="Where a player already has an open workout in the days: SKIP leaves the player out of that "
    "occurrence, REPLACE skips the other workout, KEEP_BOTH gives them both.",
)
strawberry.enum(
    AssignmentPosition,
    name="AssignmentPosition",
    description="A position of a team's players; FORWARD covers centers and wingers.",
)
strawberry.enum(
    AssignmentLineType,
    name="AssignmentLineType",
    description="A line type of a team's lineup, as planning sets them in game plans.",
)
strawberry.enum(schedule.Frequency, name="AssignmentFrequency", description="How often an assignment repeats.")


@strawberry.input(
    description="Repeat an assignment: every `interval` days or weeks (on `weekdays`, WEEKLY), until a day or "
    "for a count (at most 60 occurrences within a year). Each occurrence lasts as long as the first."
)
class AssignmentRecurrenceInput:
    frequency: schedule.Frequency = strawberry.field(description="DAILY or WEEKLY.")
    interval: int = strawberry.field(default=1, description="Every 1-8 days or weeks.")
    weekdays: list[int] = strawberry.field(
        default_factory=list, description="WEEKLY: ISO weekdays, 1 (Monday) to 7 (Sunday); default the first day's."
    )
    until: date | None = strawberry.field(default=None, description="The last day an occurrence may start.")
    count: int | None = strawberry.field(default=None, description="How many occurrences, 1-60.")

    def to_recurrence(self) -> schedule.Recurrence:
        return schedule.Recurrence(
            frequency=self.frequency,
            interval=self.interval,
            weekdays=tuple(self.weekdays),
            until=self.until,
            count=self.count,
        )


@strawberry.type(description="A swap in a player's prescription made for their restrictions.")
class PrescriptionSubstitution:
    path: str = strawberry.field(
        description="Which part of the workout, e.g. `exercises[0]` or `blocks[1].intervalProgram`."
    )
    replaced_equipment: models.ConditioningEquipment | None = strawberry.field(
        description="The interval program's equipment that was replaced."
    )
    replacement_equipment: models.ConditioningEquipment | None = strawberry.field(description="What it is done on.")
    replaced_id: Private[uuid.UUID | None]
    replacement_id: Private[uuid.UUID | None]

    @classmethod
    def of(cls, value: compliance.Substitution) -> PrescriptionSubstitution:
        exercise = value.kind == "exercise"
        return cls(
            path=value.path,
            replaced_equipment=None if exercise else models.ConditioningEquipment(value.replaced),
            replacement_equipment=None if exercise else models.ConditioningEquipment(value.replacement),
            replaced_id=uuid.UUID(value.replaced) if exercise else None,
            replacement_id=uuid.UUID(value.replacement) if exercise else None,
        )

    async def _exercise(self, info: Ctx, exercise_id: uuid.UUID | None) -> Exercise | None:
        if exercise_id is None:
            return None
        row = await loaders.exercises(info).load(exercise_id)
        if row is None:
            raise not_found("Exercise", exercise_id)
        return Exercise.from_row(row)

    @strawberry.field(description="The exercise that was replaced (exercise swaps).")
    async def replaced_exercise(self, info: Ctx) -> Exercise | None:
        return await self._exercise(info, self.replaced_id)

    @strawberry.field(description="The safe alternative the player does instead (exercise swaps).")
    async def replacement_exercise(self, info: Ctx) -> Exercise | None:
        return await self._exercise(info, self.replacement_id)


@strawberry.type(
    description="How a player's workout stands against their medical restrictions, and how it was adapted."
)
class ComplianceReport:
    status: models.WorkoutCompliance = strawberry.field(description="Compliant, partially, exempt or not.")
    load_factor: float = strawberry.field(description="What the prescribed loads (and watts) are multiplied by.")
    rest_factor: float = strawberry.field(description="What the prescribed rests are multiplied by.")
    heart_rate_zone_cap: int | None = strawberry.field(description="The highest heart-rate zone allowed, if capped.")
    substitutions: list[PrescriptionSubstitution] = strawberry.field(description="Exercises and equipment swapped.")
    reasons: list[str] = strawberry.field(
        description="The restrictions that shaped it, and what could not be adapted; never a diagnosis."
    )

    @classmethod
    def of(cls, row: models.PlayerWorkout) -> ComplianceReport:
        assessment = stored_assessment(row)
        return cls(
            status=assessment.compliance,
            load_factor=float(assessment.load_factor),
            rest_factor=float(assessment.rest_factor),
            heart_rate_zone_cap=assessment.heart_rate_zone_cap,
            substitutions=[PrescriptionSubstitution.of(one) for one in assessment.substitutions],
            reasons=list(assessment.reasons),
        )


def stored_assessment(row: models.PlayerWorkout) -> compliance.Assessment:
    return compliance.Assessment.stored(row.compliance, row.load_factor, row.rest_factor, row.adaptation or {})


@strawberry.type(
    description="A player's own prescription: the workout at their load modifier, adapted to their restrictions."
)
class PlayerPrescription(WorkoutStructure):
    pass


def player_prescription(
    row: models.PlayerWorkout, workout: models.Workout, block: planning_copy.TrainingBlock | None
) -> PlayerPrescription:
    structure = content.from_document(workout.content)
    adapted = compliance.adapt(
        structure,
        stored_assessment(row),
        load_modifier_percent=row.load_modifier_percent,
        load_target_percent=block.load_target_percent if block is not None else 100,
    )
    return PlayerPrescription(kind=workout.kind, document=adapted)


@strawberry.type(
    description="The season's training block in force on a day, as the coaches planned it: its intensity sets "
    "the players' load target (RECOVERY 60 %, LOW 75 %, MEDIUM 90 %, HIGH 100 %, PEAK 105 % of the "
    "prescription)."
)
class TrainingBlock:
    name: str = strawberry.field(description="The block's name.")
    intensity: str = strawberry.field(description="recovery, low, medium, high or peak, as planning names it.")
    phase_kind: str = strawberry.field(description="The phase it is part of: pre_season, regular_season, ...")
    starts_on: date = strawberry.field(description="First day.")
    ends_on: date = strawberry.field(description="Last day.")
    load_target_percent: int = strawberry.field(description="The load target, in percent of the prescription.")

    @classmethod
    def of(cls, block: planning_copy.TrainingBlock) -> TrainingBlock:
        return cls(
            name=block.name,
            intensity=block.intensity,
            phase_kind=block.phase_kind,
            starts_on=block.starts_on,
            ends_on=block.ends_on,
            load_target_percent=block.load_target_percent,
        )


@strawberry.type(description="A unit of one line type of a team's latest lineup.")
class AssignmentLine:
    line_type: AssignmentLineType = strawberry.field(description="Even strength, power play, ...")
    unit: int = strawberry.field(description="1 for the first unit.")


@strawberry.input(description="A unit of one line type of the team's latest lineup (from its latest game plan).")
class AssignmentLineInput:
    line_type: AssignmentLineType = strawberry.field(description="Even strength, power play, ...")
    unit: int = strawberry.field(description="1-4: the first line, pair or unit is 1.")


@strawberry.type(
    description="A trainer's request for a player to do a workout their restrictions forbid even adapted, and "
    "the medical staff's decision: a record, never changed after the decision."
)
class RestrictionOverrideRequest:
    id: strawberry.ID = strawberry.field(description="The request's id, to decide it by.")
    reason: str = strawberry.field(description="Why the trainer asks.")
    requested_at: datetime = strawberry.field(description="When.")
    status: models.OverrideStatus = strawberry.field(description="Pending, approved or rejected.")
    decided_at: datetime | None = strawberry.field(description="When the medical staff decided.")
    decision_note: str | None = strawberry.field(description="The medical staff's note.")
    row: Private[models.RestrictionOverrideRequest]

    @classmethod
    def from_row(cls, row: models.RestrictionOverrideRequest) -> RestrictionOverrideRequest:
        return cls(
            id=to_id(row.id),
            reason=row.reason,
            requested_at=row.requested_at,
            status=row.status,
            decided_at=row.decided_at,
            decision_note=row.decision_note,
            row=row,
        )

    @strawberry.field(description="Who asked.")
    def requested_by(self) -> UserReference | None:
        return None if self.row.requested_by is None else UserReference.from_id(self.row.requested_by)

    @strawberry.field(description="Who decided.")
    def decided_by(self) -> UserReference | None:
        return None if self.row.decided_by is None else UserReference.from_id(self.row.decided_by)
