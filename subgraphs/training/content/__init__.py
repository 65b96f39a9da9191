"""The structure of a workout, by kind: what it must hold, how it is stored, how long it takes.

- STRENGTH: exercises, each with ordered sets (reps, load, tempo, rest).
- CONDITIONING: one interval program (equipment, warm-up, intervals, cool-down).
- HYBRID: blocks, each either strength exercises or an interval program, with at least one of each.
- AGILITY: drills with a target time, repetitions and the errors a rep may have.
- RECOVERY and FLEXIBILITY: activities (foam rolling, stretches, breathing, cold, ...), each held for a time
  or repeated, per side or both; FLEXIBILITY names the body areas, RECOVERY stays light.

`validate` turns a draft (as a client sent it) into checked content or raises BAD_USER_INPUT naming the
offending field by its path, e.g. `intervalProgram.intervals[0].workSeconds`. The stored form is a
plain JSON document (`to_document` / `from_document`).
"""

from subgraphs.training.content.documents import DOCUMENT_VERSION, from_document, to_document
from subgraphs.training.content.structure import (
    DEFAULT_SECONDS_PER_REP,
    PACED_EQUIPMENT,
    POWERED_EQUIPMENT,
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
    exercise_references,
    tempo_seconds,
)
from subgraphs.training.content.validation import validate

__all__ = [
    "DEFAULT_SECONDS_PER_REP",
    "DOCUMENT_VERSION",
    "PACED_EQUIPMENT",
    "POWERED_EQUIPMENT",
    "ActivitySides",
    "AgilityDrill",
    "ExercisePrescription",
    "Interval",
    "IntervalProgram",
    "RecoveryActivity",
    "RecoveryModality",
    "WorkoutBlock",
    "WorkoutContent",
    "WorkoutSet",
    "exercise_references",
    "from_document",
    "tempo_seconds",
    "to_document",
    "validate",
]
