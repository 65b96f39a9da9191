"""The training service's operations: the exercise library, workouts, templates and assignments."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from shared.database.kernel import processed_events
from shared.demo import demo_id
from shared.events import Event
from tests.authorization.cases import Case, Operation, Variables, today, unique
from tests.authorization.operations.common import entity
from tests.authorization.table import Caller
from tests.support.waiting import eventually

CREATE_EXERCISE = """
mutation NewExercise($input: CreateExerciseInput!) { createExercise(input: $input) { id name } }
"""
CREATE_WORKOUT = "mutation NewWorkout($input: WorkoutInput!) { createWorkout(input: $input) { id name } }"
ASSIGN = """
mutation Assign($input: AssignWorkoutInput!) {
  assignWorkout(input: $input) { id startsOn players { id player { id } } }
}
"""
REQUEST_OVERRIDE = """
mutation Request($id: ID!, $reason: String!) { requestRestrictionOverride(id: $id, reason: $reason) { id status } }
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
SAVE_TEMPLATE = "mutation Save($input: SaveWorkoutTemplateInput!) { saveWorkoutAsTemplate(input: $input) { id name } }"
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


async def _duplicate_workout(case: Case) -> Variables:
    return {"id": case.found("workout"), "name": unique("Copy")}


async def _duplicate_template(case: Case) -> Variables:
    return {"id": ORGANIZATION_TEMPLATE, "input": {"visibility": "PRIVATE", "name": unique("Copy")}}


async def _own_template(case: Case) -> Variables:
    """A template the physical trainer saved for the whole club, for this case."""
    data = await case.setup("training", SAVE_TEMPLATE, await _save_template(case), as_=Caller.PHYSICAL_TRAINER)
    return {"id": data["saveWorkoutAsTemplate"]["id"]}


async def _update_template(case: Case) -> Variables:
    return {**await _own_template(case), "input": {"description": "Week 3 onwards."}}


async def _assign(case: Case) -> Variables:
    given = {"workoutId": case.found("workout"), "startsOn": today().isoformat(), "teamId": case.team_id}
    return {"input": {**given, "onConflict": "KEEP_BOTH"}}


async def _assigned_workout(case: Case) -> Variables:
    """A workout given to the case's player alone, made by the trainer for this case."""
    given = {
        "workoutId": case.found("workout"),
        "startsOn": today().isoformat(),
        "playerIds": [case.player_id],
        "onConflict": "KEEP_BOTH",
    }
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


_FAR_DAYS = itertools.count()
"""A day of its own for each unadaptable workout, so no case's restriction reaches another's workout."""


async def _unadaptable_workout(case: Case) -> str:
    """An agility workout given to the case's player on a day far ahead, then a restriction for that day alone
    (as the medical service publishes it) that no adaptation satisfies: the player's part is NOT_COMPLIANT.
    The far-off day keeps the restriction away from every other case."""
    day = today() + timedelta(days=300 + next(_FAR_DAYS))
    created = await case.setup("training", CREATE_WORKOUT, {"input": agility_workout()}, as_=Caller.PHYSICAL_TRAINER)
    given = {
        "workoutId": created["createWorkout"]["id"],
        "startsOn": day.isoformat(),
        "playerIds": [case.player_id],
        "onConflict": "KEEP_BOTH",
    }
    data = await case.setup("training", ASSIGN, {"input": given}, as_=Caller.PHYSICAL_TRAINER)
    training = case.world.services["training"]
    event = Event(
        type="restriction.changed",
        producer="medical",
        organization_id=case.world.organization_id,
        data={
            "restriction_id": str(uuid.uuid4()),
            "player_id": case.player_id,
            "change": "added",
            "kind": "limited_intensity",
            "severity": "moderate",
            "max_intensity_percent": 50,
            "starts_on": day.isoformat(),
            "ends_on": day.isoformat(),
            "lifted": False,
        },
    )
    await training.runtime.bus.publish(event)

    async def processed() -> bool:
        async with training.runtime.sessions() as session:
            found = await session.execute(
                select(processed_events.c.event_id).where(processed_events.c.event_id == event.id)
            )
            return found.first() is not None

    await eventually(processed)
    player_workout: str = data["assignWorkout"]["players"][0]["id"]
    return player_workout


async def _request_override(case: Case) -> Variables:
    return {"id": await _unadaptable_workout(case), "reason": "Reaction work at walking pace"}


async def _pending_override(case: Case) -> Variables:
    data = await case.setup("training", REQUEST_OVERRIDE, await _request_override(case), as_=Caller.PHYSICAL_TRAINER)
    return {"id": data["requestRestrictionOverride"]["id"]}


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
    "Mutation.saveWorkoutAsTemplate": Operation(SAVE_TEMPLATE, _save_template),
    "Mutation.duplicateWorkout": Operation(
        "mutation Copy($id: ID!, $name: String) { duplicateWorkout(id: $id, name: $name) { id name } }",
        _duplicate_workout,
    ),
    "Mutation.duplicateWorkoutTemplate": Operation(
        "mutation CopyTemplate($id: ID!, $input: DuplicateWorkoutTemplateInput!) { duplicateWorkoutTemplate("
        "id: $id, input: $input) { id name usageCount } }",
        _duplicate_template,
    ),
    "Mutation.updateWorkoutTemplate": Operation(
        "mutation ChangeTemplate($id: ID!, $input: UpdateWorkoutTemplateInput!) { updateWorkoutTemplate("
        "id: $id, input: $input) { id description } }",
        _update_template,
    ),
    "Mutation.deleteWorkoutTemplate": Operation(
        "mutation DropTemplate($id: ID!) { deleteWorkoutTemplate(id: $id) }", _own_template
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
    "Query.restrictionOverrideRequests": Operation(
        "query Overrides { restrictionOverrideRequests { id status } }",
        substance=lambda data: data is not None and data.get("restrictionOverrideRequests") is not None,
    ),
    "Mutation.requestRestrictionOverride": Operation(REQUEST_OVERRIDE, _request_override),
    "Mutation.decideRestrictionOverride": Operation(
        "mutation Decide($id: ID!) { decideRestrictionOverride(id: $id, approve: true) { id status } }",
        _pending_override,
    ),
    "Player.assignedWorkouts": entity("Player", "assignedWorkouts { id status loadModifierPercent }"),
    "Player.trainingHistory": entity(
        "Player", "trainingHistory { id status completedOn performance { volumeKg } }", key=_player_with_history
    ),
}
