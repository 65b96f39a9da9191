"""Workouts of every kind through GraphQL over HTTP: structure, validation per kind, duration and volume."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from shared.auth.principal import Role
from subgraphs.training.models import Exercise, ExerciseCategory, ExerciseUnit
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.support.statements import count_statements
from tests.training.factories import Club, make_assignment, make_exercise, make_strength_workout

WORKOUT_FIELDS = """
  id name kind description totalDurationSeconds volumeKg
  exercises {
    exercise { name } notes volumeKg
    sets { setNumber reps loadKg tempo restSeconds durationSeconds }
  }
  intervalProgram {
    equipment warmupSeconds cooldownSeconds totalDurationSeconds workSeconds
    intervals { workSeconds restSeconds repeats heartRateZone targetWatts targetPaceSeconds }
  }
  blocks { name durationSeconds exercises { exercise { name } } intervalProgram { equipment } }
  drills { name targetSeconds reps restSeconds }
"""

CREATE = f"""
mutation Create($input: WorkoutInput!) {{ createWorkout(input: $input) {{ {WORKOUT_FIELDS} }} }}
"""

UPDATE = f"""
mutation Update($id: ID!, $input: WorkoutInput!) {{
  updateWorkout(id: $id, input: $input) {{ {WORKOUT_FIELDS} }}
}}
"""

WORKOUT = """
query Workout($id: ID!) { workout(id: $id) { id name totalDurationSeconds } }
"""

WORKOUTS = """
query Workouts($kind: WorkoutKind) { workouts(kind: $kind) { name kind } }
"""


@pytest.fixture
async def library(training: RunningService, club: Club) -> dict[str, Exercise]:
    squat = await make_exercise(training, by=club.trainer, name="Back Squat")
    bench = await make_exercise(training, by=club.trainer, name="Bench Press")
    plank = await make_exercise(
        training,
        by=club.trainer,
        name="Side Plank",
        category=ExerciseCategory.STRENGTH,
        unit=ExerciseUnit.SECONDS,
    )
    return {"squat": squat, "bench": bench, "plank": plank}


def strength(library: dict[str, Exercise]) -> dict[str, Any]:
    return {
        "name": "Lower body A",
        "kind": "STRENGTH",
        "exercises": [
            {
                "exerciseId": str(library["squat"].id),
                "notes": "Brace before each rep.",
                "sets": [{"reps": 5, "loadKg": 100, "tempo": "3-1-1-0", "restSeconds": 120}] * 3,
            },
            {
                "exerciseId": str(library["bench"].id),
                "sets": [{"reps": 8, "loadKg": 60, "restSeconds": 90}] * 2,
            },
            {
                "exerciseId": str(library["plank"].id),
                "sets": [{"reps": 2, "durationSeconds": 30, "restSeconds": 30}],
            },
        ],
    }


ROWER: dict[str, Any] = {
    "name": "Rower 4x4",
    "kind": "CONDITIONING",
    "intervalProgram": {
        "equipment": "ROWER",
        "warmupSeconds": 600,
        "cooldownSeconds": 300,
        "intervals": [
            {
                "workSeconds": 240,
                "restSeconds": 120,
                "repeats": 4,
                "heartRateZone": 4,
                "targetPaceSeconds": 105,
            },
            {"workSeconds": 60, "targetWatts": 350},
        ],
    },
}

AGILITY: dict[str, Any] = {
    "name": "Change of direction",
    "kind": "AGILITY",
    "drills": [
        {"name": "Pro agility 5-10-5", "targetSeconds": 4.6, "reps": 6, "restSeconds": 45},
        {"name": "T-drill", "targetSeconds": 9.5, "reps": 4},
    ],
}


async def test_a_strength_workout_computes_duration_and_volume(
    training: RunningService, club: Club, library: dict[str, Exercise]
) -> None:
    workout = (await training.graphql.execute(CREATE, {"input": strength(library)}, as_=club.trainer)).ok()[
        "createWorkout"
    ]
    # squat: 3 x (5 reps x 5 s tempo + 120 s rest); bench: 2 x (8 x 3 s + 90 s); plank: 2 x 30 s + 30 s
    assert workout["totalDurationSeconds"] == 3 * (25 + 120) + 2 * (24 + 90) + (60 + 30)
    assert workout["volumeKg"] == 3 * 5 * 100 + 2 * 8 * 60
    squat, bench, plank = workout["exercises"]
    assert squat["exercise"] == {"name": "Back Squat"}
    assert [s["setNumber"] for s in squat["sets"]] == [1, 2, 3]
    assert (squat["volumeKg"], squat["notes"], squat["sets"][0]["tempo"]) == (
        1500,
        "Brace before each rep.",
        "3-1-1-0",
    )
    assert bench["sets"][0] == {
        "setNumber": 1,
        "reps": 8,
        "loadKg": 60,
        "tempo": None,
        "restSeconds": 90,
        "durationSeconds": None,
    }
    assert plank["volumeKg"] == 0
    assert (workout["intervalProgram"], workout["blocks"], workout["drills"]) == (None, [], [])


async def test_a_rower_interval_session(training: RunningService, club: Club) -> None:
    workout = (await training.graphql.execute(CREATE, {"input": ROWER}, as_=club.trainer)).ok()["createWorkout"]
    program = workout["intervalProgram"]
    assert program["totalDurationSeconds"] == workout["totalDurationSeconds"] == 600 + 4 * (240 + 120) + 60 + 300
    assert program["workSeconds"] == 4 * 240 + 60
    assert program["intervals"][1] == {
        "workSeconds": 60,
        "restSeconds": 0,
        "repeats": 1,
        "heartRateZone": None,
        "targetWatts": 350,
        "targetPaceSeconds": None,
    }
    assert (workout["volumeKg"], workout["exercises"]) == (0, [])


async def test_a_hybrid_circuit_and_an_agility_session(
    training: RunningService, club: Club, library: dict[str, Exercise]
) -> None:
    hybrid = {
        "name": "Bike and lift circuit",
        "kind": "HYBRID",
        "blocks": [
            {"name": "Strength", "exercises": strength(library)["exercises"][:1]},
            {
                "name": "Bike sprints",
                "intervalProgram": {
                    "equipment": "BIKE",
                    "intervals": [{"workSeconds": 20, "restSeconds": 40, "repeats": 8, "targetWatts": 700}],
                },
            },
        ],
    }
    workout = (await training.graphql.execute(CREATE, {"input": hybrid}, as_=club.trainer)).ok()["createWorkout"]
    assert [block["durationSeconds"] for block in workout["blocks"]] == [3 * 145, 8 * 60]
    assert workout["totalDurationSeconds"] == 3 * 145 + 8 * 60
    assert workout["volumeKg"] == 1500
    assert workout["blocks"][0]["exercises"] == [{"exercise": {"name": "Back Squat"}}]
    assert workout["blocks"][1]["intervalProgram"] == {"equipment": "BIKE"}
    drills = (await training.graphql.execute(CREATE, {"input": AGILITY}, as_=club.trainer)).ok()["createWorkout"]
    # pro agility: 6 x (4.6 s + 45 s) = 297.6 s, counted as 298; T-drill: 4 x (9.5 s + 30 s) = 158 s
    assert drills["totalDurationSeconds"] == 298 + 158
    assert drills["drills"][0] == {
        "name": "Pro agility 5-10-5",
        "targetSeconds": 4.6,
        "reps": 6,
        "restSeconds": 45,
    }


def _without(workout: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: value for key, value in workout.items() if key not in keys}


INVALID: list[tuple[str, Any, str]] = [
    ("a STRENGTH workout without exercises", lambda lib: _without(strength(lib), "exercises"), "exercises"),
    ("a STRENGTH workout with an empty list", lambda lib: {**strength(lib), "exercises": []}, "exercises"),
    (
        "an exercise without sets",
        lambda lib: {**strength(lib), "exercises": [{"exerciseId": str(lib["squat"].id), "sets": []}]},
        "exercises[0].sets",
    ),
    (
        "a set with zero reps",
        lambda lib: {
            **strength(lib),
            "exercises": [{"exerciseId": str(lib["squat"].id), "sets": [{"reps": 0}]}],
        },
        "exercises[0].sets[0].reps",
    ),
    (
        "a malformed tempo",
        lambda lib: {
            **strength(lib),
            "exercises": [{"exerciseId": str(lib["squat"].id), "sets": [{"reps": 5, "tempo": "slow"}]}],
        },
        "exercises[0].sets[0].tempo",
    ),
    (
        "a negative load",
        lambda lib: {
            **strength(lib),
            "exercises": [{"exerciseId": str(lib["squat"].id), "sets": [{"reps": 5, "loadKg": -20}]}],
        },
        "exercises[0].sets[0].loadKg",
    ),
    (
        "a malformed exercise id",
        lambda lib: {**strength(lib), "exercises": [{"exerciseId": "squat", "sets": [{"reps": 5}]}]},
        "exercises[0].exerciseId",
    ),
    (
        "a STRENGTH workout carrying drills",
        lambda lib: {**strength(lib), "drills": AGILITY["drills"]},
        "drills",
    ),
    (
        "a CONDITIONING workout without a program",
        lambda lib: _without(ROWER, "intervalProgram"),
        "intervalProgram",
    ),
    (
        "a conditioning interval with zero work time",
        lambda lib: {
            **ROWER,
            "intervalProgram": {
                **ROWER["intervalProgram"],
                "intervals": [{"workSeconds": 0, "restSeconds": 60, "heartRateZone": 3}],
            },
        },
        "intervalProgram.intervals[0].workSeconds",
    ),
    (
        "an interval without a target",
        lambda lib: {
            **ROWER,
            "intervalProgram": {**ROWER["intervalProgram"], "intervals": [{"workSeconds": 60}]},
        },
        "intervalProgram.intervals[0]",
    ),
    (
        "heart-rate zone 6",
        lambda lib: {
            **ROWER,
            "intervalProgram": {
                **ROWER["intervalProgram"],
                "intervals": [{"workSeconds": 60, "heartRateZone": 6}],
            },
        },
        "intervalProgram.intervals[0].heartRateZone",
    ),
    (
        "watts while running",
        lambda lib: {
            **ROWER,
            "intervalProgram": {
                "equipment": "RUNNING",
                "intervals": [{"workSeconds": 60, "targetWatts": 300}],
            },
        },
        "intervalProgram.intervals[0].targetWatts",
    ),
    (
        "a pace on the bike",
        lambda lib: {
            **ROWER,
            "intervalProgram": {
                "equipment": "BIKE",
                "intervals": [{"workSeconds": 60, "targetPaceSeconds": 120}],
            },
        },
        "intervalProgram.intervals[0].targetPaceSeconds",
    ),
    (
        "a program without intervals",
        lambda lib: {**ROWER, "intervalProgram": {"equipment": "ROWER", "intervals": []}},
        "intervalProgram.intervals",
    ),
    (
        "a hybrid block with both parts",
        lambda lib: {
            "name": "H",
            "kind": "HYBRID",
            "blocks": [{"exercises": strength(lib)["exercises"], "intervalProgram": ROWER["intervalProgram"]}],
        },
        "blocks[0]",
    ),
    (
        "a hybrid workout of strength only",
        lambda lib: {"name": "H", "kind": "HYBRID", "blocks": [{"exercises": strength(lib)["exercises"]}]},
        "blocks",
    ),
    (
        "a zero-work interval inside a hybrid block",
        lambda lib: {
            "name": "H",
            "kind": "HYBRID",
            "blocks": [
                {"exercises": strength(lib)["exercises"]},
                {
                    "intervalProgram": {
                        "equipment": "BIKE",
                        "intervals": [{"workSeconds": 0, "heartRateZone": 2}],
                    }
                },
            ],
        },
        "blocks[1].intervalProgram.intervals[0].workSeconds",
    ),
    ("an AGILITY workout without drills", lambda lib: {**AGILITY, "drills": []}, "drills"),
    (
        "a drill with no target time",
        lambda lib: {**AGILITY, "drills": [{"name": "T-drill", "targetSeconds": 0, "reps": 3}]},
        "drills[0].targetSeconds",
    ),
    ("an empty name", lambda lib: {**AGILITY, "name": " "}, "name"),
]


@pytest.mark.parametrize(("case", "build", "field"), INVALID, ids=[case for case, _, _ in INVALID])
async def test_each_kind_is_validated_naming_the_field(
    training: RunningService, club: Club, library: dict[str, Exercise], case: str, build: Any, field: str
) -> None:
    response = await training.graphql.execute(CREATE, {"input": build(library)}, as_=club.trainer)
    error = response.error("BAD_USER_INPUT")
    assert error["extensions"]["field"] == field, error
    assert response.data is None


async def test_exercises_must_come_from_the_clubs_library(
    training: RunningService, club: Club, library: dict[str, Exercise]
) -> None:
    other_club = principal(Role.PHYSICAL_TRAINER, organization_id=uuid.uuid4())
    theirs = await make_exercise(training, by=other_club, name="Their Squat")
    workout = strength(library)
    workout["exercises"][1] = {"exerciseId": str(theirs.id), "sets": [{"reps": 5}]}
    response = await training.graphql.execute(CREATE, {"input": workout}, as_=club.trainer)
    assert response.error("NOT_FOUND")["extensions"]["field"] == "exercises[1].exerciseId"


async def test_a_workout_is_replaced_by_an_update(
    training: RunningService, club: Club, library: dict[str, Exercise]
) -> None:
    workout = await make_strength_workout(training, by=club.trainer, exercise=library["squat"])
    changed = (
        await training.graphql.execute(UPDATE, {"id": str(workout.id), "input": ROWER}, as_=club.staff(Role.COACH))
    ).ok()["updateWorkout"]
    assert (changed["kind"], changed["name"], changed["exercises"]) == ("CONDITIONING", "Rower 4x4", [])
    forbidden = await training.graphql.execute(
        UPDATE, {"id": str(workout.id), "input": ROWER}, as_=club.staff(Role.ASSISTANT_COACH)
    )
    assert forbidden.codes == ["FORBIDDEN"]


async def test_players_see_only_workouts_assigned_to_them(
    training: RunningService, club: Club, library: dict[str, Exercise]
) -> None:
    assigned = await make_strength_workout(training, by=club.trainer, exercise=library["squat"])
    other = await make_strength_workout(training, by=club.trainer, exercise=library["bench"], name="Upper body")
    mine = club.senior_players[0]
    await make_assignment(training, by=club.trainer, workout=assigned, player_ids=(mine,))
    as_player = club.player(mine)
    assert (await training.graphql.execute(WORKOUT, {"id": str(assigned.id)}, as_=as_player)).ok()
    assert (await training.graphql.execute(WORKOUT, {"id": str(other.id)}, as_=as_player)).codes == ["FORBIDDEN"]
    as_parent = club.parent(mine)
    assert (await training.graphql.execute(WORKOUT, {"id": str(assigned.id)}, as_=as_parent)).ok()
    # the list of the club's workouts is for staff
    assert (await training.graphql.execute(WORKOUTS, {}, as_=as_player)).codes == ["FORBIDDEN"]
    listed = (
        await training.graphql.execute(WORKOUTS, {"kind": "STRENGTH"}, as_=club.staff(Role.EQUIPMENT_MANAGER))
    ).ok()
    assert [row["name"] for row in listed["workouts"]] == ["Lower body A", "Upper body"]
    outsider = principal(Role.COACH, organization_id=uuid.uuid4())
    assert (await training.graphql.execute(WORKOUT, {"id": str(assigned.id)}, as_=outsider)).codes == ["NOT_FOUND"]


LIBRARY_WORKOUTS = """
query Library {
  workouts { name exercises { exercise { name } } blocks { exercises { exercise { name } } } }
  workoutTemplates { name }
}
"""


async def test_the_workout_list_batches_its_exercises(
    training: RunningService, club: Club, library: dict[str, Exercise]
) -> None:
    for name in ("Lower A", "Lower B", "Upper A"):
        await training.graphql.execute(CREATE, {"input": {**strength(library), "name": name}}, as_=club.trainer)
    with count_statements(training.engine) as log:
        data = (await training.graphql.execute(LIBRARY_WORKOUTS, {}, as_=club.trainer)).ok()
    assert [row["name"] for row in data["workouts"]] == ["Lower A", "Lower B", "Upper A"]
    assert data["workouts"][0]["exercises"][2] == {"exercise": {"name": "Side Plank"}}
    # workouts, templates, and the library exercises of all three workouts
    assert log.count == 3, [statement[:80] for statement in log.statements]
