"""The exercise library through GraphQL over HTTP: adding, changing, searching, and who may."""

from __future__ import annotations

import uuid

import pytest

from shared.auth.principal import Role
from subgraphs.training.models import ExerciseCategory, ExerciseUnit
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.training.factories import Club, make_exercise

CREATE = """
mutation Create($input: CreateExerciseInput!) {
  createExercise(input: $input) { id name category muscleGroups equipment unit description }
}
"""

UPDATE = """
mutation Update($id: ID!, $input: UpdateExerciseInput!) {
  updateExercise(id: $id, input: $input) { id name category equipment description }
}
"""

EXERCISES = """
query Exercises($search: String, $category: ExerciseCategory) {
  exercises(search: $search, category: $category) { name category }
}
"""

NEW = {
    "name": "Nordic Hamstring Curl",
    "category": "STRENGTH",
    "unit": "REPS",
    "muscleGroups": ["HAMSTRINGS", "GLUTES", "HAMSTRINGS"],
    "equipment": ["bench", "partner", "bench"],
    "description": "Slow eccentric; catch with the hands.",
}


async def test_a_trainer_adds_an_exercise_to_the_library(training: RunningService, club: Club) -> None:
    data = (await training.graphql.execute(CREATE, {"input": NEW}, as_=club.trainer)).ok()["createExercise"]
    assert data["name"] == "Nordic Hamstring Curl"
    assert data["muscleGroups"] == ["GLUTES", "HAMSTRINGS"]  # deduplicated, in the enum's order
    assert data["equipment"] == ["bench", "partner"]
    # the same name in another case is the same exercise
    again = await training.graphql.execute(
        CREATE, {"input": {**NEW, "name": "nordic hamstring curl"}}, as_=club.staff(Role.COACH)
    )
    assert again.error("CONFLICT")["extensions"]["field"] == "name"
    # another club may have its own
    other = principal(Role.PHYSICAL_TRAINER, organization_id=uuid.uuid4())
    (await training.graphql.execute(CREATE, {"input": NEW}, as_=other)).ok()


async def test_an_exercise_is_changed_and_the_library_searched(training: RunningService, club: Club) -> None:
    squat = await make_exercise(training, by=club.trainer)
    await make_exercise(
        training,
        by=club.trainer,
        name="Box Jump",
        category=ExerciseCategory.PLYOMETRICS,
        unit=ExerciseUnit.REPS,
    )
    await make_exercise(
        training, by=club.trainer, name="Front Squat", description="Elbows high; 100% of the time upright."
    )
    changed = (
        await training.graphql.execute(
            UPDATE,
            {"id": str(squat.id), "input": {"name": "Back Squat (high bar)", "description": None}},
            as_=club.trainer,
        )
    ).ok()["updateExercise"]
    assert (changed["name"], changed["description"], changed["equipment"]) == (
        "Back Squat (high bar)",
        None,
        ["barbell", "squat rack"],
    )
    # a player searches the club's library by name, category, and literally for "%"
    as_player = club.player(club.senior_players[0])
    found = (await training.graphql.execute(EXERCISES, {"search": "squat"}, as_=as_player)).ok()["exercises"]
    assert [row["name"] for row in found] == ["Back Squat (high bar)", "Front Squat"]
    plyo = (await training.graphql.execute(EXERCISES, {"category": "PLYOMETRICS"}, as_=as_player)).ok()
    assert plyo["exercises"] == [{"name": "Box Jump", "category": "PLYOMETRICS"}]
    percent = (await training.graphql.execute(EXERCISES, {"search": "100%"}, as_=as_player)).ok()
    assert [row["name"] for row in percent["exercises"]] == ["Front Squat"]
    # another club sees none of them
    outsider = principal(Role.COACH, organization_id=uuid.uuid4())
    assert (await training.graphql.execute(EXERCISES, {}, as_=outsider)).ok()["exercises"] == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"equipment": ["x" * 61]}, "equipment"),
        ({"equipment": [f"item {n}" for n in range(11)]}, "equipment"),
        ({"description": "x" * 2001}, "description"),
    ],
)
async def test_invalid_exercises_name_the_field(
    training: RunningService, club: Club, overrides: dict[str, object], field: str
) -> None:
    response = await training.graphql.execute(CREATE, {"input": {**NEW, **overrides}}, as_=club.trainer)
    assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field


async def test_only_training_staff_edit_the_library(training: RunningService, club: Club) -> None:
    squat = await make_exercise(training, by=club.trainer)
    for caller in (
        club.player(club.senior_players[0]),
        club.parent(club.junior_players[0]),
        club.staff(Role.ASSISTANT_COACH),
        club.staff(Role.MEDICAL_STAFF),
    ):
        assert (await training.graphql.execute(CREATE, {"input": NEW}, as_=caller)).codes == ["FORBIDDEN"]
        update = await training.graphql.execute(UPDATE, {"id": str(squat.id), "input": {"name": "X"}}, as_=caller)
        assert update.codes == ["FORBIDDEN"]
    outsider = principal(Role.PHYSICAL_TRAINER, organization_id=uuid.uuid4())
    update = await training.graphql.execute(UPDATE, {"id": str(squat.id), "input": {"name": "X"}}, as_=outsider)
    assert update.codes == ["NOT_FOUND"]
    malformed = await training.graphql.execute(UPDATE, {"id": "squat", "input": {"name": "X"}}, as_=club.trainer)
    assert malformed.error("BAD_USER_INPUT")["extensions"]["field"] == "id"
