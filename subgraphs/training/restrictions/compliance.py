"""Whether a player may do a workout under their medical restrictions, and how it is adapted. Pure, no I/O.

Only the restrictions that touch the workout count (`rules.forbids`: a knee restriction does not touch an
upper-body session). Then:

- none: COMPLIANT, the prescription as written.
- one that is COMPLETE, a rest order or an active injury: EXEMPT, the player does not do it.
- otherwise PARTIALLY_COMPLIANT: load and rest scaled by the strictest severity (MILD x0.8 load, x1.2 rest;
  MODERATE x0.6, x1.5; SEVERE x0.3, x2.0; an intensity limit caps the load further), exercises that load a
  restricted body part swapped for the first safe alternative (the exercise's own alternatives in the
  library, in the trainer's order, then the library's exercises of the same category and unit), interval
  equipment that loads it swapped for equipment that does not, heart-rate zones capped below the limit.
- NOT_COMPLIANT when something has no safe adaptation (an exercise without a safe alternative, agility
  drills, an intensity limit below every heart-rate zone): the workout needs an override that the medical
  staff approve.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Any

from subgraphs.training import content
from subgraphs.training.models import (
    ConditioningEquipment,
    Exercise,
    PlayerRestriction,
    RestrictionKind,
    RestrictionSeverity,
    WorkoutCompliance,
)
from subgraphs.training.restrictions import rules

SCALING: Mapping[RestrictionSeverity, tuple[Decimal, Decimal]] = {
    RestrictionSeverity.MILD: (Decimal("0.80"), Decimal("1.20")),
    RestrictionSeverity.MODERATE: (Decimal("0.60"), Decimal("1.50")),
    RestrictionSeverity.SEVERE: (Decimal("0.30"), Decimal("2.00")),
}
"""(load factor, rest factor) by severity."""
_STRICTNESS = list(RestrictionSeverity)
_NOTHING_ALLOWED = frozenset({RestrictionKind.UNAVAILABLE, RestrictionKind.REST})
_EQUIPMENT_PREFERENCE = (
    ConditioningEquipment.BIKE,
    ConditioningEquipment.SKI_ERG,
    ConditioningEquipment.ROWER,
    ConditioningEquipment.TREADMILL,
    ConditioningEquipment.RUNNING,
)
_ONE = Decimal("1.00")


@dataclass(frozen=True, slots=True)
class Substitution:
    """One swap in a player's prescription: `path` names the prescription (`exercises[0]`,
    `blocks[1].intervalProgram`), `replaced` and `replacement` an exercise id or an equipment value."""

    path: str
    kind: str  # "exercise" or "equipment"
    replaced: str
    replacement: str


@dataclass(frozen=True, slots=True)
class Assessment:
    compliance: WorkoutCompliance
    load_factor: Decimal = _ONE
    rest_factor: Decimal = _ONE
    substitutions: tuple[Substitution, ...] = ()
    heart_rate_zone_cap: int | None = None
    reasons: tuple[str, ...] = ()
    """In a trainer's words: the restrictions that shaped it, and what could not be adapted."""
    restriction_ids: tuple[uuid.UUID, ...] = ()

    def to_document(self) -> dict[str, Any]:
        return {
            "substitutions": [dataclasses.asdict(one) for one in self.substitutions],
            "heart_rate_zone_cap": self.heart_rate_zone_cap,
            "reasons": list(self.reasons),
        }

    @classmethod
    def stored(
        cls, compliance: WorkoutCompliance, load_factor: Decimal, rest_factor: Decimal, document: Mapping[str, Any]
    ) -> Assessment:
        return cls(
            compliance=compliance,
            load_factor=load_factor,
            rest_factor=rest_factor,
            substitutions=tuple(Substitution(**one) for one in document.get("substitutions", ())),
            heart_rate_zone_cap=document.get("heart_rate_zone_cap"),
            reasons=tuple(document.get("reasons", ())),
        )


@dataclass(frozen=True, slots=True)
class Library:
    """The club's exercises that adaptations may draw on: every exercise by id, and each exercise's own
    alternatives in the trainer's order."""

    exercises: Mapping[uuid.UUID, Exercise]
    alternatives: Mapping[uuid.UUID, Sequence[uuid.UUID]]

    def candidates(self, exercise: Exercise) -> Iterator[Exercise]:
        seen = {exercise.id}
        for alternative_id in self.alternatives.get(exercise.id, ()):
            alternative = self.exercises.get(alternative_id)
            if alternative is not None and alternative.id not in seen:
                seen.add(alternative.id)
                yield alternative
        same_kind = sorted(
            (
                one
                for one in self.exercises.values()
                if one.category is exercise.category and one.unit is exercise.unit and one.id not in seen
            ),
            key=lambda one: one.name.lower(),
        )
        yield from same_kind


def assess(
    restrictions: Sequence[PlayerRestriction], workout: rules.PlannedWorkout, library: Library, *, today: date
) -> Assessment:
    """The player's compliance with the workout under `restrictions` (theirs, in force or not)."""
    relevant = [
        restriction
        for restriction in restrictions
        if restriction.in_force and rules.overlaps(restriction, workout) and rules.forbids(restriction, workout)
    ]
    if not relevant:
        return Assessment(WorkoutCompliance.COMPLIANT)
    reasons = [rules.describe(restriction, today=today) for restriction in relevant]
    ids = tuple(restriction.id for restriction in relevant)
    if any(
        restriction.severity is RestrictionSeverity.COMPLETE or restriction.kind in _NOTHING_ALLOWED
        for restriction in relevant
    ):
        return Assessment(WorkoutCompliance.EXEMPT, reasons=tuple(reasons), restriction_ids=ids)

    strictest = max((restriction.severity for restriction in relevant), key=_STRICTNESS.index)
    load_factor, rest_factor = SCALING[strictest]
    limits = [
        restriction.max_intensity_percent if restriction.max_intensity_percent is not None else 100
        for restriction in relevant
        if restriction.kind is RestrictionKind.LIMITED_INTENSITY
    ]
    allowed = min(limits, default=100)
    modifier = Decimal(workout.load_modifier_percent)
    if modifier * load_factor > allowed:
        load_factor = (Decimal(allowed) / modifier).quantize(Decimal("0.01"), rounding=ROUND_DOWN)

    unsafe: list[str] = []
    substitutions: list[Substitution] = []
    for path, prescription in workout.structure.prescriptions():
        exercise = workout.exercises.get(prescription.exercise_id)
        if exercise is None or _exercise_allowed(exercise, relevant, allowed):
            continue
        replacement = next(
            (one for one in library.candidates(exercise) if _exercise_allowed(one, relevant, allowed)), None
        )
        if replacement is None:
            unsafe.append(f"no safe alternative to {exercise.name} in the library")
        else:
            substitutions.append(Substitution(path, "exercise", str(exercise.id), str(replacement.id)))

    zone_cap: int | None = None
    for path, program in _programs(workout.structure):
        if not _equipment_allowed(program.equipment, relevant):
            replacement_equipment = next(
                (one for one in _EQUIPMENT_PREFERENCE if _equipment_allowed(one, relevant)), None
            )
            if replacement_equipment is None:
                unsafe.append(f"no safe equipment for the intervals on the {_label(program.equipment)}")
            else:
                substitutions.append(
                    Substitution(path, "equipment", program.equipment.value, replacement_equipment.value)
                )
        zones = [interval.heart_rate_zone for interval in program.intervals if interval.heart_rate_zone is not None]
        top = max(zones, default=None)
        if top is not None and rules.zone_peak_percent(top) > allowed:
            cap = max((zone for zone in range(1, 6) if rules.zone_peak_percent(zone) <= allowed), default=None)
            if cap is None:
                unsafe.append(f"an intensity limit of {allowed}% is below every heart-rate zone")
            else:
                zone_cap = cap if zone_cap is None else min(zone_cap, cap)

    if workout.structure.drills and _lower_body_restricted(relevant):
        unsafe.append("agility drills load the legs and have no safe alternative")
    elif workout.structure.drills and allowed < 100:
        unsafe.append("agility drills are maximal efforts and have no safe alternative under an intensity limit")

    if unsafe:
        return Assessment(
            WorkoutCompliance.NOT_COMPLIANT,
            load_factor=load_factor,
            rest_factor=rest_factor,
            reasons=tuple(reasons + unsafe),
            restriction_ids=ids,
        )
    return Assessment(
        WorkoutCompliance.PARTIALLY_COMPLIANT,
        load_factor=load_factor,
        rest_factor=rest_factor,
        substitutions=tuple(substitutions),
        heart_rate_zone_cap=zone_cap,
        reasons=tuple(reasons),
        restriction_ids=ids,
    )


def adapt(
    structure: content.WorkoutContent,
    assessment: Assessment,
    *,
    load_modifier_percent: int,
    load_target_percent: int = 100,
) -> content.WorkoutContent:
    """The player's own prescription: loads at their modifier, the training block's load target and the
    restrictions' load factor (to 0.5 kg), rests at the rest factor, the substitutions made and heart-rate
    zones capped."""
    load = Decimal(load_modifier_percent) / 100 * Decimal(load_target_percent) / 100 * assessment.load_factor
    exercise_swaps = {
        one.path: uuid.UUID(one.replacement) for one in assessment.substitutions if one.kind == "exercise"
    }
    equipment_swaps = {
        one.path: ConditioningEquipment(one.replacement) for one in assessment.substitutions if one.kind == "equipment"
    }

    def sets(one: content.WorkoutSet) -> content.WorkoutSet:
        return dataclasses.replace(
            one,
            load_kg=None if one.load_kg is None else _half_kilos(Decimal(str(one.load_kg)) * load),
            rest_seconds=_scaled(one.rest_seconds, assessment.rest_factor),
        )

    def prescription(path: str, one: content.ExercisePrescription) -> content.ExercisePrescription:
        return dataclasses.replace(
            one,
            exercise_id=exercise_swaps.get(path, one.exercise_id),
            sets=tuple(sets(item) for item in one.sets),
        )

    def interval(one: content.Interval, equipment: ConditioningEquipment) -> content.Interval:
        zone = one.heart_rate_zone
        if zone is not None and assessment.heart_rate_zone_cap is not None:
            zone = min(zone, assessment.heart_rate_zone_cap)
        return dataclasses.replace(
            one,
            rest_seconds=_scaled(one.rest_seconds, assessment.rest_factor),
            heart_rate_zone=zone,
            target_watts=None
            if one.target_watts is None or equipment not in content.POWERED_EQUIPMENT
            else max(1, int(Decimal(one.target_watts) * load)),
            target_pace_seconds=one.target_pace_seconds if equipment in content.PACED_EQUIPMENT else None,
        )

    def program(path: str, one: content.IntervalProgram) -> content.IntervalProgram:
        equipment = equipment_swaps.get(path, one.equipment)
        if equipment is not one.equipment:
            # Pace of one machine means nothing on another.
            one = dataclasses.replace(
                one, intervals=tuple(dataclasses.replace(item, target_pace_seconds=None) for item in one.intervals)
            )
        return dataclasses.replace(
            one, equipment=equipment, intervals=tuple(interval(item, equipment) for item in one.intervals)
        )

    return dataclasses.replace(
        structure,
        exercises=None
        if structure.exercises is None
        else tuple(prescription(f"exercises[{index}]", one) for index, one in enumerate(structure.exercises)),
        interval_program=None
        if structure.interval_program is None
        else program("intervalProgram", structure.interval_program),
        blocks=None
        if structure.blocks is None
        else tuple(
            dataclasses.replace(
                block,
                exercises=None
                if block.exercises is None
                else tuple(
                    prescription(f"blocks[{block_index}].exercises[{index}]", one)
                    for index, one in enumerate(block.exercises)
                ),
                interval_program=None
                if block.interval_program is None
                else program(f"blocks[{block_index}].intervalProgram", block.interval_program),
            )
            for block_index, block in enumerate(structure.blocks)
        ),
    )


def _exercise_allowed(exercise: Exercise, restrictions: Sequence[PlayerRestriction], allowed: int) -> bool:
    for restriction in restrictions:
        if restriction.kind is RestrictionKind.NO_LOWER_BODY_LOAD and (
            rules.LOWER_BODY.intersection(exercise.muscle_groups) or exercise.category in rules.MAXIMAL_CATEGORIES
        ):
            return False
        if restriction.kind is RestrictionKind.NO_UPPER_BODY_LOAD and rules.UPPER_BODY.intersection(
            exercise.muscle_groups
        ):
            return False
    return not (allowed < 100 and exercise.category in rules.MAXIMAL_CATEGORIES)


def _equipment_allowed(equipment: ConditioningEquipment, restrictions: Sequence[PlayerRestriction]) -> bool:
    for restriction in restrictions:
        if restriction.kind is RestrictionKind.NO_LOWER_BODY_LOAD and equipment in rules.LOWER_BODY_EQUIPMENT:
            return False
        if restriction.kind is RestrictionKind.NO_UPPER_BODY_LOAD and equipment in rules.UPPER_BODY_EQUIPMENT:
            return False
    return True


def _lower_body_restricted(restrictions: Sequence[PlayerRestriction]) -> bool:
    return any(restriction.kind is RestrictionKind.NO_LOWER_BODY_LOAD for restriction in restrictions)


def _programs(structure: content.WorkoutContent) -> Iterator[tuple[str, content.IntervalProgram]]:
    if structure.interval_program is not None:
        yield "intervalProgram", structure.interval_program
    for index, block in enumerate(structure.blocks or ()):
        if block.interval_program is not None:
            yield f"blocks[{index}].intervalProgram", block.interval_program


def _label(equipment: ConditioningEquipment) -> str:
    return equipment.value.replace("_", " ")


def _scaled(seconds: int, factor: Decimal) -> int:
    return int((Decimal(seconds) * factor).to_integral_value())


def _half_kilos(kilos: Decimal) -> float:
    return float((kilos * 2).to_integral_value() / 2)
