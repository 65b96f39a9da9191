"""Team standings of a season, up to date the moment a game is final (`game.completed`).

The hand-checked season S of one club (W win, L regulation loss, OTL overtime/shootout loss, T tie;
points: 2 a win, 1 an OTL or a tie):
    T1  W 4-1, OTL 2-3 (OT), W 3-2 (SO)     GP 3  W 2 L 0 OTL 1  GF 9 GA 6  +3   5 pts
    T3  W 2-1 (OT), OTL 1-2 (SO)            GP 2  W 1 L 0 OTL 1  GF 3 GA 3   0   3 pts
    T4  W 1-0, OTL 0-1 (OT), L 0-4          GP 3  W 1 L 1 OTL 1  GF 1 GA 5  -4   3 pts (more games than T3)
    T2  W 5-0, L 1-2, L 0-3                 GP 3  W 1 L 2 OTL 0  GF 6 GA 5  +1   2 pts
Not counted: T2's scheduled game, T1's final game of another season, another club's final game.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from shared.database import utcnow
from shared.events import Event
from subgraphs.statistics.models import Game, GameDecision, GameStatus
from tests.statistics.factories import Club, make_club, make_game
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.support.statements import count_statements
from tests.support.waiting import eventually

STANDINGS = """
query Standings($seasonId: ID!) {
  teamStandings(seasonId: $seasonId) {
    rank
    record {
      seasonId team { id } gamesPlayed wins losses overtimeLosses ties goalsFor goalsAgainst goalDifferential points
    }
  }
}
"""

FINALIZE = """
mutation Finalize($id: ID!, $input: FinalizeGameInput!) {
  finalizeGame(id: $id, input: $input) { id status outcome }
}
"""

UPDATE = """
mutation Correct($id: ID!, $input: UpdateGameInput!) {
  updateGame(id: $id, input: $input) { id decidedIn }
}
"""

Result = tuple[int, int, GameDecision | None]


async def _season(statistics: RunningService, club: Club, teams: list[uuid.UUID]) -> list[tuple[Game, Result]]:
    """The season's games, recorded as scheduled (a day ago), each with the result it will end with."""
    t1, t2, t3, t4 = teams
    ot, so = GameDecision.OVERTIME, GameDecision.SHOOTOUT
    results: list[tuple[uuid.UUID, Result]] = [
        (t1, (4, 1, None)),
        (t1, (2, 3, ot)),
        (t1, (3, 2, so)),
        (t2, (5, 0, None)),
        (t2, (1, 2, None)),
        (t2, (0, 3, None)),
        (t3, (2, 1, ot)),
        (t3, (1, 2, so)),
        (t4, (1, 0, None)),
        (t4, (0, 1, ot)),
        (t4, (0, 4, None)),
    ]
    played = utcnow() - timedelta(days=1)
    return [
        (await make_game(statistics, club=club, team_id=team, starts_at=played, opponent=f"Opponent {n}"), result)
        for n, (team, result) in enumerate(results)
    ]


def _finalizer(statistics: RunningService, club: Club) -> Callable[[Game, Result], Awaitable[None]]:
    async def finalize(game: Game, result: Result) -> None:
        goals_for, goals_against, decided_in = result
        score = {"goalsFor": goals_for, "goalsAgainst": goals_against, "decidedIn": decided_in and decided_in.name}
        (await statistics.graphql.execute(FINALIZE, {"id": str(game.id), "input": score}, as_=club.admin)).ok()

    return finalize


def _table(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (
            row["rank"],
            row["record"]["team"]["id"],
            *(
                row["record"][key]
                for key in (
                    "gamesPlayed",
                    "wins",
                    "losses",
                    "overtimeLosses",
                    "ties",
                    "goalsFor",
                    "goalsAgainst",
                    "goalDifferential",
                    "points",
                )
            ),
        )
        for row in data["teamStandings"]
    ]


async def test_standings_follow_each_completed_game(statistics: RunningService) -> None:
    club = make_club()
    teams = [club.team_id, club.other_team_id, uuid.uuid4(), uuid.uuid4()]
    t1, t2, t3, t4 = (str(team) for team in teams)
    games = await _season(statistics, club, teams)
    finalize = _finalizer(statistics, club)
    # noise: a scheduled game, a final game of another season, another club's final game
    await make_game(statistics, club=club, team_id=club.other_team_id, starts_at=utcnow() + timedelta(days=2))
    await make_game(
        statistics, club=club, season_id=uuid.uuid4(), status=GameStatus.FINAL, goals_for=9, goals_against=0
    )
    stranger = make_club()
    await make_game(statistics, club=stranger, season_id=club.season_id, status=GameStatus.FINAL, goals_for=3)
    season = {"seasonId": str(club.season_id)}
    # given nothing final yet, the table is empty
    assert (await statistics.graphql.execute(STANDINGS, season, as_=club.player)).ok() == {"teamStandings": []}
    # when the first game ends, T1 has its win
    await finalize(*games[0])
    first = _table((await statistics.graphql.execute(STANDINGS, season, as_=club.player)).ok())
    assert first == [(1, t1, 1, 1, 0, 0, 0, 4, 1, 3, 2)]
    # when the rest of the season is played
    for game, result in games[1:]:
        await finalize(game, result)
    with count_statements(statistics.engine) as log:
        data = (await statistics.graphql.execute(STANDINGS, season, as_=club.player)).ok()
    # then the table is the hand-checked one: T3 above T4 on points in fewer games
    assert _table(data) == [
        (1, t1, 3, 2, 0, 1, 0, 9, 6, 3, 5),
        (2, t3, 2, 1, 0, 1, 0, 3, 3, 0, 3),
        (3, t4, 3, 1, 1, 1, 0, 1, 5, -4, 3),
        (4, t2, 3, 1, 2, 0, 0, 6, 5, 1, 2),
    ]
    assert {row["record"]["seasonId"] for row in data["teamStandings"]} == {str(club.season_id)}
    assert log.count == 1, log.statements
    # when T2's 1-2 loss turns out to have been decided in overtime, the correction counts at once: a point
    (
        await statistics.graphql.execute(
            UPDATE, {"id": str(games[4][0].id), "input": {"decidedIn": "OVERTIME"}}, as_=club.admin
        )
    ).ok()
    corrected = _table((await statistics.graphql.execute(STANDINGS, season, as_=club.coach)).ok())
    # level with T4 on points, games and wins, T2 passes it on goal differential
    assert corrected[2:] == [(3, t2, 3, 1, 1, 1, 0, 6, 5, 1, 3), (4, t4, 3, 1, 1, 1, 0, 1, 5, -4, 3)]
    # and the other club sees only its own game
    theirs = _table((await statistics.graphql.execute(STANDINGS, season, as_=stranger.player)).ok())
    assert theirs == [(1, str(stranger.team_id), 1, 1, 0, 0, 0, 3, 0, 3, 2)]


async def test_a_completed_game_goes_out_on_the_bus_with_what_standings_need(statistics: RunningService) -> None:
    club = make_club()
    received: list[Event] = []

    async def collect(event: Event) -> None:
        if event.organization_id == club.organization_id:
            received.append(event)

    await statistics.runtime.bus.consume(f"test-standings-{uuid.uuid4().hex[:8]}", ["game.completed"], collect)
    [(game, _), *_] = await _season(statistics, club, [club.team_id, club.other_team_id, uuid.uuid4(), uuid.uuid4()])
    await _finalizer(statistics, club)(game, (2, 3, GameDecision.SHOOTOUT))

    async def delivered() -> list[Event] | None:
        return received or None

    [event] = await eventually(delivered)
    assert event.type == "game.completed"
    assert {
        key: event.data[key] for key in ("game_id", "season_id", "team_id", "goals_for", "goals_against", "decided_in")
    } == {
        "game_id": str(game.id),
        "season_id": str(club.season_id),
        "team_id": str(club.team_id),
        "goals_for": 2,
        "goals_against": 3,
        "decided_in": "shootout",
    }
    table = _table(
        (await statistics.graphql.execute(STANDINGS, {"seasonId": str(club.season_id)}, as_=club.coach)).ok()
    )
    assert table == [(1, str(club.team_id), 1, 0, 0, 1, 0, 2, 3, -1, 1)]


async def test_standings_take_a_well_formed_season_and_a_signed_in_caller(statistics: RunningService) -> None:
    club = make_club()
    response = await statistics.graphql.execute(STANDINGS, {"seasonId": "season-one"}, as_=club.coach)
    assert response.error("BAD_USER_INPUT")["extensions"]["field"] == "seasonId"
    response = await statistics.graphql.execute(STANDINGS, {"seasonId": str(club.season_id)})
    assert response.codes == ["UNAUTHENTICATED"]
    nobody = principal(organization_id=None)
    assert (await statistics.graphql.execute(STANDINGS, {"seasonId": str(club.season_id)}, as_=nobody)).codes == [
        "FORBIDDEN"
    ]
