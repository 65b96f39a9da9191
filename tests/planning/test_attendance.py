"""Attendance and evaluations over GraphQL: taken once a practice has started, only for the team's players,
evaluations seen by staff, the player and their parents."""

from __future__ import annotations

import uuid

from subgraphs.planning.models import PracticePlan
from tests.planning.factories import Club, make_practice_plan, put_on_roster
from tests.support.services import RunningService

STATUS = """
mutation Status($id: ID!, $status: PracticePlanStatus!) { changePracticePlanStatus(id: $id, status: $status) { id } }
"""

ATTENDANCE = """
mutation Attendance($id: ID!, $entries: [PracticeAttendanceInput!]!) {
  recordPracticeAttendance(id: $id, entries: $entries) {
    attendance { player { id } status note rating evaluation }
  }
}
"""

EVALUATE = """
mutation Evaluate($id: ID!, $playerId: ID!, $rating: Int!, $note: String) {
  evaluatePracticePlayer(id: $id, playerId: $playerId, rating: $rating, note: $note) {
    attendance { player { id } rating evaluation }
  }
}
"""

READ = "query Read($id: ID!) { practicePlan(id: $id) { attendance { player { id } status rating evaluation } } }"


async def _started(planning: RunningService, club: Club) -> PracticePlan:
    plan = await make_practice_plan(planning, club=club)
    await planning.graphql.execute(STATUS, {"id": str(plan.id), "status": "IN_PROGRESS"}, as_=club.coach)
    return plan


def _by_player(rows: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    return {row["player"]["id"]: row for row in rows}  # type: ignore[index]


async def test_the_coach_takes_attendance_and_evaluates(planning: RunningService, club: Club) -> None:
    # given the senior roster and a practice in progress
    teammate = club.teammate.player_id
    assert teammate is not None
    await put_on_roster(planning, club=club, team=club.senior, players=[club.player_id, teammate])
    plan = await _started(planning, club)
    # when the coach marks one present and one injured, then evaluates the present one
    entries = [
        {"playerId": str(club.player_id), "status": "PRESENT"},
        {"playerId": str(teammate), "status": "INJURED", "note": "Sore groin"},
    ]
    taken = await planning.graphql.execute(ATTENDANCE, {"id": str(plan.id), "entries": entries}, as_=club.coach)
    assert {row["status"] for row in taken.ok()["recordPracticeAttendance"]["attendance"]} == {"PRESENT", "INJURED"}
    evaluated = await planning.graphql.execute(
        EVALUATE,
        {"id": str(plan.id), "playerId": str(club.player_id), "rating": 4, "note": "Sharp on breakouts"},
        as_=club.coach,
    )
    rows = _by_player(evaluated.ok()["evaluatePracticePlayer"]["attendance"])
    # then the coach sees the rating and the note
    assert (rows[str(club.player_id)]["rating"], rows[str(club.player_id)]["evaluation"]) == (4, "Sharp on breakouts")
    # and the player sees their own evaluation, the teammate sees the attendance but not the other's rating
    own = _by_player(
        (await planning.graphql.execute(READ, {"id": str(plan.id)}, as_=club.player)).ok()["practicePlan"]["attendance"]
    )
    assert own[str(club.player_id)]["rating"] == 4
    others = _by_player(
        (await planning.graphql.execute(READ, {"id": str(plan.id)}, as_=club.teammate)).ok()["practicePlan"][
            "attendance"
        ]
    )
    assert others[str(club.player_id)] == {
        "player": {"id": str(club.player_id)},
        "status": "PRESENT",
        "rating": None,
        "evaluation": None,
    }
    assert others[str(teammate)]["status"] == "INJURED"
    # a parent of a player elsewhere sees nobody's attendance
    assert (await planning.graphql.execute(READ, {"id": str(plan.id)}, as_=club.parent)).ok()["practicePlan"][
        "attendance"
    ] == []
    # the injured player cannot be evaluated, and marking the evaluated one absent drops their evaluation
    injured = await planning.graphql.execute(
        EVALUATE, {"id": str(plan.id), "playerId": str(teammate), "rating": 3}, as_=club.coach
    )
    assert injured.error("CONFLICT")["extensions"]["field"] == "playerId"
    absent = [{"playerId": str(club.player_id), "status": "ABSENT"}]
    after = await planning.graphql.execute(ATTENDANCE, {"id": str(plan.id), "entries": absent}, as_=club.coach)
    rows = _by_player(after.ok()["recordPracticeAttendance"]["attendance"])
    assert (rows[str(club.player_id)]["status"], rows[str(club.player_id)]["rating"]) == ("ABSENT", None)


async def test_attendance_follows_the_practice_and_the_roster(planning: RunningService, club: Club) -> None:
    stranger, junior, former = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await put_on_roster(planning, club=club, team=club.senior, players=[club.player_id])
    await put_on_roster(planning, club=club, team=club.junior, players=[junior])
    await put_on_roster(planning, club=club, team=club.senior, players=[former], active=False)
    planned = await make_practice_plan(planning, club=club)
    entry = [{"playerId": str(club.player_id), "status": "PRESENT"}]
    # a practice that has not started takes no attendance
    early = await planning.graphql.execute(ATTENDANCE, {"id": str(planned.id), "entries": entry}, as_=club.coach)
    assert early.error("CONFLICT")["extensions"]["field"] == "id"
    plan = await _started(planning, club)
    # players unknown to the roster, on another team or no longer active are refused, naming them
    for player in (stranger, junior, former):
        wrong = [{"playerId": str(player), "status": "PRESENT"}]
        refused = await planning.graphql.execute(ATTENDANCE, {"id": str(plan.id), "entries": wrong}, as_=club.coach)
        error = refused.error("BAD_USER_INPUT")
        assert (error["extensions"]["field"], error["extensions"]["playerIds"]) == ("entries", [str(player)])
    twice = await planning.graphql.execute(ATTENDANCE, {"id": str(plan.id), "entries": entry * 2}, as_=club.coach)
    assert twice.error("CONFLICT")["extensions"]["field"] == "entries"
    await planning.graphql.execute(ATTENDANCE, {"id": str(plan.id), "entries": entry}, as_=club.coach)
    # ratings are 1 to 5
    for rating in (0, 6):
        bad = await planning.graphql.execute(
            EVALUATE, {"id": str(plan.id), "playerId": str(club.player_id), "rating": rating}, as_=club.coach
        )
        assert bad.error("BAD_USER_INPUT")["extensions"]["field"] == "rating"
    # a completed practice still takes its evaluations
    await planning.graphql.execute(STATUS, {"id": str(plan.id), "status": "COMPLETED"}, as_=club.coach)
    done = await planning.graphql.execute(
        EVALUATE, {"id": str(plan.id), "playerId": str(club.player_id), "rating": 5}, as_=club.coach
    )
    assert _by_player(done.ok()["evaluatePracticePlayer"]["attendance"])[str(club.player_id)]["rating"] == 5


async def test_only_the_teams_coaches_take_attendance(planning: RunningService, club: Club) -> None:
    await put_on_roster(planning, club=club, team=club.senior, players=[club.player_id])
    plan = await _started(planning, club)
    entry = [{"playerId": str(club.player_id), "status": "PRESENT"}]
    for caller in (club.player, club.junior_coach, club.trainer):
        refused = await planning.graphql.execute(ATTENDANCE, {"id": str(plan.id), "entries": entry}, as_=caller)
        assert refused.codes == ["FORBIDDEN"]
    outside = await planning.graphql.execute(ATTENDANCE, {"id": str(plan.id), "entries": entry}, as_=club.outsider)
    assert outside.codes == ["NOT_FOUND"]
    assert (await planning.graphql.execute(READ, {"id": str(plan.id)}, as_=club.coach)).ok()["practicePlan"][
        "attendance"
    ] == []
