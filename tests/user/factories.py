"""Keyword-only async factories for the user service, writing through its service layer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from shared.auth.principal import Principal, Role
from subgraphs.user import service as user_service
from subgraphs.user.models import (
    Handedness,
    Organization,
    ParentRelationship,
    Player,
    Position,
    Team,
    TeamCategory,
    User,
)
from tests.support.principals import platform_admin
from tests.support.services import RunningService

ADMIN = platform_admin()


async def make_organization(user: RunningService, *, name: str = "Test Club", slug: str | None = None) -> Organization:
    async with user.runtime.sessions() as session, session.begin():
        return await user_service.create_organization(
            session,
            ADMIN,
            name=name,
            slug=slug or f"club-{uuid.uuid4().hex[:8]}",
            time_zone="Europe/Stockholm",
        )


async def make_team(
    user: RunningService,
    *,
    organization: Organization,
    name: str | None = None,
    category: TeamCategory = TeamCategory.SENIOR,
) -> Team:
    async with user.runtime.sessions() as session, session.begin():
        return await user_service.create_team(
            session,
            ADMIN,
            name=name or f"Team {uuid.uuid4().hex[:6]}",
            category=category,
            organization_id=organization.id,
        )


async def make_user(
    user: RunningService,
    *,
    organization: Organization,
    roles: tuple[Role, ...] = (Role.COACH,),
    email: str | None = None,
    first_name: str = "Alex",
    last_name: str = "Berg",
) -> User:
    async with user.runtime.sessions() as session, session.begin():
        return await user_service.create_user(
            session,
            ADMIN,
            email=email or f"{uuid.uuid4().hex[:10]}@club.example",
            first_name=first_name,
            last_name=last_name,
            roles=roles,
            organization_id=organization.id,
        )


async def make_player(
    user: RunningService,
    *,
    organization: Organization,
    team: Team | None = None,
    number: int | None = None,
    position: Position = Position.CENTER,
    birth_date: date = date(2000, 5, 17),
    first_name: str = "Elias",
    last_name: str = "Lund",
    account: User | None = None,
) -> Player:
    async with user.runtime.sessions() as session, session.begin():
        return await user_service.add_player(
            session,
            ADMIN,
            first_name=first_name,
            last_name=last_name,
            birth_date=birth_date,
            position=position,
            shoots=Handedness.LEFT,
            team_id=team.id if team else None,
            jersey_number=number,
            user_id=account.id if account else None,
            organization_id=organization.id,
        )


async def link(user: RunningService, *, parent: User, player: Player) -> None:
    async with user.runtime.sessions() as session, session.begin():
        await user_service.link_parent(
            session,
            ADMIN,
            parent_user_id=parent.id,
            player_id=player.id,
            relationship=ParentRelationship.MOTHER,
        )


async def as_principal(user: RunningService, account: User) -> Principal:
    """The principal a real token for this account carries."""
    async with user.runtime.sessions() as session:
        return await user_service.principal_for_email(session, account.email)


@dataclass
class Club:
    organization: Organization
    team: Team
    admin: Principal
    coach: Principal
    coach_user: User


async def make_club(user: RunningService) -> Club:
    """A club with one team, a club administrator and the team's coach."""
    organization = await make_organization(user)
    team = await make_team(user, organization=organization)
    admin_user = await make_user(user, organization=organization, roles=(Role.CLUB_ADMIN,))
    coach_user = await make_user(user, organization=organization, roles=(Role.COACH,))
    async with user.runtime.sessions() as session, session.begin():
        await user_service.assign_team_staff(session, ADMIN, team_id=team.id, user_id=coach_user.id, role=Role.COACH)
    return Club(
        organization,
        team,
        await as_principal(user, admin_user),
        await as_principal(user, coach_user),
        coach_user,
    )
