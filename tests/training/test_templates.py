"""Templates through GraphQL over HTTP: saving a workout as one, who sees it, and workouts made from it."""

from __future__ import annotations

import asyncio
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


USAGE = """
query Templates($kind: WorkoutKind, $visibility: TemplateVisibility, $search: String, $order: TemplateOrder) {
  workoutTemplates(kind: $kind, visibility: $visibility, search: $search, order: $order) {
    id name usageCount lastUsedAt
  }
}
"""

DUPLICATE = """
mutation Duplicate($id: ID!, $input: DuplicateWorkoutTemplateInput!) {
  duplicateWorkoutTemplate(id: $id, input: $input) {
    id name kind visibility team { id } usageCount totalDurationSeconds volumeKg
  }
}
"""

UPDATE = """
mutation Update($id: ID!, $input: UpdateWorkoutTemplateInput!) {
  updateWorkoutTemplate(id: $id, input: $input) { id name description kind visibility team { id } usageCount }
}
"""

DELETE = "mutation Delete($id: ID!) { deleteWorkoutTemplate(id: $id) }"

DUPLICATE_WORKOUT = """
mutation Copy($id: ID!, $name: String) {
  duplicateWorkout(id: $id, name: $name) { id name kind totalDurationSeconds volumeKg template { id } }
}
"""


async def test_creating_workouts_counts_a_templates_use(training: RunningService, club: Club) -> None:
    workout = await _workout(training, club)
    author = club.trainer
    popular = await _save(training, author, workout, "Popular", "ORGANIZATION")
    await _save(training, author, workout, "Unused", "ORGANIZATION")
    recent = await _save(training, author, workout, "Recent", "ORGANIZATION")
    for template in (popular, popular, popular, recent):
        await training.graphql.execute(FROM_TEMPLATE, {"templateId": template["id"]}, as_=club.staff(Role.COACH))

    async def listed(**variables: object) -> list[tuple[str, int, bool]]:
        data = (await training.graphql.execute(USAGE, variables, as_=author)).ok()["workoutTemplates"]
        return [(row["name"], row["usageCount"], row["lastUsedAt"] is not None) for row in data]

    assert await listed(order="MOST_USED") == [("Popular", 3, True), ("Recent", 1, True), ("Unused", 0, False)]
    assert [name for name, _, _ in await listed(order="RECENTLY_USED")] == ["Recent", "Popular", "Unused"]
    assert [name for name, _, _ in await listed()] == ["Popular", "Recent", "Unused"]
    assert [name for name, _, _ in await listed(search="pop")] == ["Popular"]
    assert await listed(visibility="PRIVATE") == []
    assert await listed(kind="CONDITIONING") == []


async def test_a_template_is_duplicated_changed_and_deleted(training: RunningService, club: Club) -> None:
    workout = await _workout(training, club)
    author, colleague = club.trainer, club.trainer
    shared = await _save(training, author, workout, "Strength base", "ORGANIZATION")
    await training.graphql.execute(FROM_TEMPLATE, {"templateId": shared["id"]}, as_=author)

    # a colleague copies it for a team of theirs: their own, unused yet
    copy = (
        await training.graphql.execute(
            DUPLICATE,
            {"id": shared["id"], "input": {"visibility": "TEAM", "teamId": str(club.junior_id)}},
            as_=colleague,
        )
    ).ok()["duplicateWorkoutTemplate"]
    assert (copy["name"], copy["visibility"], copy["team"], copy["usageCount"]) == (
        "Strength base (copy)",
        "TEAM",
        {"id": str(club.junior_id)},
        0,
    )
    assert (copy["totalDurationSeconds"], copy["volumeKg"]) == (435, 1500)

    # only its author (or a club administrator) changes it
    others = await training.graphql.execute(UPDATE, {"id": shared["id"], "input": {"name": "Mine"}}, as_=colleague)
    assert others.codes == ["FORBIDDEN"]
    rower = (
        await training.graphql.execute(
            "mutation($input: WorkoutInput!) { createWorkout(input: $input) { id } }",
            {
                "input": {
                    "name": "Rower",
                    "kind": "CONDITIONING",
                    "intervalProgram": {"equipment": "ROWER", "intervals": [{"workSeconds": 60, "heartRateZone": 3}]},
                }
            },
            as_=author,
        )
    ).ok()["createWorkout"]
    changed = (
        await training.graphql.execute(
            UPDATE,
            {
                "id": shared["id"],
                "input": {
                    "name": "Rower base",
                    "description": "Aerobic.",
                    "visibility": "PRIVATE",
                    "fromWorkoutId": rower["id"],
                },
            },
            as_=author,
        )
    ).ok()["updateWorkoutTemplate"]
    assert {key: changed[key] for key in ("name", "description", "kind", "visibility", "team", "usageCount")} == {
        "name": "Rower base",
        "description": "Aerobic.",
        "kind": "CONDITIONING",
        "visibility": "PRIVATE",
        "team": None,
        "usageCount": 1,
    }
    by_admin = await training.graphql.execute(
        UPDATE, {"id": copy["id"], "input": {"teamId": str(club.senior_id)}}, as_=club.staff(Role.CLUB_ADMIN)
    )
    assert by_admin.ok()["updateWorkoutTemplate"]["team"] == {"id": str(club.senior_id)}
    for input_, field in (({"name": " "}, "name"), ({"visibility": "TEAM"}, "teamId")):
        invalid = await training.graphql.execute(UPDATE, {"id": shared["id"], "input": input_}, as_=author)
        assert invalid.error("BAD_USER_INPUT")["extensions"]["field"] == field

    # deleting keeps the workouts made from it
    assert (await training.graphql.execute(DELETE, {"id": shared["id"]}, as_=colleague)).codes == ["NOT_FOUND"]
    assert (await training.graphql.execute(DELETE, {"id": shared["id"]}, as_=author)).ok() == {
        "deleteWorkoutTemplate": shared["id"]
    }
    assert (await training.graphql.execute(DELETE, {"id": shared["id"]}, as_=author)).codes == ["NOT_FOUND"]
    remaining = (await training.graphql.execute(TEMPLATES, {}, as_=club.staff(Role.CLUB_ADMIN))).ok()
    assert [row["name"] for row in remaining["workoutTemplates"]] == ["Strength base (copy)"]
    workouts = (await training.graphql.execute("query { workouts { name template { id } } }", {}, as_=author)).ok()
    assert {"name": "Strength base", "template": None} in workouts["workouts"]


async def test_a_workout_is_duplicated(training: RunningService, club: Club) -> None:
    workout = await _workout(training, club)
    copy = (
        await training.graphql.execute(DUPLICATE_WORKOUT, {"id": str(workout.id)}, as_=club.staff(Role.COACH))
    ).ok()["duplicateWorkout"]
    assert copy["id"] != str(workout.id)
    assert (copy["name"], copy["kind"], copy["totalDurationSeconds"], copy["volumeKg"]) == (
        "Lower body A (copy)",
        "STRENGTH",
        435,
        1500,
    )
    named = await training.graphql.execute(DUPLICATE_WORKOUT, {"id": str(workout.id), "name": "B"}, as_=club.trainer)
    assert named.ok()["duplicateWorkout"]["name"] == "B"
    assert (
        await training.graphql.execute(DUPLICATE_WORKOUT, {"id": str(workout.id)}, as_=club.staff(Role.ASSISTANT_COACH))
    ).codes == ["FORBIDDEN"]
    empty = await training.graphql.execute(DUPLICATE_WORKOUT, {"id": str(workout.id), "name": ""}, as_=club.trainer)
    assert empty.error("BAD_USER_INPUT")["extensions"]["field"] == "name"


async def test_concurrent_uses_of_a_template_all_count(training: RunningService, club: Club) -> None:
    workout = await _workout(training, club)
    author = club.trainer
    template = await _save(training, author, workout, "Strength base", "ORGANIZATION")
    responses = await asyncio.gather(
        *(
            training.graphql.execute(FROM_TEMPLATE, {"templateId": template["id"], "name": f"Week {week}"}, as_=author)
            for week in range(6)
        )
    )
    assert all(response.ok() for response in responses)
    data = (await training.graphql.execute(USAGE, {}, as_=author)).ok()["workoutTemplates"]
    assert [row["usageCount"] for row in data] == [6]
