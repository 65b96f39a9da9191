"""The demo club's exercise library (with prescription defaults, progression rules and safe alternatives), its
workouts of every kind, and the weekly plan of each team."""

from __future__ import annotations

import uuid
from decimal import Decimal

from shared.demo import demo_id
from subgraphs.training import content
from subgraphs.training.models import (
    ConditioningEquipment,
    ExerciseCategory,
    ExerciseUnit,
    MuscleGroup,
    WorkoutKind,
)

M = MuscleGroup
C = ExerciseCategory
U = ExerciseUnit

# name, category, unit, muscle groups, equipment, description
LIBRARY: tuple[tuple[str, ExerciseCategory, ExerciseUnit, tuple[MuscleGroup, ...], tuple[str, ...], str], ...] = (
    (
        "Back Squat",
        C.STRENGTH,
        U.KILOGRAMS,
        (M.QUADRICEPS, M.GLUTES, M.CORE),
        ("barbell", "squat rack"),
        "High-bar; brace, sit between the heels, hips at or below parallel.",
    ),
    (
        "Front Squat",
        C.STRENGTH,
        U.KILOGRAMS,
        (M.QUADRICEPS, M.CORE),
        ("barbell", "squat rack"),
        "Elbows high, torso upright; clean grip or cross-arm.",
    ),
    (
        "Trap Bar Deadlift",
        C.STRENGTH,
        U.KILOGRAMS,
        (M.GLUTES, M.HAMSTRINGS, M.QUADRICEPS, M.BACK),
        ("trap bar",),
        "Push the floor away; lock out with the glutes, not the lower back.",
    ),
    (
        "Romanian Deadlift",
        C.STRENGTH,
        U.KILOGRAMS,
        (M.HAMSTRINGS, M.GLUTES),
        ("barbell",),
        "Soft knees, hips back until the hamstrings load; neutral spine.",
    ),
    (
        "Bulgarian Split Squat",
        C.STRENGTH,
        U.KILOGRAMS,
        (M.QUADRICEPS, M.GLUTES, M.ADDUCTORS),
        ("dumbbells", "bench"),
        "Rear foot on the bench; front knee tracks over the toes. Reps per leg.",
    ),
    (
        "Hip Thrust",
        C.STRENGTH,
        U.KILOGRAMS,
        (M.GLUTES, M.HAMSTRINGS),
        ("barbell", "bench"),
        "Chin tucked, ribs down; pause one second at the top.",
    ),
    (
        "Nordic Hamstring Curl",
        C.STRENGTH,
        U.REPS,
        (M.HAMSTRINGS,),
        ("partner or anchor",),
        "Lower as slowly as possible; catch with the hands and push back up.",
    ),
    (
        "Copenhagen Plank",
        C.STRENGTH,
        U.SECONDS,
        (M.ADDUCTORS, M.CORE),
        ("bench",),
        "Top leg on the bench, body straight. Groin-injury prevention for skaters.",
    ),
    (
        "Pallof Press",
        C.STRENGTH,
        U.REPS,
        (M.CORE,),
        ("cable", "band"),
        "Anti-rotation: press out and hold two seconds without letting the hips turn.",
    ),
    (
        "Bench Press",
        C.STRENGTH,
        U.KILOGRAMS,
        (M.CHEST, M.TRICEPS, M.SHOULDERS),
        ("barbell", "bench"),
        "Shoulder blades pinned, feet planted, bar to the lower chest.",
    ),
    (
        "Weighted Pull-up",
        C.STRENGTH,
        U.KILOGRAMS,
        (M.BACK, M.BICEPS, M.FOREARMS),
        ("pull-up bar", "dip belt"),
        "Full hang to chin over the bar; no kipping.",
    ),
    (
        "Single-Arm Dumbbell Row",
        C.STRENGTH,
        U.KILOGRAMS,
        (M.BACK, M.BICEPS),
        ("dumbbell", "bench"),
        "Pull the elbow to the hip; square shoulders.",
    ),
    (
        "Landmine Press",
        C.STRENGTH,
        U.KILOGRAMS,
        (M.SHOULDERS, M.CHEST, M.CORE),
        ("barbell", "landmine"),
        "Half-kneeling; shoulder-friendly pressing angle.",
    ),
    (
        "Farmer's Carry",
        C.STRENGTH,
        U.METERS,
        (M.FOREARMS, M.CORE, M.FULL_BODY),
        ("kettlebells",),
        "Tall posture, short quick steps.",
    ),
    (
        "Box Jump",
        C.PLYOMETRICS,
        U.REPS,
        (M.QUADRICEPS, M.GLUTES, M.CALVES),
        ("plyo box",),
        "Jump for height, land soft and quiet; step down.",
    ),
    (
        "Lateral Bound",
        C.PLYOMETRICS,
        U.REPS,
        (M.GLUTES, M.ADDUCTORS, M.QUADRICEPS),
        (),
        "Skater bound: stick each landing for one second. Reps per side.",
    ),
    (
        "Broad Jump",
        C.PLYOMETRICS,
        U.METERS,
        (M.GLUTES, M.HAMSTRINGS, M.QUADRICEPS),
        (),
        "Maximal horizontal jump, full reset between reps.",
    ),
    (
        "Rowing Ergometer",
        C.CONDITIONING,
        U.WATTS,
        (M.FULL_BODY,),
        ("rower",),
        "Legs, body, arms; arms, body, legs. Damper 4-6.",
    ),
    (
        "Air Bike Sprint",
        C.CONDITIONING,
        U.WATTS,
        (M.QUADRICEPS, M.FULL_BODY),
        ("air bike",),
        "All-out efforts; seated, arms and legs together.",
    ),
    (
        "Ski Erg",
        C.CONDITIONING,
        U.WATTS,
        (M.BACK, M.CORE, M.TRICEPS),
        ("ski erg",),
        "Hinge and drive down with the lats.",
    ),
    (
        "Sled Push",
        C.CONDITIONING,
        U.METERS,
        (M.QUADRICEPS, M.GLUTES, M.CALVES),
        ("sled",),
        "Low body angle, drive through the balls of the feet.",
    ),
    (
        "Pro Agility 5-10-5",
        C.AGILITY,
        U.SECONDS,
        (M.QUADRICEPS, M.ADDUCTORS),
        ("cones",),
        "Touch each line with the hand; plant and push out low.",
    ),
    (
        "T-Drill",
        C.AGILITY,
        U.SECONDS,
        (M.QUADRICEPS, M.ADDUCTORS, M.CALVES),
        ("cones",),
        "Sprint, shuffle, shuffle, back-pedal; face forward the whole time.",
    ),
    (
        "Slideboard",
        C.AGILITY,
        U.SECONDS,
        (M.ADDUCTORS, M.GLUTES),
        ("slideboard",),
        "Skating-specific stride; full extension and recovery each push.",
    ),
    (
        "World's Greatest Stretch",
        C.MOBILITY,
        U.REPS,
        (M.HIP_FLEXORS, M.BACK, M.HAMSTRINGS),
        (),
        "Lunge, elbow to instep, rotate to the sky. Reps per side.",
    ),
    (
        "90/90 Hip Switch",
        C.MOBILITY,
        U.REPS,
        (M.GLUTES, M.HIP_FLEXORS),
        (),
        "Sit tall and rotate the knees side to side without the hands.",
    ),
    (
        "Couch Stretch",
        C.MOBILITY,
        U.SECONDS,
        (M.HIP_FLEXORS, M.QUADRICEPS),
        ("wall", "pad"),
        "Rear knee against the wall; squeeze the glute of the back leg.",
    ),
    (
        "Foam Rolling",
        C.RECOVERY,
        U.SECONDS,
        (M.FULL_BODY,),
        ("foam roller",),
        "Quads, adductors, glutes and upper back; slow passes.",
    ),
    (
        "Weighted-Puck Stickhandling",
        C.SKILL,
        U.SECONDS,
        (M.FOREARMS,),
        ("stick", "weighted puck"),
        "Soft hands, head up; wide and narrow dribbles.",
    ),
)


def exercise_id(name: str) -> uuid.UUID:
    return demo_id("training", "exercise", name)


# name -> the exercise's default prescription (model columns), as the library shows it
DEFAULTS: dict[str, dict[str, int | Decimal]] = {
    "Back Squat": {"default_sets": 4, "default_reps": 5, "default_load_kg": Decimal(80), "default_rest_seconds": 180},
    "Trap Bar Deadlift": {
        "default_sets": 4,
        "default_reps": 4,
        "default_load_kg": Decimal(110),
        "default_rest_seconds": 150,
    },
    "Bulgarian Split Squat": {"default_sets": 3, "default_reps": 6, "default_load_kg": Decimal(20)},
    "Nordic Hamstring Curl": {"default_sets": 3, "default_reps": 5, "default_rest_seconds": 90},
    "Copenhagen Plank": {"default_sets": 3, "default_seconds": 25, "default_rest_seconds": 45},
    "Air Bike Sprint": {"default_sets": 8, "default_seconds": 15, "default_watts": 800, "default_rest_seconds": 45},
    "Couch Stretch": {"default_sets": 2, "default_seconds": 60},
}

# name -> (increment, its unit, condition, notes)
PROGRESSIONS: dict[str, tuple[Decimal | None, ExerciseUnit | None, str | None, str | None]] = {
    "Back Squat": (Decimal("2.5"), U.KILOGRAMS, "all sets done at RPE 8 or less", "Deload 10 % after a missed rep."),
    "Trap Bar Deadlift": (Decimal(5), U.KILOGRAMS, "all sets done at RPE 8 or less", None),
    "Nordic Hamstring Curl": (Decimal(1), U.REPS, "every rep controlled to the floor", None),
    "Copenhagen Plank": (Decimal(5), U.SECONDS, "both sides held without hip drop", "Start from the knee."),
}

# name -> exercises a trainer may swap in (e.g. for a restriction), in order of preference
ALTERNATIVES: dict[str, tuple[str, ...]] = {
    "Back Squat": ("Trap Bar Deadlift", "Bulgarian Split Squat"),
    "Front Squat": ("Back Squat", "Bulgarian Split Squat"),
    "Bench Press": ("Landmine Press",),
    "Box Jump": ("Broad Jump", "Lateral Bound"),
    "Nordic Hamstring Curl": ("Romanian Deadlift",),
}


def _lift(
    name: str,
    sets: int,
    reps: int,
    load: float | None,
    rest: int,
    tempo: str | None = None,
    duration: int | None = None,
) -> content.ExercisePrescription:
    return content.ExercisePrescription(
        exercise_id=exercise_id(name),
        sets=tuple(
            content.WorkoutSet(reps=reps, load_kg=load, tempo=tempo, rest_seconds=rest, duration_seconds=duration)
            for _ in range(sets)
        ),
    )


STRENGTH = content.WorkoutContent(
    exercises=(
        _lift("Trap Bar Deadlift", 4, 4, 120, 150, tempo="2-0-X-0"),
        _lift("Bulgarian Split Squat", 3, 6, 24, 90),
        _lift("Nordic Hamstring Curl", 3, 5, None, 90),
        _lift("Copenhagen Plank", 3, 1, None, 45, duration=25),
        _lift("Pallof Press", 3, 10, 10, 45),
    )
)

ROWER = content.WorkoutContent(
    interval_program=content.IntervalProgram(
        equipment=ConditioningEquipment.ROWER,
        warmup_seconds=600,
        intervals=(
            content.Interval(work_seconds=240, rest_seconds=180, repeats=4, heart_rate_zone=4, target_pace_seconds=110),
        ),
        cooldown_seconds=300,
    )
)

HYBRID = content.WorkoutContent(
    blocks=(
        content.WorkoutBlock(
            name="Power",
            exercises=(_lift("Box Jump", 4, 3, None, 60), _lift("Landmine Press", 3, 6, 25, 60)),
        ),
        content.WorkoutBlock(
            name="Bike sprints",
            interval_program=content.IntervalProgram(
                equipment=ConditioningEquipment.BIKE,
                warmup_seconds=300,
                intervals=(content.Interval(work_seconds=15, rest_seconds=45, repeats=8, target_watts=800),),
                cooldown_seconds=180,
            ),
        ),
        content.WorkoutBlock(
            name="Carry finisher",
            exercises=(_lift("Farmer's Carry", 3, 1, 32, 60, duration=40),),
        ),
    )
)

AGILITY = content.WorkoutContent(
    drills=(
        content.AgilityDrill(
            name="Pro agility 5-10-5",
            target_seconds=4.7,
            reps=6,
            rest_seconds=45,
            description="Alternate the first direction every rep.",
            allowed_errors=0,
        ),
        content.AgilityDrill(name="T-drill", target_seconds=10.2, reps=4, rest_seconds=60, allowed_errors=1),
        content.AgilityDrill(
            name="Reactive mirror shuffle",
            target_seconds=6.0,
            reps=6,
            rest_seconds=40,
            description="In pairs: the leader changes direction, the follower mirrors.",
        ),
        content.AgilityDrill(name="Slideboard intervals", target_seconds=20.0, reps=6, rest_seconds=40),
    )
)

RECOVERY = content.WorkoutContent(
    activities=(
        content.RecoveryActivity(
            name="Easy bike flush", modality=content.RecoveryModality.EASY_CARDIO, duration_seconds=600, rpe=3
        ),
        content.RecoveryActivity(
            name="Foam rolling: quads and adductors",
            modality=content.RecoveryModality.FOAM_ROLL,
            duration_seconds=60,
            sides=content.ActivitySides.EACH_SIDE,
            sets=2,
            body_areas=(M.QUADRICEPS, M.ADDUCTORS),
            exercise_id=exercise_id("Foam Rolling"),
        ),
        content.RecoveryActivity(
            name="Box breathing",
            modality=content.RecoveryModality.BREATHING,
            repetitions=12,
            notes="In 4, hold 4, out 4, hold 4.",
        ),
        content.RecoveryActivity(
            name="Cold plunge", modality=content.RecoveryModality.COLD, duration_seconds=180, temperature_celsius=10
        ),
    )
)

FLEXIBILITY = content.WorkoutContent(
    activities=(
        content.RecoveryActivity(
            name="World's greatest stretch",
            modality=content.RecoveryModality.MOBILITY,
            repetitions=5,
            sides=content.ActivitySides.EACH_SIDE,
            body_areas=(M.HIP_FLEXORS, M.BACK, M.HAMSTRINGS),
            exercise_id=exercise_id("World's Greatest Stretch"),
        ),
        content.RecoveryActivity(
            name="90/90 hip switch",
            modality=content.RecoveryModality.MOBILITY,
            repetitions=8,
            sets=2,
            body_areas=(M.GLUTES, M.HIP_FLEXORS),
            exercise_id=exercise_id("90/90 Hip Switch"),
        ),
        content.RecoveryActivity(
            name="Couch stretch",
            modality=content.RecoveryModality.STRETCH,
            duration_seconds=60,
            sides=content.ActivitySides.EACH_SIDE,
            sets=2,
            rest_seconds=15,
            body_areas=(M.HIP_FLEXORS, M.QUADRICEPS),
            exercise_id=exercise_id("Couch Stretch"),
        ),
    )
)

# key, name, kind, content, description, RPE range of a completed session
WORKOUTS: tuple[tuple[str, str, WorkoutKind, content.WorkoutContent, str, tuple[int, int]], ...] = (
    (
        "strength",
        "In-season strength: lower body",
        WorkoutKind.STRENGTH,
        STRENGTH,
        "Heavy but low volume, 48 h from the next game. Copenhagen and Nordics for groin and hamstrings.",
        (6, 8),
    ),
    (
        "rower",
        "Rower 4x4 min intervals",
        WorkoutKind.CONDITIONING,
        ROWER,
        "Aerobic power: four hard minutes in zone 4, three easy. Hold the split within 2 s.",
        (7, 9),
    ),
    (
        "hybrid",
        "Hybrid circuit: power, bike, carries",
        WorkoutKind.HYBRID,
        HYBRID,
        "Off-ice power and repeat-sprint ability in 40 minutes.",
        (7, 9),
    ),
    (
        "agility",
        "Agility: change of direction",
        WorkoutKind.AGILITY,
        AGILITY,
        "Full recovery between reps: quality over fatigue.",
        (5, 7),
    ),
    (
        "recovery",
        "Day after the game: recovery",
        WorkoutKind.RECOVERY,
        RECOVERY,
        "Flush, roll, breathe, cold: 25 easy minutes.",
        (1, 3),
    ),
    (
        "flexibility",
        "Hips and groin flexibility",
        WorkoutKind.FLEXIBILITY,
        FLEXIBILITY,
        "Skaters' hips: open the hip flexors and groin after ice.",
        (2, 3),
    ),
)

# weekday (Monday 0) -> workout key, per team
WEEK = {
    "senior": {0: "strength", 2: "rower", 4: "agility"},
    "junior": {1: "strength", 3: "hybrid", 4: "agility"},
}
