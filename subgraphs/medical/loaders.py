"""Per-request DataLoaders of the medical service: one SQL statement per batch.

Each loader reads within the caller's scope (their club's records). Callers check the role rules in
`permissions` before loading: the injuries loader writes access-log rows for what it returns.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from strawberry.dataloader import DataLoader

from shared.graphql import Ctx
from shared.graphql.loaders import many_per_key
from subgraphs.medical import injury_records, repository, return_to_play, service
from subgraphs.medical.models import (
    Injury,
    InjuryDocument,
    InjuryReport,
    InjuryStatus,
    Restriction,
    ReturnToPlayProtocol,
    ReturnToPlayStep,
    Treatment,
)
from subgraphs.medical.repository import PlayerFlags


@dataclass
class PlayerInjuries:
    roster_organization_id: uuid.UUID | None
    injuries: list[Injury] = field(default_factory=list)


def player_flags(info: Ctx) -> DataLoader[uuid.UUID, PlayerFlags]:
    context = info.context
    scope = service.scope_of(context.principal)

    async def load(ids: list[uuid.UUID]) -> list[PlayerFlags]:
        rows = await repository.player_flags(context.session, ids, scope=scope, day=service.today())
        found = {row.player_id: row for row in rows}  # one row per requested id, by construction
        return [found[player_id] for player_id in ids]

    return context.loader("medical.player_flags", load)


def current_restrictions(info: Ctx) -> DataLoader[uuid.UUID, list[Restriction]]:
    context = info.context
    scope = service.scope_of(context.principal)

    async def load(ids: list[uuid.UUID]) -> list[list[Restriction]]:
        rows = await repository.current_restrictions(context.session, ids, scope=scope, day=service.today())
        return many_per_key(rows, ids, lambda row: row.player_id)

    return context.loader("medical.current_restrictions", load)


def injuries_of_player(
    info: Ctx, status: InjuryStatus | None, fields: tuple[str, ...]
) -> DataLoader[uuid.UUID, PlayerInjuries]:
    """One loader per status filter (and selection, which the access log names), so
    `injuries(status: ACTIVE)` on 100 players is one statement."""
    context = info.context
    principal = context.principal
    scope = service.scope_of(principal)

    async def load(ids: list[uuid.UUID]) -> list[PlayerInjuries]:
        rows = await repository.injuries_of_players(
            context.session,
            ids,
            scope=scope,
            status=status,
            log=service.access_log(principal, "Player.injuries", fields),
        )
        found: dict[uuid.UUID, PlayerInjuries] = {}
        for player_id, roster_organization_id, injury in rows:
            entry = found.setdefault(player_id, PlayerInjuries(roster_organization_id))
            if injury is not None:
                entry.injuries.append(injury)
        return [found.get(player_id, PlayerInjuries(None)) for player_id in ids]

    return context.loader(("medical.injuries_of_player", status, fields), load)


def treatments(info: Ctx) -> DataLoader[uuid.UUID, list[Treatment]]:
    return info.context.grouped_loader("medical.treatments", repository.treatments_of_injuries, _of_injury)


def documents(info: Ctx) -> DataLoader[uuid.UUID, list[InjuryDocument]]:
    return info.context.grouped_loader("medical.documents", injury_records.documents, _of_injury)


def reports(info: Ctx) -> DataLoader[uuid.UUID, list[InjuryReport]]:
    return info.context.grouped_loader("medical.reports", injury_records.reports, _of_injury)


def protocols(info: Ctx) -> DataLoader[uuid.UUID, list[ReturnToPlayProtocol]]:
    return info.context.grouped_loader("medical.protocols", return_to_play.protocols_of_injuries, _of_injury)


def steps(info: Ctx) -> DataLoader[uuid.UUID, list[ReturnToPlayStep]]:
    return info.context.grouped_loader("medical.steps", return_to_play.steps, lambda row: row.protocol_id)


def _of_injury(row: Treatment | InjuryDocument | InjuryReport | ReturnToPlayProtocol) -> uuid.UUID:
    return row.injury_id


@dataclass(frozen=True)
class Shown:
    """One health-data value shown outside the reads that log themselves (a restriction's reason, a
    status note): logged together with the others of the request's tick, in one statement."""

    player_id: uuid.UUID
    organization_id: uuid.UUID
    injury_id: uuid.UUID | None
    field: str


def shown(info: Ctx, source: str) -> DataLoader[Shown, None]:
    context = info.context
    principal = context.principal

    async def load(keys: list[Shown]) -> list[None]:
        by_field: dict[str, list[Shown]] = {}
        for key in keys:
            by_field.setdefault(key.field, []).append(key)
        for field_name, group in by_field.items():
            await repository.log_accesses(
                context.session,
                service.access_log(principal, source, (field_name,)),
                [(key.player_id, key.organization_id, key.injury_id) for key in group],
            )
        return [None for _ in keys]

    return context.loader(("medical.shown", source), load)
