"""Per-request DataLoaders of the user service: one SQL statement per batch."""

from __future__ import annotations

import uuid

from strawberry.dataloader import DataLoader

from shared.graphql import Ctx
from shared.graphql.loaders import many_per_key, one_per_key
from subgraphs.user import repository
from subgraphs.user.models import Organization, ParentLink, Player, Team, TeamStaff, User


def players(info: Ctx) -> DataLoader[uuid.UUID, Player | None]:
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[Player | None]:
        return one_per_key(await repository.players_by_ids(session, ids), ids, lambda row: row.id)

    return info.context.loader("user.players", load)


def teams(info: Ctx) -> DataLoader[uuid.UUID, Team | None]:
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[Team | None]:
        return one_per_key(await repository.teams_by_ids(session, ids), ids, lambda row: row.id)

    return info.context.loader("user.teams", load)


def users(info: Ctx) -> DataLoader[uuid.UUID, User | None]:
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[User | None]:
        return one_per_key(await repository.users_by_ids(session, ids), ids, lambda row: row.id)

    return info.context.loader("user.users", load)


def organizations(info: Ctx) -> DataLoader[uuid.UUID, Organization | None]:
    session = info.context.session

    async def load(ids: list[uuid.UUID]) -> list[Organization | None]:
        return one_per_key(await repository.organizations_by_ids(session, ids), ids, lambda row: row.id)

    return info.context.loader("user.organizations", load)


def roster_of_team(info: Ctx) -> DataLoader[uuid.UUID, list[Player]]:
    session = info.context.session

    async def load(team_ids: list[uuid.UUID]) -> list[list[Player]]:
        rows = await repository.players_of_teams(session, team_ids)
        return many_per_key(rows, team_ids, lambda row: row.team_id)  # type: ignore[arg-type, return-value]

    return info.context.loader("user.roster_of_team", load)


def staff_of_team(info: Ctx) -> DataLoader[uuid.UUID, list[TeamStaff]]:
    session = info.context.session

    async def load(team_ids: list[uuid.UUID]) -> list[list[TeamStaff]]:
        return many_per_key(await repository.staff_of_teams(session, team_ids), team_ids, lambda row: row.team_id)

    return info.context.loader("user.staff_of_team", load)


def parents_of_player(info: Ctx) -> DataLoader[uuid.UUID, list[ParentLink]]:
    session = info.context.session

    async def load(player_ids: list[uuid.UUID]) -> list[list[ParentLink]]:
        rows = await repository.parent_links_of_players(session, player_ids)
        return many_per_key(rows, player_ids, lambda row: row.player_id)

    return info.context.loader("user.parents_of_player", load)
