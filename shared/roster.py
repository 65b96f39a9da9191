"""A local copy of the user service's roster, for any service that needs to know a player's club and team.

The user service owns players; other services keep this read-only copy, fed by its `player.added`,
`player.updated` and `player.removed` events, and by `user.deactivated` / `user.updated` for a player's
own account: those carry the player's entry (`data.player`), and the copy counts a player active only
while both the entry and the account are (`account_active`). Like the kernel tables
(`shared.database.kernel`), the `roster_players` table is defined once here and copied into the MetaData
of each subgraph that keeps the copy (`include_roster_table`), so that service's migrations create it and
this module addresses it by the same Table object:

    include_roster_table(Base.metadata)                   # models.py
    Subgraph(..., event_handlers=ROSTER_EVENT_HANDLERS)   # app.py
    await roster_entries(session, player_ids)             # service.py: reads, as RosterEntry

Events can arrive late and out of order (redelivery, a broker outage), so every write carries the time
of the event it came from, and an older event never overwrites what a newer one wrote.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Column, DateTime, Index, MetaData, RowMapping, String, Table, Uuid, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.database.models import new_metadata
from shared.demo import DemoClub
from shared.events.consumer import DomainHandler
from shared.events.envelope import Event

PLAYER_ADDED = "player.added"
PLAYER_UPDATED = "player.updated"
PLAYER_REMOVED = "player.removed"
USER_UPDATED = "user.updated"
USER_DEACTIVATED = "user.deactivated"

NAME_LENGTH = 100

_roster_metadata = new_metadata()

roster_players = Table(
    "roster_players",
    _roster_metadata,
    Column("player_id", Uuid, primary_key=True),
    Column("organization_id", Uuid, nullable=False, index=True),
    Column("team_id", Uuid, nullable=True),
    Column("first_name", String(NAME_LENGTH), nullable=False),
    Column("last_name", String(NAME_LENGTH), nullable=False),
    Column("is_active", Boolean, nullable=False),
    Column("source_occurred_at", DateTime(timezone=True), nullable=False),
    # A team's active players: how assignments to a whole team are expanded.
    Index("ix_roster_players_team_active", "team_id", "is_active"),
)
"""One row per player the user service announced; `source_occurred_at` is when the event that last
changed the row happened."""


def include_roster_table(metadata: MetaData) -> None:
    """Copy the roster table into a subgraph's MetaData so its migrations create it."""
    roster_players.to_metadata(metadata)


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """One player as the roster copy knows them."""

    player_id: uuid.UUID
    organization_id: uuid.UUID
    team_id: uuid.UUID | None
    first_name: str
    last_name: str
    is_active: bool
    source_occurred_at: datetime

    @classmethod
    def from_row(cls, row: RowMapping) -> RosterEntry:
        return cls(
            player_id=row["player_id"],
            organization_id=row["organization_id"],
            team_id=row["team_id"],
            first_name=row["first_name"],
            last_name=row["last_name"],
            is_active=row["is_active"],
            source_occurred_at=row["source_occurred_at"],
        )


# Writes ------------------------------------------------------------------------------------------------


async def upsert_roster_entry(
    session: AsyncSession,
    *,
    player_id: uuid.UUID,
    organization_id: uuid.UUID,
    team_id: uuid.UUID | None,
    occurred_at: datetime,
    first_name: str = "",
    last_name: str = "",
    is_active: bool = True,
) -> None:
    """Insert or update one player's row, unless an event newer than `occurred_at` already wrote it.

    One atomic statement, so two deliveries racing each other still leave the newer state.
    """
    statement = insert(roster_players).values(
        player_id=player_id,
        organization_id=organization_id,
        team_id=team_id,
        first_name=first_name[:NAME_LENGTH],
        last_name=last_name[:NAME_LENGTH],
        is_active=is_active,
        source_occurred_at=occurred_at,
    )
    excluded = statement.excluded
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[roster_players.c.player_id],
            set_={
                "organization_id": excluded.organization_id,
                "team_id": excluded.team_id,
                "first_name": excluded.first_name,
                "last_name": excluded.last_name,
                "is_active": excluded.is_active,
                "source_occurred_at": excluded.source_occurred_at,
            },
            where=roster_players.c.source_occurred_at <= excluded.source_occurred_at,
        )
    )


def _uuid(value: Any) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(str(value))


async def apply_player_event(session: AsyncSession, event: Event) -> None:
    """`player.added` / `player.updated` / `player.removed` from the user service: keep the copy in step.
    `user.deactivated` / `user.updated` of an account that is a player do the same with the player's entry
    they carry; those of other accounts change nothing.

    A removed player, or one whose account is deactivated, stays on the copy, inactive, so records about
    them still name their club.
    """
    data: Mapping[str, Any] = event.data
    if event.type in (USER_UPDATED, USER_DEACTIVATED):
        entry = data.get("player")
        if not isinstance(entry, Mapping):
            return  # the account is not a player's
        data = entry
    player_id = _uuid(data.get("player_id"))
    if player_id is None or event.organization_id is None:
        return  # not a roster event a service can place in a club
    await upsert_roster_entry(
        session,
        player_id=player_id,
        organization_id=event.organization_id,
        team_id=_uuid(data.get("team_id")),
        first_name=str(data.get("first_name") or ""),
        last_name=str(data.get("last_name") or ""),
        is_active=event.type != PLAYER_REMOVED
        and bool(data.get("is_active", True))
        and bool(data.get("account_active", True)),
        occurred_at=event.occurred_at,
    )


ROSTER_EVENT_HANDLERS: Mapping[str, DomainHandler] = {
    PLAYER_ADDED: apply_player_event,
    PLAYER_UPDATED: apply_player_event,
    PLAYER_REMOVED: apply_player_event,
    USER_UPDATED: apply_player_event,
    USER_DEACTIVATED: apply_player_event,
}
"""For `Subgraph(event_handlers=...)` of a service that keeps the copy (merge it with its own handlers)."""


# Reads -------------------------------------------------------------------------------------------------


async def roster_entries(session: AsyncSession, player_ids: Sequence[uuid.UUID]) -> list[RosterEntry]:
    """The entries of those players the copy knows (active or not), in no particular order."""
    if not player_ids:
        return []
    rows = await session.execute(select(roster_players).where(roster_players.c.player_id.in_(player_ids)))
    return [RosterEntry.from_row(row) for row in rows.mappings()]


async def team_roster(session: AsyncSession, team_id: uuid.UUID) -> list[RosterEntry]:
    """Everyone the copy has on the team, active or not (the caller checks club and activity), by name."""
    rows = await session.execute(
        select(roster_players)
        .where(roster_players.c.team_id == team_id)
        .order_by(roster_players.c.last_name, roster_players.c.first_name, roster_players.c.player_id)
    )
    return [RosterEntry.from_row(row) for row in rows.mappings()]


async def copy_demo_roster(session: AsyncSession, club: DemoClub, *, occurred_at: datetime) -> None:
    """The demo club's roster copy in a service that keeps one, as the user service's player events would
    have left it (the demo loads each service's data directly, without events)."""
    for player in club.players:
        await upsert_roster_entry(
            session,
            player_id=player.id,
            organization_id=club.organization_id,
            team_id=player.team_id,
            first_name=player.first_name,
            last_name=player.last_name,
            occurred_at=occurred_at,
        )
