"""SQL of injuries, treatments, restrictions and the availability derived from them.

Reads of health records by other players' ids take a `Scope`: the organization whose records the caller
may see (None only for the platform administrator, who sees every club's). Lists that show injury details
write their access-log rows in the same statement (a data-modifying CTE), so logging costs no extra
round trip and cannot be skipped by a caller of the repository.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import (
    ColumnElement,
    String,
    Uuid,
    and_,
    column,
    exists,
    insert,
    literal,
    or_,
    select,
    update,
    values,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from shared.roster import roster_players
from subgraphs.medical.models import (
    AccessAction,
    HealthDataAccess,
    Injury,
    InjuryStatus,
    Restriction,
    RestrictionKind,
    Treatment,
)


@dataclass(frozen=True, slots=True)
class Scope:
    organization_id: uuid.UUID | None
    """The caller's organization; None means every organization (platform administrator)."""

    def of(self, organization_column: ColumnElement[uuid.UUID] | object) -> ColumnElement[bool]:
        if self.organization_id is None:
            return literal(True)
        return organization_column == self.organization_id  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class AccessLog:
    """Who is reading or writing, what and why, for the access-log rows health data writes; the rows add
    whose records (player, injury) and their club."""

    actor_user_id: uuid.UUID | None
    actor_roles: tuple[str, ...]
    source: str
    request_id: str | None
    fields: tuple[str, ...] = ()
    action: AccessAction = AccessAction.READ


@dataclass(frozen=True, slots=True)
class PlayerFlags:
    """What availability is derived from, for one requested player."""

    player_id: uuid.UUID
    roster_organization_id: uuid.UUID | None
    active_injury: bool
    recovering_injury: bool
    current_restriction: bool
    rest_restriction: bool


def _requested(player_ids: Sequence[uuid.UUID]) -> object:
    return values(column("player_id", Uuid), name="requested").data([(pid,) for pid in player_ids])


def current_on(day: date) -> ColumnElement[bool]:
    """A restriction in force on `day`: started, not ended, not lifted."""
    return and_(
        Restriction.starts_on <= day,
        or_(Restriction.ends_on.is_(None), Restriction.ends_on >= day),
        Restriction.lifted_at.is_(None),
    )


# Availability ------------------------------------------------------------------------------------------


async def player_flags(
    session: AsyncSession, player_ids: Sequence[uuid.UUID], *, scope: Scope, day: date
) -> list[PlayerFlags]:
    """One row per requested player: its club (when the roster knows it) and what it is held back by."""
    requested = _requested(player_ids)
    player = requested.c.player_id  # type: ignore[attr-defined]

    def injury_with(status: InjuryStatus) -> ColumnElement[bool]:
        return exists().where(Injury.player_id == player, Injury.status == status, scope.of(Injury.organization_id))

    def restriction_where(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
        return exists().where(
            Restriction.player_id == player,
            current_on(day),
            scope.of(Restriction.organization_id),
            *conditions,
        )

    rows = await session.execute(
        select(
            player.label("player_id"),
            roster_players.c.organization_id,
            injury_with(InjuryStatus.ACTIVE).label("active_injury"),
            injury_with(InjuryStatus.RECOVERING).label("recovering_injury"),
            restriction_where().label("current_restriction"),
            restriction_where(Restriction.kind == RestrictionKind.REST).label("rest_restriction"),
        ).select_from(
            requested.outerjoin(roster_players, roster_players.c.player_id == player)  # type: ignore[attr-defined]
        )
    )
    return [
        PlayerFlags(
            player_id=row.player_id,
            roster_organization_id=row.organization_id,
            active_injury=row.active_injury,
            recovering_injury=row.recovering_injury,
            current_restriction=row.current_restriction,
            rest_restriction=row.rest_restriction,
        )
        for row in rows
    ]


async def current_restrictions(
    session: AsyncSession, player_ids: Sequence[uuid.UUID], *, scope: Scope, day: date
) -> list[Restriction]:
    return list(
        await session.scalars(
            select(Restriction)
            .where(
                Restriction.player_id.in_(player_ids),
                current_on(day),
                scope.of(Restriction.organization_id),
            )
            .order_by(Restriction.starts_on, Restriction.created_at)
        )
    )


# Injuries ----------------------------------------------------------------------------------------------


def _log_players(
    rows: object,
    log: AccessLog,
    *,
    player: ColumnElement[uuid.UUID],
    organization: ColumnElement[uuid.UUID],
    injury: ColumnElement[uuid.UUID] | None,
) -> object:
    """`INSERT INTO health_data_access ... SELECT` over the rows a read shows, as a CTE of that read."""
    columns = [
        player.label("player_id"),
        organization.label("organization_id"),
        (injury if injury is not None else literal(None, Uuid)).label("injury_id"),
        literal(log.actor_user_id, Uuid).label("actor_user_id"),
        literal(list(log.actor_roles), ARRAY(String(40))).label("actor_roles"),
        literal(log.source, String(80)).label("source"),
        literal(log.action.value, String(10)).cast(HealthDataAccess.action.type).label("action"),
        literal(list(log.fields), ARRAY(String(60))).label("fields"),
        literal(log.request_id, String(64)).label("request_id"),
    ]
    shown = select(*columns).select_from(rows).distinct()  # type: ignore[arg-type]
    return (
        insert(HealthDataAccess)
        .from_select(
            [
                "player_id",
                "organization_id",
                "injury_id",
                "actor_user_id",
                "actor_roles",
                "source",
                "action",
                "fields",
                "request_id",
            ],
            shown,
        )
        .cte("logged_access")
    )


async def injuries_of_players(
    session: AsyncSession,
    player_ids: Sequence[uuid.UUID],
    *,
    scope: Scope,
    status: InjuryStatus | None,
    log: AccessLog,
) -> list[tuple[uuid.UUID, uuid.UUID | None, Injury | None]]:
    """(player, roster organization, injury or None) for every requested player, newest injury first;
    logs one access row per player whose injuries it returns."""
    requested = _requested(player_ids)
    player = requested.c.player_id  # type: ignore[attr-defined]
    visible = [scope.of(Injury.organization_id)]
    if status is not None:
        visible.append(Injury.status == status)
    matches = and_(Injury.player_id == player, *visible)
    shown = (
        select(Injury.player_id, Injury.organization_id)
        .where(Injury.player_id.in_(player_ids), *visible)
        .subquery("shown")
    )
    statement = (
        select(player.label("player_id"), roster_players.c.organization_id, Injury)
        .select_from(
            requested.outerjoin(roster_players, roster_players.c.player_id == player).outerjoin(  # type: ignore[attr-defined]
                Injury, matches
            )
        )
        .order_by(player, Injury.occurred_on.desc(), Injury.created_at.desc())
        .add_cte(
            _log_players(
                shown,
                log,
                player=shown.c.player_id,  # type: ignore[arg-type]
                organization=shown.c.organization_id,
                injury=None,
            )
        )
    )
    rows = await session.execute(statement)
    return [(row.player_id, row.organization_id, row.Injury) for row in rows]


async def injury(session: AsyncSession, injury_id: uuid.UUID, *, for_update: bool = False) -> Injury | None:
    statement = select(Injury).where(Injury.id == injury_id)
    if for_update:
        statement = statement.with_for_update()
    return (await session.scalars(statement)).first()


async def injuries_by_ids(session: AsyncSession, injury_ids: Sequence[uuid.UUID], *, scope: Scope) -> list[Injury]:
    return list(
        await session.scalars(select(Injury).where(Injury.id.in_(injury_ids), scope.of(Injury.organization_id)))
    )


async def list_injuries(
    session: AsyncSession,
    *,
    scope: Scope,
    player_ids: Sequence[uuid.UUID] | None,
    status: InjuryStatus | None,
    limit: int,
    log: AccessLog,
) -> list[Injury]:
    """Injuries of the caller's club (optionally of some players, with a status), newest first, logged."""
    conditions: list[ColumnElement[bool]] = [scope.of(Injury.organization_id)]
    if player_ids is not None:
        conditions.append(Injury.player_id.in_(player_ids))
    if status is not None:
        conditions.append(Injury.status == status)
    page = (
        select(Injury.id, Injury.player_id, Injury.organization_id)
        .where(*conditions)
        .order_by(Injury.occurred_on.desc(), Injury.created_at.desc())
        .limit(limit)
        .subquery("page")
    )
    statement = (
        select(Injury)
        .join(page, page.c.id == Injury.id)
        .order_by(Injury.occurred_on.desc(), Injury.created_at.desc())
        .add_cte(
            _log_players(
                page,
                log,
                player=page.c.player_id,  # type: ignore[arg-type]
                organization=page.c.organization_id,
                injury=page.c.id,
            )
        )
    )
    return list(await session.scalars(statement))


async def log_access(
    session: AsyncSession,
    log: AccessLog,
    *,
    player_id: uuid.UUID,
    organization_id: uuid.UUID | None,
    injury_id: uuid.UUID | None = None,
) -> None:
    await log_accesses(session, log, [(player_id, organization_id, injury_id)])


async def log_accesses(
    session: AsyncSession,
    log: AccessLog,
    subjects: Sequence[tuple[uuid.UUID, uuid.UUID | None, uuid.UUID | None]],
) -> None:
    """One access-log row per (player, organization, injury), in one statement."""
    if not subjects:
        return
    await session.execute(
        insert(HealthDataAccess).values(
            [
                {
                    "actor_user_id": log.actor_user_id,
                    "actor_roles": list(log.actor_roles),
                    "organization_id": organization_id,
                    "player_id": player_id,
                    "injury_id": injury_id,
                    "source": log.source,
                    "action": log.action,
                    "fields": list(log.fields),
                    "request_id": log.request_id,
                }
                for player_id, organization_id, injury_id in subjects
            ]
        )
    )


async def treatments_of_injuries(session: AsyncSession, injury_ids: Sequence[uuid.UUID]) -> list[Treatment]:
    return list(
        await session.scalars(
            select(Treatment)
            .where(Treatment.injury_id.in_(injury_ids))
            .order_by(Treatment.treated_on, Treatment.created_at)
        )
    )


# Restrictions ------------------------------------------------------------------------------------------


async def restriction(
    session: AsyncSession, restriction_id: uuid.UUID, *, for_update: bool = False
) -> Restriction | None:
    statement = select(Restriction).where(Restriction.id == restriction_id)
    if for_update:
        statement = statement.with_for_update()
    return (await session.scalars(statement)).first()


async def lift_restriction(
    session: AsyncSession, restriction_id: uuid.UUID, *, lifted_at: datetime, lifted_by: uuid.UUID | None
) -> Restriction | None:
    """Lift a restriction that is not lifted yet, atomically; None when it already was."""
    lifted = await session.scalars(
        update(Restriction)
        .where(Restriction.id == restriction_id, Restriction.lifted_at.is_(None))
        .values(lifted_at=lifted_at, lifted_by=lifted_by, updated_at=lifted_at)
        .returning(Restriction)
        .execution_options(synchronize_session="fetch")
    )
    return lifted.first()


async def lift_restrictions_of_injury(
    session: AsyncSession, injury_id: uuid.UUID, *, lifted_at: datetime, lifted_by: uuid.UUID | None
) -> list[Restriction]:
    lifted = await session.scalars(
        update(Restriction)
        .where(Restriction.injury_id == injury_id, Restriction.lifted_at.is_(None))
        .values(lifted_at=lifted_at, lifted_by=lifted_by, updated_at=lifted_at)
        .returning(Restriction)
        .execution_options(synchronize_session="fetch")
    )
    return list(lifted)


async def add(session: AsyncSession, record: object) -> None:
    session.add(record)
    await session.flush()
