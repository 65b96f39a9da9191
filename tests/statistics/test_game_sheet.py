"""A game's sheet through GraphQL over HTTP: every number derived from it against values worked out by hand.

The game (team T against the Harbor Hawks, final 3-2 in regulation), skaters A B C D E, goalie G:

    goals   1  T  P1 05:12 EVEN        A from B, C     on ice A B C D E
            2  O  P1 14:40 POWER_PLAY                  on ice C D
            3  T  P2 03:05 POWER_PLAY  B from A        on ice A B D
            4  O  P2 18:00 EVEN                        on ice A B E
            5  T  P3 19:10 EMPTY_NET   C unassisted    on ice C D E
    penalties  T D 2 tripping P1 13:00 | O 2 hooking P2 02:00 | T E 2 + O 2 roughing P2 10:00 (coincidental)
               O 4 high-sticking P3 05:00 | O 10 misconduct P3 05:00 (no power play)
    tallies    A 4 shots 2 missed 1 blocked-attempt 0 blocks 1 hit            1100 s
               B 3 shots 1 missed 0               1 block  0 hits FO 8-5    1050 s
               C 2 shots 0 missed 1               2 blocks 3 hits           1200 s
               D 1 shot  1 missed 0               3 blocks 2 hits           1300 s
               E 0 shots 0 missed 0               0 blocks 4 hits FO 4-7     900 s
               G 25 shots against, 23 saves, 3600 s; the opponent missed the net 9 times

By hand:
    goals/assists   A 1+1, B 1+1 (1 PPG), C 1+1, D 0, E 0
    plus/minus      goal 1 (+ABCDE), goal 2 PP (none), goal 3 PP (none), goal 4 (-ABE), goal 5 EN (+CDE)
                    A 0, B 0, C +2, D +2, E +1
    PIM             D 2, E 2 -> team 4
    power plays     P1 13:00 T alone -> shorthanded once; P2 02:00 O -> PP 1; P2 10:00 one each -> none;
                    P3 05:00 O 4 min (the misconduct gives none) -> PP 2
                    PP% = 1 / 2 = 50.0; PK% = 1 - 1/1 = 0.0
    attempts        shots for 4+3+2+1+0 = 10, missed for 2+1+0+1+0 = 4, blocked for 1+0+1+0+0 = 2
                    shots against 25 (+0 empty-net goals), missed against 9, blocked against 0+1+2+3+0 = 6
                    Corsi 16 for, 40 against: 16/56 = 28.57 -> 28.6; Fenwick 14 / 34: 14/48 = 29.17 -> 29.2
    faceoffs        12 won, 12 lost -> 50.0
    goalie          GA 25-23 = 2 (= the opponent's goals, none into an empty net); SV% 0.920; GAA 2.00
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from shared.database import utcnow
from subgraphs.statistics.models import GameStatus
from tests.statistics.factories import Club, make_game, make_skater_line, outbox
from tests.support.services import RunningService
from tests.support.statements import count_statements

A, B, C, D, E, G = (uuid.UUID(int=n) for n in range(101, 107))

RECORD_SHEET = """
mutation Sheet($gameId: ID!, $input: GameSheetInput!) {
  recordGameSheet(gameId: $gameId, input: $input) { id status goalsFor goalsAgainst outcome hasSheet }
}
"""

GAME = """
query Game($id: ID!) {
  game(id: $id) {
    goals { side period time strength scorer { id } assists { id } onIce { id } }
    penalties { side minutes infraction period time player { id } }
    playerStats {
      player { id } jerseyNumber goals assists points plusMinus penaltyMinutes shots missedShots
      blockedAttempts shotAttempts blocks hits faceoffWins faceoffLosses faceoffPercentage powerPlayGoals
      shorthandedGoals timeOnIceSeconds
    }
    goalieStats { player { id } shotsAgainst saves goalsAgainst savePercentage }
    teamStats {
      shotsFor shotsAgainst corsiFor corsiAgainst corsiPercentage fenwickFor fenwickAgainst
      fenwickPercentage powerPlayGoals powerPlayOpportunities powerPlayPercentage powerPlayGoalsAgainst
      timesShorthanded penaltyKillPercentage faceoffWins faceoffLosses faceoffPercentage penaltyMinutes
    }
  }
}
"""

TEAM_SEASON = """
query Team($seasonId: ID!, $teamId: ID!) {
  teamSeasonStats(seasonId: $seasonId, teamId: $teamId) {
    record { gamesPlayed wins losses goalsFor goalsAgainst points }
    gamesWithSheet savePercentage goalsAgainstAverage
    numbers { corsiPercentage fenwickPercentage powerPlayPercentage penaltyKillPercentage }
  }
}
"""

LEADERS = """
query Leaders($seasonId: ID!, $teamId: ID!, $category: LeaderCategory!) {
  statLeaders(seasonId: $seasonId, teamId: $teamId, category: $category) { rank value gamesPlayed player { id } }
}
"""

LINE = """
query Line($seasonId: ID!, $teamId: ID!, $playerIds: [ID!]!) {
  linePerformance(seasonId: $seasonId, teamId: $teamId, playerIds: $playerIds) {
    gamesTogether goalsFor goalsAgainst evenStrengthGoalsFor evenStrengthGoalsAgainst goalsForPercentage
  }
}
"""


def _ids(*players: uuid.UUID) -> list[str]:
    return [str(player) for player in players]


def sheet() -> dict[str, Any]:
    def skater(player: uuid.UUID, number: int, **tallies: int) -> dict[str, Any]:
        return {"playerId": str(player), "jerseyNumber": number, **tallies}

    return {
        "goalsFor": 3,
        "goalsAgainst": 2,
        "opponentMissedShots": 9,
        "skaters": [
            skater(A, 9, shots=4, missedShots=2, blockedAttempts=1, hits=1, timeOnIceSeconds=1100),
            skater(B, 19, shots=3, missedShots=1, blocks=1, faceoffWins=8, faceoffLosses=5, timeOnIceSeconds=1050),
            skater(C, 4, shots=2, blockedAttempts=1, blocks=2, hits=3, timeOnIceSeconds=1200),
            skater(D, 44, shots=1, missedShots=1, blocks=3, hits=2, timeOnIceSeconds=1300),
            skater(E, 13, hits=4, faceoffWins=4, faceoffLosses=7, timeOnIceSeconds=900),
        ],
        "goalies": [
            {"playerId": str(G), "jerseyNumber": 30, "shotsAgainst": 25, "saves": 23, "timeOnIceSeconds": 3600}
        ],
        "goals": [
            {
                "side": "TEAM",
                "period": 1,
                "time": "05:12",
                "scorerId": str(A),
                "assistIds": _ids(B, C),
                "onIce": _ids(A, B, C, D, E),
            },
            {"side": "OPPONENT", "period": 1, "time": "14:40", "strength": "POWER_PLAY", "onIce": _ids(C, D)},
            {
                "side": "TEAM",
                "period": 2,
                "time": "03:05",
                "strength": "POWER_PLAY",
                "scorerId": str(B),
                "assistIds": _ids(A),
                "onIce": _ids(A, B, D),
            },
            {"side": "OPPONENT", "period": 2, "time": "18:00", "onIce": _ids(A, B, E)},
            {
                "side": "TEAM",
                "period": 3,
                "time": "19:10",
                "strength": "EMPTY_NET",
                "scorerId": str(C),
                "onIce": _ids(C, D, E),
            },
        ],
        "penalties": [
            {"side": "TEAM", "playerId": str(D), "minutes": 2, "infraction": "tripping", "period": 1, "time": "13:00"},
            {"side": "OPPONENT", "minutes": 2, "infraction": "hooking", "period": 2, "time": "02:00"},
            {"side": "TEAM", "playerId": str(E), "minutes": 2, "infraction": "roughing", "period": 2, "time": "10:00"},
            {"side": "OPPONENT", "minutes": 2, "infraction": "roughing", "period": 2, "time": "10:00"},
            {"side": "OPPONENT", "minutes": 4, "infraction": "high-sticking", "period": 3, "time": "05:00"},
            {"side": "OPPONENT", "minutes": 10, "infraction": "misconduct", "period": 3, "time": "05:00"},
        ],
    }


async def _record(statistics: RunningService, club: Club, game_id: uuid.UUID, body: dict[str, Any]) -> Any:
    return await statistics.graphql.execute(RECORD_SHEET, {"gameId": str(game_id), "input": body}, as_=club.coach)


async def test_a_recorded_sheet_gives_every_number_worked_out_by_hand(statistics: RunningService, club: Club) -> None:
    # given a played game still scheduled
    game = await make_game(statistics, club=club, opponent="Harbor Hawks")
    # when the coach records its sheet
    recorded = (await _record(statistics, club, game.id, sheet())).ok()["recordGameSheet"]
    # then the game is final with the sheet's score, and game.completed went out once
    assert recorded == {
        "id": str(game.id),
        "status": "FINAL",
        "goalsFor": 3,
        "goalsAgainst": 2,
        "outcome": "WIN",
        "hasSheet": True,
    }
    assert len(await outbox(statistics, "game.completed")) == 1
    data = (await statistics.graphql.execute(GAME, {"id": str(game.id)}, as_=club.player)).ok()["game"]
    assert [(goal["side"], goal["time"], goal["strength"]) for goal in data["goals"]] == [
        ("TEAM", "05:12", "EVEN"),
        ("OPPONENT", "14:40", "POWER_PLAY"),
        ("TEAM", "03:05", "POWER_PLAY"),
        ("OPPONENT", "18:00", "EVEN"),
        ("TEAM", "19:10", "EMPTY_NET"),
    ]
    assert data["goals"][0]["assists"] == [{"id": str(B)}, {"id": str(C)}]
    assert data["goals"][1]["scorer"] is None
    assert [(p["side"], p["minutes"], p["player"]) for p in data["penalties"]][:2] == [
        ("TEAM", 2, {"id": str(D)}),
        ("OPPONENT", 2, None),
    ]
    lines = {line["player"]["id"]: line for line in data["playerStats"]}
    wanted = {  # goals assists +/- PIM PPG attempts(shots+missed+blocked)
        A: (1, 1, 0, 0, 0, 4 + 2 + 1),
        B: (1, 1, 0, 0, 1, 3 + 1 + 0),
        C: (1, 1, 2, 0, 0, 2 + 0 + 1),
        D: (0, 0, 2, 2, 0, 1 + 1 + 0),
        E: (0, 0, 1, 2, 0, 0),
    }
    for player, (goals, assists, plus_minus, pim, ppg, attempts) in wanted.items():
        line = lines[str(player)]
        assert (
            line["goals"],
            line["assists"],
            line["plusMinus"],
            line["penaltyMinutes"],
            line["powerPlayGoals"],
            line["shotAttempts"],
        ) == (goals, assists, plus_minus, pim, ppg, attempts), player
    assert (lines[str(B)]["faceoffPercentage"], lines[str(E)]["faceoffPercentage"]) == (61.5, 36.4)  # 8/13, 4/11
    assert lines[str(A)]["faceoffPercentage"] is None
    assert lines[str(D)]["jerseyNumber"] == 44
    assert data["goalieStats"] == [
        {"player": {"id": str(G)}, "shotsAgainst": 25, "saves": 23, "goalsAgainst": 2, "savePercentage": 0.92}
    ]
    assert data["teamStats"] == {
        "shotsFor": 10,
        "shotsAgainst": 25,
        "corsiFor": 16,
        "corsiAgainst": 40,
        "corsiPercentage": 28.6,
        "fenwickFor": 14,
        "fenwickAgainst": 34,
        "fenwickPercentage": 29.2,
        "powerPlayGoals": 1,
        "powerPlayOpportunities": 2,
        "powerPlayPercentage": 50.0,
        "powerPlayGoalsAgainst": 1,
        "timesShorthanded": 1,
        "penaltyKillPercentage": 0.0,
        "faceoffWins": 12,
        "faceoffLosses": 12,
        "faceoffPercentage": 50.0,
        "penaltyMinutes": 4,
    }


async def test_the_season_numbers_sum_the_sheets(statistics: RunningService, club: Club) -> None:
    """The same sheet in two games doubles every count and keeps every rate: Corsi 32/112 = 28.6, PP 2/4 =
    50.0, PK 1 - 2/2 = 0.0, SV% 46/50 = 0.920, GAA 4 x 3600 / 7200 = 2.00; plus/minus C and D 4, E 2."""
    for opponent in ("Harbor Hawks", "Bay Bears"):
        game = await make_game(statistics, club=club, opponent=opponent)
        (await _record(statistics, club, game.id, sheet())).ok()
    variables = {"seasonId": str(club.season_id), "teamId": str(club.team_id)}
    with count_statements(statistics.engine) as log:
        team = (await statistics.graphql.execute(TEAM_SEASON, variables, as_=club.player)).ok()["teamSeasonStats"]
    assert log.count == 3, log.statements  # the record, the sheets' numbers, the goalie lines
    assert team == {
        "record": {"gamesPlayed": 2, "wins": 2, "losses": 0, "goalsFor": 6, "goalsAgainst": 4, "points": 4},
        "gamesWithSheet": 2,
        "savePercentage": 0.92,
        "goalsAgainstAverage": 2.0,
        "numbers": {
            "corsiPercentage": 28.6,
            "fenwickPercentage": 29.2,
            "powerPlayPercentage": 50.0,
            "penaltyKillPercentage": 0.0,
        },
    }
    with count_statements(statistics.engine) as log:
        leaders = (
            await statistics.graphql.execute(LEADERS, {**variables, "category": "PLUS_MINUS"}, as_=club.player)
        ).ok()["statLeaders"]
    assert log.count == 1, log.statements
    # C and D +4 share first place; E +2 third; A and B 0 share fourth
    assert [(row["rank"], row["value"]) for row in leaders] == [(1, 4.0), (1, 4.0), (3, 2.0), (4, 0.0), (4, 0.0)]
    assert {row["player"]["id"] for row in leaders[:2]} == {str(C), str(D)}
    goalies = (
        await statistics.graphql.execute(LEADERS, {**variables, "category": "SAVE_PERCENTAGE"}, as_=club.player)
    ).ok()["statLeaders"]
    assert goalies == [{"rank": 1, "value": 0.92, "gamesPlayed": 2, "player": {"id": str(G)}}]
    # the line C-D was on the ice together for goals 1 (for), 2 (against, PP) and 5 (for) of each game
    with count_statements(statistics.engine) as log:
        response = await statistics.graphql.execute(LINE, {**variables, "playerIds": _ids(C, D)}, as_=club.player)
    assert log.count == 2, log.statements  # the goals with both on the ice, the games both played
    line = response.ok()["linePerformance"]
    assert line == {
        "gamesTogether": 2,
        "goalsFor": 4,
        "goalsAgainst": 2,
        "evenStrengthGoalsFor": 2,
        "evenStrengthGoalsAgainst": 0,
        "goalsForPercentage": 66.7,
    }


async def test_recording_the_sheet_again_replaces_it(statistics: RunningService, club: Club) -> None:
    game = await make_game(statistics, club=club)
    (await _record(statistics, club, game.id, sheet())).ok()
    corrected = sheet()
    corrected["goals"][4]["scorerId"] = str(D)  # the empty-net goal was D's, not C's
    corrected["skaters"][3]["shots"] = 2
    (await _record(statistics, club, game.id, corrected)).ok()
    data = (await statistics.graphql.execute(GAME, {"id": str(game.id)}, as_=club.coach)).ok()["game"]
    goals = {line["player"]["id"]: line["goals"] for line in data["playerStats"]}
    assert (goals[str(C)], goals[str(D)]) == (0, 1)
    assert len(data["goals"]) == 5
    assert len(await outbox(statistics, "game.completed")) == 1  # final once


async def test_inconsistent_sheets_name_the_field(statistics: RunningService, club: Club) -> None:
    game = await make_game(statistics, club=club)
    stranger = str(uuid.uuid4())

    def changed(path: str, value: Any) -> dict[str, Any]:
        body = sheet()
        target: Any = body
        *parents, last = path.split(".")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
        return body

    cases: list[tuple[dict[str, Any], str]] = [
        (changed("goalsFor", 4), "goals"),  # three of the team's goals listed
        (changed("goals.0.scorerId", stranger), "goals[0].scorerId"),
        (changed("goals.0.assistIds", _ids(A)), "goals[0].assistIds[0]"),  # the scorer assisting himself
        (changed("goals.0.assistIds", _ids(B, B)), "goals[0].assistIds"),
        (changed("goals.0.assistIds", _ids(B, C, D)), "goals[0].assistIds"),
        (changed("goals.0.onIce", _ids(A, B, B)), "goals[0].onIce"),
        (changed("goals.2.onIce", _ids(C, D)), "goals[2].onIce"),  # the scorer B not on the ice
        (changed("goals.1.scorerId", str(A)), "goals[1].scorerId"),  # the opponent's goal
        (changed("goals.0.time", "20:01"), "goals[0].time"),
        (changed("goals.0.time", "5:7"), "goals[0].time"),
        (changed("goals.0.period", 4), "goals[0].period"),  # overtime in a regulation game
        (changed("goals.1.time", "05:00"), "goals[1].time"),  # listed after 05:12 of the same period
        (changed("penalties.1.period", 1), "penalties[1].time"),  # P1 02:00 after P1 13:00
        (changed("skaters.1.playerId", str(A)), "skaters[1].playerId"),
        (changed("skaters.1.jerseyNumber", 9), "skaters[1].jerseyNumber"),
        (changed("skaters.0.shots", 0), "skaters[0].shots"),  # A scored
        (changed("goalies.0.saves", 24), "goalies"),  # 1 goal against, and two listed
        (changed("penalties.0.playerId", stranger), "penalties[0].playerId"),
        (changed("penalties.0.minutes", 3), "penalties[0].minutes"),
        (changed("decidedIn", "OVERTIME"), "goals"),  # no overtime goal
    ]
    for body, field in cases:
        response = await _record(statistics, club, game.id, body)
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field, (field, response.errors)
    # and nothing was written
    data = (await statistics.graphql.execute(GAME, {"id": str(game.id)}, as_=club.coach)).ok()["game"]
    assert (data["goals"], data["playerStats"], data["teamStats"]) == ([], [], None)


async def test_a_game_with_a_sheet_takes_no_single_line_edits(statistics: RunningService, club: Club) -> None:
    game = await make_game(statistics, club=club, status=GameStatus.FINAL, goals_for=3, goals_against=2)
    await make_skater_line(statistics, game=game, player_id=A, goals=1, shots=2)  # replaced by the sheet
    (await _record(statistics, club, game.id, sheet())).ok()
    response = await statistics.graphql.execute(
        """mutation L($input: RecordPlayerGameStatsInput!) { recordPlayerGameStats(input: $input) { id } }""",
        {"input": {"gameId": str(game.id), "playerId": str(uuid.uuid4())}},
        as_=club.coach,
    )
    assert response.error("CONFLICT")["extensions"]["field"] == "gameId"
    # and its score comes from the sheet too, while its other details stay editable
    update = (
        """mutation U($id: ID!, $input: UpdateGameInput!) { updateGame(id: $id, input: $input) { opponentName } }"""
    )
    response = await statistics.graphql.execute(update, {"id": str(game.id), "input": {"goalsFor": 4}}, as_=club.coach)
    assert response.error("CONFLICT")["extensions"]["field"] == "goalsFor"
    renamed = await statistics.graphql.execute(
        update, {"id": str(game.id), "input": {"opponentName": "Harbour Hawks"}}, as_=club.coach
    )
    assert renamed.ok()["updateGame"] == {"opponentName": "Harbour Hawks"}
    data = (await statistics.graphql.execute(GAME, {"id": str(game.id)}, as_=club.coach)).ok()["game"]
    assert sorted(line["player"]["id"] for line in data["playerStats"]) == sorted(_ids(A, B, C, D, E))


async def test_only_the_teams_coaches_record_a_sheet_of_a_game_played(statistics: RunningService, club: Club) -> None:
    game = await make_game(statistics, club=club, team_id=club.other_team_id)
    response = await _record(statistics, club, game.id, sheet())
    assert response.codes == ["FORBIDDEN"]
    upcoming = await make_game(statistics, club=club, starts_at=utcnow() + timedelta(hours=3))
    response = await _record(statistics, club, upcoming.id, sheet())
    assert response.error("BAD_USER_INPUT")["extensions"]["field"] == "gameId"
    assert await outbox(statistics, "game.completed") == []


GAMES_WITH_SHEETS = """
query Games($seasonId: ID!) {
  games(seasonId: $seasonId) {
    opponentName hasSheet goals { time scorer { id } } penalties { minutes } teamStats { corsiFor }
  }
}
"""

CAREER = """
query Career($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Player {
      id
      careerStats {
        skater { seasons gamesPlayed goals assists points plusMinus powerPlayGoals shotAttempts hits blocks
                 faceoffWins faceoffLosses faceoffPercentage }
        goalie { seasons gamesPlayed shotsAgainst saves savePercentage goalsAgainstAverage shutouts }
      }
    }
  }
}
"""


async def test_a_season_of_games_reads_its_sheets_in_four_statements(statistics: RunningService, club: Club) -> None:
    for opponent in ("Harbor Hawks", "Bay Bears", "Lake Lynx"):
        game = await make_game(statistics, club=club, opponent=opponent)
        (await _record(statistics, club, game.id, sheet())).ok()
    await make_game(statistics, club=club, opponent="No Sheet")
    with count_statements(statistics.engine) as log:
        data = (
            await statistics.graphql.execute(GAMES_WITH_SHEETS, {"seasonId": str(club.season_id)}, as_=club.player)
        ).ok()
    assert sorted((game["opponentName"], game["hasSheet"], len(game["goals"])) for game in data["games"]) == [
        ("Bay Bears", True, 5),
        ("Harbor Hawks", True, 5),
        ("Lake Lynx", True, 5),
        ("No Sheet", False, 0),
    ]
    assert {game["teamStats"]["corsiFor"] for game in data["games"] if game["teamStats"]} == {16}
    assert log.count == 4, log.statements  # games, then goals, penalties and team numbers of all of them


async def test_career_totals_span_seasons(statistics: RunningService, club: Club) -> None:
    """The sheet in two seasons: A 2 goals 2 assists in 2 games over 2 seasons, 14 attempts, 2 hits; B faceoffs
    16-10 -> 61.5; G 50 shots, 46 saves -> 0.920, GAA 4 x 3600 / 7200 = 2.00, no shutout."""
    for season in (club.season_id, uuid.uuid4()):
        game = await make_game(statistics, club=club, season_id=season)
        (await _record(statistics, club, game.id, sheet())).ok()
    representations = [{"__typename": "Player", "id": str(player)} for player in (A, B, G)]
    entities = (await statistics.graphql.execute(CAREER, {"representations": representations}, as_=club.player)).ok()[
        "_entities"
    ]
    careers = {entity["id"]: entity["careerStats"] for entity in entities}
    assert careers[str(A)]["skater"] == {
        "seasons": 2,
        "gamesPlayed": 2,
        "goals": 2,
        "assists": 2,
        "points": 4,
        "plusMinus": 0,
        "powerPlayGoals": 0,
        "shotAttempts": 14,
        "hits": 2,
        "blocks": 0,
        "faceoffWins": 0,
        "faceoffLosses": 0,
        "faceoffPercentage": None,
    }
    assert careers[str(A)]["goalie"] is None
    assert careers[str(B)]["skater"]["faceoffPercentage"] == 61.5
    assert careers[str(B)]["skater"]["powerPlayGoals"] == 2
    assert careers[str(G)] == {
        "skater": None,
        "goalie": {
            "seasons": 2,
            "gamesPlayed": 2,
            "shotsAgainst": 50,
            "saves": 46,
            "savePercentage": 0.92,
            "goalsAgainstAverage": 2.0,
            "shutouts": 0,
        },
    }


async def test_overtime_and_shootout_sheets(statistics: RunningService, club: Club) -> None:
    """A 2-1 overtime win needs its one overtime goal by the team; a 2-1 shootout win lists one goal each
    and no overtime goal, the shootout's counting as the extra goal of the score."""
    overtime = sheet() | {"goalsFor": 2, "goalsAgainst": 1, "decidedIn": "OVERTIME", "goalies": []}
    overtime["goals"] = [
        {"side": "OPPONENT", "period": 2, "time": "01:00"},
        {"side": "TEAM", "period": 3, "time": "10:00", "scorerId": str(A)},
        {"side": "TEAM", "period": 4, "time": "03:30", "scorerId": str(B)},
    ]
    game = await make_game(statistics, club=club)
    won = (await _record(statistics, club, game.id, overtime)).ok()["recordGameSheet"]
    assert (won["goalsFor"], won["goalsAgainst"], won["outcome"]) == (2, 1, "WIN")
    late = overtime | {"overtimeMinutes": 3}  # 03:30 is past a three-minute overtime
    response = await _record(statistics, club, game.id, late)
    assert response.error("BAD_USER_INPUT")["extensions"]["field"] == "goals[2].time"

    shootout = overtime | {"decidedIn": "SHOOTOUT", "goals": overtime["goals"][:2]}
    other = await make_game(statistics, club=club)
    assert (await _record(statistics, club, other.id, shootout)).ok()["recordGameSheet"]["outcome"] == "WIN"
    response = await _record(statistics, club, other.id, shootout | {"goals": overtime["goals"]})
    assert response.error("BAD_USER_INPUT")["extensions"]["field"] == "goals"


async def test_goals_against_average_leaders_go_lowest_first(statistics: RunningService, club: Club) -> None:
    """G plays the sheet's game (2 against in 3600 s: 2.00); H a 1-0 win (12 shots, 12 saves in 3600 s: 0.00).
    GAA leaders: H 0.00, then G 2.00."""
    goalie_h = uuid.uuid4()
    game = await make_game(statistics, club=club)
    (await _record(statistics, club, game.id, sheet())).ok()
    shutout = {
        "goalsFor": 1,
        "goalsAgainst": 0,
        "skaters": [{"playerId": str(A), "shots": 1}],
        "goalies": [{"playerId": str(goalie_h), "shotsAgainst": 12, "saves": 12, "timeOnIceSeconds": 3600}],
        "goals": [{"side": "TEAM", "period": 1, "time": "00:45", "scorerId": str(A)}],
    }
    other = await make_game(statistics, club=club)
    (await _record(statistics, club, other.id, shutout)).ok()
    variables = {"seasonId": str(club.season_id), "teamId": str(club.team_id), "category": "GOALS_AGAINST_AVERAGE"}
    leaders = (await statistics.graphql.execute(LEADERS, variables, as_=club.player)).ok()["statLeaders"]
    assert [(row["player"]["id"], row["value"]) for row in leaders] == [(str(goalie_h), 0.0), (str(G), 2.0)]
