"""Player and team reports: the numbers a report shows, gathered under the same access rules as the
GraphQL reads they repeat. Rendering is in report_documents.py; the HTTP routes in report_routes.py.

A player report shows the season's totals, the points trend over the season's final games, and (for those
who may see training load: staff, the player, their parents) the last 28 days' daily load and ACWR.
A team report shows the record, the sheet numbers and the points leaders, with goals for and against
per game.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal, Role
from shared.errors import Forbidden, not_found
from subgraphs.statistics import analytics, report_repository, repository, service, workload, workload_repository
from subgraphs.statistics.models import (
    Game,
    GameStatus,
    LoadWindows,
    PlayerGameStats,
    ReportFormat,
    ReportKind,
    SkaterSeason,
    StoredReport,
    Workload,
)
from subgraphs.statistics.permissions import readable_organization, training_load_scope

REPORT_DAYS = 28
SCHEDULE_USER = uuid.UUID("00000000-0000-0000-0000-00000000057a")
"""The user id the weekly schedule reads as (the club's administrator of each club it reports on)."""


@dataclass(frozen=True, slots=True)
class GamePoints:
    game: Game
    line: PlayerGameStats


@dataclass(frozen=True, slots=True)
class PlayerReport:
    player_id: uuid.UUID
    season_id: uuid.UUID
    season: SkaterSeason | None
    games: list[GamePoints]
    """Oldest first."""
    load: list[tuple[date, int, Workload]] | None
    """Per day: the day's load and the ACWR on it; None when the caller may not see training load."""


@dataclass(frozen=True, slots=True)
class TeamReport:
    team_id: uuid.UUID
    season_id: uuid.UUID
    season: analytics.TeamSeason
    games: list[Game]
    """Final games, oldest first."""
    leaders: list[tuple[uuid.UUID, int, int, int, int]]
    """(player, games played, goals, assists, points), most points first."""


def _load_series(player_id: uuid.UUID, daily: dict[date, int], *, as_of: date) -> list[tuple[date, int, Workload]]:
    """Each of the last 28 days with its load and its ratio, from one read of 55 days of daily loads."""
    series = []
    for offset in range(REPORT_DAYS - 1, -1, -1):
        day = as_of - timedelta(days=offset)
        acute_days = [daily.get(day - timedelta(days=back), 0) for back in range(workload.ACUTE_DAYS)]
        chronic = sum(daily.get(day - timedelta(days=back), 0) for back in range(workload.CHRONIC_DAYS))
        windows = LoadWindows(
            player_id=player_id,
            acute=sum(acute_days),
            chronic=chronic,
            acute_squares=sum(load * load for load in acute_days),
        )
        series.append(
            (day, daily.get(day, 0), workload.workload_of(player_id, windows if chronic else None, as_of=day))
        )
    return series


async def player_report(
    session: AsyncSession, actor: Principal, *, player_id: uuid.UUID, season_id: uuid.UUID, as_of: date | None = None
) -> PlayerReport:
    scope = readable_organization(actor)
    seasons = await repository.skater_seasons(session, [(season_id, player_id)], organization_id=scope)
    logs = await repository.player_game_logs(session, [(season_id, player_id)], organization_id=scope, last=None)
    try:
        load_scope = training_load_scope(actor, player_id)
    except Forbidden:
        load = None
    else:
        end = as_of or workload.today()
        start = end - timedelta(days=REPORT_DAYS + workload.CHRONIC_DAYS - 2)
        days = await workload_repository.training_days(
            session, [player_id], organization_id=load_scope, start=start, end=end
        )
        load = _load_series(player_id, {row.day: row.load for row in days}, as_of=end)
    return PlayerReport(
        player_id=player_id,
        season_id=season_id,
        season=seasons[0] if seasons else None,
        games=[GamePoints(game=game, line=line) for line, game in reversed(logs)],
        load=load,
    )


async def team_report(
    session: AsyncSession, actor: Principal, *, team_id: uuid.UUID, season_id: uuid.UUID
) -> TeamReport:
    season = await analytics.team_season(session, actor, season_id=season_id, team_id=team_id)
    games = await service.list_games(session, actor, season_id=season_id, team_id=team_id, status=GameStatus.FINAL)
    leaders = await service.season_leaders(session, actor, season_id=season_id, team_id=team_id, first=10)
    return TeamReport(
        team_id=team_id,
        season_id=season_id,
        season=season,
        games=games,
        leaders=[(row.player_id, row.games_played, row.goals, row.assists, row.points) for row in leaders],
    )


# Stored reports ----------------------------------------------------------------------------------------


def can_store_reports(actor: Principal) -> bool:
    """Stored reports are a staff tool; players and parents download theirs on demand (report_routes.py)."""
    return actor.is_platform_admin or (actor.organization_id is not None and actor.is_staff)


def render(report: PlayerReport | TeamReport, format: ReportFormat) -> bytes:
    # Imported here: report_documents renders this module's report types, and imports them from here.
    from subgraphs.statistics import report_documents

    if isinstance(report, PlayerReport):
        return (
            report_documents.player_pdf(report) if format is ReportFormat.PDF else report_documents.player_csv(report)
        )
    return report_documents.team_pdf(report) if format is ReportFormat.PDF else report_documents.team_csv(report)


async def generate_report(
    session: AsyncSession,
    actor: Principal,
    *,
    kind: ReportKind,
    subject_id: uuid.UUID,
    season_id: uuid.UUID,
    format: ReportFormat,
) -> StoredReport:
    """Generate a report now and keep it for download."""
    if not can_store_reports(actor):
        raise Forbidden("stored reports are for the club's staff; download yours from /reports")
    organization = actor.require_organization()
    report: PlayerReport | TeamReport
    if kind is ReportKind.PLAYER:
        report = await player_report(session, actor, player_id=subject_id, season_id=season_id)
    else:
        report = await team_report(session, actor, team_id=subject_id, season_id=season_id)
    content = await asyncio.to_thread(render, report, format)
    stored = StoredReport(
        organization_id=organization,
        kind=kind,
        format=format,
        subject_id=subject_id,
        season_id=season_id,
        week_of=None,
        includes_training_load=isinstance(report, PlayerReport) and report.load is not None,
        requested_by=actor.user_id,
        content=content,
        size_bytes=len(content),
    )
    session.add(stored)
    await session.flush()
    return stored


async def list_reports(
    session: AsyncSession, actor: Principal, *, subject_id: uuid.UUID | None, first: int = 20
) -> list[StoredReport]:
    if not can_store_reports(actor):
        raise Forbidden("stored reports are for the club's staff")
    return await report_repository.reports(
        session,
        organization_id=readable_organization(actor),
        subject_id=subject_id,
        first=validation.integer(first, field="first", minimum=1, maximum=100),
    )


async def stored_report(session: AsyncSession, actor: Principal, report_id: uuid.UUID) -> StoredReport:
    """A stored report with its content, for the club's staff of its club."""
    found = await report_repository.report_with_content(session, report_id)
    if found is None or not actor.in_organization(found.organization_id):
        raise not_found("Report", report_id)
    if not can_store_reports(actor):
        raise Forbidden("stored reports are for the club's staff")
    return found


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


async def store_weekly_team_reports(session: AsyncSession, *, today: date) -> int:
    """The schedule's run: this week's PDF and CSV report of every team with a final game since the
    previous week's Monday, each read as the club's administrator would; returns how many were stored.
    A team whose games have not changed since its reports of the week were stored is not rendered again,
    so a restart or a second process costs a query, not a PDF per team."""
    monday = week_of(today)
    since = datetime.combine(monday - timedelta(days=7), time.min, tzinfo=UTC)
    # Games first, then reports: the order every writer takes them in, so the two reads never deadlock
    # with a writer (or a TRUNCATE) locking both.
    played = await report_repository.recently_played(session, since=since)
    if not played:
        return 0
    already = await report_repository.scheduled_team_reports(session, week_of=monday)
    stored = 0
    for organization, team, season, changed in played:
        if (stored_at := already.get((team, season))) is not None and stored_at >= changed:
            continue
        reader = Principal(user_id=SCHEDULE_USER, organization_id=organization, roles=frozenset({Role.CLUB_ADMIN}))
        report = await team_report(session, reader, team_id=team, season_id=season)
        for format in ReportFormat:
            await report_repository.store_scheduled(
                session,
                organization_id=organization,
                kind=ReportKind.TEAM,
                format=format,
                subject_id=team,
                season_id=season,
                week_of=monday,
                content=await asyncio.to_thread(render, report, format),
            )
            stored += 1
    return stored
