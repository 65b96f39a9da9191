"""Availability: the status medical staff set for a player (available, limited, load management, injured,
ill), with its history, and the team board coaches plan with. Coaches see status, restrictions, the
return-to-play phase and the expected return date; never a diagnosis or a note.

The status shown is the one medical staff set, unless the player's injuries or restrictions changed
after they set it (or nobody ever did): then it is the status those records imply
(`service.medical_status`), so a player set AVAILABLE last week and injured today shows INJURED.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.errors import Conflict, Forbidden, NotFound
from shared.roster import roster_entries, team_roster
from subgraphs.medical import events, repository, service
from subgraphs.medical.models import (
    AvailabilityChange,
    AvailabilityStatus,
    MedicalStatus,
    Restriction,
    ReturnToPlayPhase,
)
from subgraphs.medical.permissions import (
    can_view_availability,
    can_view_team_board,
    subject_organization,
)
from subgraphs.medical.repository import availability as availability_sql
from subgraphs.medical.repository import return_to_play as return_to_play_sql

MAX_HISTORY = 500

DERIVED = {
    MedicalStatus.AVAILABLE: AvailabilityStatus.AVAILABLE,
    MedicalStatus.LIMITED: AvailabilityStatus.LIMITED,
    MedicalStatus.INJURED: AvailabilityStatus.INJURED,
}


@dataclass(frozen=True, slots=True)
class BoardEntry:
    player_id: uuid.UUID
    status: AvailabilityStatus
    status_since: datetime | None
    """When medical staff set the status; None while it is derived from the records."""
    medical_status: MedicalStatus
    restrictions: list[Restriction]
    return_to_play_phase: ReturnToPlayPhase | None
    expected_return_on: date | None


async def set_availability(
    session: AsyncSession,
    actor: Principal,
    *,
    player_id: uuid.UUID,
    status: AvailabilityStatus,
    note: str | None = None,
) -> AvailabilityChange:
    organization = await service.organization_for_new_record(session, actor, player_id)
    note = validation.optional_text(note, field="note", max_length=1000)
    return await record_change(
        session, actor, player_id=player_id, organization_id=organization, status=status, note=note
    )


async def record_change(
    session: AsyncSession,
    actor: Principal,
    *,
    player_id: uuid.UUID,
    organization_id: uuid.UUID,
    status: AvailabilityStatus,
    note: str | None = None,
    unless_already: bool = False,
) -> AvailabilityChange:
    """Append a change (CONFLICT if the player already has that status, or nothing when `unless_already`)."""
    await availability_sql.lock_player(session, player_id)
    scope = repository.Scope(organization_id)
    current = await availability_sql.current_changes(session, [player_id], scope=scope)
    previous = current[0].status if current else None
    if previous is status and note is None:
        if unless_already:
            return current[0]
        raise Conflict(f"the player is already {status.value}", field="status")
    change = AvailabilityChange(
        organization_id=organization_id,
        player_id=player_id,
        status=status,
        previous_status=previous,
        changed_by=actor.user_id,
        note=note,
    )
    await repository.add(session, change)
    if note is not None:
        await service.log_write(
            session, actor, "setAvailability", ["note"], player_id=player_id, organization_id=organization_id
        )
    await events.availability_changed(session, change)
    return change


async def history(
    session: AsyncSession, actor: Principal, player_id: uuid.UUID, *, limit: int = 100
) -> list[AvailabilityChange]:
    """A player's changes of status, newest first: whoever may see the player's availability."""
    limit = validation.integer(limit, field="limit", minimum=1, maximum=MAX_HISTORY)
    entries = await roster_entries(session, [player_id])
    roster = entries[0].organization_id if entries else None
    if roster is not None and not actor.in_organization(roster):
        raise NotFound(f"Player {player_id} does not exist", field="playerId", details={"entity": "Player"})
    organization = subject_organization(actor, roster)
    if not can_view_availability(actor, player_id=player_id, organization_id=organization):
        raise Forbidden("availability is for the player, a minor's parents, coaching and medical staff")
    return await availability_sql.history(session, player_id, scope=service.scope_of(actor), limit=limit)


async def board(session: AsyncSession, actor: Principal, team_id: uuid.UUID) -> list[BoardEntry]:
    """The team's active players (by name) with their availability: the club's medical staff and
    physical trainers, and the team's coaches."""
    if not can_view_team_board(actor, team_id):
        raise Forbidden("the availability board is for the team's coaches, trainers and medical staff")
    organization = actor.organization_id
    players = [
        entry.player_id
        for entry in await team_roster(session, team_id)
        if entry.is_active and entry.organization_id == organization
    ]
    if not players or organization is None:
        return []
    return await entries(session, players, organization_id=organization)


async def entries(
    session: AsyncSession, player_ids: list[uuid.UUID], *, organization_id: uuid.UUID
) -> list[BoardEntry]:
    scope, day = repository.Scope(organization_id), service.today()
    changes = {row.player_id: row for row in await availability_sql.current_changes(session, player_ids, scope=scope)}
    records_changed = await availability_sql.records_changed_at(session, player_ids, scope=scope)
    flags = {row.player_id: row for row in await repository.player_flags(session, player_ids, scope=scope, day=day)}
    restrictions: dict[uuid.UUID, list[Restriction]] = {}
    for row in await repository.current_restrictions(session, player_ids, scope=scope, day=day):
        restrictions.setdefault(row.player_id, []).append(row)
    outlook = {row.player_id: row for row in await return_to_play_sql.outlook(session, player_ids, scope=scope)}
    board: list[BoardEntry] = []
    for player_id in player_ids:
        derived = service.medical_status(flags[player_id])
        change = changes.get(player_id)
        if change is not None and (stale := records_changed.get(player_id)) is not None and stale > change.changed_at:
            change = None
        seen = outlook.get(player_id)
        board.append(
            BoardEntry(
                player_id=player_id,
                status=change.status if change is not None else DERIVED[derived],
                status_since=change.changed_at if change is not None else None,
                medical_status=derived,
                restrictions=restrictions.get(player_id, []),
                return_to_play_phase=seen.phase if seen is not None else None,
                expected_return_on=seen.expected_return_on if seen is not None else None,
            )
        )
    return board
