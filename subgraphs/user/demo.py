"""The demo club's organization, teams, people, roster and parent links; in development mode every demo
person signs in with the password `DEMO_PASSWORD`."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from shared.demo import DemoClub, DemoPerson
from shared.settings import Mode, get_settings
from subgraphs.user import repository
from subgraphs.user.identity.models import Credential
from subgraphs.user.identity.passwords import hash_password
from subgraphs.user.models import (
    Handedness,
    Organization,
    ParentLink,
    ParentRelationship,
    Player,
    Position,
    Team,
    TeamCategory,
    TeamStaff,
    User,
)

DEMO_PASSWORD = "hockey-hub-demo"


def _user(person: DemoPerson, club: DemoClub) -> User:
    return User(
        id=person.id,
        organization_id=None if person is club.platform_admin else club.organization_id,
        email=person.email,
        first_name=person.first_name,
        last_name=person.last_name,
        roles=list(person.roles),
    )


async def load_demo(session: AsyncSession, club: DemoClub) -> bool:
    if await repository.organization(session, club.organization_id) is not None:
        return False
    session.add(
        Organization(
            id=club.organization_id,
            name=club.organization_name,
            slug=club.organization_slug,
            time_zone=club.time_zone,
            primary_color="#0B3D91",
        )
    )
    await session.flush()
    session.add_all(
        Team(
            id=team.id,
            organization_id=club.organization_id,
            name=team.name,
            category=TeamCategory(team.category),
            age_group=team.age_group,
        )
        for team in club.teams
    )
    people = [
        club.platform_admin,
        *club.staff,
        *(p.user for p in club.players),
        *(p.user for p in club.parents),
    ]
    session.add_all(_user(person, club) for person in people)
    await session.flush()
    if get_settings().mode is Mode.DEVELOPMENT:
        # Hashed here, never stored in the code; one hash for all, since they all share the password anyway.
        password_hash = await hash_password(DEMO_PASSWORD)
        session.add_all(Credential(user_id=person.id, password_hash=password_hash) for person in people)
        await session.flush()
    session.add_all(
        TeamStaff(team_id=team_id, user_id=person.id, role=person.staff_role)
        for person in club.staff
        if person.staff_role is not None
        for team_id in person.team_ids
    )
    session.add_all(
        Player(
            id=player.id,
            organization_id=club.organization_id,
            team_id=player.team_id,
            user_id=player.user.id,
            first_name=player.first_name,
            last_name=player.last_name,
            birth_date=player.birth_date,
            jersey_number=player.jersey_number,
            position=Position(player.position),
            shoots=Handedness(player.shoots),
            height_cm=player.height_cm,
            weight_kg=player.weight_kg,
        )
        for player in club.players
    )
    await session.flush()
    session.add_all(
        ParentLink(
            parent_user_id=parent.user.id,
            player_id=child_id,
            relationship=ParentRelationship(parent.relationship),
            is_primary_contact=True,
        )
        for parent in club.parents
        for child_id in parent.child_ids
    )
    await session.flush()
    return True
