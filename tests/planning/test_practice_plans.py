"""Practice plans over GraphQL: drills fit the ice time, status moves one way, duplicating, who may plan."""

from __future__ import annotations

import uuid
from datetime import date

from subgraphs.planning import service
from subgraphs.planning.models import PracticePlanStatus
from tests.planning.factories import Club, make_practice_plan, published
from tests.support.services import RunningService
from tests.support.statements import count_statements

CREATE = """
mutation Create($input: CreatePracticePlanInput!) {
  createPracticePlan(input: $input) {
    id title date durationMinutes focus status plannedMinutes team { id } createdBy { id }
    drills { position name minutes category description }
  }
}
"""

UPDATE = """
mutation Update($id: ID!, $input: UpdatePracticePlanInput!) {
  updatePracticePlan(id: $id, input: $input) { id title durationMinutes drills { position name minutes } }
}
"""

STATUS = """
mutation Status($id: ID!, $status: PracticePlanStatus!) {
  changePracticePlanStatus(id: $id, status: $status) { id status }
}
"""

DUPLICATE = """
mutation Duplicate($id: ID!, $date: Date!, $teamId: ID) {
  duplicatePracticePlan(id: $id, date: $date, teamId: $teamId) {
    id date status title team { id } drills { name minutes category }
  }
}
"""

PLANS = """
query Plans($teamId: ID, $from: Date, $to: Date, $status: PracticePlanStatus) {
  practicePlans(teamId: $teamId, from: $from, to: $to, status: $status) {
    id title date drills { name minutes }
  }
}
"""

PLAN = "query Plan($id: ID!) { practicePlan(id: $id) { id title } }"


def _plan(club: Club, **overrides: object) -> dict[str, object]:
    return {
        "teamId": str(club.senior),
        "title": "Game prep",
        "date": "2026-03-03",
        "durationMinutes": 75,
        "focus": "Power play entries",
        "drills": [
            {"name": "Warm-up laps", "minutes": 10, "category": "SKATING"},
            {
                "name": "PP drop-pass entry",
                "minutes": 25,
                "category": "TEAM_SYSTEMS",
                "description": "5-on-0",
            },
            {"name": "Shooting through traffic", "minutes": 20, "category": "SHOOTING"},
            {"name": "3-on-3 cross-ice", "minutes": 20, "category": "SMALL_AREA_GAMES"},
        ],
        **overrides,
    }


async def test_the_coach_plans_a_practice_with_drills(planning: RunningService, club: Club) -> None:
    # given the senior coach
    # when they plan a 75-minute practice with four drills
    plan = (await planning.graphql.execute(CREATE, {"input": _plan(club)}, as_=club.coach)).ok()["createPracticePlan"]
    # then it is planned, with the drills in order filling the ice time
    assert (plan["status"], plan["plannedMinutes"], plan["durationMinutes"]) == ("PLANNED", 75, 75)
    assert [(d["position"], d["name"], d["category"]) for d in plan["drills"]] == [
        (1, "Warm-up laps", "SKATING"),
        (2, "PP drop-pass entry", "TEAM_SYSTEMS"),
        (3, "Shooting through traffic", "SHOOTING"),
        (4, "3-on-3 cross-ice", "SMALL_AREA_GAMES"),
    ]
    assert plan["team"] == {"id": str(club.senior)}
    assert plan["createdBy"] == {"id": str(club.coach.user_id)}
    # and practice_plan.created is in the outbox
    [(_, data)] = await published(planning, type_prefix="practice_plan.")
    assert (data["practice_plan_id"], data["date"], len(data["drills"])) == (plan["id"], "2026-03-03", 4)


async def test_drills_must_fit_the_practice(planning: RunningService, club: Club) -> None:
    too_long = _plan(club, durationMinutes=60)
    response = await planning.graphql.execute(CREATE, {"input": too_long}, as_=club.coach)
    error = response.error("BAD_USER_INPUT")
    assert error["extensions"]["field"] == "drills"
    assert "75 minutes" in error["message"]
    for field, value in (("durationMinutes", 0), ("title", ""), ("teamId", "senior"), ("date", "2040-01-01")):
        bad = await planning.graphql.execute(CREATE, {"input": _plan(club, **{field: value})}, as_=club.coach)
        assert bad.error("BAD_USER_INPUT")["extensions"]["field"] == field
    zero_minute = _plan(club, drills=[{"name": "Water break", "minutes": 0}])
    bad_drill = await planning.graphql.execute(CREATE, {"input": zero_minute}, as_=club.coach)
    assert bad_drill.error("BAD_USER_INPUT")["extensions"]["field"] == "drills"
    assert await published(planning, type_prefix="practice_plan.") == []


async def test_updating_replaces_drills_and_keeps_them_within_the_time(planning: RunningService, club: Club) -> None:
    plan = await make_practice_plan(planning, club=club, duration=60)  # drills take 45 minutes
    shorter = await planning.graphql.execute(
        UPDATE, {"id": str(plan.id), "input": {"durationMinutes": 40}}, as_=club.coach
    )
    assert shorter.error("BAD_USER_INPUT")["extensions"]["field"] == "durationMinutes"
    replaced = (
        await planning.graphql.execute(
            UPDATE,
            {
                "id": str(plan.id),
                "input": {
                    "durationMinutes": 40,
                    "title": "Short skate",
                    "drills": [{"name": "Flow drill", "minutes": 15}, {"name": "Scrimmage", "minutes": 25}],
                },
            },
            as_=club.coach,
        )
    ).ok()["updatePracticePlan"]
    assert replaced["title"] == "Short skate"
    assert [(d["position"], d["name"], d["minutes"]) for d in replaced["drills"]] == [
        (1, "Flow drill", 15),
        (2, "Scrimmage", 25),
    ]


async def test_status_moves_forward_one_step_at_a_time(planning: RunningService, club: Club) -> None:
    plan = await make_practice_plan(planning, club=club)
    skip = await planning.graphql.execute(STATUS, {"id": str(plan.id), "status": "COMPLETED"}, as_=club.coach)
    assert skip.error("CONFLICT")["extensions"]["field"] == "status"
    for status in ("IN_PROGRESS", "COMPLETED"):
        moved = await planning.graphql.execute(STATUS, {"id": str(plan.id), "status": status}, as_=club.coach)
        assert moved.ok()["changePracticePlanStatus"]["status"] == status
    back = await planning.graphql.execute(STATUS, {"id": str(plan.id), "status": "PLANNED"}, as_=club.coach)
    assert back.codes == ["CONFLICT"]
    frozen = await planning.graphql.execute(UPDATE, {"id": str(plan.id), "input": {"title": "Edit"}}, as_=club.coach)
    assert frozen.codes == ["CONFLICT"]


async def test_duplicating_copies_the_drills_to_a_new_planned_practice(planning: RunningService, club: Club) -> None:
    plan = await make_practice_plan(planning, club=club)
    async with planning.runtime.sessions() as session, session.begin():
        await service.change_practice_plan_status(session, club.admin, plan.id, status=PracticePlanStatus.IN_PROGRESS)
    copy = (
        await planning.graphql.execute(
            DUPLICATE, {"id": str(plan.id), "date": "2026-03-09", "teamId": str(club.junior)}, as_=club.admin
        )
    ).ok()["duplicatePracticePlan"]
    assert (copy["date"], copy["status"], copy["title"]) == ("2026-03-09", "PLANNED", "Tuesday practice")
    assert copy["team"] == {"id": str(club.junior)}
    assert [d["name"] for d in copy["drills"]] == ["Dynamic warm-up", "Breakout 5-on-0", "3-on-2 rushes"]
    assert copy["id"] != str(plan.id)
    # the senior coach may not plan for the U18 team
    refused = await planning.graphql.execute(
        DUPLICATE, {"id": str(plan.id), "date": "2026-03-10", "teamId": str(club.junior)}, as_=club.coach
    )
    assert refused.codes == ["FORBIDDEN"]


async def test_only_the_teams_coaches_plan_its_practices(planning: RunningService, club: Club) -> None:
    for caller in (club.junior_coach, club.player, club.trainer, club.parent):
        response = await planning.graphql.execute(CREATE, {"input": _plan(club)}, as_=caller)
        assert response.codes == ["FORBIDDEN"], caller.roles
    plan = await make_practice_plan(planning, club=club)
    by_other_coach = await planning.graphql.execute(
        STATUS, {"id": str(plan.id), "status": "IN_PROGRESS"}, as_=club.junior_coach
    )
    assert by_other_coach.codes == ["FORBIDDEN"]


async def test_the_club_reads_plans_by_team_and_date(planning: RunningService, club: Club) -> None:
    await make_practice_plan(planning, club=club, day=date(2026, 3, 2), title="Mon")
    await make_practice_plan(planning, club=club, day=date(2026, 3, 4), title="Wed")
    await make_practice_plan(planning, club=club, team=club.junior, day=date(2026, 3, 3), title="U18 Tue")
    week = {"from": "2026-03-02", "to": "2026-03-03"}
    rows = (await planning.graphql.execute(PLANS, week, as_=club.player)).ok()["practicePlans"]
    assert [row["title"] for row in rows] == ["Mon", "U18 Tue"]
    senior = (await planning.graphql.execute(PLANS, {"teamId": str(club.senior)}, as_=club.parent)).ok()[
        "practicePlans"
    ]
    assert [row["title"] for row in senior] == ["Mon", "Wed"]
    backwards = await planning.graphql.execute(PLANS, {"from": "2026-03-04", "to": "2026-03-01"}, as_=club.coach)
    assert backwards.error("BAD_USER_INPUT")["extensions"]["field"] == "to"
    assert (await planning.graphql.execute(PLANS, as_=club.outsider)).ok()["practicePlans"] == []
    unknown = await planning.graphql.execute(PLAN, {"id": str(uuid.uuid4())}, as_=club.coach)
    assert unknown.codes == ["NOT_FOUND"]


async def test_the_plan_list_with_drills_is_two_statements(planning: RunningService, club: Club) -> None:
    for day in range(1, 16):
        await make_practice_plan(planning, club=club, day=date(2026, 3, day))
    with count_statements(planning.engine) as log:
        rows = (await planning.graphql.execute(PLANS, {"teamId": str(club.senior)}, as_=club.coach)).ok()[
            "practicePlans"
        ]
    assert len(rows) == 15
    assert all(len(row["drills"]) == 3 for row in rows)
    assert log.count == 2, [s[:80] for s in log.statements]
