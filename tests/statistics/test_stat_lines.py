"""Skater and goalie lines through GraphQL: recording, the checks against the score, corrections."""

from __future__ import annotations

import uuid

from shared.auth.principal import Role
from subgraphs.statistics.models import GameStatus
from tests.statistics.factories import Club, make_game, make_goalie_line, make_skater_line
from tests.support.principals import principal
from tests.support.services import RunningService

RECORD_SKATER = """
mutation RecordSkater($input: RecordPlayerGameStatsInput!) {
  recordPlayerGameStats(input: $input) {
    id goals assists points plusMinus penaltyMinutes shots timeOnIceSeconds
    player { id } game { id goalsFor }
  }
}
"""

UPDATE_SKATER = """
mutation UpdateSkater($id: ID!, $input: UpdatePlayerGameStatsInput!) {
  updatePlayerGameStats(id: $id, input: $input) { id goals assists points }
}
"""

REMOVE_SKATER = "mutation RemoveSkater($id: ID!) { removePlayerGameStats(id: $id) }"

RECORD_GOALIE = """
mutation RecordGoalie($input: RecordGoalieGameStatsInput!) {
  recordGoalieGameStats(input: $input) { id shotsAgainst saves goalsAgainst savePercentage timeOnIceSeconds }
}
"""

UPDATE_GOALIE = """
mutation UpdateGoalie($id: ID!, $input: UpdateGoalieGameStatsInput!) {
  updateGoalieGameStats(id: $id, input: $input) { id shotsAgainst saves goalsAgainst }
}
"""

REMOVE_GOALIE = "mutation RemoveGoalie($id: ID!) { removeGoalieGameStats(id: $id) }"

GAME_LINES = """
query GameLines($id: ID!) {
  game(id: $id) { playerStats { id goals } goalieStats { id saves } }
}
"""


def _skater(game_id: uuid.UUID, player_id: uuid.UUID, **counts: int) -> dict[str, object]:
    return {"gameId": str(game_id), "playerId": str(player_id), **counts}


def _goalie(game_id: uuid.UUID, player_id: uuid.UUID, **counts: int) -> dict[str, object]:
    line = {"shotsAgainst": 30, "saves": 28, "goalsAgainst": 2, "timeOnIceSeconds": 3600, **counts}
    return {"gameId": str(game_id), "playerId": str(player_id), **line}


async def test_a_coach_records_a_skater_line(statistics: RunningService, club: Club) -> None:
    game = await make_game(statistics, club=club, status=GameStatus.FINAL, goals_for=4, goals_against=2)
    line = (
        await statistics.graphql.execute(
            RECORD_SKATER,
            {
                "input": _skater(
                    game.id,
                    club.player_id,
                    goals=2,
                    assists=1,
                    plusMinus=2,
                    penaltyMinutes=2,
                    shots=6,
                    timeOnIceSeconds=1145,
                )
            },
            as_=club.coach,
        )
    ).ok()["recordPlayerGameStats"]
    assert {key: value for key, value in line.items() if key != "id"} == {
        "goals": 2,
        "assists": 1,
        "points": 3,
        "plusMinus": 2,
        "penaltyMinutes": 2,
        "shots": 6,
        "timeOnIceSeconds": 1145,
        "player": {"id": str(club.player_id)},
        "game": {"id": str(game.id), "goalsFor": 4},
    }


async def test_a_player_appears_once_per_game(statistics: RunningService, club: Club) -> None:
    game = await make_game(statistics, club=club, status=GameStatus.FINAL, goals_for=2, goals_against=0)
    await make_skater_line(statistics, game=game, player_id=club.player_id, goals=1, shots=1)
    again = await statistics.graphql.execute(
        RECORD_SKATER, {"input": _skater(game.id, club.player_id, assists=1)}, as_=club.coach
    )
    assert again.error("CONFLICT")["extensions"]["field"] == "playerId"
    goalie = uuid.uuid4()
    await make_goalie_line(statistics, game=game, player_id=goalie, shots_against=9, saves=9, time_on_ice_seconds=3600)
    twice = await statistics.graphql.execute(
        RECORD_GOALIE,
        {"input": _goalie(game.id, goalie, shotsAgainst=9, saves=9, goalsAgainst=0)},
        as_=club.coach,
    )
    assert twice.error("CONFLICT")["extensions"]["field"] == "playerId"
    lines = (await statistics.graphql.execute(GAME_LINES, {"id": str(game.id)}, as_=club.coach)).ok()["game"]
    assert (len(lines["playerStats"]), len(lines["goalieStats"])) == (1, 1)


async def test_skater_lines_must_fit_the_score(statistics: RunningService, club: Club) -> None:
    # given a 2-1 game where one player already has a goal and an assist
    game = await make_game(statistics, club=club, status=GameStatus.FINAL, goals_for=2, goals_against=1)
    await make_skater_line(statistics, game=game, player_id=uuid.uuid4(), goals=1, assists=1, shots=2)
    # when lines that the score cannot hold are recorded, each names its field
    cases = [
        ({"goals": 2, "shots": 3}, "goals"),  # three goals for the team, which scored two
        ({"goals": 1, "assists": 2, "shots": 1}, "assists"),  # three points from two goals
        ({"plusMinus": 3}, "plusMinus"),
        ({"plusMinus": -2}, "plusMinus"),
        ({"goals": -1}, "goals"),
        ({"shots": -3}, "shots"),
        ({"goals": 1, "shots": 0}, "goals"),  # a goal is a shot
        ({"penaltyMinutes": -2}, "penaltyMinutes"),
        ({"timeOnIceSeconds": -1}, "timeOnIceSeconds"),
    ]
    for counts, field in cases:
        response = await statistics.graphql.execute(
            RECORD_SKATER, {"input": _skater(game.id, uuid.uuid4(), **counts)}, as_=club.coach
        )
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field, counts
    # and two more assists fit (three of at most 2 x 2), but then two more again do not
    ok = await statistics.graphql.execute(
        RECORD_SKATER, {"input": _skater(game.id, uuid.uuid4(), assists=2)}, as_=club.coach
    )
    assert ok.ok()["recordPlayerGameStats"]["assists"] == 2
    too_many = await statistics.graphql.execute(
        RECORD_SKATER, {"input": _skater(game.id, uuid.uuid4(), assists=2)}, as_=club.coach
    )
    assert too_many.error("BAD_USER_INPUT")["extensions"]["field"] == "assists"


async def test_goalie_lines_must_be_consistent(statistics: RunningService, club: Club) -> None:
    game = await make_game(statistics, club=club, status=GameStatus.FINAL, goals_for=1, goals_against=2)
    cases = [
        ({"goalsAgainst": 3}, "goalsAgainst"),  # 30 - 28 is 2
        ({"saves": 31, "goalsAgainst": 0}, "saves"),  # more saves than shots
        ({"shotsAgainst": 35, "saves": 32, "goalsAgainst": 3}, "goalsAgainst"),  # the team conceded 2
        ({"shotsAgainst": -1}, "shotsAgainst"),
        ({"timeOnIceSeconds": 99999}, "timeOnIceSeconds"),
    ]
    for counts, field in cases:
        response = await statistics.graphql.execute(
            RECORD_GOALIE, {"input": _goalie(game.id, uuid.uuid4(), **counts)}, as_=club.coach
        )
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field, counts
    line = (
        await statistics.graphql.execute(RECORD_GOALIE, {"input": _goalie(game.id, uuid.uuid4())}, as_=club.coach)
    ).ok()["recordGoalieGameStats"]
    assert (line["goalsAgainst"], line["savePercentage"]) == (2, 0.933)
    # a second goalie cannot be charged a goal the team did not concede
    relief = await statistics.graphql.execute(
        RECORD_GOALIE,
        {"input": _goalie(game.id, uuid.uuid4(), shotsAgainst=5, saves=4, goalsAgainst=1)},
        as_=club.coach,
    )
    assert relief.error("BAD_USER_INPUT")["extensions"]["field"] == "goalsAgainst"


async def test_lines_are_corrected_and_removed(statistics: RunningService, club: Club) -> None:
    game = await make_game(statistics, club=club, status=GameStatus.FINAL, goals_for=3, goals_against=1)
    skater = await make_skater_line(statistics, game=game, player_id=club.player_id, goals=1, shots=3)
    goalie = await make_goalie_line(
        statistics, game=game, player_id=uuid.uuid4(), shots_against=20, saves=19, time_on_ice_seconds=3600
    )
    # a skater correction is checked against the other lines only, not against its own old values
    corrected = (
        await statistics.graphql.execute(
            UPDATE_SKATER, {"id": str(skater.id), "input": {"goals": 3, "assists": 0}}, as_=club.coach
        )
    ).ok()["updatePlayerGameStats"]
    assert (corrected["goals"], corrected["points"]) == (3, 3)
    cleared = await statistics.graphql.execute(
        UPDATE_SKATER, {"id": str(skater.id), "input": {"goals": None}}, as_=club.coach
    )
    assert cleared.error("BAD_USER_INPUT")["extensions"]["field"] == "goals"
    # a goalie correction derives goals against from shots and saves
    fixed = (
        await statistics.graphql.execute(
            UPDATE_GOALIE, {"id": str(goalie.id), "input": {"shotsAgainst": 22, "saves": 21}}, as_=club.coach
        )
    ).ok()["updateGoalieGameStats"]
    assert fixed["goalsAgainst"] == 1
    wrong = await statistics.graphql.execute(
        UPDATE_GOALIE, {"id": str(goalie.id), "input": {"saves": 20}}, as_=club.coach
    )
    assert wrong.error("BAD_USER_INPUT")["extensions"]["field"] == "goalsAgainst"  # 22 - 20 = 2 > 1 conceded
    # removals
    assert (await statistics.graphql.execute(REMOVE_SKATER, {"id": str(skater.id)}, as_=club.coach)).ok()
    assert (await statistics.graphql.execute(REMOVE_GOALIE, {"id": str(goalie.id)}, as_=club.coach)).ok()
    lines = (await statistics.graphql.execute(GAME_LINES, {"id": str(game.id)}, as_=club.coach)).ok()["game"]
    assert lines == {"playerStats": [], "goalieStats": []}
    missing = await statistics.graphql.execute(REMOVE_SKATER, {"id": str(skater.id)}, as_=club.coach)
    assert missing.codes == ["NOT_FOUND"]


async def test_players_and_other_teams_coaches_may_not_record_lines(statistics: RunningService, club: Club) -> None:
    game = await make_game(statistics, club=club, status=GameStatus.FINAL, goals_for=1, goals_against=0)
    other_coach = principal(Role.COACH, organization_id=club.organization_id, teams=(club.other_team_id,))
    for caller in (club.player, other_coach):
        response = await statistics.graphql.execute(
            RECORD_SKATER, {"input": _skater(game.id, club.player_id, goals=1, shots=1)}, as_=caller
        )
        assert response.codes == ["FORBIDDEN"]
    malformed = await statistics.graphql.execute(
        RECORD_SKATER, {"input": _skater(game.id, club.player_id) | {"playerId": "x"}}, as_=club.coach
    )
    assert malformed.error("BAD_USER_INPUT")["extensions"]["field"] == "playerId"
    unknown_game = await statistics.graphql.execute(
        RECORD_SKATER, {"input": _skater(uuid.uuid4(), club.player_id)}, as_=club.coach
    )
    assert unknown_game.codes == ["NOT_FOUND"]
