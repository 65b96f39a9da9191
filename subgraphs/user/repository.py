"""All SQL of the user service."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.user.models import Organization, ParentLink, Player, Team, TeamStaff, User


async def organization(session: AsyncSession, organization_id: uuid.UUID) -> Organization | None:
    return await session.get(Organization, organization_id)


async def organizations_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Organization]:
    return list(await session.scalars(select(Organization).where(Organization.id.in_(ids))))


async def teams_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Team]:
    return list(await session.scalars(select(Team).where(Team.id.in_(ids))))


async def teams_of_organization(session: AsyncSession, organization_id: uuid.UUID) -> list[Team]:
    return list(await session.scalars(select(Team).where(Team.organization_id == organization_id).order_by(Team.name)))


async def users_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[User]:
    return list(await session.scalars(select(User).where(User.id.in_(ids))))


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    result = await session.scalars(select(User).where(User.email == email.strip().lower()))
    return result.first()


async def users_of_organization(session: AsyncSession, organization_id: uuid.UUID) -> list[User]:
    return list(
        await session.scalars(
            select(User).where(User.organization_id == organization_id).order_by(User.last_name, User.first_name)
        )
    )


async def players_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Player]:
    return list(await session.scalars(select(Player).where(Player.id.in_(ids))))


async def players(
    session: AsyncSession, *, organization_id: uuid.UUID, team_id: uuid.UUID | None, include_inactive: bool
) -> list[Player]:
    query = select(Player).where(Player.organization_id == organization_id)
    if team_id is not None:
        query = query.where(Player.team_id == team_id)
    if not include_inactive:
        query = query.where(Player.is_active.is_(True))
    return list(await session.scalars(query.order_by(Player.jersey_number.nulls_last(), Player.last_name)))


async def players_of_teams(session: AsyncSession, team_ids: Sequence[uuid.UUID]) -> list[Player]:
    return list(
        await session.scalars(
            select(Player)
            .where(Player.team_id.in_(team_ids), Player.is_active.is_(True))
            .order_by(Player.jersey_number.nulls_last(), Player.last_name)
        )
    )


async def player_of_user(session: AsyncSession, user_id: uuid.UUID) -> Player | None:
    return (await session.scalars(select(Player).where(Player.user_id == user_id))).first()


async def staff_of_teams(session: AsyncSession, team_ids: Sequence[uuid.UUID]) -> list[TeamStaff]:
    return list(await session.scalars(select(TeamStaff).where(TeamStaff.team_id.in_(team_ids))))


async def staff_roles_of_user(session: AsyncSession, user_id: uuid.UUID) -> list[TeamStaff]:
    return list(await session.scalars(select(TeamStaff).where(TeamStaff.user_id == user_id)))


async def team_staff(session: AsyncSession, team_id: uuid.UUID, user_id: uuid.UUID) -> TeamStaff | None:
    return await session.get(TeamStaff, (team_id, user_id))


async def remove_team_staff(session: AsyncSession, team_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    result = await session.execute(delete(TeamStaff).where(TeamStaff.team_id == team_id, TeamStaff.user_id == user_id))
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def parent_links_of_parent(session: AsyncSession, parent_user_id: uuid.UUID) -> list[ParentLink]:
    return list(await session.scalars(select(ParentLink).where(ParentLink.parent_user_id == parent_user_id)))


async def parent_links_of_players(session: AsyncSession, player_ids: Sequence[uuid.UUID]) -> list[ParentLink]:
    return list(await session.scalars(select(ParentLink).where(ParentLink.player_id.in_(player_ids))))


async def parent_link(session: AsyncSession, parent_user_id: uuid.UUID, player_id: uuid.UUID) -> ParentLink | None:
    return await session.get(ParentLink, (parent_user_id, player_id))


async def remove_parent_link(session: AsyncSession, parent_user_id: uuid.UUID, player_id: uuid.UUID) -> bool:
    result = await session.execute(
        delete(ParentLink).where(ParentLink.parent_user_id == parent_user_id, ParentLink.player_id == player_id)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def add(session: AsyncSession, record: object) -> None:
    session.add(record)
    await session.flush()


# Plan usage --------------------------------------------------------------------------------------------


async def lock_organization(session: AsyncSession, organization_id: uuid.UUID) -> bool:
    """Hold the club's row until commit, so concurrent additions count against its plan one at a time."""
    found = await session.scalar(select(Organization.id).where(Organization.id == organization_id).with_for_update())
    return found is not None


async def usage(session: AsyncSession, organization_id: uuid.UUID) -> tuple[int, int, int]:
    """The club's teams, active players and active accounts, in one statement."""
    teams = select(func.count()).select_from(Team).where(Team.organization_id == organization_id)
    players = (
        select(func.count())
        .select_from(Player)
        .where(Player.organization_id == organization_id, Player.is_active.is_(True))
    )
    users = (
        select(func.count()).select_from(User).where(User.organization_id == organization_id, User.is_active.is_(True))
    )
    row = (
        await session.execute(select(teams.scalar_subquery(), players.scalar_subquery(), users.scalar_subquery()))
    ).one()
    return int(row[0]), int(row[1]), int(row[2])
