"""Periodization over GraphQL: training blocks inside their phase, never overlapping, the team's current
phase and block, and planning.phase.changed carrying the blocks."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from shared.errors import Conflict
from subgraphs.planning import service as planning_service
from subgraphs.planning.models import BlockIntensity, SeasonPhase, SeasonPhaseKind
from tests.planning.factories import Club, make_phase, make_season, published
from tests.planning.test_seasons import _backend_pid, _wait_for_lock_wait
from tests.support.services import RunningService

ADD = """
mutation Add($phaseId: ID!, $input: AddPhaseBlockInput!) {
  addPhaseBlock(phaseId: $phaseId, input: $input) {
    id name intensity focusAreas startDate endDate days weeklyStructure { weekday activity note }
  }
}
"""

UPDATE = """
mutation Update($id: ID!, $input: UpdatePhaseBlockInput!) {
  updatePhaseBlock(id: $id, input: $input) { id intensity startDate endDate }
}
"""

REMOVE = "mutation Remove($id: ID!) { removePhaseBlock(id: $id) { blocks { name } } }"

UPDATE_PHASE = """
mutation Update($id: ID!, $input: UpdateSeasonPhaseInput!) { updateSeasonPhase(id: $id, input: $input) { id } }
"""

CURRENT = """
query Current($teamId: ID!, $date: Date) {
  currentPhase(teamId: $teamId, date: $date) {
    kind blocks { name intensity } blockOn(date: $date) { name intensity focusAreas }
  }
}
"""


def _block(name: str, intensity: str, start: str, end: str, **extra: object) -> dict[str, object]:
    return {"name": name, "intensity": intensity, "startDate": start, "endDate": end, **extra}


@pytest.fixture
async def pre_season(planning: RunningService, club: Club) -> SeasonPhase:
    season = await make_season(planning, club=club)
    return await make_phase(
        planning,
        club=club,
        season=season,
        kind=SeasonPhaseKind.PRE_SEASON,
        start=date(2025, 7, 1),
        end=date(2025, 9, 14),
    )


async def test_a_coach_splits_a_phase_into_blocks(
    planning: RunningService, club: Club, pre_season: SeasonPhase
) -> None:
    # given the pre-season phase
    week = [
        {"weekday": 3, "activity": "GAME"},
        {"weekday": 1, "activity": "PRACTICE", "note": "Skills"},
        {"weekday": 7, "activity": "REST"},
    ]
    # when the coach adds a base block with its focus areas and typical week, then a peak block
    base = (
        await planning.graphql.execute(
            ADD,
            {
                "phaseId": str(pre_season.id),
                "input": _block(
                    "Aerobic base",
                    "MEDIUM",
                    "2025-07-01",
                    "2025-08-10",
                    focusAreas=["Aerobic base", "Strength"],
                    weeklyStructure=week,
                ),
            },
            as_=club.coach,
        )
    ).ok()["addPhaseBlock"]
    await planning.graphql.execute(
        ADD,
        {"phaseId": str(pre_season.id), "input": _block("Camp", "PEAK", "2025-08-11", "2025-09-14")},
        as_=club.coach,
    )
    # then the block keeps its focus and its week, Monday first
    assert (base["intensity"], base["focusAreas"], base["days"]) == ("MEDIUM", ["Aerobic base", "Strength"], 41)
    assert base["weeklyStructure"] == [
        {"weekday": 1, "activity": "PRACTICE", "note": "Skills"},
        {"weekday": 3, "activity": "GAME", "note": None},
        {"weekday": 7, "activity": "REST", "note": None},
    ]
    # and the team's current phase on a camp day names its blocks and the camp block
    current = (
        await planning.graphql.execute(CURRENT, {"teamId": str(club.senior), "date": "2025-08-20"}, as_=club.player)
    ).ok()["currentPhase"]
    assert current["kind"] == "PRE_SEASON"
    assert [b["name"] for b in current["blocks"]] == ["Aerobic base", "Camp"]
    assert current["blockOn"] == {"name": "Camp", "intensity": "PEAK", "focusAreas": []}
    # and each change published planning.phase.changed with the blocks, so training can scale loads
    events = await published(planning, type_prefix="planning.phase.")
    assert [data["change"] for _, data in events] == ["created", "updated", "updated"]
    assert [(b["name"], b["intensity"]) for b in events[-1][1]["blocks"]] == [
        ("Aerobic base", "medium"),
        ("Camp", "peak"),
    ]


async def test_blocks_stay_inside_their_phase_and_never_overlap(
    planning: RunningService, club: Club, pre_season: SeasonPhase
) -> None:
    phase_id = str(pre_season.id)
    first = (
        await planning.graphql.execute(
            ADD, {"phaseId": phase_id, "input": _block("Base", "LOW", "2025-07-01", "2025-07-31")}, as_=club.coach
        )
    ).ok()["addPhaseBlock"]
    # an overlapping block is a CONFLICT naming the block it overlaps (dates are inclusive)
    clash = await planning.graphql.execute(
        ADD, {"phaseId": phase_id, "input": _block("Load", "HIGH", "2025-07-31", "2025-08-20")}, as_=club.coach
    )
    conflict = clash.error("CONFLICT")
    assert conflict["extensions"]["conflicts"] == [{"id": first["id"], "name": "Base"}]
    # blocks outside the phase, backwards, or with bad focus areas or week days are refused by field
    for block, field in (
        (_block("Early", "LOW", "2025-06-30", "2025-07-10"), "startDate"),
        (_block("Late", "LOW", "2025-09-01", "2025-09-15"), "endDate"),
        (_block("Backwards", "LOW", "2025-08-10", "2025-08-01"), "endDate"),
        (_block("", "LOW", "2025-08-01", "2025-08-10"), "name"),
        (_block("Twice", "LOW", "2025-08-01", "2025-08-10", focusAreas=["Speed", "speed"]), "focusAreas"),
        (
            _block("Eight", "LOW", "2025-08-01", "2025-08-10", weeklyStructure=[{"weekday": 8, "activity": "REST"}]),
            "weeklyStructure",
        ),
    ):
        bad = await planning.graphql.execute(ADD, {"phaseId": phase_id, "input": block}, as_=club.coach)
        assert bad.error("BAD_USER_INPUT")["extensions"]["field"] == field
    # moving a block onto another is refused too, and moving it clear of it works
    second = (
        await planning.graphql.execute(
            ADD, {"phaseId": phase_id, "input": _block("Load", "HIGH", "2025-08-01", "2025-08-20")}, as_=club.coach
        )
    ).ok()["addPhaseBlock"]
    onto = await planning.graphql.execute(
        UPDATE, {"id": second["id"], "input": {"startDate": "2025-07-20"}}, as_=club.coach
    )
    assert onto.codes == ["CONFLICT"]
    moved = await planning.graphql.execute(
        UPDATE, {"id": second["id"], "input": {"endDate": "2025-08-25", "intensity": "PEAK"}}, as_=club.coach
    )
    assert moved.ok()["updatePhaseBlock"] == {
        "id": second["id"],
        "intensity": "PEAK",
        "startDate": "2025-08-01",
        "endDate": "2025-08-25",
    }
    # the phase cannot shrink past its blocks
    shrink = await planning.graphql.execute(
        UPDATE_PHASE, {"id": phase_id, "input": {"endDate": "2025-08-15"}}, as_=club.coach
    )
    assert shrink.error("BAD_USER_INPUT")["extensions"]["field"] == "endDate"
    # removing a block frees its dates
    removed = await planning.graphql.execute(REMOVE, {"id": first["id"]}, as_=club.coach)
    assert removed.ok()["removePhaseBlock"] == {"blocks": [{"name": "Load"}]}


async def test_only_the_clubs_coaches_plan_blocks(
    planning: RunningService, club: Club, pre_season: SeasonPhase
) -> None:
    variables = {"phaseId": str(pre_season.id), "input": _block("Base", "LOW", "2025-07-01", "2025-07-31")}
    for caller in (club.player, club.parent, club.trainer):
        assert (await planning.graphql.execute(ADD, variables, as_=caller)).codes == ["FORBIDDEN"]
    assert (await planning.graphql.execute(ADD, variables, as_=club.outsider)).codes == ["NOT_FOUND"]
    assert (await planning.graphql.execute(ADD, variables)).codes == ["UNAUTHENTICATED"]
    # a player asks about their own team only
    other_team = await planning.graphql.execute(
        CURRENT, {"teamId": str(club.junior), "date": "2025-07-10"}, as_=club.player
    )
    assert other_team.codes == ["FORBIDDEN"]
    # and nothing refused was published: only the phase's creation
    assert [data["change"] for _, data in await published(planning, type_prefix="planning.phase.")] == ["created"]


async def test_the_database_refuses_a_block_that_raced_past_the_check(
    planning: RunningService, club: Club, pre_season: SeasonPhase
) -> None:
    # given a base block written but not yet committed
    pid: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    async def second_block() -> None:
        async with planning.runtime.sessions() as session, session.begin():
            pid.set_result(await _backend_pid(session))
            await planning_service.add_block(
                session,
                club.admin,
                phase_id=pre_season.id,
                name="Load",
                intensity=BlockIntensity.HIGH,
                start_date=date(2025, 7, 20),
                end_date=date(2025, 8, 10),
            )

    async with planning.runtime.sessions() as first, first.begin():
        winner = await planning_service.add_block(
            first,
            club.coach,
            phase_id=pre_season.id,
            name="Base",
            intensity=BlockIntensity.LOW,
            start_date=date(2025, 7, 1),
            end_date=date(2025, 7, 31),
        )
        # when a second block passes the service's check and reaches the exclusion constraint, it waits
        racing = asyncio.create_task(second_block())
        await _wait_for_lock_wait(planning, await pid)
    # then, once the first commits, the second is refused with a CONFLICT naming the base block
    with pytest.raises(Conflict) as refused:
        await racing
    assert refused.value.details["conflicts"] == [{"id": str(winner.id), "name": "Base"}]
