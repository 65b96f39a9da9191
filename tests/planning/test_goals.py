"""Development goals over GraphQL: targets and progress, and who sees whose goals."""

from __future__ import annotations

import uuid

from tests.planning.factories import Club, make_goal
from tests.support.services import RunningService

CREATE = """
mutation Create($input: CreateDevelopmentGoalInput!) {
  createDevelopmentGoal(input: $input) {
    id title metric unit startValue targetValue currentValue progressPercent status dueDate
    team { id } player { id }
  }
}
"""

PROGRESS = """
mutation Progress($id: ID!, $value: Float!, $note: String, $recordedOn: Date) {
  recordDevelopmentGoalProgress(id: $id, value: $value, note: $note, recordedOn: $recordedOn) {
    currentValue progressPercent status progress { value note recordedOn }
  }
}
"""

UPDATE = """
mutation Update($id: ID!, $input: UpdateDevelopmentGoalInput!) {
  updateDevelopmentGoal(id: $id, input: $input) { status targetValue progressPercent }
}
"""

GOALS = """
query Goals($teamId: ID, $playerId: ID, $status: DevelopmentGoalStatus) {
  developmentGoals(teamId: $teamId, playerId: $playerId, status: $status) { title player { id } team { id } }
}
"""


async def test_a_coach_sets_a_player_goal_and_records_progress(planning: RunningService, club: Club) -> None:
    # given the coach sets a faceoff goal for a player: 45 % now, 55 % by March
    created = (
        await planning.graphql.execute(
            CREATE,
            {
                "input": {
                    "playerId": str(club.player_id),
                    "title": "Win more faceoffs",
                    "metric": "Faceoff win rate",
                    "unit": "%",
                    "startValue": 45,
                    "targetValue": 55,
                    "dueDate": "2026-03-01",
                }
            },
            as_=club.coach,
        )
    ).ok()["createDevelopmentGoal"]
    assert (created["progressPercent"], created["status"], created["currentValue"]) == (0.0, "ACTIVE", 45.0)
    assert created["player"] == {"id": str(club.player_id)}
    assert created["team"] is None
    # when two measurements come in
    first = (
        await planning.graphql.execute(
            PROGRESS,
            {"id": created["id"], "value": 50.5, "note": "Last five games", "recordedOn": "2025-11-20"},
            as_=club.coach,
        )
    ).ok()["recordDevelopmentGoalProgress"]
    # then progress is measured from the start value
    assert (first["currentValue"], first["progressPercent"], first["status"]) == (50.5, 55.0, "ACTIVE")
    reached = (await planning.graphql.execute(PROGRESS, {"id": created["id"], "value": 56}, as_=club.coach)).ok()[
        "recordDevelopmentGoalProgress"
    ]
    assert (reached["progressPercent"], reached["status"]) == (100.0, "ACHIEVED")
    assert [p["value"] for p in reached["progress"]] == [50.5, 56.0]


async def test_a_goal_that_goes_down_measures_progress_downwards(planning: RunningService, club: Club) -> None:
    goal = await make_goal(planning, club=club, player=club.player_id, title="40 m sprint", start=5.8, target=5.5)
    data = (await planning.graphql.execute(PROGRESS, {"id": str(goal.id), "value": 5.68}, as_=club.trainer)).ok()[
        "recordDevelopmentGoalProgress"
    ]
    assert data["progressPercent"] == 40.0
    assert data["status"] == "ACTIVE"


async def test_bad_goal_input_names_the_field(planning: RunningService, club: Club) -> None:
    base = {"title": "Goals for", "metric": "Goals per game", "startValue": 2.1, "targetValue": 3.0}
    cases = (
        ({**base}, "playerId"),
        ({**base, "teamId": str(club.senior), "playerId": str(club.player_id)}, "playerId"),
        ({**base, "teamId": str(club.senior), "targetValue": 2.1}, "targetValue"),
        ({**base, "teamId": str(club.senior), "title": " "}, "title"),
        ({**base, "teamId": str(club.senior), "startValue": 1e12}, "startValue"),
        ({**base, "teamId": "u18"}, "teamId"),
    )
    for values, field in cases:
        response = await planning.graphql.execute(CREATE, {"input": values}, as_=club.coach)
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field, values


async def test_players_and_parents_may_not_set_goals(planning: RunningService, club: Club) -> None:
    values = {
        "teamId": str(club.senior),
        "title": "PP",
        "metric": "PP %",
        "startValue": 15,
        "targetValue": 22,
    }
    for caller in (club.player, club.parent):
        response = await planning.graphql.execute(CREATE, {"input": values}, as_=caller)
        assert response.codes == ["FORBIDDEN"]
    goal = await make_goal(planning, club=club, player=club.player_id)
    progress = await planning.graphql.execute(PROGRESS, {"id": str(goal.id), "value": 50}, as_=club.player)
    assert progress.codes == ["FORBIDDEN"]


async def test_who_sees_which_goals(planning: RunningService, club: Club) -> None:
    # given goals for the senior team, the senior player, a teammate, and a junior (the parent's child)
    await make_goal(planning, club=club, team=club.senior, title="Team power play")
    await make_goal(planning, club=club, player=club.player_id, title="Player faceoffs")
    assert club.teammate.player_id
    await make_goal(planning, club=club, player=club.teammate.player_id, title="Teammate shots")
    await make_goal(planning, club=club, player=club.child_id, title="Child skating")
    # when each reads the goals
    seen = {
        name: sorted(row["title"] for row in (await planning.graphql.execute(GOALS, as_=who)).ok()["developmentGoals"])
        for name, who in (("coach", club.coach), ("player", club.player), ("parent", club.parent))
    }
    # then staff see all, the player their own and their team's, the parent their child's
    assert seen["coach"] == ["Child skating", "Player faceoffs", "Team power play", "Teammate shots"]
    assert seen["player"] == ["Player faceoffs", "Team power play"]
    assert seen["parent"] == ["Child skating"]
    # and asking for someone else's goals gives nothing rather than a leak
    other = await planning.graphql.execute(GOALS, {"playerId": str(club.teammate.player_id)}, as_=club.player)
    assert other.ok()["developmentGoals"] == []
    outsider = await planning.graphql.execute(GOALS, as_=club.outsider)
    assert outsider.ok()["developmentGoals"] == []


async def test_cancelled_goals_take_no_progress(planning: RunningService, club: Club) -> None:
    goal = await make_goal(planning, club=club, team=club.senior)
    cancelled = (
        await planning.graphql.execute(UPDATE, {"id": str(goal.id), "input": {"status": "CANCELLED"}}, as_=club.coach)
    ).ok()["updateDevelopmentGoal"]
    assert cancelled["status"] == "CANCELLED"
    refused = await planning.graphql.execute(PROGRESS, {"id": str(goal.id), "value": 50}, as_=club.coach)
    assert refused.codes == ["CONFLICT"]
    filtered = await planning.graphql.execute(GOALS, {"status": "ACTIVE"}, as_=club.coach)
    assert filtered.ok()["developmentGoals"] == []
    unknown = await planning.graphql.execute(PROGRESS, {"id": str(uuid.uuid4()), "value": 1}, as_=club.coach)
    assert unknown.codes == ["NOT_FOUND"]
