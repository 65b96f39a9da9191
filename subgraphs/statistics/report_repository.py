"""The SQL of stored reports, and of which teams the weekly schedule reports on."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from shared.database import utcnow
from subgraphs.statistics.models import Game, GameStatus, ReportFormat, ReportKind, StoredReport


async def store_scheduled(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    kind: ReportKind,
    format: ReportFormat,
    subject_id: uuid.UUID,
    season_id: uuid.UUID,
    week_of: date,
    content: bytes,
) -> uuid.UUID:
    """Store the week's report, replacing the one of the same week: one atomic statement, so two
    processes running the schedule at once keep one report."""
    values = {
        "id": uuid.uuid4(),
        "organization_id": organization_id,
        "kind": kind,
        "format": format,
        "subject_id": subject_id,
        "season_id": season_id,
        "week_of": week_of,
        "includes_training_load": False,
        "requested_by": None,
        "content": content,
        "size_bytes": len(content),
    }
    inserted = insert(StoredReport).values(**values)
    statement = inserted.on_conflict_do_update(
        constraint="uq_reports_kind_subject_id_season_id_format_week_of",
        set_={
            "content": inserted.excluded.content,
            "size_bytes": inserted.excluded.size_bytes,
            "updated_at": utcnow(),
        },
    ).returning(StoredReport.id)
    stored: uuid.UUID = (await session.execute(statement)).scalar_one()
    return stored


async def reports(
    session: AsyncSession, *, organization_id: uuid.UUID | None, subject_id: uuid.UUID | None, first: int
) -> list[StoredReport]:
    """Newest first, without their content."""
    query = select(StoredReport)
    if organization_id is not None:
        query = query.where(StoredReport.organization_id == organization_id)
    if subject_id is not None:
        query = query.where(StoredReport.subject_id == subject_id)
    ordered = query.order_by(StoredReport.created_at.desc(), StoredReport.id.desc()).limit(first)
    return list(await session.scalars(ordered))


async def report_with_content(session: AsyncSession, report_id: uuid.UUID) -> StoredReport | None:
    query = select(StoredReport).where(StoredReport.id == report_id).options(undefer(StoredReport.content))
    return (await session.scalars(query)).first()


async def recently_played(
    session: AsyncSession, *, since: datetime
) -> Sequence[tuple[uuid.UUID, uuid.UUID, uuid.UUID, datetime]]:
    """(organization, team, season, last change of its games) of every team with a final game since `since`."""
    query = (
        select(Game.organization_id, Game.team_id, Game.season_id, func.max(Game.updated_at))
        .where(Game.status == GameStatus.FINAL, Game.starts_at >= since)
        .group_by(Game.organization_id, Game.team_id, Game.season_id)
        .order_by(Game.organization_id, Game.team_id, Game.season_id)
    )
    rows = await session.execute(query)
    return [(organization, team, season, changed) for organization, team, season, changed in rows]


async def scheduled_team_reports(
    session: AsyncSession, *, week_of: date
) -> dict[tuple[uuid.UUID, uuid.UUID], datetime]:
    """(team, season) -> when the week's reports were stored, for teams that have all of them (the oldest
    format's time)."""
    query = (
        select(StoredReport.subject_id, StoredReport.season_id, func.min(StoredReport.updated_at))
        .where(StoredReport.kind == ReportKind.TEAM, StoredReport.week_of == week_of)
        .group_by(StoredReport.subject_id, StoredReport.season_id)
        .having(func.count() == len(ReportFormat))
    )
    return {(team, season): stored for team, season, stored in await session.execute(query)}
