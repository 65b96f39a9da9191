"""A workout's structure as frozen values, with the time and volume they add up to."""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from subgraphs.training.models import ConditioningEquipment, MuscleGroup

POWERED_EQUIPMENT = frozenset({ConditioningEquipment.ROWER, ConditioningEquipment.BIKE, ConditioningEquipment.SKI_ERG})
"""Equipment that measures watts."""
PACED_EQUIPMENT = frozenset(
    {
        ConditioningEquipment.ROWER,
        ConditioningEquipment.SKI_ERG,
        ConditioningEquipment.TREADMILL,
        ConditioningEquipment.RUNNING,
    }
)
"""Equipment on which a pace target (seconds per 500 m, or per km running) makes sense."""

DEFAULT_SECONDS_PER_REP = 3
"""Time under tension of one rep when no tempo is given (a controlled 2-0-1-0)."""

TEMPO = re.compile(r"^([0-9X])-?([0-9X])-?([0-9X])-?([0-9X])$")


@dataclass(frozen=True, slots=True)
class WorkoutSet:
    reps: int
    load_kg: float | None = None
    tempo: str | None = None
    rest_seconds: int = 60
    duration_seconds: int | None = None
    """For timed sets (holds, carries): the time of one rep."""

    @property
    def seconds(self) -> int:
        per_rep = self.duration_seconds if self.duration_seconds is not None else tempo_seconds(self.tempo)
        return self.reps * per_rep + self.rest_seconds

    @property
    def volume_kg(self) -> float:
        return self.reps * (self.load_kg or 0.0)


@dataclass(frozen=True, slots=True)
class ExercisePrescription:
    exercise_id: uuid.UUID
    sets: tuple[WorkoutSet, ...]
    notes: str | None = None

    @property
    def seconds(self) -> int:
        return sum(one.seconds for one in self.sets)

    @property
    def volume_kg(self) -> float:
        return sum(one.volume_kg for one in self.sets)


@dataclass(frozen=True, slots=True)
class Interval:
    work_seconds: int
    rest_seconds: int = 0
    repeats: int = 1
    heart_rate_zone: int | None = None
    target_watts: int | None = None
    target_pace_seconds: int | None = None
    """Seconds per 500 m (rower, ski erg) or per km (treadmill, running)."""

    @property
    def seconds(self) -> int:
        return self.repeats * (self.work_seconds + self.rest_seconds)


@dataclass(frozen=True, slots=True)
class IntervalProgram:
    equipment: ConditioningEquipment
    intervals: tuple[Interval, ...]
    warmup_seconds: int = 0
    cooldown_seconds: int = 0

    @property
    def seconds(self) -> int:
        return self.warmup_seconds + sum(one.seconds for one in self.intervals) + self.cooldown_seconds

    @property
    def work_seconds(self) -> int:
        return sum(one.repeats * one.work_seconds for one in self.intervals)


@dataclass(frozen=True, slots=True)
class AgilityDrill:
    name: str
    target_seconds: float
    reps: int
    rest_seconds: int = 30
    description: str | None = None
    allowed_errors: int | None = None
    """Errors (missed cones, wrong turns) a rep may have and still count."""

    @property
    def seconds(self) -> int:
        return math.ceil(self.reps * (self.target_seconds + self.rest_seconds))


class RecoveryModality(StrEnum):
    FOAM_ROLL = "foam_roll"
    STRETCH = "stretch"
    MOBILITY = "mobility"
    BREATHING = "breathing"
    COLD = "cold"
    HEAT = "heat"
    MASSAGE = "massage"
    EASY_CARDIO = "easy_cardio"
    """An easy walk or bike."""


class ActivitySides(StrEnum):
    BOTH = "both"
    """Both sides at once (or no sides at all): done once per set."""
    EACH_SIDE = "each_side"
    """One side, then the other: the time counts twice per set."""


@dataclass(frozen=True, slots=True)
class RecoveryActivity:
    """One activity of a RECOVERY or FLEXIBILITY workout: held for a time, or repeated, per set."""

    name: str
    duration_seconds: int | None = None
    """Per side and set; without it, `repetitions` timed at DEFAULT_SECONDS_PER_REP."""
    repetitions: int | None = None
    sets: int = 1
    rest_seconds: int = 0
    sides: ActivitySides = ActivitySides.BOTH
    modality: RecoveryModality | None = None
    body_areas: tuple[MuscleGroup, ...] = ()
    exercise_id: uuid.UUID | None = None
    rpe: int | None = None
    temperature_celsius: int | None = None
    """Water or room temperature of cold and heat."""
    notes: str | None = None

    @property
    def seconds(self) -> int:
        once = (
            self.duration_seconds
            if self.duration_seconds is not None
            else (self.repetitions or 0) * DEFAULT_SECONDS_PER_REP
        )
        per_set = once * (2 if self.sides is ActivitySides.EACH_SIDE else 1)
        return self.sets * (per_set + self.rest_seconds)


@dataclass(frozen=True, slots=True)
class WorkoutBlock:
    """A part of a hybrid workout: strength exercises or an interval program."""

    name: str | None = None
    exercises: tuple[ExercisePrescription, ...] | None = None
    interval_program: IntervalProgram | None = None

    @property
    def seconds(self) -> int:
        strength = sum(one.seconds for one in self.exercises or ())
        return strength + (self.interval_program.seconds if self.interval_program else 0)

    @property
    def volume_kg(self) -> float:
        return sum(one.volume_kg for one in self.exercises or ())


@dataclass(frozen=True, slots=True)
class WorkoutContent:
    """Everything a workout prescribes; which parts are set depends on the kind."""

    exercises: tuple[ExercisePrescription, ...] | None = None
    interval_program: IntervalProgram | None = None
    blocks: tuple[WorkoutBlock, ...] | None = None
    drills: tuple[AgilityDrill, ...] | None = None
    activities: tuple[RecoveryActivity, ...] | None = None

    @property
    def duration_seconds(self) -> int:
        return (
            sum(one.seconds for one in self.exercises or ())
            + (self.interval_program.seconds if self.interval_program else 0)
            + sum(one.seconds for one in self.blocks or ())
            + sum(one.seconds for one in self.drills or ())
            + sum(one.seconds for one in self.activities or ())
        )

    def programs(self) -> Iterator[IntervalProgram]:
        """Every interval program: the workout's own, and its conditioning blocks'."""
        if self.interval_program is not None:
            yield self.interval_program
        for block in self.blocks or ():
            if block.interval_program is not None:
                yield block.interval_program

    @property
    def work_seconds(self) -> int:
        """Time working in the interval programs, rests, warm-ups and cool-downs excluded."""
        return sum(program.work_seconds for program in self.programs())

    @property
    def interval_count(self) -> int:
        """Intervals done, each repeat counted."""
        return sum(one.repeats for program in self.programs() for one in program.intervals)

    @property
    def exercise_count(self) -> int:
        """Strength exercises prescribed (the same exercise twice counts twice)."""
        return sum(1 for _ in self.prescriptions())

    @property
    def set_count(self) -> int:
        """Strength sets over every exercise."""
        return sum(len(one.sets) for _, one in self.prescriptions())

    @property
    def volume_kg(self) -> float:
        """Sets x reps x load over every strength set, in kilograms."""
        total = sum(one.volume_kg for one in self.exercises or ()) + sum(one.volume_kg for one in self.blocks or ())
        return round(total, 1)

    def prescriptions(self) -> Iterator[tuple[str, ExercisePrescription]]:
        """Every exercise prescription with its input path, e.g. `blocks[1].exercises[0]`."""
        for index, one in enumerate(self.exercises or ()):
            yield f"exercises[{index}]", one
        for block_index, block in enumerate(self.blocks or ()):
            for index, one in enumerate(block.exercises or ()):
                yield f"blocks[{block_index}].exercises[{index}]", one


def tempo_seconds(tempo: str | None) -> int:
    """Seconds per rep of a tempo such as `3-1-1-0` or `31X0` (X, explosive, counts as one second)."""
    if tempo is None:
        return DEFAULT_SECONDS_PER_REP
    match = TEMPO.match(tempo)
    if match is None:
        raise ValueError(f"not a tempo: {tempo}")
    return max(1, sum(1 if part == "X" else int(part) for part in match.groups()))


def exercise_references(content: WorkoutContent) -> list[tuple[str, uuid.UUID]]:
    """(input path, exercise id) of every exercise the content prescribes."""
    references = [(f"{path}.exerciseId", one.exercise_id) for path, one in content.prescriptions()]
    references.extend(
        (f"activities[{index}].exerciseId", one.exercise_id)
        for index, one in enumerate(content.activities or ())
        if one.exercise_id is not None
    )
    return references
