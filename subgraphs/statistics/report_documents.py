"""Reports as documents: CSV (one row per game, or per day of load) and PDF with charts (reportlab)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from subgraphs.statistics.models import outcome_of
from subgraphs.statistics.reports import PlayerReport, TeamReport


def _csv(rows: Sequence[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode()


def player_csv(report: PlayerReport) -> bytes:
    """One row per final game: the points trend, with its running total."""
    rows: list[list[Any]] = [
        ["date", "opponent", "goals", "assists", "points", "cumulative_points", "shots", "toi_seconds"]
    ]
    total = 0
    for entry in report.games:
        points = entry.line.goals + entry.line.assists
        total += points
        rows.append(
            [
                entry.game.starts_at.date().isoformat(),
                entry.game.opponent_name,
                entry.line.goals,
                entry.line.assists,
                points,
                total,
                entry.line.shots,
                entry.line.time_on_ice_seconds,
            ]
        )
    return _csv(rows)


def team_csv(report: TeamReport) -> bytes:
    """One row per final game of the team."""
    rows: list[list[Any]] = [["date", "opponent", "home", "goals_for", "goals_against", "outcome"]]
    for game in report.games:
        outcome = outcome_of(game)
        rows.append(
            [
                game.starts_at.date().isoformat(),
                game.opponent_name,
                "yes" if game.is_home else "no",
                game.goals_for,
                game.goals_against,
                outcome.value if outcome else "",
            ]
        )
    return _csv(rows)


def _chart(title: str, series: list[list[tuple[float, float]]]) -> Drawing:
    drawing = Drawing(460, 200)
    drawing.add(String(10, 185, title, fontSize=11))
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 40, 30, 400, 140
    # A chart needs two points per line; a lone game or day is drawn as a flat segment.
    plot.data = [points if len(points) > 1 else [*points, *points] for points in series if points] or [[(0, 0), (1, 0)]]
    palette = (colors.darkblue, colors.firebrick, colors.darkgreen)
    for index in range(len(plot.data)):
        plot.lines[index].strokeColor = palette[index % len(palette)]
    drawing.add(plot)
    return drawing


def _pdf(title: str, parts: list[Any]) -> bytes:
    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    document = SimpleDocTemplate(buffer, pagesize=A4, title=title)
    document.build([Paragraph(title, styles["Title"]), Spacer(1, 12), *parts])
    return buffer.getvalue()


def player_pdf(report: PlayerReport) -> bytes:
    season = report.season
    totals = [
        ["GP", "G", "A", "P", "+/-", "PIM", "Shots", "Sh%"],
        [
            str(value)
            for value in (
                (
                    season.games_played,
                    season.goals,
                    season.assists,
                    season.points,
                    season.plus_minus,
                    season.penalty_minutes,
                    season.shots,
                    season.shooting_percentage if season.shooting_percentage is not None else "-",
                )
                if season
                else ("0",) * 8
            )
        ],
    ]
    cumulative: list[tuple[float, float]] = []
    total = 0
    for index, entry in enumerate(report.games, start=1):
        total += entry.line.goals + entry.line.assists
        cumulative.append((index, total))
    parts: list[Any] = [
        Table(totals),
        Spacer(1, 12),
        _chart("Points over the season (cumulative, per game)", [cumulative]),
    ]
    if report.load is not None:
        loads = [(float(index), float(load)) for index, (_, load, _) in enumerate(report.load)]
        ratios = [
            (float(index), float(ratio.ratio))
            for index, (_, _, ratio) in enumerate(report.load)
            if ratio.ratio is not None
        ]
        parts += [
            _chart("Daily training load, last 28 days (AU)", [loads]),
            _chart("Acute:chronic workload ratio, last 28 days (target 0.8-1.3, alert above 1.5)", [ratios]),
        ]
    return _pdf(f"Player report - season {report.season_id}", parts)


def team_pdf(report: TeamReport) -> bytes:
    record = report.season.record
    numbers = report.season.numbers
    summary = [
        ["GP", "W", "L", "OTL", "T", "GF", "GA", "PP goals/opp.", "PPGA/times SH"],
        [
            str(value)
            for value in (
                record.games_played,
                record.wins,
                record.losses,
                record.overtime_losses,
                record.ties,
                record.goals_for,
                record.goals_against,
                f"{numbers.power_play_goals}/{numbers.power_play_opportunities}",
                f"{numbers.power_play_goals_against}/{numbers.times_shorthanded}",
            )
        ],
    ]
    goals_for = [(float(index), float(game.goals_for)) for index, game in enumerate(report.games, start=1)]
    goals_against = [(float(index), float(game.goals_against)) for index, game in enumerate(report.games, start=1)]
    leaders = [["Player", "GP", "G", "A", "P"], *([str(player), gp, g, a, p] for player, gp, g, a, p in report.leaders)]
    parts: list[Any] = [
        Table(summary),
        Spacer(1, 12),
        _chart("Goals for (blue) and against (red) per game", [goals_for, goals_against]),
        Spacer(1, 12),
        Table(leaders),
    ]
    return _pdf(f"Team report - season {report.season_id}", parts)
