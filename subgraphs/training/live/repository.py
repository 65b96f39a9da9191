"""All SQL of live sessions.

Every change to a session first takes its row lock by bumping `version` (`bump`), so the changes of one
session run one after another and each committed state has its own version.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.training.models import (
    LiveParticipantStatus,
    LiveSession,
    LiveSessionPlayer,
    LiveSessionStatus,
)


async def add(session: AsyncSession, live: LiveSession, players: Sequence[LiveSessionPlayer]) -> None:
    session.add(live)
    await session.flush()
    session.add_all(players)
    await session.flush()


async def live_session(session: AsyncSession, session_id: uuid.UUID) -> LiveSession | None:
    found = await session.scalars(
        select(LiveSession).where(LiveSession.id == session_id).execution_options(populate_existing=True)
    )
    return found.first()


async def players_of(session: AsyncSession, session_id: uuid.UUID) -> list[LiveSessionPlayer]:
    return list(
        await session.scalars(
            select(LiveSessionPlayer)
            .where(LiveSessionPlayer.session_id == session_id)
            .order_by(LiveSessionPlayer.joined_at, LiveSessionPlayer.player_id)
            .execution_options(populate_existing=True)
        )
    )


async def participant(session: AsyncSession, session_id: uuid.UUID, player_id: uuid.UUID) -> LiveSessionPlayer | None:
    found = await session.scalars(
        select(LiveSessionPlayer).where(
            LiveSessionPlayer.session_id == session_id, LiveSessionPlayer.player_id == player_id
        )
    )
    return found.first()


async def bump(session: AsyncSession, session_id: uuid.UUID, *, at: datetime) -> LiveSession | None:
    """Lock an active session for a change and give the change the next version; None once it has ended."""
    bumped = await session.scalars(
        update(LiveSession)
        .where(LiveSession.id == session_id, LiveSession.status == LiveSessionStatus.ACTIVE)
        .values(version=LiveSession.version + 1, updated_at=at)
        .returning(LiveSession)
        .execution_options(populate_existing=True)
    )
    return bumped.first()


async def end(
    session: AsyncSession, session_id: uuid.UUID, *, at: datetime, by: uuid.UUID | None
) -> LiveSession | None:
    """End an active session (as a new version), atomically; None when it had already ended."""
    ended = await session.scalars(
        update(LiveSession)
        .where(LiveSession.id == session_id, LiveSession.status == LiveSessionStatus.ACTIVE)
        .values(
            status=LiveSessionStatus.ENDED,
            ended_at=at,
            ended_by=by,
            version=LiveSession.version + 1,
            updated_at=at,
        )
        .returning(LiveSession)
        .execution_options(populate_existing=True)
    )
    return ended.first()


async def report(
    session: AsyncSession,
    session_id: uuid.UUID,
    player_id: uuid.UUID,
    progress: Mapping[str, Any],
    *,
    at: datetime,
    by: uuid.UUID | None,
) -> LiveSessionPlayer | None:
    """The player's latest progress; None when they are not (or no longer) taking part."""
    reported = await session.scalars(
        update(LiveSessionPlayer)
        .where(
            LiveSessionPlayer.session_id == session_id,
            LiveSessionPlayer.player_id == player_id,
            LiveSessionPlayer.status == LiveParticipantStatus.ACTIVE,
        )
        .values(**progress, reported_at=at, reported_by=by)
        .returning(LiveSessionPlayer)
        .execution_options(populate_existing=True)
    )
    return reported.first()


async def join(
    session: AsyncSession,
    session_id: uuid.UUID,
    player_id: uuid.UUID,
    *,
    at: datetime,
    player_workout_id: uuid.UUID | None,
) -> LiveSessionPlayer | None:
    """Add the player, or bring back one who left; None when they are taking part already."""
    statement = insert(LiveSessionPlayer).values(
        id=uuid.uuid4(),
        session_id=session_id,
        player_id=player_id,
        status=LiveParticipantStatus.ACTIVE,
        joined_at=at,
        completion_percent=0,
        player_workout_id=player_workout_id,
    )
    statement = statement.on_conflict_do_update(
        index_elements=[LiveSessionPlayer.session_id, LiveSessionPlayer.player_id],
        set_={"status": LiveParticipantStatus.ACTIVE, "left_at": None},
        where=LiveSessionPlayer.status == LiveParticipantStatus.LEFT,
    )
    joined = await session.scalars(statement.returning(LiveSessionPlayer).execution_options(populate_existing=True))
    return joined.first()


async def leave(
    session: AsyncSession, session_id: uuid.UUID, player_id: uuid.UUID, *, at: datetime
) -> LiveSessionPlayer | None:
    """Mark a taking-part player gone; None when they were not taking part."""
    left = await session.scalars(
        update(LiveSessionPlayer)
        .where(
            LiveSessionPlayer.session_id == session_id,
            LiveSessionPlayer.player_id == player_id,
            LiveSessionPlayer.status == LiveParticipantStatus.ACTIVE,
        )
        .values(status=LiveParticipantStatus.LEFT, left_at=at)
        .returning(LiveSessionPlayer)
        .execution_options(populate_existing=True)
    )
    return left.first()


async def complete_taking_part(
    session: AsyncSession, session_id: uuid.UUID, *, at: datetime
) -> list[LiveSessionPlayer]:
    """Everyone still taking part when the session ends has completed it, at `at`."""
    done = await session.scalars(
        update(LiveSessionPlayer)
        .where(
            LiveSessionPlayer.session_id == session_id,
            LiveSessionPlayer.status == LiveParticipantStatus.ACTIVE,
        )
        .values(status=LiveParticipantStatus.COMPLETED, completed_at=at)
        .returning(LiveSessionPlayer)
        .execution_options(populate_existing=True)
    )
    return sorted(done, key=lambda row: (row.joined_at, row.player_id))
