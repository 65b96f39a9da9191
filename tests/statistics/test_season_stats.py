"""Season aggregates against numbers worked out by hand for a small recorded season.

The season of team T (season S):
    g1  final  3-1  W           A 2g 0a +2 2pim 5sh 1200s | B 1g 2a +1 0pim 3sh 1100s
                                C 0g 2a -1 4pim 0sh  900s | D 0g 0a  0 0pim 0sh  600s
                                G1 31 shots, 30 saves, 3600s
    g2  final  2-4  L           A 0g 1a -2 0pim 4sh 1300s | B 2g 0a +1 2pim 6sh 1000s
                                G1 20 shots, 17 saves, 2450s | G2 10 shots, 10 saves, 1150s
                                (one goal against went into the empty net: 3 charged of 4)
    g3  final  1-0  W (OT)      A 0g 0a  0 0pim 2sh 1250s | C 1g 0a +1 0pim 1sh  950s
                                G2 25 shots, 25 saves, 3900s
    g4  final  2-3  OTL (SO)    no lines
    g5  final  2-2  T           no lines
    g6  scheduled (tomorrow)    A 0g 0a 0 0pim 3sh 600s   -> not counted: the game is not final
    g7  final  5-0 in another season: A 3g 7sh 1500s        -> not counted: another season
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from shared.database import utcnow
from subgraphs.statistics.models import GameDecision, GameStatus
from tests.statistics.factories import Club, make_game, make_goalie_line, make_skater_line
from tests.support.services import RunningService

A, B, C, D, G1, G2 = (uuid.UUID(int=n) for n in range(1, 7))

SEASON = """
query Season($representations: [_Any!]!, $seasonId: ID!) {
  _entities(representations: $representations) {
    ... on Player {
      id
      seasonStats(seasonId: $seasonId) {
        seasonId
        skater {
          gamesPlayed goals assists points pointsPerGame plusMinus penaltyMinutes shots
          shootingPercentage averageTimeOnIceSeconds
        }
        goalie {
          gamesPlayed shotsAgainst saves goalsAgainst timeOnIceSeconds savePercentage
          goalsAgainstAverage shutouts
        }
      }
    }
  }
}
"""

GAME_LOG = """
query GameLog($representations: [_Any!]!, $seasonId: ID!, $last: Int) {
  _entities(representations: $representations) {
    ... on Player {
      gameLog(seasonId: $seasonId, last: $last) { goals shots game { opponentName } }
      goalieGameLog(seasonId: $seasonId, last: $last) { saves game { opponentName } }
    }
  }
}
"""

LEADERS = """
query Leaders($seasonId: ID!, $teamId: ID!, $first: Int!) {
  seasonLeaders(seasonId: $seasonId, teamId: $teamId, first: $first) {
    rank player { id } gamesPlayed goals assists points pointsPerGame
  }
}
"""

RECORD = """
query Record($seasonId: ID!, $teamId: ID!) {
  teamSeasonRecord(seasonId: $seasonId, teamId: $teamId) {
    seasonId team { id } gamesPlayed wins losses overtimeLosses ties goalsFor goalsAgainst
    goalDifferential points
  }
}
"""


async def _record_season(stats: RunningService, club: Club) -> None:
    now = utcnow()

    async def final(days_ago: int, opponent: str, gf: int, ga: int, decided: GameDecision | None = None) -> Any:
        return await make_game(
            stats,
            club=club,
            starts_at=now - timedelta(days=days_ago),
            opponent=opponent,
            status=GameStatus.FINAL,
            goals_for=gf,
            goals_against=ga,
            decided_in=decided,
        )

    g1 = await final(20, "g1", 3, 1)
    for player, g, a, pm, pim, shots, toi in (
        (A, 2, 0, 2, 2, 5, 1200),
        (B, 1, 2, 1, 0, 3, 1100),
        (C, 0, 2, -1, 4, 0, 900),
        (D, 0, 0, 0, 0, 0, 600),
    ):
        await make_skater_line(
            stats,
            game=g1,
            player_id=player,
            goals=g,
            assists=a,
            plus_minus=pm,
            penalty_minutes=pim,
            shots=shots,
            time_on_ice_seconds=toi,
        )
    await make_goalie_line(stats, game=g1, player_id=G1, shots_against=31, saves=30, time_on_ice_seconds=3600)

    g2 = await final(15, "g2", 2, 4)
    await make_skater_line(stats, game=g2, player_id=A, assists=1, plus_minus=-2, shots=4, time_on_ice_seconds=1300)
    await make_skater_line(
        stats,
        game=g2,
        player_id=B,
        goals=2,
        plus_minus=1,
        penalty_minutes=2,
        shots=6,
        time_on_ice_seconds=1000,
    )
    await make_goalie_line(stats, game=g2, player_id=G1, shots_against=20, saves=17, time_on_ice_seconds=2450)
    await make_goalie_line(stats, game=g2, player_id=G2, shots_against=10, saves=10, time_on_ice_seconds=1150)

    g3 = await final(10, "g3", 1, 0, GameDecision.OVERTIME)
    await make_skater_line(stats, game=g3, player_id=A, shots=2, time_on_ice_seconds=1250)
    await make_skater_line(stats, game=g3, player_id=C, goals=1, plus_minus=1, shots=1, time_on_ice_seconds=950)
    await make_goalie_line(stats, game=g3, player_id=G2, shots_against=25, saves=25, time_on_ice_seconds=3900)

    await final(7, "g4", 2, 3, GameDecision.SHOOTOUT)
    await final(4, "g5", 2, 2)

    g6 = await make_game(stats, club=club, starts_at=now + timedelta(days=1), opponent="g6")
    await make_skater_line(stats, game=g6, player_id=A, shots=3, time_on_ice_seconds=600)

    g7 = await make_game(
        stats,
        club=club,
        season_id=uuid.uuid4(),
        starts_at=now - timedelta(days=200),
        opponent="g7",
        status=GameStatus.FINAL,
        goals_for=5,
    )
    await make_skater_line(stats, game=g7, player_id=A, goals=3, shots=7, time_on_ice_seconds=1500)


def _players(*ids: uuid.UUID) -> list[dict[str, str]]:
    return [{"__typename": "Player", "id": str(player)} for player in ids]


async def test_every_season_aggregate_matches_the_hand_computed_numbers(statistics: RunningService, club: Club) -> None:
    await _record_season(statistics, club)
    data = (
        await statistics.graphql.execute(
            SEASON,
            {"representations": _players(A, B, C, D, G1, G2), "seasonId": str(club.season_id)},
            as_=club.player,
        )
    ).ok()
    stats = {entity["id"]: entity["seasonStats"] for entity in data["_entities"]}
    assert {season["seasonId"] for season in stats.values()} == {str(club.season_id)}
    skaters = {player: stats[str(player)]["skater"] for player in (A, B, C, D)}
    # A: g1+g2+g3 = 3 GP; goals 2+0+0 = 2; assists 0+1+0 = 1; points 3; 3/3 = 1.00 per game;
    #    +/- 2-2+0 = 0; PIM 2; shots 5+4+2 = 11; 2/11 = 18.18% -> 18.2; TOI (1200+1300+1250)/3 = 1250
    assert skaters[A] == {
        "gamesPlayed": 3,
        "goals": 2,
        "assists": 1,
        "points": 3,
        "pointsPerGame": 1.0,
        "plusMinus": 0,
        "penaltyMinutes": 2,
        "shots": 11,
        "shootingPercentage": 18.2,
        "averageTimeOnIceSeconds": 1250,
    }
    # B: g1+g2 = 2 GP; goals 1+2 = 3; assists 2+0 = 2; points 5; 5/2 = 2.50; +/- 1+1 = 2; PIM 0+2 = 2;
    #    shots 3+6 = 9; 3/9 = 33.33% -> 33.3; TOI (1100+1000)/2 = 1050
    assert skaters[B] == {
        "gamesPlayed": 2,
        "goals": 3,
        "assists": 2,
        "points": 5,
        "pointsPerGame": 2.5,
        "plusMinus": 2,
        "penaltyMinutes": 2,
        "shots": 9,
        "shootingPercentage": 33.3,
        "averageTimeOnIceSeconds": 1050,
    }
    # C: g1+g3 = 2 GP; goals 0+1 = 1; assists 2+0 = 2; points 3; 3/2 = 1.50; +/- -1+1 = 0; PIM 4;
    #    shots 0+1 = 1; 1/1 = 100.0%; TOI (900+950)/2 = 925
    assert skaters[C] == {
        "gamesPlayed": 2,
        "goals": 1,
        "assists": 2,
        "points": 3,
        "pointsPerGame": 1.5,
        "plusMinus": 0,
        "penaltyMinutes": 4,
        "shots": 1,
        "shootingPercentage": 100.0,
        "averageTimeOnIceSeconds": 925,
    }
    # D: g1 only; nothing but ice time; no shots, so no shooting percentage
    assert skaters[D] == {
        "gamesPlayed": 1,
        "goals": 0,
        "assists": 0,
        "points": 0,
        "pointsPerGame": 0.0,
        "plusMinus": 0,
        "penaltyMinutes": 0,
        "shots": 0,
        "shootingPercentage": None,
        "averageTimeOnIceSeconds": 600,
    }
    # G1: g1+g2 = 2 GP; shots 31+20 = 51; saves 30+17 = 47; GA 1+3 = 4; TOI 3600+2450 = 6050;
    #     47/51 = 0.92157 -> 0.922; 4 x 3600 / 6050 = 2.3802 -> 2.38; no shutout
    assert stats[str(G1)] == {
        "seasonId": str(club.season_id),
        "skater": None,
        "goalie": {
            "gamesPlayed": 2,
            "shotsAgainst": 51,
            "saves": 47,
            "goalsAgainst": 4,
            "timeOnIceSeconds": 6050,
            "savePercentage": 0.922,
            "goalsAgainstAverage": 2.38,
            "shutouts": 0,
        },
    }
    # G2: g2+g3 = 2 GP; shots 10+25 = 35; saves 35; GA 0; TOI 1150+3900 = 5050; 35/35 = 1.000; GAA 0.00;
    #     shutouts: g2 no (G1 also played, and the team conceded 4), g3 yes (alone, 1-0 in overtime) = 1
    assert stats[str(G2)]["goalie"] == {
        "gamesPlayed": 2,
        "shotsAgainst": 35,
        "saves": 35,
        "goalsAgainst": 0,
        "timeOnIceSeconds": 5050,
        "savePercentage": 1.0,
        "goalsAgainstAverage": 0.0,
        "shutouts": 1,
    }
    assert stats[str(A)]["goalie"] is None


async def test_points_leaders_share_a_rank_on_equal_points(statistics: RunningService, club: Club) -> None:
    await _record_season(statistics, club)
    variables = {"seasonId": str(club.season_id), "teamId": str(club.team_id), "first": 10}
    leaders = (await statistics.graphql.execute(LEADERS, variables, as_=club.player)).ok()["seasonLeaders"]
    # B 5 points; A and C 3 each (A first: more goals); D 0
    assert [(row["rank"], row["player"]["id"], row["points"]) for row in leaders] == [
        (1, str(B), 5),
        (2, str(A), 3),
        (2, str(C), 3),
        (4, str(D), 0),
    ]
    assert leaders[0] == {
        "rank": 1,
        "player": {"id": str(B)},
        "gamesPlayed": 2,
        "goals": 3,
        "assists": 2,
        "points": 5,
        "pointsPerGame": 2.5,
    }
    top_two = (await statistics.graphql.execute(LEADERS, variables | {"first": 2}, as_=club.player)).ok()
    assert [row["player"]["id"] for row in top_two["seasonLeaders"]] == [str(B), str(A)]
    too_many = await statistics.graphql.execute(LEADERS, variables | {"first": 500}, as_=club.player)
    assert too_many.error("BAD_USER_INPUT")["extensions"]["field"] == "first"


async def test_team_record(statistics: RunningService, club: Club) -> None:
    await _record_season(statistics, club)
    variables = {"seasonId": str(club.season_id), "teamId": str(club.team_id)}
    record = (await statistics.graphql.execute(RECORD, variables, as_=club.player)).ok()["teamSeasonRecord"]
    # g1 W 3-1, g2 L 2-4, g3 W 1-0 OT, g4 OTL 2-3 SO, g5 T 2-2: GF 10, GA 10, points 2+2+1+1 = 6
    assert record == {
        "seasonId": str(club.season_id),
        "team": {"id": str(club.team_id)},
        "gamesPlayed": 5,
        "wins": 2,
        "losses": 1,
        "overtimeLosses": 1,
        "ties": 1,
        "goalsFor": 10,
        "goalsAgainst": 10,
        "goalDifferential": 0,
        "points": 6,
    }


async def test_game_logs_show_the_latest_final_games_first(statistics: RunningService, club: Club) -> None:
    await _record_season(statistics, club)
    variables: dict[str, Any] = {"representations": _players(A, G1), "seasonId": str(club.season_id)}
    everything = (await statistics.graphql.execute(GAME_LOG, variables, as_=club.player)).ok()["_entities"]
    assert [line["game"]["opponentName"] for line in everything[0]["gameLog"]] == ["g3", "g2", "g1"]
    assert everything[0]["goalieGameLog"] == []
    assert [(line["saves"], line["game"]["opponentName"]) for line in everything[1]["goalieGameLog"]] == [
        (17, "g2"),
        (30, "g1"),
    ]
    latest = (await statistics.graphql.execute(GAME_LOG, variables | {"last": 2}, as_=club.player)).ok()
    assert [line["goals"] for line in latest["_entities"][0]["gameLog"]] == [0, 0]
    assert [line["game"]["opponentName"] for line in latest["_entities"][0]["gameLog"]] == ["g3", "g2"]
    zero = await statistics.graphql.execute(GAME_LOG, variables | {"last": 0}, as_=club.player)
    assert {error["extensions"]["field"] for error in zero.errors} == {"last"}
