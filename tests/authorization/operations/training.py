"""The training service's operations: the exercise library, workouts, templates and assignments."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from shared.demo import demo_id
from tests.authorization.cases import Case, Operation, Variables, today, unique
from tests.authorization.operations.common import entity
from tests.authorization.table import Caller

CREATE_EXERCISE = """
mutation NewExercise($input: CreateExerciseInput!) { createExercise(input: $input) { id name } }
"""
CREATE_WORKOUT = "mutation NewWorkout($input: WorkoutInput!) { createWorkout(input: $input) { id name } }"
ASSIGN = """
mutation Assign($input: AssignWorkoutInput!) {
  assignWorkout(input: $input) { id startsOn players { id player { id } } }
}
"""
CREATE_FACILITY = """
mutation NewFacility($input: CreateFacilityInput!) { createFacility(input: $input) { id name } }
"""
RESERVE = """
mutation Reserve($input: ReserveEquipmentInput!) { reserveEquipment(input: $input) { id count startsAt } }
"""
COMPLETE = """
mutation Done($id: ID!, $rpe: Int, $minutes: Int) {
  completeAssignedWorkout(id: $id, rpe: $rpe, minutes: $minutes) { id status load }
}
"""
ORGANIZATION_TEMPLATE = str(demo_id("training", "template", "strength"))


def agility_workout() -> Variables:
    """A small workout that names no exercise of the library: valid in any club."""
    return {
        "name": unique("Cone drills"),
        "kind": "AGILITY",
        "drills": [{"name": "5-10-5 shuttle", "targetSeconds": 5.2, "reps": 4}],
    }


async def _exercise_input(case: Case) -> Variables:
    return {"input": {"name": unique("Copenhagen plank"), "category": "STRENGTH", "unit": "SECONDS"}}


async def _update_exercise(case: Case) -> Variables:
    data = await case.setup("training", CREATE_EXERCISE, await _exercise_input(case), as_=Caller.PHYSICAL_TRAINER)
    return {"id": data["createExercise"]["id"], "input": {"description": "Hold each side."}}


async def _workout(case: Case) -> Variables:
    return {"id": case.found("workout")}


async def _create_workout(case: Case) -> Variables:
    return {"input": agility_workout()}


async def _update_workout(case: Case) -> Variables:
    data = await case.setup("training", CREATE_WORKOUT, {"input": agility_workout()}, as_=Caller.PHYSICAL_TRAINER)
    return {"id": data["createWorkout"]["id"], "input": agility_workout()}


async def _save_template(case: Case) -> Variables:
    return {"input": {"workoutId": case.found("workout"), "visibility": "ORGANIZATION", "name": unique("Template")}}


async def _from_template(case: Case) -> Variables:
    return {"templateId": ORGANIZATION_TEMPLATE, "name": unique("From template")}


async def _assign(case: Case) -> Variables:
    return {"input": {"workoutId": case.found("workout"), "startsOn": today().isoformat(), "teamId": case.team_id}}


async def _assigned_workout(case: Case) -> Variables:
    """A workout given to the case's player alone, made by the trainer for this case."""
    given = {"workoutId": case.found("workout"), "startsOn": today().isoformat(), "playerIds": [case.player_id]}
    data = await case.setup("training", ASSIGN, {"input": given}, as_=Caller.PHYSICAL_TRAINER)
    return {"id": data["assignWorkout"]["players"][0]["id"]}


async def _complete(case: Case) -> Variables:
    return {**await _assigned_workout(case), "rpe": 6, "minutes": 40}


def _facility_input() -> Variables:
    return {"input": {"name": unique("Dryland room"), "machines": [{"equipment": "BIKE", "count": 6}]}}


async def _facility(case: Case) -> str:
    """A facility of this club, made by the trainer for this case."""
    data = await case.setup("training", CREATE_FACILITY, _facility_input(), as_=Caller.PHYSICAL_TRAINER)
    found: str = data["createFacility"]["id"]
    return found


def _hour_tomorrow() -> tuple[str, str]:
    start = datetime.combine(today() + timedelta(days=1), time(16), tzinfo=UTC)
    return start.isoformat(), (start + timedelta(hours=1)).isoformat()


async def _facilities(case: Case) -> Variables:
    await _facility(case)
    return {}


async def _create_facility(case: Case) -> Variables:
    return _facility_input()


async def _reserve(case: Case) -> Variables:
    starts_at, ends_at = _hour_tomorrow()
    return {
        "input": {
            "facilityId": await _facility(case),
            "equipment": "BIKE",
            "count": 2,
            "startsAt": starts_at,
            "endsAt": ends_at,
        }
    }


async def _availability(case: Case) -> Variables:
    starts_at, ends_at = _hour_tomorrow()
    return {"facilityId": await _facility(case), "from": starts_at, "to": ends_at}


async def _reservation(case: Case) -> Variables:
    data = await case.setup("training", RESERVE, await _reserve(case), as_=Caller.PHYSICAL_TRAINER)
    return {"id": data["reserveEquipment"]["id"]}


async def _player_with_history(case: Case) -> str:
    """The case's player, with a workout they completed, made by the trainer for this case."""
    variables = await _complete(case)
    await case.setup("training", COMPLETE, variables, as_=Caller.PHYSICAL_TRAINER)
    return case.player_id


OPERATIONS = {
    "Query.exercises": Operation("query Library { exercises { id name } }"),
    "Query.workout": Operation("query Workout($id: ID!) { workout(id: $id) { id name kind } }", _workout),
    "Query.workouts": Operation("query Workouts { workouts { id name } }"),
    "Query.workoutTemplates": Operation("query Templates { workoutTemplates { id name visibility } }"),
    "Query.workoutAssignments": Operation(
        "query Assignments { workoutAssignments { id startsOn players { id player { id } } } }"
    ),
    "Mutation.createExercise": Operation(CREATE_EXERCISE, _exercise_input),
    "Mutation.updateExercise": Operation(
        "mutation Exercise($id: ID!, $input: UpdateExerciseInput!) { updateExercise(id: $id, input: $input) "
        "{ id description } }",
        _update_exercise,
    ),
    "Mutation.createWorkout": Operation(CREATE_WORKOUT, _create_workout),
    "Mutation.updateWorkout": Operation(
        "mutation Workout($id: ID!, $input: WorkoutInput!) { updateWorkout(id: $id, input: $input) { id name } }",
        _update_workout,
    ),
    "Mutation.saveWorkoutAsTemplate": Operation(
        "mutation Save($input: SaveWorkoutTemplateInput!) { saveWorkoutAsTemplate(input: $input) { id name } }",
        _save_template,
    ),
    "Mutation.createWorkoutFromTemplate": Operation(
        "mutation FromTemplate($templateId: ID!, $name: String) { createWorkoutFromTemplate(templateId: "
        "$templateId, name: $name) { id name } }",
        _from_template,
    ),
    "Mutation.assignWorkout": Operation(ASSIGN, _assign),
    "Mutation.completeAssignedWorkout": Operation(COMPLETE, _complete),
    "Mutation.skipAssignedWorkout": Operation(
        'mutation Skip($id: ID!) { skipAssignedWorkout(id: $id, reason: "Sick") { id status } }', _assigned_workout
    ),
    "Query.facilities": Operation("query Facilities { facilities { id name machines { count } } }", _facilities),
    "Query.equipmentAvailability": Operation(
        "query Availability($facilityId: ID!, $from: DateTime!, $to: DateTime!) { equipmentAvailability("
        "facilityId: $facilityId, from: $from, to: $to) { equipment count available } }",
        _availability,
    ),
    "Mutation.createFacility": Operation(CREATE_FACILITY, _create_facility),
    "Mutation.reserveEquipment": Operation(RESERVE, _reserve),
    "Mutation.cancelEquipmentReservation": Operation(
        "mutation Cancel($id: ID!) { cancelEquipmentReservation(id: $id) { id cancelledAt } }", _reservation
    ),
    "Player.assignedWorkouts": entity("Player", "assignedWorkouts { id status loadModifierPercent }"),
    "Player.trainingHistory": entity(
        "Player", "trainingHistory { id status completedOn performance { volumeKg } }", key=_player_with_history
    ),
}
