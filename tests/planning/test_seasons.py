"""Seasons and phases over GraphQL: planning the year, overlaps refused (even racing), the current phase."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from shared.errors import Conflict
from subgraphs.planning import service as planning_service
from subgraphs.planning.models import SeasonPhaseKind
from tests.planning.factories import Club, make_phase, make_season, published
from tests.support.services import RunningService

CREATE_SEASON = """
mutation Create($input: CreateSeasonInput!) { createSeason(input: $input) { id name startDate endDate } }
"""

UPDATE_SEASON = """
mutation Update($id: ID!, $input: UpdateSeasonInput!) { updateSeason(id: $id, input: $input) { id endDate } }
"""

ADD_PHASE = """
mutation Add($seasonId: ID!, $input: AddSeasonPhaseInput!) {
  addSeasonPhase(seasonId: $seasonId, input: $input) { id kind name startDate endDate days season { name } }
}
"""

UPDATE_PHASE = """
mutation Update($id: ID!, $input: UpdateSeasonPhaseInput!) {
  updateSeasonPhase(id: $id, input: $input) { id name startDate endDate }
}
"""

REMOVE_PHASE = """
mutation Remove($id: ID!) { removeSeasonPhase(id: $id) { phases { kind } } }
"""

SEASONS = "{ seasons { name isCurrent phases { kind name startDate endDate } } }"

CURRENT = """
query Current($date: Date, $teamId: ID) {
  currentSeasonPhase(date: $date, teamId: $teamId) { kind name season { name } }
}
"""


def _phase(kind: str, start: str, end: str, **extra: object) -> dict[str, object]:
    return {"kind": kind, "startDate": start, "endDate": end, **extra}


async def test_a_coach_plans_a_season_with_its_phases(planning: RunningService, club: Club) -> None:
    # given a coach
    # when they create the season and its four phases
    season = (
        await planning.graphql.execute(
            CREATE_SEASON,
            {"input": {"name": "2025-26", "startDate": "2025-07-01", "endDate": "2026-06-30"}},
            as_=club.coach,
        )
    ).ok()["createSeason"]
    phases = [
        _phase("PRE_SEASON", "2025-07-01", "2025-09-15", focus="Conditioning and systems"),
        _phase("REGULAR_SEASON", "2025-09-16", "2026-02-28"),
        _phase("PLAYOFFS", "2026-03-01", "2026-04-15", name="Playoffs and finals"),
        _phase("OFF_SEASON", "2026-04-16", "2026-06-30"),
    ]
    added = [
        (await planning.graphql.execute(ADD_PHASE, {"seasonId": season["id"], "input": phase}, as_=club.coach)).ok()[
            "addSeasonPhase"
        ]
        for phase in reversed(phases)
    ]
    # then everyone in the club reads them in date order
    assert added[0]["days"] == 76
    assert added[1]["season"] == {"name": "2025-26"}
    for reader in (club.player, club.parent, club.trainer):
        seasons = (await planning.graphql.execute(SEASONS, as_=reader)).ok()["seasons"]
        assert [p["name"] for p in seasons[0]["phases"]] == [
            "Pre-season",
            "Regular season",
            "Playoffs and finals",
            "Off-season",
        ]
    # and each change was published
    events = await published(planning, type_prefix="planning.phase.")
    assert [(kind, data["change"], data["kind"]) for kind, data in events] == [
        ("planning.phase.changed", "created", kind)
        for kind in ("off_season", "playoffs", "regular_season", "pre_season")
    ]


async def test_players_and_trainers_may_not_plan_seasons(planning: RunningService, club: Club) -> None:
    variables = {"input": {"name": "2025-26", "startDate": "2025-07-01", "endDate": "2026-06-30"}}
    for caller in (club.player, club.parent, club.trainer):
        response = await planning.graphql.execute(CREATE_SEASON, variables, as_=caller)
        assert response.codes == ["FORBIDDEN"]


async def test_overlapping_seasons_and_bad_dates_are_refused(planning: RunningService, club: Club) -> None:
    await make_season(planning, club=club, name="2025-26")
    overlapping = await planning.graphql.execute(
        CREATE_SEASON,
        {"input": {"name": "2026-27", "startDate": "2026-06-01", "endDate": "2027-05-31"}},
        as_=club.admin,
    )
    assert "2025-26" in overlapping.error("CONFLICT")["message"]
    same_name = await planning.graphql.execute(
        CREATE_SEASON,
        {"input": {"name": "2025-26", "startDate": "2026-07-01", "endDate": "2027-06-30"}},
        as_=club.admin,
    )
    assert same_name.error("CONFLICT")["extensions"]["field"] == "name"
    backwards = await planning.graphql.execute(
        CREATE_SEASON,
        {"input": {"name": "2027-28", "startDate": "2027-07-01", "endDate": "2027-06-30"}},
        as_=club.admin,
    )
    assert backwards.error("BAD_USER_INPUT")["extensions"]["field"] == "endDate"


async def test_an_overlapping_phase_is_a_conflict_naming_it(planning: RunningService, club: Club) -> None:
    # given a season with its regular season
    season = await make_season(planning, club=club)
    regular = await make_phase(
        planning,
        club=club,
        season=season,
        kind=SeasonPhaseKind.REGULAR_SEASON,
        start=date(2025, 9, 16),
        end=date(2026, 2, 28),
    )
    # when a playoffs phase starting on its last day is added
    response = await planning.graphql.execute(
        ADD_PHASE,
        {"seasonId": str(season.id), "input": _phase("PLAYOFFS", "2026-02-28", "2026-04-15")},
        as_=club.coach,
    )
    # then it is refused, naming the regular season (dates are inclusive)
    error = response.error("CONFLICT")
    assert "Regular season (2025-09-16 to 2026-02-28)" in error["message"]
    assert error["extensions"]["conflicts"] == [
        {
            "id": str(regular.id),
            "kind": "REGULAR_SEASON",
            "name": "Regular season",
            "startDate": "2025-09-16",
            "endDate": "2026-02-28",
        }
    ]
    # and moving the regular season onto a later phase is refused the same way
    playoffs = await make_phase(
        planning,
        club=club,
        season=season,
        kind=SeasonPhaseKind.PLAYOFFS,
        start=date(2026, 3, 1),
        end=date(2026, 4, 15),
    )
    moved = await planning.graphql.execute(
        UPDATE_PHASE, {"id": str(regular.id), "input": {"endDate": "2026-03-10"}}, as_=club.coach
    )
    assert moved.error("CONFLICT")["extensions"]["conflicts"][0]["id"] == str(playoffs.id)
    # while a change that stays clear of it is fine
    renamed = await planning.graphql.execute(
        UPDATE_PHASE, {"id": str(regular.id), "input": {"name": "Series play"}}, as_=club.coach
    )
    assert renamed.ok()["updateSeasonPhase"]["name"] == "Series play"


async def test_phases_stay_inside_their_season(planning: RunningService, club: Club) -> None:
    season = await make_season(planning, club=club)
    for phase, field in (
        (_phase("PRE_SEASON", "2025-06-15", "2025-08-31"), "startDate"),
        (_phase("OFF_SEASON", "2026-05-01", "2026-07-31"), "endDate"),
        (_phase("PLAYOFFS", "2026-04-15", "2026-03-01"), "endDate"),
    ):
        response = await planning.graphql.execute(
            ADD_PHASE, {"seasonId": str(season.id), "input": phase}, as_=club.coach
        )
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field
    await make_phase(
        planning,
        club=club,
        season=season,
        kind=SeasonPhaseKind.OFF_SEASON,
        start=date(2026, 4, 16),
        end=date(2026, 6, 30),
    )
    shrink = await planning.graphql.execute(
        UPDATE_SEASON, {"id": str(season.id), "input": {"endDate": "2026-05-31"}}, as_=club.coach
    )
    assert shrink.error("BAD_USER_INPUT")["extensions"]["field"] == "endDate"
    malformed = await planning.graphql.execute(
        ADD_PHASE,
        {"seasonId": "season-1", "input": _phase("PLAYOFFS", "2026-03-01", "2026-04-15")},
        as_=club.coach,
    )
    assert malformed.error("BAD_USER_INPUT")["extensions"]["field"] == "seasonId"


async def test_another_club_cannot_touch_the_season(planning: RunningService, club: Club) -> None:
    season = await make_season(planning, club=club)
    response = await planning.graphql.execute(
        ADD_PHASE,
        {"seasonId": str(season.id), "input": _phase("PLAYOFFS", "2026-03-01", "2026-04-15")},
        as_=club.outsider,
    )
    assert response.codes == ["NOT_FOUND"]
    assert (await planning.graphql.execute(SEASONS, as_=club.outsider)).ok()["seasons"] == []


async def test_removing_a_phase(planning: RunningService, club: Club) -> None:
    season = await make_season(planning, club=club)
    phase = await make_phase(
        planning,
        club=club,
        season=season,
        kind=SeasonPhaseKind.PLAYOFFS,
        start=date(2026, 3, 1),
        end=date(2026, 4, 15),
    )
    removed = (await planning.graphql.execute(REMOVE_PHASE, {"id": str(phase.id)}, as_=club.coach)).ok()
    assert removed["removeSeasonPhase"]["phases"] == []
    changes = [data["change"] for _, data in await published(planning, type_prefix="planning.phase.")]
    assert changes == ["created", "removed"]


async def test_the_current_phase_on_a_day(planning: RunningService, club: Club) -> None:
    season = await make_season(planning, club=club)
    await make_phase(
        planning,
        club=club,
        season=season,
        kind=SeasonPhaseKind.REGULAR_SEASON,
        start=date(2025, 9, 16),
        end=date(2026, 2, 28),
    )
    on = {"date": "2026-02-28", "teamId": str(club.senior)}
    current = (await planning.graphql.execute(CURRENT, on, as_=club.player)).ok()["currentSeasonPhase"]
    assert current == {"kind": "REGULAR_SEASON", "name": "Regular season", "season": {"name": "2025-26"}}
    after = (await planning.graphql.execute(CURRENT, {"date": "2026-03-01"}, as_=club.player)).ok()
    assert after["currentSeasonPhase"] is None
    other_team = await planning.graphql.execute(CURRENT, {**on, "teamId": str(club.junior)}, as_=club.player)
    assert other_team.codes == ["FORBIDDEN"]
    elsewhere = (await planning.graphql.execute(CURRENT, {"date": "2026-01-10"}, as_=club.outsider)).ok()
    assert elsewhere["currentSeasonPhase"] is None


async def test_two_simultaneous_overlapping_phases_cannot_both_win(planning: RunningService, club: Club) -> None:
    # given a season
    season = await make_season(planning, club=club)
    # when a coach and the club admin add overlapping phases at the same moment
    responses = await asyncio.gather(
        planning.graphql.execute(
            ADD_PHASE,
            {"seasonId": str(season.id), "input": _phase("PLAYOFFS", "2026-03-01", "2026-04-15")},
            as_=club.coach,
        ),
        planning.graphql.execute(
            ADD_PHASE,
            {"seasonId": str(season.id), "input": _phase("OFF_SEASON", "2026-04-01", "2026-06-30")},
            as_=club.admin,
        ),
    )
    # then exactly one is saved and the other is a CONFLICT naming it
    winners = [r.data["addSeasonPhase"] for r in responses if not r.errors]
    losers = [r for r in responses if r.errors]
    assert len(winners) == 1
    assert len(losers) == 1
    assert losers[0].error("CONFLICT")["extensions"]["conflicts"][0]["id"] == winners[0]["id"]
    seasons = (await planning.graphql.execute(SEASONS, as_=club.coach)).ok()["seasons"]
    assert len(seasons[0]["phases"]) == 1


async def _backend_pid(session: AsyncSession) -> int:
    pid: int = await session.scalar(text("SELECT pg_backend_pid()"))
    return pid


async def _wait_for_lock_wait(planning: RunningService, pid: int) -> None:
    """Until the backend `pid` waits on a lock. Nothing in this process can be awaited for that (the
    wait happens inside PostgreSQL), so this asks pg_stat_activity, briefly, with a deadline."""
    query = text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid")
    async with asyncio.timeout(10):
        while True:
            async with planning.engine.connect() as connection:
                if await connection.scalar(query, {"pid": pid}) == "Lock":
                    return
            await asyncio.sleep(0.01)


async def test_the_database_refuses_a_phase_that_raced_past_the_check(planning: RunningService, club: Club) -> None:
    # given a season, and a playoffs phase written but not yet committed
    season = await make_season(planning, club=club)
    pid: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    async def second_phase() -> None:
        async with planning.runtime.sessions() as session, session.begin():
            pid.set_result(await _backend_pid(session))
            await planning_service.add_phase(
                session,
                club.admin,
                season_id=season.id,
                kind=SeasonPhaseKind.OFF_SEASON,
                start_date=date(2026, 4, 10),
                end_date=date(2026, 6, 30),
            )

    async with planning.runtime.sessions() as first, first.begin():
        winner = await planning_service.add_phase(
            first,
            club.coach,
            season_id=season.id,
            kind=SeasonPhaseKind.PLAYOFFS,
            start_date=date(2026, 3, 1),
            end_date=date(2026, 4, 15),
        )
        # when a second phase passes the service's check (it cannot see the uncommitted row) and reaches
        # the exclusion constraint, which makes it wait for the first transaction
        racing = asyncio.create_task(second_phase())
        await _wait_for_lock_wait(planning, await pid)
    # then, once the first commits, the second is refused with a CONFLICT naming the playoffs
    with pytest.raises(Conflict) as refused:
        await racing
    assert "Playoffs (2026-03-01 to 2026-04-15)" in refused.value.message
    assert refused.value.details["conflicts"][0]["id"] == str(winner.id)
