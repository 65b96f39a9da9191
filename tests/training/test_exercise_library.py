"""The exercise library's prescription defaults, progression rules, alternatives, and its filtered, ordered,
paged search, through GraphQL over HTTP."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from shared.auth.principal import Role
from subgraphs.training.models import ExerciseCategory, ExerciseUnit, MuscleGroup
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.support.statements import count_statements
from tests.training.factories import Club, make_exercise

EXERCISE_FIELDS = """
  id name unit
  defaults { sets reps loadKg seconds meters watts restSeconds }
  progression { incrementAmount incrementUnit condition notes }
  alternatives { name }
"""

CREATE = f"""
mutation Create($input: CreateExerciseInput!) {{ createExercise(input: $input) {{ {EXERCISE_FIELDS} }} }}
"""

UPDATE = f"""
mutation Update($id: ID!, $input: UpdateExerciseInput!) {{
  updateExercise(id: $id, input: $input) {{ {EXERCISE_FIELDS} }}
}}
"""

SEARCH = """
query Search(
  $search: String, $category: ExerciseCategory, $muscleGroups: [MuscleGroup!], $equipment: [String!],
  $unit: ExerciseUnit, $order: ExerciseOrder! = CATEGORY, $limit: Int! = 100, $offset: Int! = 0
) {
  exercises(
    search: $search, category: $category, muscleGroups: $muscleGroups, equipment: $equipment, unit: $unit,
    order: $order, limit: $limit, offset: $offset
  ) { name }
}
"""

SQUAT: dict[str, Any] = {
    "name": "Back Squat",
    "category": "STRENGTH",
    "unit": "KILOGRAMS",
    "muscleGroups": ["QUADRICEPS", "GLUTES"],
    "equipment": ["Barbell", "squat rack"],
    "defaults": {"sets": 4, "reps": 6, "loadKg": 80.125, "restSeconds": 150},
    "progression": {
        "incrementAmount": 2.5,
        "incrementUnit": "KILOGRAMS",
        "condition": "all sets done at RPE <= 8",
        "notes": "Hold the load for a week after a missed rep.",
    },
}


async def _names(training: RunningService, as_: Any, **variables: Any) -> list[str]:
    data = (await training.graphql.execute(SEARCH, variables, as_=as_)).ok()
    return [row["name"] for row in data["exercises"]]


async def test_an_exercise_carries_defaults_a_progression_rule_and_alternatives(
    training: RunningService, club: Club
) -> None:
    goblet = await make_exercise(training, by=club.trainer, name="Goblet Squat", equipment=("kettlebell",))
    split = await make_exercise(training, by=club.trainer, name="Split Squat", unit=ExerciseUnit.REPS)
    created = (
        await training.graphql.execute(
            CREATE,
            {"input": {**SQUAT, "alternativeIds": [str(split.id), str(goblet.id), str(split.id)]}},
            as_=club.trainer,
        )
    ).ok()["createExercise"]
    assert created["defaults"] == {
        "sets": 4,
        "reps": 6,
        "loadKg": 80.13,  # to the hundredth of a kilogram
        "seconds": None,
        "meters": None,
        "watts": None,
        "restSeconds": 150,
    }
    assert created["progression"] == {
        "incrementAmount": 2.5,
        "incrementUnit": "KILOGRAMS",
        "condition": "all sets done at RPE <= 8",
        "notes": "Hold the load for a week after a missed rep.",
    }
    # deduplicated, in the order given
    assert created["alternatives"] == [{"name": "Split Squat"}, {"name": "Goblet Squat"}]

    # an update replaces the parts it names and keeps the rest
    changed = (
        await training.graphql.execute(
            UPDATE,
            {"id": created["id"], "input": {"alternativeIds": [str(goblet.id)], "progression": None}},
            as_=club.staff(Role.COACH),
        )
    ).ok()["updateExercise"]
    assert (changed["alternatives"], changed["progression"], changed["defaults"]["sets"]) == (
        [{"name": "Goblet Squat"}],
        None,
        4,
    )
    # a timed exercise gets seconds; its unit cannot change while the defaults give reps and a load
    cleared = (
        await training.graphql.execute(
            UPDATE,
            {"id": created["id"], "input": {"unit": "SECONDS", "defaults": {"seconds": 40, "sets": 3}}},
            as_=club.trainer,
        )
    ).ok()["updateExercise"]
    assert (cleared["unit"], cleared["defaults"]["seconds"], cleared["defaults"]["loadKg"]) == ("SECONDS", 40, None)
    stale = await training.graphql.execute(UPDATE, {"id": created["id"], "input": {"unit": "METERS"}}, as_=club.trainer)
    assert stale.error("BAD_USER_INPUT")["extensions"]["field"] == "unit"
    # an update that does not name the alternatives keeps them
    assert (await training.graphql.execute(UPDATE, {"id": created["id"], "input": {}}, as_=club.trainer)).ok()[
        "updateExercise"
    ]["alternatives"] == [{"name": "Goblet Squat"}]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"defaults": {"seconds": 30}}, "defaults.seconds"),  # a KILOGRAMS exercise has no seconds
        ({"defaults": {"watts": 300}}, "defaults.watts"),
        ({"unit": "REPS", "defaults": {"reps": 10, "loadKg": 20}}, "defaults.loadKg"),
        ({"unit": "METERS", "defaults": {"reps": 10}}, "defaults.reps"),
        ({"defaults": {"sets": 0}}, "defaults.sets"),
        ({"defaults": {"reps": 201}}, "defaults.reps"),
        ({"defaults": {"loadKg": -5}}, "defaults.loadKg"),
        ({"defaults": {"restSeconds": 901}}, "defaults.restSeconds"),
        ({"unit": "WATTS", "defaults": {"watts": 3000}}, "defaults.watts"),
        ({"progression": {"incrementAmount": 2.5}}, "progression.incrementUnit"),
        ({"progression": {"incrementUnit": "REPS"}}, "progression.incrementAmount"),
        ({"progression": {"incrementAmount": 0, "incrementUnit": "REPS"}}, "progression.incrementAmount"),
        ({"progression": {"condition": "x" * 301}}, "progression.condition"),
        ({"alternativeIds": ["squat"]}, "alternativeIds[0]"),
        ({"alternativeIds": [str(uuid.uuid4()) for _ in range(11)]}, "alternativeIds"),
    ],
)
async def test_invalid_defaults_progressions_and_alternatives_name_the_field(
    training: RunningService, club: Club, overrides: dict[str, Any], field: str
) -> None:
    response = await training.graphql.execute(CREATE, {"input": {**SQUAT, **overrides}}, as_=club.trainer)
    assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field
    assert response.data is None


async def test_alternatives_are_other_exercises_of_the_same_club(training: RunningService, club: Club) -> None:
    squat = await make_exercise(training, by=club.trainer)
    theirs = await make_exercise(training, by=principal(Role.PHYSICAL_TRAINER, organization_id=uuid.uuid4()))
    elsewhere = await training.graphql.execute(
        UPDATE, {"id": str(squat.id), "input": {"alternativeIds": [str(theirs.id)]}}, as_=club.trainer
    )
    assert elsewhere.error("NOT_FOUND")["extensions"]["field"] == "alternativeIds[0]"
    missing = await training.graphql.execute(
        CREATE, {"input": {**SQUAT, "name": "Front Squat", "alternativeIds": [str(uuid.uuid4())]}}, as_=club.trainer
    )
    assert missing.error("NOT_FOUND")["extensions"]["field"] == "alternativeIds[0]"
    itself = await training.graphql.execute(
        UPDATE, {"id": str(squat.id), "input": {"alternativeIds": [str(squat.id)]}}, as_=club.trainer
    )
    assert itself.error("BAD_USER_INPUT")["extensions"]["field"] == "alternativeIds"
    # nothing was written by the failed requests
    listed = """query { exercises { name alternatives { name } } }"""
    assert (await training.graphql.execute(listed, {}, as_=club.trainer)).ok()["exercises"] == [
        {"name": "Back Squat", "alternatives": []}
    ]


async def test_the_library_is_searched_filtered_ordered_and_paged(training: RunningService, club: Club) -> None:
    await make_exercise(training, by=club.trainer, name="Back Squat")  # quadriceps, glutes; barbell
    await make_exercise(
        training,
        by=club.trainer,
        name="Bench Press",
        muscle_groups=(MuscleGroup.CHEST, MuscleGroup.TRICEPS),
        equipment=("Barbell", "bench"),
        description=None,
    )
    await make_exercise(
        training,
        by=club.trainer,
        name="Copenhagen Plank",
        unit=ExerciseUnit.SECONDS,
        muscle_groups=(MuscleGroup.ADDUCTORS, MuscleGroup.CORE),
        equipment=("bench",),
        description="Top leg on the bench.",
    )
    await make_exercise(
        training,
        by=club.trainer,
        name="Assault Bike Sprint",
        category=ExerciseCategory.CONDITIONING,
        unit=ExerciseUnit.WATTS,
        muscle_groups=(MuscleGroup.FULL_BODY,),
        equipment=("air bike",),
        description=None,
    )
    as_player = club.player(club.senior_players[0])
    everything = ["Back Squat", "Bench Press", "Copenhagen Plank", "Assault Bike Sprint"]
    assert await _names(training, as_player) == everything  # by category (enum order), then name
    assert await _names(training, as_player, search="bench") == ["Bench Press", "Copenhagen Plank"]
    assert await _names(training, as_player, muscleGroups=["CORE", "CHEST"]) == ["Bench Press", "Copenhagen Plank"]
    assert await _names(training, as_player, equipment=["BARBELL"]) == ["Back Squat", "Bench Press"]
    assert await _names(training, as_player, equipment=["bench"], unit="SECONDS") == ["Copenhagen Plank"]
    assert await _names(training, as_player, category="CONDITIONING") == ["Assault Bike Sprint"]
    assert await _names(training, as_player, order="NAME") == sorted(everything)
    assert await _names(training, as_player, order="NEWEST") == list(reversed(everything))
    pages = [await _names(training, as_player, order="NAME", limit=3, offset=offset) for offset in (0, 3)]
    assert pages == [sorted(everything)[:3], sorted(everything)[3:]]
    for variables, field in (({"limit": 0}, "limit"), ({"limit": 501}, "limit"), ({"offset": -1}, "offset")):
        response = await training.graphql.execute(SEARCH, variables, as_=as_player)
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field


async def test_the_library_batches_alternatives(training: RunningService, club: Club) -> None:
    first = await make_exercise(training, by=club.trainer, name="Goblet Squat")
    for name in ("Back Squat", "Front Squat", "Box Squat"):
        await training.graphql.execute(
            CREATE, {"input": {**SQUAT, "name": name, "alternativeIds": [str(first.id)]}}, as_=club.trainer
        )
    query = "query { exercises(order: NAME) { name alternatives { name } } }"
    with count_statements(training.engine) as log:
        data = (await training.graphql.execute(query, {}, as_=club.trainer)).ok()["exercises"]
    assert [row["alternatives"] for row in data] == [[{"name": "Goblet Squat"}]] * 3 + [[]]
    # the exercises, then every exercise's alternatives at once
    assert log.count == 2, log.statements
