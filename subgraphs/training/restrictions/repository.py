"""All SQL of the restrictions copy and the conflict flags."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ARRAY, Uuid, and_, bindparam, delete, exists, or_, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.training.models import (
    AssignmentStatus,
    Exercise,
    ExerciseAlternative,
    OverrideStatus,
    PlayerRestriction,
    PlayerWorkout,
    RestrictionConflict,
    RestrictionKind,
    RestrictionOverrideRequest,
    RestrictionSeverity,
    RestrictionSource,
    WorkoutCompliance,
)

_LOCK_PLAYERS = text(
    "SELECT pg_advisory_xact_lock(key) FROM ("
    " SELECT DISTINCT hashtextextended('training.restrictions:' || id::text, 0) AS key"
    " FROM unnest(:ids) AS id ORDER BY key"
    ") AS keys"
).bindparams(bindparam("ids", type_=ARRAY(Uuid)))


async def lock_players(session: AsyncSession, player_ids: Sequence[uuid.UUID]) -> None:
    """Serialize, per player, every change to their restrictions and workouts until the transaction ends.

    A restriction arriving while a workout is being assigned to the player would otherwise see neither the
    other's rows: the workout would be neither refused nor flagged. Locks are taken in one order, so two
    team assignments cannot deadlock.
    """
    if not player_ids:
        return
    await session.execute(_LOCK_PLAYERS, {"ids": sorted(set(player_ids))})


async def upsert_restriction(
    session: AsyncSession,
    *,
    id: uuid.UUID,
    organization_id: uuid.UUID,
    player_id: uuid.UUID,
    source: RestrictionSource,
    kind: RestrictionKind,
    severity: RestrictionSeverity,
    body_part: str | None,
    max_intensity_percent: int | None,
    starts_on: date,
    ends_on: date | None,
    expected_return_on: date | None,
    in_force: bool,
    occurred_at: datetime,
) -> bool:
    """Write the restriction unless an event newer than `occurred_at` already did; True when written.

    One atomic statement, so two deliveries racing each other still leave the newer state.
    """
    statement = insert(PlayerRestriction).values(
        id=id,
        organization_id=organization_id,
        player_id=player_id,
        source=source,
        kind=kind,
        severity=severity,
        body_part=body_part,
        max_intensity_percent=max_intensity_percent,
        starts_on=starts_on,
        ends_on=ends_on,
        expected_return_on=expected_return_on,
        in_force=in_force,
        source_occurred_at=occurred_at,
    )
    excluded = statement.excluded
    written = await session.execute(
        statement.on_conflict_do_update(
            index_elements=[PlayerRestriction.id],
            set_={
                "kind": excluded.kind,
                "severity": excluded.severity,
                "body_part": excluded.body_part,
                "max_intensity_percent": excluded.max_intensity_percent,
                "starts_on": excluded.starts_on,
                "ends_on": excluded.ends_on,
                "expected_return_on": excluded.expected_return_on,
                "in_force": excluded.in_force,
                "source_occurred_at": excluded.source_occurred_at,
            },
            where=PlayerRestriction.source_occurred_at <= excluded.source_occurred_at,
        ).returning(PlayerRestriction.id)
    )
    return written.first() is not None


async def restrictions_in_force(
    session: AsyncSession,
    player_ids: Sequence[uuid.UUID],
    *,
    organization_id: uuid.UUID | None = None,
    on_or_after: date | None = None,
) -> list[PlayerRestriction]:
    """The players' restrictions in force (of one club, when given); with `on_or_after`, only those not
    over before that day."""
    statement = select(PlayerRestriction).where(
        PlayerRestriction.player_id.in_(player_ids), PlayerRestriction.in_force.is_(True)
    )
    if organization_id is not None:
        statement = statement.where(PlayerRestriction.organization_id == organization_id)
    if on_or_after is not None:
        statement = statement.where(or_(PlayerRestriction.ends_on.is_(None), PlayerRestriction.ends_on >= on_or_after))
    return list(await session.scalars(statement.order_by(PlayerRestriction.player_id, PlayerRestriction.starts_on)))


async def open_player_workouts(session: AsyncSession, player_id: uuid.UUID, *, today: date) -> list[PlayerWorkout]:
    """The player's workouts to reflag: not completed (assigned, or skipped and still completable) and either
    not over yet or flagged, so that a lift also clears the flags of workouts whose days have passed."""
    flagged = exists().where(RestrictionConflict.player_workout_id == PlayerWorkout.id)
    return list(
        await session.scalars(
            select(PlayerWorkout).where(
                PlayerWorkout.player_id == player_id,
                PlayerWorkout.status != AssignmentStatus.COMPLETED,
                or_(PlayerWorkout.ends_on >= today, flagged),
            )
        )
    )


async def players_with_open_workout(session: AsyncSession, workout_id: uuid.UUID) -> list[uuid.UUID]:
    players = await session.scalars(
        select(PlayerWorkout.player_id)
        .where(PlayerWorkout.workout_id == workout_id, PlayerWorkout.status != AssignmentStatus.COMPLETED)
        .distinct()
        .order_by(PlayerWorkout.player_id)
    )
    return list(players)


async def replace_conflicts(
    session: AsyncSession,
    player_workout_ids: Sequence[uuid.UUID],
    conflicts: Sequence[tuple[uuid.UUID, uuid.UUID, str]],
) -> None:
    """Make the flags of these player workouts exactly `conflicts` (player workout, restriction, reason).

    Flags that stay keep their time and their `overridden` mark; those no restriction supports go.
    """
    if not player_workout_ids:
        return
    kept = [(workout, restriction) for workout, restriction, _ in conflicts]
    gone = delete(RestrictionConflict).where(RestrictionConflict.player_workout_id.in_(player_workout_ids))
    if kept:
        gone = gone.where(
            tuple_(RestrictionConflict.player_workout_id, RestrictionConflict.restriction_id).not_in(kept)
        )
    await session.execute(gone)
    if conflicts:
        await add_conflicts(session, conflicts, overridden=False)


async def add_conflicts(
    session: AsyncSession, conflicts: Sequence[tuple[uuid.UUID, uuid.UUID, str]], *, overridden: bool
) -> None:
    statement = insert(RestrictionConflict).values(
        [
            {"player_workout_id": workout, "restriction_id": restriction, "reason": reason, "overridden": overridden}
            for workout, restriction, reason in conflicts
        ]
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[RestrictionConflict.player_workout_id, RestrictionConflict.restriction_id],
            set_={"reason": statement.excluded.reason},
        )
    )


async def conflicts_of_player_workouts(
    session: AsyncSession, player_workout_ids: Sequence[uuid.UUID]
) -> list[tuple[RestrictionConflict, PlayerRestriction]]:
    rows = await session.execute(
        select(RestrictionConflict, PlayerRestriction)
        .join(PlayerRestriction, and_(PlayerRestriction.id == RestrictionConflict.restriction_id))
        .where(RestrictionConflict.player_workout_id.in_(player_workout_ids))
        .order_by(RestrictionConflict.flagged_at, RestrictionConflict.id)
    )
    return [(conflict, restriction) for conflict, restriction in rows]


# Compliance and override requests ----------------------------------------------------------------------


async def club_library(
    session: AsyncSession, organization_id: uuid.UUID
) -> tuple[list[Exercise], list[tuple[uuid.UUID, uuid.UUID]]]:
    """The club's exercises, and every (exercise, alternative) pair in the trainers' order: what adaptations
    may swap in. Two statements whatever the size of the library."""
    exercises = list(await session.scalars(select(Exercise).where(Exercise.organization_id == organization_id)))
    pairs = await session.execute(
        select(ExerciseAlternative.exercise_id, ExerciseAlternative.alternative_id)
        .join(Exercise, Exercise.id == ExerciseAlternative.exercise_id)
        .where(Exercise.organization_id == organization_id)
        .order_by(ExerciseAlternative.exercise_id, ExerciseAlternative.position)
    )
    return exercises, [(exercise, alternative) for exercise, alternative in pairs]


async def save_compliance(
    session: AsyncSession,
    player_workout_id: uuid.UUID,
    *,
    compliance: WorkoutCompliance,
    load_factor: Decimal,
    rest_factor: Decimal,
    adaptation: dict[str, Any],
) -> None:
    await session.execute(
        update(PlayerWorkout)
        .where(PlayerWorkout.id == player_workout_id)
        .values(compliance=compliance, load_factor=load_factor, rest_factor=rest_factor, adaptation=adaptation)
    )


async def override_requests_of(
    session: AsyncSession, player_workout_ids: Sequence[uuid.UUID]
) -> list[RestrictionOverrideRequest]:
    return list(
        await session.scalars(
            select(RestrictionOverrideRequest).where(
                RestrictionOverrideRequest.player_workout_id.in_(player_workout_ids)
            )
        )
    )


async def override_request(
    session: AsyncSession, request_id: uuid.UUID, *, for_update: bool = False
) -> RestrictionOverrideRequest | None:
    statement = select(RestrictionOverrideRequest).where(RestrictionOverrideRequest.id == request_id)
    if for_update:
        statement = statement.with_for_update()
    return (await session.scalars(statement)).first()


async def list_override_requests(
    session: AsyncSession, *, organization_id: uuid.UUID | None, status: OverrideStatus | None
) -> list[RestrictionOverrideRequest]:
    statement = select(RestrictionOverrideRequest)
    if organization_id is not None:
        statement = statement.where(RestrictionOverrideRequest.organization_id == organization_id)
    if status is not None:
        statement = statement.where(RestrictionOverrideRequest.status == status)
    return list(
        await session.scalars(
            statement.order_by(RestrictionOverrideRequest.requested_at, RestrictionOverrideRequest.id).limit(500)
        )
    )


async def accept_conflicts(session: AsyncSession, player_workout_id: uuid.UUID) -> None:
    """The medical staff approved an override: the workout's flags count as accepted."""
    await session.execute(
        update(RestrictionConflict)
        .where(RestrictionConflict.player_workout_id == player_workout_id)
        .values(overridden=True)
    )
