"""What players actually did, through GraphQL over HTTP: reporting sets when completing, validation per
unit, the `workout.completed` event, training history and exercise progression (e1RM, volume, load)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from shared.auth.principal import Principal, Role
from subgraphs.training.models import Exercise, ExerciseCategory, ExerciseUnit, Workout
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.support.statements import count_statements
from tests.training.factories import TODAY, Club, make_assignment, make_exercise, make_strength_workout, outbox

COMPLETE = """
mutation Complete($id: ID!, $rpe: Int, $minutes: Int, $completedOn: Date, $performance: WorkoutPerformanceInput) {
  completeAssignedWorkout(id: $id, rpe: $rpe, minutes: $minutes, completedOn: $completedOn,
                          performance: $performance) {
    id status load
    performance { exercise { name } volumeKg sets { setNumber reps loadKg meters heartRateAvg estimatedOneRepMaxKg } }
  }
}
"""

ENTITIES = """
query Player($representations: [_Any!]!, $exerciseId: ID!, $from: Date, $to: Date) {
  _entities(representations: $representations) {
    ... on Player {
      id
      assignedWorkouts { id }
      trainingHistory(from: $from, to: $to) { id completedOn rpe minutes performance { exercise { name } volumeKg } }
      exerciseProgress(exerciseId: $exerciseId) {
        completedOn assignedWorkoutId estimatedOneRepMaxKg volumeKg trainingLoad sets { reps loadKg }
      }
    }
  }
}
"""

HISTORY = """
query History($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Player { id trainingHistory { id } } }
}
"""


@pytest.fixture
async def squat(training: RunningService, club: Club) -> Exercise:
    return await make_exercise(training, by=club.trainer)


@pytest.fixture
async def row_erg(training: RunningService, club: Club) -> Exercise:
    return await make_exercise(
        training,
        by=club.trainer,
        name="Row 2k",
        category=ExerciseCategory.CONDITIONING,
        unit=ExerciseUnit.METERS,
        equipment=("rower",),
    )


@pytest.fixture
async def workout(training: RunningService, club: Club, squat: Exercise) -> Workout:
    return await make_strength_workout(training, by=club.trainer, exercise=squat)


def _squats(squat: Exercise, *sets: tuple[int, float]) -> dict[str, Any]:
    return {"exerciseId": str(squat.id), "sets": [{"reps": reps, "loadKg": load} for reps, load in sets]}


async def _entities(training: RunningService, as_: Principal, *players: uuid.UUID, **variables: Any) -> Any:
    representations = [{"__typename": "Player", "id": str(player)} for player in players]
    return await training.graphql.execute(ENTITIES, {"representations": representations, **variables}, as_=as_)


async def _assigned(training: RunningService, club: Club, workout: Workout, player: uuid.UUID, **kw: Any) -> str:
    await make_assignment(training, by=club.trainer, workout=workout, player_ids=(player,), **kw)
    representations = [{"__typename": "Player", "id": str(player)}]
    data = (
        await training.graphql.execute(
            "query($representations: [_Any!]!) { _entities(representations: $representations) "
            "{ ... on Player { assignedWorkouts(status: ASSIGNED) { id } } } }",
            {"representations": representations},
            as_=club.trainer,
        )
    ).ok()
    found: str = data["_entities"][0]["assignedWorkouts"][-1]["id"]
    return found


async def test_a_player_reports_what_they_did_and_the_event_carries_it(
    training: RunningService, club: Club, workout: Workout, squat: Exercise, row_erg: Exercise
) -> None:
    player = club.senior_players[0]
    mine = await _assigned(training, club, workout, player)
    performance = {
        "exercises": [
            _squats(squat, (5, 100), (5, 100), (3, 110)),
            {
                "exerciseId": str(row_erg.id),
                "sets": [{"meters": 2000, "seconds": 450, "heartRateAvg": 165, "heartRateMax": 188}],
            },
        ]
    }
    # when the player completes it: 50 minutes at RPE 8, with their sets
    done = (
        await training.graphql.execute(
            COMPLETE, {"id": mine, "rpe": 8, "minutes": 50, "performance": performance}, as_=club.player(player)
        )
    ).ok()["completeAssignedWorkout"]
    # then the sets are kept, with Epley's estimate per set: 100 x (1 + 5/30) = 116.7, 110 x 1.1 = 121.0
    assert (done["status"], done["load"]) == ("COMPLETED", 400)
    squats, rowing = done["performance"]
    assert squats["exercise"] == {"name": "Back Squat"}
    assert [one["estimatedOneRepMaxKg"] for one in squats["sets"]] == [116.7, 116.7, 121.0]
    assert squats["volumeKg"] == 1330.0  # 5 x 100 + 5 x 100 + 3 x 110
    assert rowing["sets"] == [
        {
            "setNumber": 1,
            "reps": None,
            "loadKg": None,
            "meters": 2000,
            "heartRateAvg": 165,
            "estimatedOneRepMaxKg": None,
        }
    ]
    # and workout.completed keeps what statistics reads and adds the actuals
    completed = (await outbox(training))[-1]
    assert completed["type"] == "workout.completed"
    data = completed["data"]
    assert (data["player_workout_id"], data["minutes"], data["rpe"], data["workout_kind"], data["load"]) == (
        mine,
        50,
        8,
        "strength",
        400,
    )
    assert data["performance"] == {
        "volume_kg": 1330.0,
        "sets": 4,
        "exercises": [
            {"exercise_id": str(squat.id), "sets": 3, "reps": 13, "volume_kg": 1330.0, "best_e1rm_kg": 121.0},
            {"exercise_id": str(row_erg.id), "sets": 1, "reps": 0, "volume_kg": 0, "best_e1rm_kg": None},
        ],
    }


@pytest.mark.parametrize(
    ("sets", "field"),
    [
        ([{"reps": 5}], "performance.exercises[0].sets[0].loadKg"),
        ([{"loadKg": 100}], "performance.exercises[0].sets[0].reps"),
        ([{"reps": 5, "loadKg": 100}, {"reps": 0, "loadKg": 100}], "performance.exercises[0].sets[1].reps"),
        ([{"reps": 5, "loadKg": -5}], "performance.exercises[0].sets[0].loadKg"),
        (
            [{"reps": 5, "loadKg": 100, "heartRateAvg": 170, "heartRateMax": 150}],
            "performance.exercises[0].sets[0].heartRateAvg",
        ),
        ([{"reps": 5, "loadKg": 100, "heartRateMax": 300}], "performance.exercises[0].sets[0].heartRateMax"),
        ([], "performance.exercises[0].sets"),
    ],
)
async def test_sets_are_validated_per_unit(
    training: RunningService,
    club: Club,
    workout: Workout,
    squat: Exercise,
    sets: list[dict[str, Any]],
    field: str,
) -> None:
    player = club.senior_players[0]
    mine = await _assigned(training, club, workout, player)
    performance = {"exercises": [{"exerciseId": str(squat.id), "sets": sets}]}
    response = await training.graphql.execute(COMPLETE, {"id": mine, "performance": performance}, as_=club.trainer)
    assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field
    # nothing was written: the workout can still be completed, and no event went out
    assert not [event for event in await outbox(training) if event["type"] == "workout.completed"]
    ok = await training.graphql.execute(COMPLETE, {"id": mine}, as_=club.trainer)
    assert ok.ok()["completeAssignedWorkout"]["status"] == "COMPLETED"


async def test_other_units_and_exercises_are_checked(
    training: RunningService, club: Club, workout: Workout, squat: Exercise, row_erg: Exercise
) -> None:
    player = club.senior_players[0]
    mine = await _assigned(training, club, workout, player)
    cases = [
        ({"exerciseId": str(row_erg.id), "sets": [{"seconds": 400}]}, "performance.exercises[0].sets[0].meters"),
        ({"exerciseId": str(uuid.uuid4()), "sets": [{"reps": 1}]}, "performance.exercises[0].exerciseId"),
        ({"exerciseId": "not-an-id", "sets": [{"reps": 1}]}, "performance.exercises[0].exerciseId"),
    ]
    for exercise, field in cases:
        variables = {"id": mine, "performance": {"exercises": [exercise]}}
        response = await training.graphql.execute(COMPLETE, variables, as_=club.player(player))
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field, exercise
    empty = await training.graphql.execute(COMPLETE, {"id": mine, "performance": {"exercises": []}}, as_=club.trainer)
    assert empty.error("BAD_USER_INPUT")["extensions"]["field"] == "performance.exercises"


async def test_history_and_progression_are_hand_checkable(
    training: RunningService, club: Club, workout: Workout, squat: Exercise
) -> None:
    player = club.senior_players[0]
    two_weeks_ago = TODAY - timedelta(days=14)
    # given two sessions: two weeks ago 3 x 5 @ 100 (RPE 7, 60 min), today 5 @ 105 and 3 @ 115 (RPE 8, 45 min)
    first = await _assigned(training, club, workout, player, starts_on=two_weeks_ago)
    variables = {
        "id": first,
        "rpe": 7,
        "minutes": 60,
        "completedOn": str(two_weeks_ago),
        "performance": {"exercises": [_squats(squat, (5, 100), (5, 100), (5, 100))]},
    }
    (await training.graphql.execute(COMPLETE, variables, as_=club.player(player))).ok()
    second = await _assigned(training, club, workout, player)
    variables = {
        "id": second,
        "rpe": 8,
        "minutes": 45,
        "performance": {"exercises": [_squats(squat, (5, 105), (3, 115))]},
    }
    (await training.graphql.execute(COMPLETE, variables, as_=club.trainer)).ok()
    # when the team's coach reads the player's progression on the squat
    coach = club.staff(Role.COACH, club.senior_id)
    data = (await _entities(training, coach, player, exerciseId=str(squat.id))).ok()["_entities"][0]
    # then per session: best Epley e1RM, volume (reps x load summed) and load (minutes x RPE)
    assert [
        (
            row["completedOn"],
            row["assignedWorkoutId"],
            row["estimatedOneRepMaxKg"],
            row["volumeKg"],
            row["trainingLoad"],
        )
        for row in data["exerciseProgress"]
    ] == [
        (str(two_weeks_ago), first, 116.7, 1500.0, 420),  # 100 x (1 + 5/30); 3 x 5 x 100; 60 x 7
        (str(TODAY), second, 126.5, 870.0, 360),  # max(105 x 7/6 = 122.5, 115 x 1.1 = 126.5); 525 + 345; 45 x 8
    ]
    assert data["exerciseProgress"][1]["sets"] == [{"reps": 5, "loadKg": 105.0}, {"reps": 3, "loadKg": 115.0}]
    # and the history lists both sessions with what was done; a range narrows it to the day done
    assert [(row["id"], row["completedOn"], row["performance"][0]["volumeKg"]) for row in data["trainingHistory"]] == [
        (first, str(two_weeks_ago), 1500.0),
        (second, str(TODAY), 870.0),
    ]
    recent = (await _entities(training, coach, player, exerciseId=str(squat.id), **{"from": str(TODAY)})).ok()
    assert [row["id"] for row in recent["_entities"][0]["trainingHistory"]] == [second]
    backwards = await _entities(
        training, coach, player, exerciseId=str(squat.id), **{"from": str(TODAY), "to": str(two_weeks_ago)}
    )
    assert backwards.error("BAD_USER_INPUT")["extensions"]["field"] == "to"
    too_long = {"from": str(TODAY - timedelta(days=400)), "to": str(TODAY)}
    response = await _entities(training, coach, player, exerciseId=str(squat.id), **too_long)
    assert response.error("BAD_USER_INPUT")["extensions"]["field"] == "to"


async def test_history_is_for_the_player_a_minors_parents_and_the_teams_staff(
    training: RunningService, club: Club, workout: Workout, squat: Exercise
) -> None:
    player = club.senior_players[0]
    mine = await _assigned(training, club, workout, player)
    variables = {"id": mine, "rpe": 6, "minutes": 30, "performance": {"exercises": [_squats(squat, (5, 100))]}}
    (await training.graphql.execute(COMPLETE, variables, as_=club.player(player))).ok()
    allowed = [
        club.player(player),
        club.parent(player),
        club.staff(Role.PHYSICAL_TRAINER, club.senior_id),
        club.staff(Role.ASSISTANT_COACH, club.senior_id),
        principal(Role.CLUB_ADMIN, organization_id=club.organization_id),
    ]
    for who in allowed:
        data = (await training.graphql.execute(HISTORY, _representations(player), as_=who)).ok()
        assert [row["id"] for row in data["_entities"][0]["trainingHistory"]] == [mine], who.roles
    refused = [
        club.player(club.senior_players[1]),  # a teammate
        principal(Role.PARENT, organization_id=club.organization_id, children=[player], minor_children=[]),
        club.staff(Role.COACH, club.junior_id),  # another team's coach
        principal(Role.COACH, organization_id=uuid.uuid4(), teams=[club.senior_id]),  # another club
    ]
    for who in refused:
        response = await training.graphql.execute(HISTORY, _representations(player), as_=who)
        assert response.codes == ["FORBIDDEN"], who.roles
        assert response.data["_entities"][0]["trainingHistory"] is None
    # and the sets on the assigned workout follow the same rule: the junior coach sees the workout, not them
    assigned = (
        "query($representations: [_Any!]!) { _entities(representations: $representations) "
        "{ ... on Player { assignedWorkouts { id performance { volumeKg } } } } }"
    )
    junior_coach = club.staff(Role.COACH, club.junior_id)
    data = (await training.graphql.execute(assigned, _representations(player), as_=junior_coach)).ok()
    assert data["_entities"][0]["assignedWorkouts"] == [{"id": mine, "performance": []}]
    data = (await training.graphql.execute(assigned, _representations(player), as_=club.player(player))).ok()
    assert data["_entities"][0]["assignedWorkouts"] == [{"id": mine, "performance": [{"volumeKg": 500.0}]}]


def _representations(*players: uuid.UUID) -> dict[str, Any]:
    return {"representations": [{"__typename": "Player", "id": str(player)} for player in players]}


async def test_history_and_progress_of_many_players_are_batched(
    training: RunningService, club: Club, workout: Workout, squat: Exercise
) -> None:
    for player in club.senior_players:
        done = await _assigned(training, club, workout, player)
        variables = {"id": done, "rpe": 7, "minutes": 40, "performance": {"exercises": [_squats(squat, (5, 100))]}}
        (await training.graphql.execute(COMPLETE, variables, as_=club.trainer)).ok()
    coach = club.staff(Role.COACH, club.senior_id)
    with count_statements(training.engine) as log:
        data = (await _entities(training, coach, *club.senior_players, exerciseId=str(squat.id))).ok()
    assert all(len(row["trainingHistory"]) == 1 and len(row["exerciseProgress"]) == 1 for row in data["_entities"])
    # roster, assigned workouts, history, its sets, their exercises, progression: one statement each
    assert log.count == 6, [statement[:80] for statement in log.statements]


DRILLS_WORKOUT = """
mutation Agility($input: WorkoutInput!) { createWorkout(input: $input) { id } }
"""

DRILL_HISTORY = """
query Drills($representations: [_Any!]!, $drill: String!) {
  _entities(representations: $representations) {
    ... on Player {
      drillHistory(drill: $drill) {
        completedOn assignedWorkoutId drillName targetSeconds allowedErrors bestSeconds totalErrors
        attempts { attemptNumber seconds errors counted metTarget }
      }
    }
  }
}
"""


async def _agility(training: RunningService, club: Club) -> Workout:
    drills = [
        {"name": "Pro agility 5-10-5", "targetSeconds": 4.8, "reps": 3, "allowedErrors": 0},
        {"name": "T-drill", "targetSeconds": 10, "reps": 2},
    ]
    data = (
        await training.graphql.execute(
            DRILLS_WORKOUT, {"input": {"name": "Agility", "kind": "AGILITY", "drills": drills}}, as_=club.trainer
        )
    ).ok()
    async with training.runtime.sessions() as session:
        found = await session.get(Workout, uuid.UUID(data["createWorkout"]["id"]))
    assert found is not None
    return found


async def _drill_history(training: RunningService, as_: Principal, player: uuid.UUID, drill: str) -> Any:
    representations = [{"__typename": "Player", "id": str(player)}]
    return await training.graphql.execute(DRILL_HISTORY, {"representations": representations, "drill": drill}, as_=as_)


async def test_a_player_records_drill_attempts_and_sees_their_drill_history(
    training: RunningService, club: Club
) -> None:
    agility = await _agility(training, club)
    player = club.senior_players[0]
    earlier = await _assigned(training, club, agility, player, starts_on=TODAY - timedelta(days=7))
    later = await _assigned(training, club, agility, player)
    as_player = club.player(player)
    first = {"drills": [{"drillIndex": 0, "attempts": [{"seconds": 5.05}, {"seconds": 4.71, "errors": 1}]}]}
    done = await training.graphql.execute(
        COMPLETE,
        {"id": earlier, "rpe": 6, "minutes": 30, "completedOn": str(TODAY - timedelta(days=7)), "performance": first},
        as_=as_player,
    )
    assert done.ok()["completeAssignedWorkout"]["status"] == "COMPLETED"
    second = {
        "drills": [
            {"drillIndex": 1, "attempts": [{"seconds": 9.9, "errors": 2}]},
            {"drillIndex": 0, "attempts": [{"seconds": 4.79}, {"seconds": 4.9}, {"seconds": 4.62, "errors": 0}]},
        ]
    }
    (await training.graphql.execute(COMPLETE, {"id": later, "performance": second}, as_=club.trainer)).ok()

    data = (await _drill_history(training, as_player, player, "PRO AGILITY 5-10-5")).ok()
    sessions = data["_entities"][0]["drillHistory"]
    assert [(row["completedOn"], row["assignedWorkoutId"]) for row in sessions] == [
        (str(TODAY - timedelta(days=7)), earlier),
        (str(TODAY), later),
    ]
    assert sessions[0] == {
        "completedOn": str(TODAY - timedelta(days=7)),
        "assignedWorkoutId": earlier,
        "drillName": "Pro agility 5-10-5",
        "targetSeconds": 4.8,
        "allowedErrors": 0,
        "bestSeconds": 5.05,  # the faster attempt had an error, which the drill does not allow
        "totalErrors": 1,
        "attempts": [
            {"attemptNumber": 1, "seconds": 5.05, "errors": 0, "counted": True, "metTarget": False},
            {"attemptNumber": 2, "seconds": 4.71, "errors": 1, "counted": False, "metTarget": False},
        ],
    }
    assert (sessions[1]["bestSeconds"], [one["metTarget"] for one in sessions[1]["attempts"]]) == (
        4.62,
        [True, False, True],
    )
    t_drill = (await _drill_history(training, club.staff(Role.COACH), player, "t-drill")).ok()
    # the T-drill allows any number of errors
    assert t_drill["_entities"][0]["drillHistory"][0]["attempts"] == [
        {"attemptNumber": 1, "seconds": 9.9, "errors": 2, "counted": True, "metTarget": True}
    ]
    # another player's history is not theirs to read
    other = await _drill_history(training, club.player(club.senior_players[1]), player, "T-drill")
    assert other.codes == ["FORBIDDEN"]
    empty = (await _drill_history(training, as_player, player, "Slideboard")).ok()
    assert empty["_entities"][0]["drillHistory"] == []


@pytest.mark.parametrize(
    ("drills", "field"),
    [
        ([{"drillIndex": 2, "attempts": [{"seconds": 5}]}], "performance.drills[0].drillIndex"),
        ([{"drillIndex": -1, "attempts": [{"seconds": 5}]}], "performance.drills[0].drillIndex"),
        (
            [{"drillIndex": 0, "attempts": [{"seconds": 5}]}, {"drillIndex": 0, "attempts": [{"seconds": 5}]}],
            "performance.drills[1].drillIndex",
        ),
        ([{"drillIndex": 0, "attempts": []}], "performance.drills[0].attempts"),
        ([{"drillIndex": 0, "attempts": [{"seconds": 5}] * 51}], "performance.drills[0].attempts"),
        ([{"drillIndex": 0, "attempts": [{"seconds": 0}]}], "performance.drills[0].attempts[0].seconds"),
        ([{"drillIndex": 1, "attempts": [{"seconds": 601}]}], "performance.drills[0].attempts[0].seconds"),
        ([{"drillIndex": 0, "attempts": [{"seconds": 5, "errors": -1}]}], "performance.drills[0].attempts[0].errors"),
    ],
)
async def test_invalid_drill_reports_name_the_field_and_complete_nothing(
    training: RunningService, club: Club, drills: list[dict[str, Any]], field: str
) -> None:
    agility = await _agility(training, club)
    player = club.senior_players[0]
    assigned = await _assigned(training, club, agility, player)
    response = await training.graphql.execute(
        COMPLETE, {"id": assigned, "performance": {"drills": drills}}, as_=club.player(player)
    )
    assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field
    # the workout was not marked completed: it can still be
    again = await training.graphql.execute(COMPLETE, {"id": assigned, "rpe": 5}, as_=club.player(player))
    assert again.ok()["completeAssignedWorkout"]["status"] == "COMPLETED"


async def test_drills_are_reported_only_for_a_workout_with_drills(
    training: RunningService, club: Club, workout: Workout
) -> None:
    player = club.senior_players[0]
    assigned = await _assigned(training, club, workout, player)
    response = await training.graphql.execute(
        COMPLETE,
        {"id": assigned, "performance": {"drills": [{"drillIndex": 0, "attempts": [{"seconds": 5}]}]}},
        as_=club.player(player),
    )
    assert response.error("BAD_USER_INPUT")["extensions"]["field"] == "performance.drills"
