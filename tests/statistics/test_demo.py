"""The demo club's games, loaded into the test database and read back as the demo's coach."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from shared.auth.principal import Role
from shared.demo import demo_club
from subgraphs.statistics.demo import load_demo
from tests.support.principals import principal
from tests.support.services import RunningService

SEASON_GAMES = """
query SeasonGames($seasonId: ID!, $teamId: ID) {
  games(seasonId: $seasonId, teamId: $teamId) {
    id opponentName startsAt status goalsFor goalsAgainst decidedIn outcome
    playerStats { player { id } goals assists plusMinus shots timeOnIceSeconds }
    goalieStats { player { id } shotsAgainst saves goalsAgainst timeOnIceSeconds }
  }
}
"""

SEASON_OF = """
query SeasonOf($representations: [_Any!]!, $seasonId: ID!) {
  _entities(representations: $representations) {
    ... on Player {
      id seasonStats(seasonId: $seasonId) { skater { gamesPlayed goals assists plusMinus shots } }
    }
  }
}
"""

SHEETS = """
query Sheets($seasonId: ID!, $teamId: ID) {
  games(seasonId: $seasonId, teamId: $teamId, status: FINAL) {
    goalsFor goalsAgainst decidedIn hasSheet
    goals { side strength }
    teamStats { powerPlayGoals powerPlayOpportunities powerPlayGoalsAgainst timesShorthanded corsiPercentage }
  }
}
"""

RECORD_AND_LEADERS = """
query RecordAndLeaders($seasonId: ID!, $teamId: ID!) {
  teamSeasonRecord(seasonId: $seasonId, teamId: $teamId) { gamesPlayed wins losses overtimeLosses points }
  seasonLeaders(seasonId: $seasonId, teamId: $teamId, first: 3) { rank points player { id } }
}
"""


async def test_the_demo_season_is_consistent_with_every_score(statistics: RunningService) -> None:
    # given the demo club's games
    club = demo_club()
    async with statistics.runtime.sessions() as session, session.begin():
        assert await load_demo(session, club) is True
    async with statistics.runtime.sessions() as session, session.begin():
        assert await load_demo(session, club) is False  # a second load leaves it alone
    senior, junior = (next(t for t in club.teams if t.category == kind) for kind in ("senior", "junior"))
    coach = club.person("coach@lynx.example")
    as_coach = principal(Role.COACH, organization_id=club.organization_id, user_id=coach.id, teams=coach.team_ids)
    # when the coach reads the senior team's season
    variables = {"seasonId": str(club.season_id), "teamId": str(senior.id)}
    games = (await statistics.graphql.execute(SEASON_GAMES, variables, as_=as_coach)).ok()["games"]
    # then five games were played over the last weeks and one is coming up
    assert [game["status"] for game in games] == ["FINAL"] * 5 + ["SCHEDULED"]
    now = datetime.now(UTC)
    starts = [datetime.fromisoformat(game["startsAt"]) for game in games]
    assert all((now - start).days < 35 for start in starts[:5])
    assert starts[5] > now
    roster = {str(player.id) for player in club.roster(senior.id)}
    for game in games[:5]:
        skaters, goalies = game["playerStats"], game["goalieStats"]
        shootout_win = game["decidedIn"] == "SHOOTOUT" and game["goalsFor"] > game["goalsAgainst"]
        shootout_loss = game["decidedIn"] == "SHOOTOUT" and game["goalsFor"] < game["goalsAgainst"]
        # every goal in play has a scorer; a shootout winner is credited to nobody
        assert sum(line["goals"] for line in skaters) == game["goalsFor"] - shootout_win
        assert sum(line["assists"] for line in skaters) <= 2 * game["goalsFor"]
        assert len(skaters) == 18
        assert {line["player"]["id"] for line in skaters} <= roster
        assert all(line["goals"] <= line["shots"] for line in skaters)
        assert all(-game["goalsAgainst"] <= line["plusMinus"] <= game["goalsFor"] for line in skaters)
        [goalie] = goalies
        assert goalie["player"]["id"] in roster
        assert goalie["saves"] + goalie["goalsAgainst"] == goalie["shotsAgainst"]
        assert goalie["goalsAgainst"] == game["goalsAgainst"] - shootout_loss
        assert goalie["timeOnIceSeconds"] >= 3600
    assert Counter(game["outcome"] for game in games[:5]) == {"WIN": 3, "LOSS": 1, "OVERTIME_LOSS": 1}
    # and the season totals are the sums of the game lines
    lines_of: dict[str, list[dict[str, int]]] = {}
    for game in games[:5]:
        for line in game["playerStats"]:
            lines_of.setdefault(line["player"]["id"], []).append(line)
    seasons = (
        await statistics.graphql.execute(
            SEASON_OF,
            {
                "representations": [{"__typename": "Player", "id": player} for player in lines_of],
                "seasonId": str(club.season_id),
            },
            as_=as_coach,
        )
    ).ok()["_entities"]
    for entity in seasons:
        lines = lines_of[entity["id"]]
        assert entity["seasonStats"]["skater"] == {
            "gamesPlayed": len(lines),
            "goals": sum(line["goals"] for line in lines),
            "assists": sum(line["assists"] for line in lines),
            "plusMinus": sum(line["plusMinus"] for line in lines),
            "shots": sum(line["shots"] for line in lines),
        }
    summary = (await statistics.graphql.execute(RECORD_AND_LEADERS, variables, as_=as_coach)).ok()
    assert summary["teamSeasonRecord"] == {
        "gamesPlayed": 5,
        "wins": 3,
        "losses": 1,
        "overtimeLosses": 1,
        "points": 7,
    }
    assert summary["seasonLeaders"][0]["rank"] == 1
    assert summary["seasonLeaders"][0]["points"] > 0
    # and every played game has its sheet: goals in play listed, power-play goals each after a penalty
    sheets = (await statistics.graphql.execute(SHEETS, variables, as_=as_coach)).ok()["games"]
    for game in sheets:
        shootout = game["decidedIn"] == "SHOOTOUT"
        assert game["hasSheet"] is True
        listed_for = sum(1 for goal in game["goals"] if goal["side"] == "TEAM")
        listed_against = len(game["goals"]) - listed_for
        assert listed_for == game["goalsFor"] - (shootout and game["goalsFor"] > game["goalsAgainst"])
        assert listed_against == game["goalsAgainst"] - (shootout and game["goalsAgainst"] > game["goalsFor"])
        numbers = game["teamStats"]
        assert 0 < numbers["corsiPercentage"] < 100
        assert numbers["powerPlayGoals"] == sum(
            1 for goal in game["goals"] if goal["side"] == "TEAM" and goal["strength"] == "POWER_PLAY"
        )
        assert numbers["powerPlayOpportunities"] >= numbers["powerPlayGoals"]
        assert numbers["timesShorthanded"] >= numbers["powerPlayGoalsAgainst"]
    # and the U18 team played two games
    junior_games = (
        await statistics.graphql.execute(
            SEASON_GAMES, {"seasonId": str(club.season_id), "teamId": str(junior.id)}, as_=as_coach
        )
    ).ok()["games"]
    assert [game["status"] for game in junior_games] == ["FINAL", "FINAL"]
