"""The statistics service's operations: games, skater and goalie lines, season reads.

Reads use a game of each anchor's team in the demo season, recorded at setup; writes work on games
and lines made for the case.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.authorization.cases import Case, Operation, Variables, unique
from tests.authorization.operations.common import entity
from tests.authorization.table import Caller
from tests.authorization.world import World

GAME = "{ id opponentName status goalsFor goalsAgainst }"
RECORD_GAME = f"mutation Game($input: RecordGameInput!) {{ recordGame(input: $input) {GAME} }}"
RECORD_SKATER = """
mutation Line($input: RecordPlayerGameStatsInput!) { recordPlayerGameStats(input: $input) { id goals assists } }
"""
GENERATE_REPORT = """
mutation Report($input: GenerateStatisticsReportInput!) {
  generateStatisticsReport(input: $input) { id kind format sizeBytes }
}
"""
RECORD_GOALIE = """
mutation Goalie($input: RecordGoalieGameStatsInput!) { recordGoalieGameStats(input: $input) { id saves shotsAgainst } }
"""


def _game_input(case_or_world: Case | World, team_id: str) -> Variables:
    club = case_or_world.world.club if isinstance(case_or_world, Case) else case_or_world.club
    return {
        "seasonId": str(club.season_id),
        "teamId": team_id,
        "opponentName": unique("Harbour Hawks"),
        "isHome": True,
        "startsAt": (datetime.now(UTC) - timedelta(days=3)).isoformat(),
        "goalsFor": 3,
        "goalsAgainst": 2,
    }


async def prepare(world: World) -> None:
    for subject in (world.junior, world.senior):
        played = {**_game_input(world, str(subject.team_id)), "status": "FINAL"}
        made = await world.setup("statistics", RECORD_GAME, {"input": played}, as_=Caller.CLUB_ADMIN)
        game = made["recordGame"]["id"]
        world.found[f"{subject.name}.game"] = game
        line = {"gameId": game, "playerId": str(subject.player_id), "goals": 1, "assists": 1, "shots": 3}
        await world.setup("statistics", RECORD_SKATER, {"input": line}, as_=Caller.CLUB_ADMIN)
        report = {"kind": "TEAM", "subjectId": str(subject.team_id), "seasonId": str(world.club.season_id)}
        await world.setup("statistics", GENERATE_REPORT, {"input": report}, as_=Caller.CLUB_ADMIN)


async def _fresh_game(case: Case) -> str:
    made = await case.setup(
        "statistics", RECORD_GAME, {"input": _game_input(case, case.team_id)}, as_=Caller.CLUB_ADMIN
    )
    return str(made["recordGame"]["id"])


def _goalie(case: Case) -> str:
    """A goalie of the case's team: goalie lines are for goalies."""
    roster = case.world.club.roster(case.subject.team_id)
    return str(next(player.id for player in roster if player.position == "goalie"))


async def _fresh_skater_line(case: Case) -> str:
    line = {"gameId": await _fresh_game(case), "playerId": case.player_id, "goals": 1, "shots": 3}
    made = await case.setup("statistics", RECORD_SKATER, {"input": line}, as_=Caller.CLUB_ADMIN)
    return str(made["recordPlayerGameStats"]["id"])


def _goalie_line(game_id: str, goalie: str) -> Variables:
    return {
        "gameId": game_id,
        "playerId": goalie,
        "shotsAgainst": 30,
        "saves": 28,
        "goalsAgainst": 2,
        "timeOnIceSeconds": 3600,
    }


async def _fresh_goalie_line(case: Case) -> str:
    line = _goalie_line(await _fresh_game(case), _goalie(case))
    made = await case.setup("statistics", RECORD_GOALIE, {"input": line}, as_=Caller.CLUB_ADMIN)
    return str(made["recordGoalieGameStats"]["id"])


async def _season_team(case: Case) -> Variables:
    return {"seasonId": str(case.world.club.season_id), "teamId": case.team_id}


async def _season(case: Case) -> Variables:
    return {"seasonId": str(case.world.club.season_id)}


async def _no_variables(case: Case) -> Variables:
    return {}


async def _team(case: Case) -> Variables:
    return {"teamId": case.team_id}


async def _game(case: Case) -> Variables:
    return {"id": case.found("game")}


async def _record_game(case: Case) -> Variables:
    return {"input": _game_input(case, case.team_id)}


async def _update_game(case: Case) -> Variables:
    return {"id": await _fresh_game(case), "input": {"opponentName": unique("Bay Bears")}}


async def _finalize_game(case: Case) -> Variables:
    return {"id": await _fresh_game(case), "input": {"goalsFor": 4, "goalsAgainst": 1}}


async def _remove_game(case: Case) -> Variables:
    return {"id": await _fresh_game(case)}


async def _record_skater(case: Case) -> Variables:
    return {"input": {"gameId": await _fresh_game(case), "playerId": case.player_id, "goals": 1, "shots": 4}}


async def _update_skater(case: Case) -> Variables:
    return {"id": await _fresh_skater_line(case), "input": {"shots": 5}}


async def _remove_skater(case: Case) -> Variables:
    return {"id": await _fresh_skater_line(case)}


async def _record_goalie(case: Case) -> Variables:
    return {"input": _goalie_line(await _fresh_game(case), _goalie(case))}


async def _update_goalie(case: Case) -> Variables:
    return {"id": await _fresh_goalie_line(case), "input": {"shotsAgainst": 31, "saves": 29}}


async def _remove_goalie(case: Case) -> Variables:
    return {"id": await _fresh_goalie_line(case)}


async def _game_key(case: Case) -> str:
    return str(case.found("game"))


def _played(data: Any) -> bool:
    """Season numbers of someone who played: an answer of zeros holds no one's data."""
    if not isinstance(data, dict):
        return False
    if "teamSeasonRecord" in data:
        found = data["teamSeasonRecord"]
    else:
        entities = data.get("_entities") or [None]
        found = ((entities[0] or {}).get("seasonStats") or {}).get("skater")
    return bool(found and found["gamesPlayed"])


def _counted(path: str) -> Any:
    """An answer of zeros holds no one's data: `path` names the count that shows the club's games."""

    def check(data: Any) -> bool:
        found = data
        for part in path.split("."):
            found = found.get(part) if isinstance(found, dict) else None
        return bool(found)

    return check


async def _record_sheet(case: Case) -> Variables:
    player = case.player_id
    sheet = {
        "goalsFor": 1,
        "goalsAgainst": 0,
        "skaters": [{"playerId": player, "shots": 2}],
        "goals": [{"side": "TEAM", "period": 1, "time": "04:30", "scorerId": player}],
    }
    return {"gameId": await _fresh_game(case), "input": sheet}


async def _generate_report(case: Case) -> Variables:
    report = {"kind": "TEAM", "subjectId": case.team_id, "seasonId": str(case.world.club.season_id), "format": "CSV"}
    return {"input": report}


async def _line(case: Case) -> Variables:
    return {**(await _season_team(case)), "playerIds": [case.player_id]}


def _removed(data: object) -> bool:
    """`removeGame` and friends answer true when they removed something."""
    return isinstance(data, dict) and any(value is True for value in data.values())


OPERATIONS = {
    "Query.games": Operation(
        f"query Games($seasonId: ID!, $teamId: ID) {{ games(seasonId: $seasonId, teamId: $teamId) {GAME} }}",
        _season_team,
    ),
    "Query.game": Operation(f"query OneGame($id: ID!) {{ game(id: $id) {GAME} }}", _game),
    "Query.seasonLeaders": Operation(
        "query Leaders($seasonId: ID!, $teamId: ID!) { seasonLeaders(seasonId: $seasonId, teamId: $teamId) "
        "{ rank points player { id } } }",
        _season_team,
    ),
    "Query.teamSeasonRecord": Operation(
        "query Record($seasonId: ID!, $teamId: ID!) { teamSeasonRecord(seasonId: $seasonId, teamId: $teamId) "
        "{ gamesPlayed wins goalsFor } }",
        _season_team,
        _played,
    ),
    "Query.teamStandings": Operation(
        "query Standings($seasonId: ID!) { teamStandings(seasonId: $seasonId) { rank record { gamesPlayed wins } } }",
        _season,
    ),
    "Query.teamSeasonStats": Operation(
        "query TeamStats($seasonId: ID!, $teamId: ID!) { teamSeasonStats(seasonId: $seasonId, teamId: $teamId) "
        "{ record { gamesPlayed wins } savePercentage numbers { corsiPercentage } } }",
        _season_team,
        _counted("teamSeasonStats.record.gamesPlayed"),
    ),
    "Query.statLeaders": Operation(
        "query StatLeaders($seasonId: ID!, $teamId: ID!) { statLeaders(seasonId: $seasonId, teamId: $teamId, "
        "category: GOALS) { rank value player { id } } }",
        _season_team,
    ),
    "Query.linePerformance": Operation(
        "query Line($seasonId: ID!, $teamId: ID!, $playerIds: [ID!]!) { linePerformance(seasonId: $seasonId, "
        "teamId: $teamId, playerIds: $playerIds) { gamesTogether goalsFor goalsAgainst } }",
        _line,
        _counted("linePerformance.gamesTogether"),
    ),
    "Query.teamWorkload": Operation(
        "query Workload($teamId: ID!) { teamWorkload(teamId: $teamId) { flag acuteLoad chronicLoad } }", _team
    ),
    # Whether anyone is flagged depends on the demo's loads; the summary beside it shows the team was read.
    "Query.flaggedPlayers": Operation(
        "query Flagged($teamId: ID!) { flaggedPlayers(teamId: $teamId) { flag acuteLoad player { id } } "
        "teamLoadSummary(teamId: $teamId) { players } }",
        _team,
        _counted("teamLoadSummary.players"),
    ),
    "Query.teamLoadSummary": Operation(
        "query TeamLoad($teamId: ID!) { teamLoadSummary(teamId: $teamId) { players flagged } }",
        _team,
        _counted("teamLoadSummary.players"),
    ),
    "Query.statisticsReports": Operation(
        "query Reports { statisticsReports { id kind format sizeBytes } }", _no_variables
    ),
    "Mutation.generateStatisticsReport": Operation(GENERATE_REPORT, _generate_report),
    "Mutation.recordGame": Operation(RECORD_GAME, _record_game),
    "Mutation.updateGame": Operation(
        f"mutation Opponent($id: ID!, $input: UpdateGameInput!) {{ updateGame(id: $id, input: $input) {GAME} }}",
        _update_game,
    ),
    "Mutation.finalizeGame": Operation(
        f"mutation Final($id: ID!, $input: FinalizeGameInput!) {{ finalizeGame(id: $id, input: $input) {GAME} }}",
        _finalize_game,
    ),
    "Mutation.recordGameSheet": Operation(
        "mutation Sheet($gameId: ID!, $input: GameSheetInput!) { recordGameSheet(gameId: $gameId, input: $input) "
        f"{GAME} }}",
        _record_sheet,
    ),
    "Mutation.removeGame": Operation("mutation Drop($id: ID!) { removeGame(id: $id) }", _remove_game, _removed),
    "Mutation.recordPlayerGameStats": Operation(RECORD_SKATER, _record_skater),
    "Mutation.updatePlayerGameStats": Operation(
        "mutation Shots($id: ID!, $input: UpdatePlayerGameStatsInput!) { updatePlayerGameStats(id: $id, "
        "input: $input) { id shots } }",
        _update_skater,
    ),
    "Mutation.removePlayerGameStats": Operation(
        "mutation DropLine($id: ID!) { removePlayerGameStats(id: $id) }", _remove_skater, _removed
    ),
    "Mutation.recordGoalieGameStats": Operation(RECORD_GOALIE, _record_goalie),
    "Mutation.updateGoalieGameStats": Operation(
        "mutation Saves($id: ID!, $input: UpdateGoalieGameStatsInput!) { updateGoalieGameStats(id: $id, "
        "input: $input) { id saves } }",
        _update_goalie,
    ),
    "Mutation.removeGoalieGameStats": Operation(
        "mutation DropGoalie($id: ID!) { removeGoalieGameStats(id: $id) }", _remove_goalie, _removed
    ),
    "_entities.Game": entity("Game", f"{GAME[1:-1]}", key=_game_key),
    "Player.seasonStats": entity(
        "Player",
        "seasonStats(seasonId: $seasonId) { skater { gamesPlayed points } }",
        in_season=True,
        substance=_played,
    ),
    "Player.gameLog": entity("Player", "gameLog(seasonId: $seasonId) { id goals assists }", in_season=True),
}
