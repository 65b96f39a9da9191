"""Reports over HTTP: CSV values match the recorded games, and the PDF is a real PDF with pages.

Two games with the sheet of test_game_sheet (A: 1 goal 1 assist each game) and one without A:
    A's CSV: game 1 1+1 = 2 points (cumulative 2), game 2 2 points (cumulative 4)
    the team's CSV: both 3-2 wins, then the 0-1 loss (oldest first)
"""

from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta

from shared.auth.principal import Principal
from shared.database import utcnow
from subgraphs.statistics.models import GameStatus
from subgraphs.statistics.report_schedule import ReportSchedule
from tests.statistics.factories import Club, make_club, make_game
from tests.statistics.test_game_sheet import RECORD_SHEET, A, sheet
from tests.support.services import RunningService


async def _season(statistics: RunningService, club: Club) -> list[uuid.UUID]:
    """Three final games of the last days; returns the two with game sheets."""
    recorded = []
    for days, opponent in ((3, "Harbor Hawks"), (2, "Bay Bears")):
        game = await make_game(statistics, club=club, opponent=opponent, starts_at=utcnow() - timedelta(days=days))
        response = await statistics.graphql.execute(
            RECORD_SHEET, {"gameId": str(game.id), "input": sheet()}, as_=club.coach
        )
        response.ok()
        recorded.append(game.id)
    await make_game(
        statistics,
        club=club,
        opponent="Lake Lynx",
        starts_at=utcnow() - timedelta(days=1),
        status=GameStatus.FINAL,
        goals_for=0,
        goals_against=1,
    )
    return recorded


async def _get(statistics: RunningService, path: str, club: Club, *, signed_in: bool = True) -> tuple[int, bytes, str]:
    headers = {"Authorization": f"Bearer {statistics.graphql.token(club.coach)}"} if signed_in else {}
    response = await statistics.graphql.http.get(path, params={"seasonId": str(club.season_id)}, headers=headers)
    return response.status_code, response.content, response.headers.get("content-type", "")


def _rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode())))


async def test_player_and_team_csv_match_the_games(statistics: RunningService, club: Club) -> None:
    await _season(statistics, club)
    status, body, media = await _get(statistics, f"/reports/players/{A}.csv", club)
    assert (status, media.split(";")[0]) == (200, "text/csv")
    rows = _rows(body)
    assert rows[0][:6] == ["date", "opponent", "goals", "assists", "points", "cumulative_points"]
    assert [row[1:6] for row in rows[1:]] == [
        ["Harbor Hawks", "1", "1", "2", "2"],
        ["Bay Bears", "1", "1", "2", "4"],
    ]
    status, body, _ = await _get(statistics, f"/reports/teams/{club.team_id}.csv", club)
    assert status == 200
    assert [row[1:] for row in _rows(body)[1:]] == [
        ["Harbor Hawks", "yes", "3", "2", "win"],
        ["Bay Bears", "yes", "3", "2", "win"],
        ["Lake Lynx", "yes", "0", "1", "loss"],
    ]


async def test_reports_are_pdfs_with_pages(statistics: RunningService, club: Club) -> None:
    await _season(statistics, club)
    for path in (f"/reports/players/{A}.pdf", f"/reports/teams/{club.team_id}.pdf"):
        status, body, media = await _get(statistics, path, club)
        assert (status, media) == (200, "application/pdf")
        assert body.startswith(b"%PDF-")
        assert body.rstrip().endswith(b"%%EOF")
        assert b"/Type /Page" in body


async def test_reports_need_a_token_and_valid_input(statistics: RunningService, club: Club) -> None:
    status, _, _ = await _get(statistics, f"/reports/players/{A}.pdf", club, signed_in=False)
    assert status == 401
    status, body, _ = await _get(statistics, "/reports/players/not-an-id.pdf", club)
    assert status == 400
    assert b'"field":"playerId"' in body
    status, body, _ = await _get(statistics, f"/reports/teams/{uuid.uuid4()}.xlsx", club)
    assert (status, b'"field":"format"' in body) == (400, True)


GENERATE = """
mutation Generate($input: GenerateStatisticsReportInput!) {
  generateStatisticsReport(input: $input) {
    id kind format subjectId weekOf includesTrainingLoad sizeBytes downloadPath
  }
}
"""

REPORTS = """
query Reports($subjectId: ID) {
  statisticsReports(subjectId: $subjectId) { id kind format weekOf sizeBytes downloadPath }
}
"""


async def _download(statistics: RunningService, path: str, as_: Principal) -> tuple[int, bytes]:
    headers = {"Authorization": f"Bearer {statistics.graphql.token(as_)}"}
    response = await statistics.graphql.http.get(path, headers=headers)
    return response.status_code, response.content


async def test_a_generated_report_is_kept_for_the_staff(statistics: RunningService, club: Club) -> None:
    await _season(statistics, club)
    # when the coach generates A's report as CSV
    variables = {"input": {"kind": "PLAYER", "subjectId": str(A), "seasonId": str(club.season_id), "format": "CSV"}}
    stored = (await statistics.graphql.execute(GENERATE, variables, as_=club.coach)).ok()["generateStatisticsReport"]
    # then it is kept with its metadata, holds A's training load section, and downloads as generated
    assert (stored["kind"], stored["format"], stored["subjectId"], stored["weekOf"]) == (
        "PLAYER",
        "CSV",
        str(A),
        None,
    )
    assert stored["includesTrainingLoad"] is True  # staff see training load
    status, body = await _download(statistics, stored["downloadPath"], club.coach)
    assert status == 200
    assert len(body) == stored["sizeBytes"]
    assert [row[5] for row in _rows(body)[1:]] == ["2", "4"]  # the cumulative points
    listed = (await statistics.graphql.execute(REPORTS, {"subjectId": str(A)}, as_=club.admin)).ok()[
        "statisticsReports"
    ]
    assert [report["id"] for report in listed] == [stored["id"]]
    # and a player neither generates nor lists stored reports, nor downloads them
    assert (await statistics.graphql.execute(GENERATE, variables, as_=club.player)).codes == ["FORBIDDEN"]
    assert (await statistics.graphql.execute(REPORTS, {}, as_=club.player)).codes == ["FORBIDDEN"]
    assert (await _download(statistics, stored["downloadPath"], club.player))[0] == 403
    # and another club does not find it
    other = make_club()
    assert (await _download(statistics, stored["downloadPath"], other.coach))[0] == 404


async def test_the_weekly_schedule_keeps_one_report_per_team_week_and_format(
    statistics: RunningService, club: Club
) -> None:
    games = await _season(statistics, club)
    schedule = ReportSchedule(statistics.runtime.sessions, interval=0)
    today = utcnow().date()
    monday = today - timedelta(days=today.weekday())
    # when the schedule runs twice in the week (as two processes, or a restart, would)
    assert await schedule.run_once(today) == 2
    # then the second run renders nothing, the team's games being as they were
    assert await schedule.run_once(today) == 0
    # until a game sheet is corrected: then the team's reports of the week are rendered again
    corrected = await statistics.graphql.execute(
        RECORD_SHEET, {"gameId": str(games[0]), "input": sheet()}, as_=club.coach
    )
    corrected.ok()
    assert await schedule.run_once(today) == 2
    # then the team has this week's PDF and CSV, once each
    listed = (await statistics.graphql.execute(REPORTS, {"subjectId": str(club.team_id)}, as_=club.admin)).ok()[
        "statisticsReports"
    ]
    assert sorted((report["format"], report["weekOf"]) for report in listed) == [
        ("CSV", str(monday)),
        ("PDF", str(monday)),
    ]
    csv_report = next(report for report in listed if report["format"] == "CSV")
    status, body = await _download(statistics, csv_report["downloadPath"], club.coach)
    assert status == 200
    assert [row[1] for row in _rows(body)[1:]] == ["Harbor Hawks", "Bay Bears", "Lake Lynx"]
    pdf_report = next(report for report in listed if report["format"] == "PDF")
    status, body = await _download(statistics, pdf_report["downloadPath"], club.coach)
    assert (status, body[:5]) == (200, b"%PDF-")
