"""Federation: the training service extends Player with assigned workouts, batched."""

from __future__ import annotations

import uuid
from datetime import timedelta

from shared.auth.principal import Role
from shared.database import utcnow
from shared.roster import upsert_roster_entry
from subgraphs.training import service
from subgraphs.training.models import AssignmentConflictChoice
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.support.statements import count_statements
from tests.training.factories import TODAY, Club, make_exercise, make_strength_workout

ASSIGNED = """
query Entities($representations: [_Any!]!, $from: Date, $to: Date, $status: AssignmentStatus) {
  _entities(representations: $representations) {
    ... on Player { id assignedWorkouts(from: $from, to: $to, status: $status) { startsOn status } }
  }
}
"""

WITH_WORKOUT = """
query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Player { id assignedWorkouts { workout { name totalDurationSeconds } } }
  }
}
"""


async def _squad(training: RunningService, club: Club, size: int) -> list[uuid.UUID]:
    """`size` players of a new team, who all get one workout last week and one this week."""
    team_id, players = uuid.uuid4(), [uuid.uuid4() for _ in range(size)]
    trainer = club.staff(Role.PHYSICAL_TRAINER, team_id)
    squat = await make_exercise(training, by=trainer)
    workout = await make_strength_workout(training, by=trainer, exercise=squat)
    async with training.runtime.sessions() as session, session.begin():
        for player_id in players:
            await upsert_roster_entry(
                session,
                player_id=player_id,
                organization_id=club.organization_id,
                team_id=team_id,
                first_name="",
                last_name="",
                is_active=True,
                occurred_at=utcnow(),
            )
        for starts_on in (TODAY - timedelta(days=7), TODAY):
            await service.assign_workout(
                session,
                trainer,
                workout_id=workout.id,
                starts_on=starts_on,
                team_id=team_id,
                on_conflict=AssignmentConflictChoice.KEEP_BOTH,
            )
    return players


def _representations(players: list[uuid.UUID]) -> list[dict[str, str]]:
    return [{"__typename": "Player", "id": str(player_id)} for player_id in players]


async def test_a_hundred_players_cost_one_statement(training: RunningService, club: Club) -> None:
    players = await _squad(training, club, 100)
    variables = {"representations": _representations(players), "from": str(TODAY - timedelta(days=1))}
    with count_statements(training.engine) as log:
        data = (await training.graphql.execute(ASSIGNED, variables, as_=club.trainer)).ok()
    entities = data["_entities"]
    assert [entity["id"] for entity in entities] == [str(player_id) for player_id in players]
    assert all(entity["assignedWorkouts"] == [{"startsOn": str(TODAY), "status": "ASSIGNED"}] for entity in entities)
    assert log.count == 1, [statement[:80] for statement in log.statements]


async def test_nested_workouts_add_one_statement(training: RunningService, club: Club) -> None:
    players = await _squad(training, club, 40)
    with count_statements(training.engine) as log:
        data = (
            await training.graphql.execute(
                WITH_WORKOUT, {"representations": _representations(players)}, as_=club.trainer
            )
        ).ok()
    assert all(len(entity["assignedWorkouts"]) == 2 for entity in data["_entities"])
    assert data["_entities"][0]["assignedWorkouts"][0]["workout"] == {
        "name": "Lower body A",
        "totalDurationSeconds": 435,
    }
    assert log.count == 2


async def test_who_sees_a_players_assigned_workouts(training: RunningService, club: Club) -> None:
    players = await _squad(training, club, 2)
    one = _representations(players[:1])
    variables = {"representations": one, "status": "ASSIGNED"}
    for caller in (
        club.player(players[0]),
        club.parent(players[0]),
        club.staff(Role.EQUIPMENT_MANAGER),
        club.staff(Role.MEDICAL_STAFF),
    ):
        data = (await training.graphql.execute(ASSIGNED, variables, as_=caller)).ok()
        assert len(data["_entities"][0]["assignedWorkouts"]) == 2, caller.roles
    for caller in (club.player(players[1]), club.parent(players[1])):
        response = await training.graphql.execute(ASSIGNED, variables, as_=caller)
        assert response.error("FORBIDDEN")["path"] == ["_entities", 0, "assignedWorkouts"]
        assert response.data["_entities"][0] == {"id": str(players[0]), "assignedWorkouts": None}
    outsider = principal(Role.COACH, organization_id=uuid.uuid4())
    data = (await training.graphql.execute(ASSIGNED, variables, as_=outsider)).ok()
    assert data["_entities"][0]["assignedWorkouts"] == []
    malformed = await training.graphql.execute(
        ASSIGNED, {"representations": [{"__typename": "Player", "id": "x"}]}, as_=club.trainer
    )
    assert malformed.codes == ["BAD_USER_INPUT"]
    assert malformed.errors[0]["path"] == ["_entities", 0]
