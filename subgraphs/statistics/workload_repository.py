"""The SQL of training loads: recording a completed workout's load, and the sums the workload reads need.

`organization_id` arguments scope a read to one club; None reads every club (platform administrators).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.roster import RosterEntry, roster_players
from subgraphs.statistics.models import LoadSource, LoadWindows, TrainingDay, TrainingLoad


def _in_club(organization_id: uuid.UUID | None) -> ColumnElement[bool]:
    if organization_id is None:
        return TrainingLoad.organization_id.is_not(None)
    return TrainingLoad.organization_id == organization_id


async def record_load(
    session: AsyncSession,
    *,
    event_id: uuid.UUID,
    organization_id: uuid.UUID,
    player_id: uuid.UUID,
    team_id: uuid.UUID | None,
    workout_id: uuid.UUID | None,
    workout_kind: str,
    completed_on: date,
    minutes: int,
    rpe: int | None,
    load: int,
    source: LoadSource,
) -> bool:
    """Add one completed workout; False when this event's load is recorded already (one atomic statement,
    so two deliveries racing each other still add it once)."""
    inserted = await session.execute(
        insert(TrainingLoad)
        .values(
            id=uuid.uuid4(),
            event_id=event_id,
            organization_id=organization_id,
            player_id=player_id,
            team_id=team_id,
            workout_id=workout_id,
            workout_kind=workout_kind,
            completed_on=completed_on,
            minutes=minutes,
            rpe=rpe,
            load=load,
            source=source,
        )
        .on_conflict_do_nothing(index_elements=[TrainingLoad.event_id])
        .returning(TrainingLoad.id)
    )
    return inserted.first() is not None


async def training_days(
    session: AsyncSession,
    player_ids: Sequence[uuid.UUID],
    *,
    organization_id: uuid.UUID | None,
    start: date,
    end: date,
) -> list[TrainingDay]:
    """The days of [start, end] on which the players trained, with the day's summed load: one statement."""
    query = (
        select(
            TrainingLoad.player_id,
            TrainingLoad.completed_on,
            func.sum(TrainingLoad.load),
            func.count(TrainingLoad.id),
        )
        .where(
            TrainingLoad.player_id.in_(player_ids),
            TrainingLoad.completed_on.between(start, end),
            _in_club(organization_id),
        )
        .group_by(TrainingLoad.player_id, TrainingLoad.completed_on)
        .order_by(TrainingLoad.player_id, TrainingLoad.completed_on)
    )
    return [
        TrainingDay(player_id=player_id, day=day, load=int(load), sessions=int(sessions))
        for player_id, day, load, sessions in await session.execute(query)
    ]


async def load_windows(
    session: AsyncSession,
    player_ids: Sequence[uuid.UUID],
    *,
    organization_id: uuid.UUID | None,
    as_of: date,
    acute_days: int,
    chronic_days: int,
) -> list[LoadWindows]:
    """Each player's load summed over the `acute_days` and the `chronic_days` ending on `as_of` (inclusive):
    one statement; players without load in the chronic window have no row."""
    acute_from = as_of - timedelta(days=acute_days - 1)
    daily = (
        select(
            TrainingLoad.player_id.label("player_id"),
            TrainingLoad.completed_on.label("day"),
            func.sum(TrainingLoad.load).label("load"),
        )
        .where(
            TrainingLoad.player_id.in_(player_ids),
            TrainingLoad.completed_on.between(as_of - timedelta(days=chronic_days - 1), as_of),
            _in_club(organization_id),
        )
        .group_by(TrainingLoad.player_id, TrainingLoad.completed_on)
        .subquery()
    )
    in_acute = daily.c.day >= acute_from
    query = select(
        daily.c.player_id,
        func.coalesce(func.sum(daily.c.load).filter(in_acute), 0),
        func.sum(daily.c.load),
        # The sum of squared daily loads of the acute week: with the sum, the week's standard deviation.
        func.coalesce(func.sum(daily.c.load * daily.c.load).filter(in_acute), 0),
    ).group_by(daily.c.player_id)
    return [
        LoadWindows(player_id=player_id, acute=int(acute), chronic=int(chronic), acute_squares=int(squares))
        for player_id, acute, chronic, squares in await session.execute(query)
    ]


async def active_team_players(
    session: AsyncSession, team_id: uuid.UUID, *, organization_id: uuid.UUID | None
) -> list[RosterEntry]:
    """The team's active players on the roster copy, within the club, by name."""
    query = select(roster_players).where(roster_players.c.team_id == team_id, roster_players.c.is_active)
    if organization_id is not None:
        query = query.where(roster_players.c.organization_id == organization_id)
    rows = await session.execute(
        query.order_by(roster_players.c.last_name, roster_players.c.first_name, roster_players.c.player_id)
    )
    return [RosterEntry.from_row(row) for row in rows.mappings()]
