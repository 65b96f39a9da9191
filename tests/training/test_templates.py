"""Templates through GraphQL over HTTP: saving a workout as one, who sees it, and workouts made from it."""

from __future__ import annotations

import uuid

from shared.auth.principal import Principal, Role
from subgraphs.training.models import Workout
from tests.support.services import RunningService
from tests.training.factories import Club, make_exercise, make_strength_workout

SAVE = """
mutation Save($input: SaveWorkoutTemplateInput!) {
  saveWorkoutAsTemplate(input: $input) {
    id name kind visibility team { id } totalDurationSeconds volumeKg exercises { sets { reps } }
  }
}
"""

TEMPLATES = """
query Templates($kind: WorkoutKind) { workoutTemplates(kind: $kind) { name visibility } }
"""

FROM_TEMPLATE = """
mutation FromTemplate($templateId: ID!, $name: String) {
  createWorkoutFromTemplate(templateId: $templateId, name: $name) {
    id name kind totalDurationSeconds volumeKg template { id name }
  }
}
"""


async def _workout(training: RunningService, club: Club) -> Workout:
    squat = await make_exercise(training, by=club.trainer)
    return await make_strength_workout(training, by=club.trainer, exercise=squat)


async def _save(
    training: RunningService, by: Principal, workout: Workout, name: str, visibility: str, **extra: object
) -> dict[str, object]:
    variables = {"input": {"workoutId": str(workout.id), "name": name, "visibility": visibility, **extra}}
    template: dict[str, object] = (await training.graphql.execute(SAVE, variables, as_=by)).ok()[
        "saveWorkoutAsTemplate"
    ]
    return template


async def test_a_template_is_saved_and_a_workout_made_from_it(training: RunningService, club: Club) -> None:
    workout = await _workout(training, club)
    template = await _save(training, club.trainer, workout, "Strength base", "ORGANIZATION")
    assert (template["kind"], template["totalDurationSeconds"], template["volumeKg"]) == (
        "STRENGTH",
        435,
        1500,
    )
    created = (
        await training.graphql.execute(
            FROM_TEMPLATE,
            {"templateId": template["id"], "name": "Strength base, week 3"},
            as_=club.staff(Role.COACH),
        )
    ).ok()["createWorkoutFromTemplate"]
    assert created["id"] != str(workout.id)
    assert (created["name"], created["totalDurationSeconds"], created["volumeKg"]) == (
        "Strength base, week 3",
        435,
        1500,
    )
    assert created["template"] == {"id": template["id"], "name": "Strength base"}


async def test_templates_are_seen_as_their_visibility_allows(training: RunningService, club: Club) -> None:
    workout = await _workout(training, club)
    author = club.trainer
    await _save(training, author, workout, "A: mine", "PRIVATE")
    await _save(training, author, workout, "B: juniors", "TEAM", teamId=str(club.junior_id))
    await _save(training, author, workout, "C: everyone", "ORGANIZATION")

    async def names(caller: Principal) -> list[str]:
        data = (await training.graphql.execute(TEMPLATES, {}, as_=caller)).ok()
        return [row["name"] for row in data["workoutTemplates"]]

    assert await names(author) == ["A: mine", "B: juniors", "C: everyone"]
    assert await names(club.trainer) == ["B: juniors", "C: everyone"]  # a colleague on both teams
    assert await names(club.staff(Role.COACH, club.junior_id)) == ["B: juniors", "C: everyone"]
    assert await names(club.staff(Role.COACH, club.senior_id)) == ["C: everyone"]
    assert await names(club.staff(Role.CLUB_ADMIN)) == ["B: juniors", "C: everyone"]
    player = await training.graphql.execute(TEMPLATES, {}, as_=club.player(club.junior_players[0]))
    assert player.codes == ["FORBIDDEN"]


async def test_a_private_template_is_its_authors(training: RunningService, club: Club) -> None:
    workout = await _workout(training, club)
    author = club.trainer
    variables = {"input": {"workoutId": str(workout.id), "visibility": "PRIVATE"}}
    template = (await training.graphql.execute(SAVE, variables, as_=author)).ok()["saveWorkoutAsTemplate"]
    assert template["name"] == "Lower body A"
    mine = (await training.graphql.execute(TEMPLATES, {"kind": "STRENGTH"}, as_=author)).ok()
    assert [row["name"] for row in mine["workoutTemplates"]] == ["Lower body A"]
    colleague = club.trainer  # same roles, another user
    theirs = (await training.graphql.execute(TEMPLATES, {}, as_=colleague)).ok()
    assert theirs["workoutTemplates"] == []
    response = await training.graphql.execute(FROM_TEMPLATE, {"templateId": template["id"]}, as_=colleague)
    assert response.error("NOT_FOUND")["extensions"]["field"] == "templateId"


async def test_saving_checks_team_and_role(training: RunningService, club: Club) -> None:
    workout = await _workout(training, club)
    missing = await training.graphql.execute(
        SAVE, {"input": {"workoutId": str(workout.id), "visibility": "TEAM"}}, as_=club.trainer
    )
    assert missing.error("BAD_USER_INPUT")["extensions"]["field"] == "teamId"
    stray = await training.graphql.execute(
        SAVE,
        {"input": {"workoutId": str(workout.id), "visibility": "PRIVATE", "teamId": str(club.senior_id)}},
        as_=club.trainer,
    )
    assert stray.error("BAD_USER_INPUT")["extensions"]["field"] == "teamId"
    not_my_team = await training.graphql.execute(
        SAVE,
        {"input": {"workoutId": str(workout.id), "visibility": "TEAM", "teamId": str(club.junior_id)}},
        as_=club.staff(Role.COACH, club.senior_id),
    )
    assert not_my_team.codes == ["FORBIDDEN"]
    unknown = await training.graphql.execute(
        SAVE, {"input": {"workoutId": str(uuid.uuid4()), "visibility": "PRIVATE"}}, as_=club.trainer
    )
    assert unknown.error("NOT_FOUND")["extensions"]["field"] == "workoutId"
