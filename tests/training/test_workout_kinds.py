"""Recovery and flexibility workouts, agility drills with allowed errors, and the totals every kind of
workout and template exposes, computed by hand here, through GraphQL over HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from subgraphs.training.models import Exercise, ExerciseCategory, ExerciseUnit
from tests.support.services import RunningService
from tests.training.factories import Club, make_exercise

TOTALS = "kind totalDurationSeconds volumeKg workSeconds intervalCount exerciseCount setCount"

CREATE = f"""
mutation Create($input: WorkoutInput!) {{
  createWorkout(input: $input) {{
    id {TOTALS}
    drills {{ name allowedErrors }}
    activities {{
      name modality durationSeconds repetitions sets restSeconds sides bodyAreas rpe temperatureCelsius notes
      totalSeconds exercise {{ name }}
    }}
  }}
}}
"""

SAVE = f"""
mutation Save($input: SaveWorkoutTemplateInput!) {{ saveWorkoutAsTemplate(input: $input) {{ {TOTALS} }} }}
"""


@pytest.fixture
async def squat(training: RunningService, club: Club) -> Exercise:
    return await make_exercise(training, by=club.trainer)


@pytest.fixture
async def roller(training: RunningService, club: Club) -> Exercise:
    return await make_exercise(
        training,
        by=club.trainer,
        name="Foam roll quads",
        category=ExerciseCategory.RECOVERY,
        unit=ExerciseUnit.SECONDS,
        equipment=("foam roller",),
    )


def recovery(roller: Exercise) -> dict[str, Any]:
    return {
        "name": "Day-after-game flush",
        "kind": "RECOVERY",
        "activities": [
            {"name": "Easy bike", "modality": "EASY_CARDIO", "durationSeconds": 600, "rpe": 3},
            {
                "name": "Foam roll quads",
                "modality": "FOAM_ROLL",
                "durationSeconds": 60,
                "sides": "EACH_SIDE",
                "sets": 2,
                "restSeconds": 15,
                "bodyAreas": ["QUADRICEPS", "HIP_FLEXORS", "QUADRICEPS"],
                "exerciseId": str(roller.id),
            },
            {"name": "Box breathing", "modality": "BREATHING", "repetitions": 10, "notes": "4-4-4-4 counts."},
            {"name": "Cold plunge", "modality": "COLD", "durationSeconds": 180, "temperatureCelsius": 10},
        ],
    }


FLEXIBILITY: dict[str, Any] = {
    "name": "Hips and groin",
    "kind": "FLEXIBILITY",
    "activities": [
        {
            "name": "Couch stretch",
            "modality": "STRETCH",
            "durationSeconds": 45,
            "sides": "EACH_SIDE",
            "sets": 3,
            "bodyAreas": ["HIP_FLEXORS"],
        },
        {"name": "90/90 flow", "modality": "MOBILITY", "repetitions": 8, "bodyAreas": ["GLUTES", "ADDUCTORS"]},
    ],
}


async def test_a_recovery_session_of_activities(training: RunningService, club: Club, roller: Exercise) -> None:
    workout = (await training.graphql.execute(CREATE, {"input": recovery(roller)}, as_=club.trainer)).ok()[
        "createWorkout"
    ]
    bike, rolling, breathing, plunge = workout["activities"]
    # bike 600; rolling 2 sets x (2 sides x 60 + 15 rest) = 270; breathing 10 reps x 3 s = 30; plunge 180
    assert [one["totalSeconds"] for one in workout["activities"]] == [600, 270, 30, 180]
    assert workout["totalDurationSeconds"] == 600 + 270 + 30 + 180
    assert rolling == {
        "name": "Foam roll quads",
        "modality": "FOAM_ROLL",
        "durationSeconds": 60,
        "repetitions": None,
        "sets": 2,
        "restSeconds": 15,
        "sides": "EACH_SIDE",
        "bodyAreas": ["HIP_FLEXORS", "QUADRICEPS"],
        "rpe": None,
        "temperatureCelsius": None,
        "notes": None,
        "totalSeconds": 270,
        "exercise": {"name": "Foam roll quads"},
    }
    assert (bike["sides"], bike["sets"], bike["exercise"]) == ("BOTH", 1, None)
    assert (breathing["repetitions"], breathing["notes"], plunge["temperatureCelsius"]) == (10, "4-4-4-4 counts.", 10)
    assert {key: workout[key] for key in ("volumeKg", "workSeconds", "intervalCount", "exerciseCount", "setCount")} == {
        "volumeKg": 0,
        "workSeconds": 0,
        "intervalCount": 0,
        "exerciseCount": 0,
        "setCount": 0,
    }


async def test_a_flexibility_session_and_its_template(training: RunningService, club: Club) -> None:
    workout = (await training.graphql.execute(CREATE, {"input": FLEXIBILITY}, as_=club.trainer)).ok()["createWorkout"]
    # couch stretch 3 x 2 x 45 = 270; 90/90 flow 8 x 3 s = 24
    assert (workout["kind"], workout["totalDurationSeconds"]) == ("FLEXIBILITY", 270 + 24)
    assert workout["activities"][1]["bodyAreas"] == ["GLUTES", "ADDUCTORS"]
    template = (
        await training.graphql.execute(
            SAVE, {"input": {"workoutId": workout["id"], "visibility": "ORGANIZATION"}}, as_=club.trainer
        )
    ).ok()["saveWorkoutAsTemplate"]
    assert (template["kind"], template["totalDurationSeconds"]) == ("FLEXIBILITY", 294)


async def test_totals_of_strength_conditioning_hybrid_and_agility(
    training: RunningService, club: Club, squat: Exercise
) -> None:
    strength_exercises = [
        {"exerciseId": str(squat.id), "sets": [{"reps": 5, "loadKg": 100, "restSeconds": 120}] * 3},
        {"exerciseId": str(squat.id), "sets": [{"reps": 10, "loadKg": 60.5, "restSeconds": 60}] * 2},
    ]
    bike = {
        "equipment": "BIKE",
        "warmupSeconds": 300,
        "cooldownSeconds": 120,
        "intervals": [
            {"workSeconds": 30, "restSeconds": 30, "repeats": 6, "targetWatts": 600},
            {"workSeconds": 120, "restSeconds": 60, "repeats": 2, "heartRateZone": 4},
        ],
    }
    cases: list[tuple[dict[str, Any], dict[str, Any]]] = [
        (
            {"name": "S", "kind": "STRENGTH", "exercises": strength_exercises},
            {
                # 3 x (5 x 3 s + 120) + 2 x (10 x 3 s + 60)
                "totalDurationSeconds": 3 * 135 + 2 * 90,
                "volumeKg": 3 * 5 * 100 + 2 * 10 * 60.5,
                "workSeconds": 0,
                "intervalCount": 0,
                "exerciseCount": 2,
                "setCount": 5,
            },
        ),
        (
            {"name": "C", "kind": "CONDITIONING", "intervalProgram": bike},
            {
                "totalDurationSeconds": 300 + 6 * 60 + 2 * 180 + 120,
                "volumeKg": 0,
                "workSeconds": 6 * 30 + 2 * 120,
                "intervalCount": 8,
                "exerciseCount": 0,
                "setCount": 0,
            },
        ),
        (
            {
                "name": "H",
                "kind": "HYBRID",
                "blocks": [{"exercises": strength_exercises[:1]}, {"intervalProgram": bike}],
            },
            {
                "totalDurationSeconds": 3 * 135 + 300 + 6 * 60 + 2 * 180 + 120,
                "volumeKg": 1500,
                "workSeconds": 420,
                "intervalCount": 8,
                "exerciseCount": 1,
                "setCount": 3,
            },
        ),
        (
            {
                "name": "A",
                "kind": "AGILITY",
                "drills": [{"name": "5-10-5", "targetSeconds": 5, "reps": 4, "restSeconds": 40, "allowedErrors": 0}],
            },
            {
                "totalDurationSeconds": 4 * 45,
                "volumeKg": 0,
                "workSeconds": 0,
                "intervalCount": 0,
                "exerciseCount": 0,
                "setCount": 0,
            },
        ),
    ]
    for given, expected in cases:
        workout = (await training.graphql.execute(CREATE, {"input": given}, as_=club.trainer)).ok()["createWorkout"]
        assert {key: workout[key] for key in expected} == expected, given["kind"]
        template = (
            await training.graphql.execute(
                SAVE, {"input": {"workoutId": workout["id"], "visibility": "PRIVATE"}}, as_=club.trainer
            )
        ).ok()["saveWorkoutAsTemplate"]
        assert {key: template[key] for key in expected} == expected, given["kind"]
    assert workout["drills"] == [{"name": "5-10-5", "allowedErrors": 0}]


def _activity(**changes: Any) -> list[dict[str, Any]]:
    return [{"name": "Stretch", "durationSeconds": 30, "bodyAreas": ["HAMSTRINGS"], **changes}]


INVALID: list[tuple[str, dict[str, Any], str]] = [
    ("a RECOVERY workout without activities", {"kind": "RECOVERY", "activities": []}, "activities"),
    ("a FLEXIBILITY workout without its part", {"kind": "FLEXIBILITY"}, "activities"),
    ("activities in a STRENGTH workout", {"kind": "STRENGTH", "activities": _activity()}, "activities"),
    ("drills in a RECOVERY workout", {"kind": "RECOVERY", "activities": _activity(), "drills": []}, "drills"),
    (
        "an activity with neither time nor repetitions",
        {"kind": "RECOVERY", "activities": _activity(durationSeconds=None)},
        "activities[0].durationSeconds",
    ),
    ("an empty name", {"kind": "RECOVERY", "activities": _activity(name=" ")}, "activities[0].name"),
    ("zero seconds", {"kind": "RECOVERY", "activities": _activity(durationSeconds=0)}, "activities[0].durationSeconds"),
    (
        "too many repetitions",
        {"kind": "RECOVERY", "activities": _activity(repetitions=201)},
        "activities[0].repetitions",
    ),
    ("eleven sets", {"kind": "FLEXIBILITY", "activities": _activity(sets=11)}, "activities[0].sets"),
    ("RPE 11", {"kind": "FLEXIBILITY", "activities": _activity(rpe=11)}, "activities[0].rpe"),
    ("a hard recovery", {"kind": "RECOVERY", "activities": _activity(rpe=7)}, "activities[0].rpe"),
    (
        "a flexibility activity without body areas",
        {"kind": "FLEXIBILITY", "activities": _activity(bodyAreas=[])},
        "activities[0].bodyAreas",
    ),
    (
        "a cold plunge in a flexibility session",
        {"kind": "FLEXIBILITY", "activities": _activity(modality="COLD")},
        "activities[0].modality",
    ),
    (
        "a temperature for a stretch",
        {"kind": "RECOVERY", "activities": _activity(modality="STRETCH", temperatureCelsius=10)},
        "activities[0].temperatureCelsius",
    ),
    (
        "cold water at 30 degrees",
        {"kind": "RECOVERY", "activities": _activity(modality="COLD", temperatureCelsius=30)},
        "activities[0].temperatureCelsius",
    ),
    (
        "a malformed exercise id",
        {"kind": "RECOVERY", "activities": _activity(exerciseId="roller")},
        "activities[0].exerciseId",
    ),
    (
        "a drill allowing 51 errors",
        {"kind": "AGILITY", "drills": [{"name": "T", "targetSeconds": 9, "reps": 2, "allowedErrors": 51}]},
        "drills[0].allowedErrors",
    ),
]


@pytest.mark.parametrize(("case", "given", "field"), INVALID, ids=[case for case, _, _ in INVALID])
async def test_recovery_and_flexibility_are_validated_naming_the_field(
    training: RunningService, club: Club, case: str, given: dict[str, Any], field: str
) -> None:
    response = await training.graphql.execute(CREATE, {"input": {"name": "W", **given}}, as_=club.trainer)
    assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field
    assert response.data is None


async def test_an_activitys_exercise_comes_from_the_clubs_library(training: RunningService, club: Club) -> None:
    response = await training.graphql.execute(
        CREATE,
        {"input": {"name": "W", "kind": "RECOVERY", "activities": _activity(exerciseId=str(club.organization_id))}},
        as_=club.trainer,
    )
    assert response.error("NOT_FOUND")["extensions"]["field"] == "activities[0].exerciseId"
