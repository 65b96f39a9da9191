"""The stored form of a workout's structure: a versioned plain-JSON document (JSONB)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from subgraphs.training.content.structure import (
    ActivitySides,
    AgilityDrill,
    ExercisePrescription,
    Interval,
    IntervalProgram,
    RecoveryActivity,
    RecoveryModality,
    WorkoutBlock,
    WorkoutContent,
    WorkoutSet,
)
from subgraphs.training.models import ConditioningEquipment, MuscleGroup

DOCUMENT_VERSION = 1


def to_document(content: WorkoutContent) -> dict[str, Any]:
    def prescription(one: ExercisePrescription) -> dict[str, Any]:
        return {
            "exercise_id": str(one.exercise_id),
            "notes": one.notes,
            "sets": [
                {
                    "reps": item.reps,
                    "load_kg": item.load_kg,
                    "tempo": item.tempo,
                    "rest_seconds": item.rest_seconds,
                    "duration_seconds": item.duration_seconds,
                }
                for item in one.sets
            ],
        }

    def program(one: IntervalProgram) -> dict[str, Any]:
        return {
            "equipment": one.equipment.value,
            "warmup_seconds": one.warmup_seconds,
            "cooldown_seconds": one.cooldown_seconds,
            "intervals": [
                {
                    "work_seconds": item.work_seconds,
                    "rest_seconds": item.rest_seconds,
                    "repeats": item.repeats,
                    "heart_rate_zone": item.heart_rate_zone,
                    "target_watts": item.target_watts,
                    "target_pace_seconds": item.target_pace_seconds,
                }
                for item in one.intervals
            ],
        }

    document: dict[str, Any] = {"version": DOCUMENT_VERSION}
    if content.exercises is not None:
        document["exercises"] = [prescription(one) for one in content.exercises]
    if content.interval_program is not None:
        document["interval_program"] = program(content.interval_program)
    if content.blocks is not None:
        document["blocks"] = [
            {
                "name": block.name,
                "exercises": None if block.exercises is None else [prescription(one) for one in block.exercises],
                "interval_program": None if block.interval_program is None else program(block.interval_program),
            }
            for block in content.blocks
        ]
    if content.drills is not None:
        document["drills"] = [
            {
                "name": drill.name,
                "target_seconds": drill.target_seconds,
                "reps": drill.reps,
                "rest_seconds": drill.rest_seconds,
                "description": drill.description,
                "allowed_errors": drill.allowed_errors,
            }
            for drill in content.drills
        ]
    if content.activities is not None:
        document["activities"] = [
            {
                "name": one.name,
                "duration_seconds": one.duration_seconds,
                "repetitions": one.repetitions,
                "sets": one.sets,
                "rest_seconds": one.rest_seconds,
                "sides": one.sides.value,
                "modality": None if one.modality is None else one.modality.value,
                "body_areas": [area.value for area in one.body_areas],
                "exercise_id": None if one.exercise_id is None else str(one.exercise_id),
                "rpe": one.rpe,
                "temperature_celsius": one.temperature_celsius,
                "notes": one.notes,
            }
            for one in content.activities
        ]
    return document


def from_document(document: Mapping[str, Any]) -> WorkoutContent:
    def prescription(raw: Mapping[str, Any]) -> ExercisePrescription:
        return ExercisePrescription(
            exercise_id=uuid.UUID(raw["exercise_id"]),
            notes=raw.get("notes"),
            sets=tuple(WorkoutSet(**item) for item in raw["sets"]),
        )

    def program(raw: Mapping[str, Any]) -> IntervalProgram:
        return IntervalProgram(
            equipment=ConditioningEquipment(raw["equipment"]),
            warmup_seconds=raw["warmup_seconds"],
            cooldown_seconds=raw["cooldown_seconds"],
            intervals=tuple(Interval(**item) for item in raw["intervals"]),
        )

    def activity(raw: Mapping[str, Any]) -> RecoveryActivity:
        return RecoveryActivity(
            name=raw["name"],
            duration_seconds=raw.get("duration_seconds"),
            repetitions=raw.get("repetitions"),
            sets=raw.get("sets", 1),
            rest_seconds=raw.get("rest_seconds", 0),
            sides=ActivitySides(raw.get("sides", ActivitySides.BOTH.value)),
            modality=None if raw.get("modality") is None else RecoveryModality(raw["modality"]),
            body_areas=tuple(MuscleGroup(area) for area in raw.get("body_areas", ())),
            exercise_id=None if raw.get("exercise_id") is None else uuid.UUID(raw["exercise_id"]),
            rpe=raw.get("rpe"),
            temperature_celsius=raw.get("temperature_celsius"),
            notes=raw.get("notes"),
        )

    def optional(key: str, build: Any) -> Any:
        raw = document.get(key)
        return None if raw is None else build(raw)

    return WorkoutContent(
        exercises=optional("exercises", lambda raw: tuple(prescription(one) for one in raw)),
        interval_program=optional("interval_program", program),
        blocks=optional(
            "blocks",
            lambda raw: tuple(
                WorkoutBlock(
                    name=block.get("name"),
                    exercises=None
                    if block.get("exercises") is None
                    else tuple(prescription(one) for one in block["exercises"]),
                    interval_program=None
                    if block.get("interval_program") is None
                    else program(block["interval_program"]),
                )
                for block in raw
            ),
        ),
        drills=optional("drills", lambda raw: tuple(AgilityDrill(**drill) for drill in raw)),
        activities=optional("activities", lambda raw: tuple(activity(one) for one in raw)),
    )
