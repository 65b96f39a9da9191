"""Games through GraphQL over HTTP: recording, finalizing, reading, and who may do what."""

from __future__ import annotations

import uuid
from datetime import timedelta

from shared.auth.principal import Role
from shared.database import utcnow
from subgraphs.statistics.models import GameDecision, GameStatus
from tests.statistics.factories import Club, make_game, make_goalie_line, make_skater_line, outbox
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.support.statements import count_statements

RECORD_GAME = """
mutation RecordGame($input: RecordGameInput!) {
  recordGame(input: $input) { id seasonId team { id } opponentName isHome startsAt status goalsFor outcome }
}
"""

FINALIZE_GAME = """
mutation FinalizeGame($id: ID!, $input: FinalizeGameInput!) {
  finalizeGame(id: $id, input: $input) { id status goalsFor goalsAgainst decidedIn outcome }
}
"""

UPDATE_GAME = """
mutation UpdateGame($id: ID!, $input: UpdateGameInput!) {
  updateGame(id: $id, input: $input) { id opponentName goalsFor goalsAgainst decidedIn }
}
"""

REMOVE_GAME = "mutation RemoveGame($id: ID!) { removeGame(id: $id) }"

GAME = """
query Game($id: ID!) {
  game(id: $id) {
    id opponentName status goalsFor goalsAgainst outcome
    playerStats { player { id } goals assists points plusMinus }
    goalieStats { player { id } shotsAgainst saves goalsAgainst savePercentage }
  }
}
"""

GAMES = """
query Games($seasonId: ID!, $teamId: ID, $status: GameStatus) {
  games(seasonId: $seasonId, teamId: $teamId, status: $status) {
    id opponentName status playerStats { goals } goalieStats { saves }
  }
}
"""


def _new_game(club: Club, **changes: object) -> dict[str, object]:
    return {
        "seasonId": str(club.season_id),
        "teamId": str(club.team_id),
        "opponentName": "Harbor Hawks",
        "isHome": False,
        "startsAt": (utcnow() + timedelta(days=3)).isoformat(),
        **changes,
    }


async def test_a_coach_records_a_game_and_finalizes_it(statistics: RunningService, club: Club) -> None:
    # given the team's coach records an upcoming game
    recorded = (await statistics.graphql.execute(RECORD_GAME, {"input": _new_game(club)}, as_=club.coach)).ok()[
        "recordGame"
    ]
    assert recorded["status"] == "SCHEDULED"
    assert recorded["team"] == {"id": str(club.team_id)}
    assert recorded["outcome"] is None
    assert await outbox(statistics, "game.completed") == []
    # and the game has since been played
    played = await make_game(statistics, club=club, opponent="Harbor Hawks")
    # when the coach records the final score, won in overtime
    final = (
        await statistics.graphql.execute(
            FINALIZE_GAME,
            {"id": str(played.id), "input": {"goalsFor": 3, "goalsAgainst": 2, "decidedIn": "OVERTIME"}},
            as_=club.coach,
        )
    ).ok()["finalizeGame"]
    # then the game is final, and game.completed went to the outbox with the score
    assert final == {
        "id": str(played.id),
        "status": "FINAL",
        "goalsFor": 3,
        "goalsAgainst": 2,
        "decidedIn": "OVERTIME",
        "outcome": "WIN",
    }
    [event] = await outbox(statistics, "game.completed")
    assert event["game_id"] == str(played.id)
    assert (event["goals_for"], event["goals_against"], event["decided_in"]) == (3, 2, "overtime")
    assert event["team_id"] == str(club.team_id)


async def test_finalizing_twice_is_a_conflict(statistics: RunningService, club: Club) -> None:
    game = await make_game(statistics, club=club, status=GameStatus.FINAL, goals_for=2, goals_against=1)
    response = await statistics.graphql.execute(
        FINALIZE_GAME, {"id": str(game.id), "input": {"goalsFor": 4, "goalsAgainst": 1}}, as_=club.coach
    )
    assert response.codes == ["CONFLICT"]
    assert len(await outbox(statistics, "game.completed")) == 1  # from recording it as final


async def test_a_game_cannot_be_final_before_it_starts(statistics: RunningService, club: Club) -> None:
    upcoming = await make_game(statistics, club=club, starts_at=utcnow() + timedelta(hours=5))
    response = await statistics.graphql.execute(
        FINALIZE_GAME, {"id": str(upcoming.id), "input": {"goalsFor": 1, "goalsAgainst": 0}}, as_=club.coach
    )
    assert response.error("BAD_USER_INPUT")["extensions"]["field"] == "id"
    assert await outbox(statistics, "game.completed") == []


async def test_invalid_game_input_names_the_field(statistics: RunningService, club: Club) -> None:
    cases: list[tuple[dict[str, object], str]] = [
        ({"startsAt": "2026-11-20T19:00:00"}, "startsAt"),  # no offset
        ({"opponentName": "  "}, "opponentName"),
        ({"goalsFor": -1}, "goalsFor"),
        ({"goalsFor": 4, "goalsAgainst": 2, "decidedIn": "SHOOTOUT"}, "decidedIn"),
        ({"teamId": "not-an-id"}, "teamId"),
        ({"seasonId": "42"}, "seasonId"),
    ]
    for changes, field in cases:
        response = await statistics.graphql.execute(RECORD_GAME, {"input": _new_game(club, **changes)}, as_=club.coach)
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field, changes


async def test_only_the_teams_coaches_and_club_admins_record_games(statistics: RunningService, club: Club) -> None:
    assistant = principal(Role.ASSISTANT_COACH, organization_id=club.organization_id, teams=(club.team_id,))
    allowed = [club.coach, club.admin, assistant]
    for caller in allowed:
        assert (await statistics.graphql.execute(RECORD_GAME, {"input": _new_game(club)}, as_=caller)).ok()
    trainer = principal(Role.PHYSICAL_TRAINER, organization_id=club.organization_id, teams=(club.team_id,))
    other_coach = principal(Role.COACH, organization_id=club.organization_id, teams=(club.other_team_id,))
    for caller in (club.player, trainer, other_coach):
        response = await statistics.graphql.execute(RECORD_GAME, {"input": _new_game(club)}, as_=caller)
        assert response.codes == ["FORBIDDEN"], caller.roles
    anonymous = await statistics.graphql.execute(RECORD_GAME, {"input": _new_game(club)})
    assert anonymous.codes == ["UNAUTHENTICATED"]


async def test_the_club_reads_a_game_with_its_lines(statistics: RunningService, club: Club) -> None:
    # given a final game with a skater and a goalie line
    game = await make_game(statistics, club=club, status=GameStatus.FINAL, goals_for=2, goals_against=1)
    await make_skater_line(statistics, game=game, player_id=club.player_id, goals=1, assists=1, plus_minus=1, shots=4)
    goalie = uuid.uuid4()
    await make_goalie_line(
        statistics, game=game, player_id=goalie, shots_against=27, saves=26, time_on_ice_seconds=3600
    )
    # when a player of the club reads it
    data = (await statistics.graphql.execute(GAME, {"id": str(game.id)}, as_=club.player)).ok()["game"]
    # then they see the score and the lines
    assert data["outcome"] == "WIN"
    assert data["playerStats"] == [
        {"player": {"id": str(club.player_id)}, "goals": 1, "assists": 1, "points": 2, "plusMinus": 1}
    ]
    assert data["goalieStats"] == [
        {
            "player": {"id": str(goalie)},
            "shotsAgainst": 27,
            "saves": 26,
            "goalsAgainst": 1,
            "savePercentage": 0.963,
        }
    ]


async def test_malformed_unknown_and_foreign_games(statistics: RunningService, club: Club) -> None:
    game = await make_game(statistics, club=club)
    malformed = await statistics.graphql.execute(GAME, {"id": "nope"}, as_=club.coach)
    assert malformed.error("BAD_USER_INPUT")["extensions"]["field"] == "id"
    unknown = await statistics.graphql.execute(GAME, {"id": str(uuid.uuid4())}, as_=club.coach)
    assert unknown.codes == ["NOT_FOUND"]
    outsider = principal(Role.CLUB_ADMIN, organization_id=uuid.uuid4())
    foreign = await statistics.graphql.execute(GAME, {"id": str(game.id)}, as_=outsider)
    assert foreign.codes == ["NOT_FOUND"]
    changed = await statistics.graphql.execute(
        UPDATE_GAME, {"id": str(game.id), "input": {"opponentName": "X"}}, as_=outsider
    )
    assert changed.codes == ["NOT_FOUND"]


async def test_games_of_a_season_load_their_lines_in_three_statements(statistics: RunningService, club: Club) -> None:
    # given five final games with lines, one scheduled game, and a game of another season
    for days in range(5, 0, -1):
        game = await make_game(
            statistics,
            club=club,
            starts_at=utcnow() - timedelta(days=days),
            status=GameStatus.FINAL,
            goals_for=1,
            goals_against=1,
            opponent=f"Opponent {days}",
        )
        await make_skater_line(statistics, game=game, player_id=uuid.uuid4(), goals=1, shots=2)
        await make_goalie_line(
            statistics,
            game=game,
            player_id=uuid.uuid4(),
            shots_against=20,
            saves=19,
            time_on_ice_seconds=3600,
        )
    await make_game(statistics, club=club, starts_at=utcnow() + timedelta(days=2), opponent="Next")
    await make_game(statistics, club=club, season_id=uuid.uuid4(), opponent="Last season")
    # when the season's games are listed with their lines
    with count_statements(statistics.engine) as log:
        data = (await statistics.graphql.execute(GAMES, {"seasonId": str(club.season_id)}, as_=club.player)).ok()[
            "games"
        ]
    # then they come by start time, with one statement for games and one per kind of line
    assert [game["opponentName"] for game in data] == [
        "Opponent 5",
        "Opponent 4",
        "Opponent 3",
        "Opponent 2",
        "Opponent 1",
        "Next",
    ]
    assert [len(game["playerStats"]) for game in data] == [1, 1, 1, 1, 1, 0]
    assert log.count == 3, log.statements
    finals = (
        await statistics.graphql.execute(GAMES, {"seasonId": str(club.season_id), "status": "FINAL"}, as_=club.player)
    ).ok()["games"]
    assert len(finals) == 5
    other_team = (
        await statistics.graphql.execute(
            GAMES, {"seasonId": str(club.season_id), "teamId": str(club.other_team_id)}, as_=club.player
        )
    ).ok()["games"]
    assert other_team == []


async def test_a_score_correction_must_cover_the_recorded_lines(statistics: RunningService, club: Club) -> None:
    # given a 3-2 win with three goals and two goals against charged to the goalie
    game = await make_game(statistics, club=club, status=GameStatus.FINAL, goals_for=3, goals_against=2)
    await make_skater_line(statistics, game=game, player_id=uuid.uuid4(), goals=3, shots=5, plus_minus=2)
    await make_goalie_line(
        statistics, game=game, player_id=uuid.uuid4(), shots_against=30, saves=28, time_on_ice_seconds=3600
    )
    # when the score is corrected below what the lines hold, it is refused naming the field
    fewer_goals = await statistics.graphql.execute(
        UPDATE_GAME, {"id": str(game.id), "input": {"goalsFor": 2}}, as_=club.coach
    )
    assert fewer_goals.error("BAD_USER_INPUT")["extensions"]["field"] == "goalsFor"
    fewer_against = await statistics.graphql.execute(
        UPDATE_GAME, {"id": str(game.id), "input": {"goalsAgainst": 1}}, as_=club.coach
    )
    assert fewer_against.error("BAD_USER_INPUT")["extensions"]["field"] == "goalsAgainst"
    # and a correction that covers them goes through
    corrected = (
        await statistics.graphql.execute(
            UPDATE_GAME,
            {"id": str(game.id), "input": {"goalsFor": 3, "goalsAgainst": 2, "opponentName": "Bay Bears"}},
            as_=club.coach,
        )
    ).ok()["updateGame"]
    assert corrected == {
        "id": str(game.id),
        "opponentName": "Bay Bears",
        "goalsFor": 3,
        "goalsAgainst": 2,
        "decidedIn": None,
    }


async def test_only_a_scheduled_game_can_be_removed(statistics: RunningService, club: Club) -> None:
    scheduled = await make_game(statistics, club=club, starts_at=utcnow() + timedelta(days=1))
    final = await make_game(
        statistics,
        club=club,
        status=GameStatus.FINAL,
        goals_for=1,
        goals_against=0,
        decided_in=GameDecision.SHOOTOUT,
    )
    assert (await statistics.graphql.execute(REMOVE_GAME, {"id": str(scheduled.id)}, as_=club.coach)).ok()
    gone = await statistics.graphql.execute(GAME, {"id": str(scheduled.id)}, as_=club.coach)
    assert gone.codes == ["NOT_FOUND"]
    refused = await statistics.graphql.execute(REMOVE_GAME, {"id": str(final.id)}, as_=club.coach)
    assert refused.codes == ["CONFLICT"]
