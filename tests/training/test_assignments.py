"""Assignments through GraphQL over HTTP: to teams and players, load modifiers, completing and skipping."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from shared.auth.principal import Role
from subgraphs.training.models import Workout
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.support.statements import count_statements
from tests.training.factories import (
    TODAY,
    Club,
    add_to_roster,
    make_assignment,
    make_exercise,
    make_strength_workout,
    outbox,
)

ASSIGN = """
mutation Assign($input: AssignWorkoutInput!) {
  assignWorkout(input: $input) {
    id startsOn endsOn note team { id } workout { id name }
    players { id player { id } loadModifierPercent status }
  }
}
"""

COMPLETE = """
mutation Complete($id: ID!, $rpe: Int, $minutes: Int, $completedOn: Date) {
  completeAssignedWorkout(id: $id, rpe: $rpe, minutes: $minutes, completedOn: $completedOn) {
    id status completedOn rpe minutes load player { id } workout { name } assignment { id }
  }
}
"""

SKIP = """
mutation Skip($id: ID!, $reason: String) {
  skipAssignedWorkout(id: $id, reason: $reason) { id status skippedReason }
}
"""

ASSIGNMENTS = """
query Assignments($teamId: ID, $from: Date, $to: Date) {
  workoutAssignments(teamId: $teamId, from: $from, to: $to) {
    id startsOn team { id } workout { name totalDurationSeconds } players { player { id } status }
  }
}
"""


@pytest.fixture
async def workout(training: RunningService, club: Club) -> Workout:
    squat = await make_exercise(training, by=club.trainer)
    return await make_strength_workout(training, by=club.trainer, exercise=squat)


def _assign(workout: Workout, **fields: object) -> dict[str, object]:
    return {"input": {"workoutId": str(workout.id), "startsOn": str(TODAY), **fields}}


async def test_a_team_assignment_expands_to_the_active_roster(
    training: RunningService, club: Club, workout: Workout
) -> None:
    # given a senior player who has left the team
    gone = uuid.uuid4()
    await add_to_roster(
        training,
        player_id=gone,
        organization_id=club.organization_id,
        team_id=club.senior_id,
        is_active=False,
    )
    # when the trainer assigns the workout to the team for a week, with one player at 80 %
    data = (
        await training.graphql.execute(
            ASSIGN,
            _assign(
                workout,
                teamId=str(club.senior_id),
                endsOn=str(TODAY + timedelta(days=6)),
                loadModifiers=[{"playerId": str(club.senior_players[1]), "percent": 80}],
                note="Twice this week, 48 h apart.",
            ),
            as_=club.trainer,
        )
    ).ok()["assignWorkout"]
    # then every active senior player has it, at their load
    assert data["team"] == {"id": str(club.senior_id)}
    assert (data["startsOn"], data["endsOn"]) == (str(TODAY), str(TODAY + timedelta(days=6)))
    players = {row["player"]["id"]: row for row in data["players"]}
    assert set(players) == {str(player) for player in club.senior_players}
    assert players[str(club.senior_players[1])]["loadModifierPercent"] == 80
    assert players[str(club.senior_players[0])]["loadModifierPercent"] == 100
    assert {row["status"] for row in data["players"]} == {"ASSIGNED"}
    # and workout.assigned names them
    [event] = await outbox(training)
    assert event["type"] == "workout.assigned"
    assert event["data"]["duration_seconds"] == 3 * (25 + 120)
    assert {player["player_id"] for player in event["data"]["players"]} == set(players)


async def test_named_players_and_a_team_together(training: RunningService, club: Club, workout: Workout) -> None:
    newcomer = uuid.uuid4()  # not on the roster copy yet
    data = (
        await training.graphql.execute(
            ASSIGN,
            _assign(workout, teamId=str(club.junior_id), playerIds=[str(club.senior_players[0]), str(newcomer)]),
            as_=club.trainer,
        )
    ).ok()["assignWorkout"]
    assert {row["player"]["id"] for row in data["players"]} == {
        *(str(player) for player in club.junior_players),
        str(club.senior_players[0]),
        str(newcomer),
    }


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({}, "playerIds"),
        ({"playerIds": ["x"]}, "playerIds"),
        ({"playerIds": [], "teamId": "junior"}, "teamId"),
        ({"teamId": "SENIOR", "endsOn": str(TODAY - timedelta(days=1))}, "endsOn"),
        ({"teamId": "SENIOR", "endsOn": str(TODAY + timedelta(days=60))}, "endsOn"),
        (
            {"teamId": "SENIOR", "loadModifiers": [{"playerId": "JUNIOR0", "percent": 80}]},
            "loadModifiers[0].playerId",
        ),
        (
            {"teamId": "SENIOR", "loadModifiers": [{"playerId": "SENIOR0", "percent": 5}]},
            "loadModifiers[0].percent",
        ),
        ({"teamId": "EMPTY"}, "teamId"),
        ({"teamId": "SENIOR", "note": "x" * 1001}, "note"),
    ],
)
async def test_invalid_assignments_name_the_field(
    training: RunningService, club: Club, workout: Workout, fields: dict[str, object], field: str
) -> None:
    empty_team = uuid.uuid4()  # a team of the trainer's without players on the roster
    trainer = club.staff(Role.PHYSICAL_TRAINER, club.senior_id, club.junior_id, empty_team)
    names = {
        "SENIOR": str(club.senior_id),
        "EMPTY": str(empty_team),
        "SENIOR0": str(club.senior_players[0]),
        "JUNIOR0": str(club.junior_players[0]),
    }

    def resolve(value: object) -> object:
        if isinstance(value, str):
            return names.get(value, value)
        if isinstance(value, list):
            return [resolve(item) for item in value]
        if isinstance(value, dict):
            return {key: resolve(item) for key, item in value.items()}
        return value

    response = await training.graphql.execute(ASSIGN, _assign(workout, **resolve(fields)), as_=trainer)  # type: ignore[arg-type]
    assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field
    assert await outbox(training) == []


async def test_who_may_assign(training: RunningService, club: Club, workout: Workout) -> None:
    # a coach of the senior team may not assign to the junior team, nor may players or assistant coaches
    coach = club.staff(Role.COACH, club.senior_id)
    response = await training.graphql.execute(ASSIGN, _assign(workout, teamId=str(club.junior_id)), as_=coach)
    assert response.codes == ["FORBIDDEN"]
    for caller in (club.player(club.senior_players[0]), club.staff(Role.ASSISTANT_COACH)):
        response = await training.graphql.execute(ASSIGN, _assign(workout, teamId=str(club.senior_id)), as_=caller)
        assert response.codes == ["FORBIDDEN"]
    # a club administrator may assign to any of the club's teams
    admin = club.staff(Role.CLUB_ADMIN)
    assert (await training.graphql.execute(ASSIGN, _assign(workout, teamId=str(club.junior_id)), as_=admin)).ok()
    # another club's team, or another club's player, does not exist for this club
    other_team, other_player = uuid.uuid4(), uuid.uuid4()
    await add_to_roster(training, player_id=other_player, organization_id=uuid.uuid4(), team_id=other_team)
    response = await training.graphql.execute(ASSIGN, _assign(workout, teamId=str(other_team)), as_=admin)
    assert response.error("NOT_FOUND")["extensions"]["field"] == "teamId"
    response = await training.graphql.execute(ASSIGN, _assign(workout, playerIds=[str(other_player)]), as_=admin)
    assert response.error("NOT_FOUND")["extensions"]["field"] == "playerIds"


async def test_a_player_completes_their_workout_with_rpe(
    training: RunningService, club: Club, workout: Workout
) -> None:
    assignment = await make_assignment(training, by=club.trainer, workout=workout, team_id=club.senior_id)
    data = (await training.graphql.execute(ASSIGNMENTS, {}, as_=club.player(club.senior_players[0]))).ok()
    # the player sees the assignment with only their own part
    [listed] = data["workoutAssignments"]
    assert listed["id"] == str(assignment.id)
    assert listed["players"] == [{"player": {"id": str(club.senior_players[0])}, "status": "ASSIGNED"}]
    mine = await _player_workout_id(training, club, club.senior_players[0])
    # when they mark it done after 45 minutes at RPE 7
    done = (
        await training.graphql.execute(
            COMPLETE, {"id": mine, "rpe": 7, "minutes": 45}, as_=club.player(club.senior_players[0])
        )
    ).ok()["completeAssignedWorkout"]
    # then it is completed today, with a session load of 315
    assert (done["status"], done["completedOn"], done["rpe"], done["minutes"], done["load"]) == (
        "COMPLETED",
        str(TODAY),
        7,
        45,
        315,
    )
    assert done["workout"] == {"name": "Lower body A"}
    completed = (await outbox(training))[-1]
    assert completed["type"] == "workout.completed"
    assert completed["data"] == {
        "player_workout_id": mine,
        "assignment_id": str(assignment.id),
        "player_id": str(club.senior_players[0]),
        "team_id": str(club.senior_id),
        "workout_id": str(workout.id),
        "workout_kind": "strength",
        "date": str(TODAY),
        "minutes": 45,
        "rpe": 7,
        "load": 315,
    }
    # and completing it twice is a conflict
    again = await training.graphql.execute(COMPLETE, {"id": mine}, as_=club.player(club.senior_players[0]))
    assert again.error("CONFLICT")["extensions"]["field"] == "id"


async def test_completing_checks_who_and_what(training: RunningService, club: Club, workout: Workout) -> None:
    await make_assignment(training, by=club.trainer, workout=workout, team_id=club.senior_id)
    mine = await _player_workout_id(training, club, club.senior_players[0])
    # a teammate cannot see it; a parent sees it but does not complete it
    teammate = club.player(club.senior_players[1])
    assert (await training.graphql.execute(COMPLETE, {"id": mine}, as_=teammate)).codes == ["NOT_FOUND"]
    parent = club.parent(club.senior_players[0])
    assert (await training.graphql.execute(COMPLETE, {"id": mine}, as_=parent)).codes == ["FORBIDDEN"]
    me = club.player(club.senior_players[0])
    for variables, field in (
        ({"rpe": 11}, "rpe"),
        ({"rpe": 0}, "rpe"),
        ({"minutes": 0}, "minutes"),
        ({"completedOn": str(TODAY + timedelta(days=1))}, "completedOn"),
    ):
        response = await training.graphql.execute(COMPLETE, {"id": mine, **variables}, as_=me)
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field
    # the trainer may record it on the player's behalf, without RPE
    done = (await training.graphql.execute(COMPLETE, {"id": mine}, as_=club.trainer)).ok()["completeAssignedWorkout"]
    assert (done["status"], done["load"]) == ("COMPLETED", None)


async def test_a_skipped_workout_can_still_be_completed(training: RunningService, club: Club, workout: Workout) -> None:
    await make_assignment(training, by=club.trainer, workout=workout, player_ids=(club.senior_players[0],))
    mine = await _player_workout_id(training, club, club.senior_players[0])
    me = club.player(club.senior_players[0])
    skipped = (await training.graphql.execute(SKIP, {"id": mine, "reason": "Sick with a fever"}, as_=me)).ok()
    assert skipped["skipAssignedWorkout"] == {
        "id": mine,
        "status": "SKIPPED",
        "skippedReason": "Sick with a fever",
    }
    assert (await training.graphql.execute(SKIP, {"id": mine}, as_=me)).error("CONFLICT")
    done = (await training.graphql.execute(COMPLETE, {"id": mine, "rpe": 5, "minutes": 30}, as_=me)).ok()
    assert done["completeAssignedWorkout"]["status"] == "COMPLETED"


async def test_staff_list_assignments_by_team_and_dates_in_few_statements(
    training: RunningService, club: Club, workout: Workout
) -> None:
    for week in range(-2, 3):
        for team in (club.senior_id, club.junior_id):
            await make_assignment(
                training,
                by=club.trainer,
                workout=workout,
                team_id=team,
                starts_on=TODAY + timedelta(weeks=week),
            )
    variables = {
        "teamId": str(club.senior_id),
        "from": str(TODAY - timedelta(days=7)),
        "to": str(TODAY + timedelta(days=7)),
    }
    with count_statements(training.engine) as log:
        data = (await training.graphql.execute(ASSIGNMENTS, variables, as_=club.staff(Role.ASSISTANT_COACH))).ok()
    rows = data["workoutAssignments"]
    assert [row["startsOn"] for row in rows] == [str(TODAY + timedelta(weeks=week)) for week in (-1, 0, 1)]
    assert all(len(row["players"]) == 3 for row in rows)
    assert rows[0]["workout"]["totalDurationSeconds"] == 435
    # assignments, their workouts, and their players: one statement each
    assert log.count == 3, [statement[:80] for statement in log.statements]
    # a parent sees the assignments of their child only, and strangers nothing
    parent = (await training.graphql.execute(ASSIGNMENTS, {}, as_=club.parent(club.junior_players[2]))).ok()
    assert len(parent["workoutAssignments"]) == 5
    assert all(len(row["players"]) == 1 for row in parent["workoutAssignments"])
    stranger = principal(Role.PARENT, organization_id=club.organization_id)
    assert (await training.graphql.execute(ASSIGNMENTS, {}, as_=stranger)).codes == ["FORBIDDEN"]
    backwards = {"from": str(TODAY), "to": str(TODAY - timedelta(days=1))}
    response = await training.graphql.execute(ASSIGNMENTS, backwards, as_=club.trainer)
    assert response.error("BAD_USER_INPUT")["extensions"]["field"] == "to"


PLAYER_WORKOUTS = """
query Mine($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Player { assignedWorkouts { id } } }
}
"""


async def _player_workout_id(training: RunningService, club: Club, player_id: uuid.UUID) -> str:
    data = (
        await training.graphql.execute(
            PLAYER_WORKOUTS,
            {"representations": [{"__typename": "Player", "id": str(player_id)}]},
            as_=club.trainer,
        )
    ).ok()
    found: str = data["_entities"][0]["assignedWorkouts"][-1]["id"]
    return found
