"""Principals for tests: who calls, in which club, with which teams, children and own player."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from shared.auth.principal import Principal, Role
from subgraphs.user.service import principal_for_email
from tests.support.services import ServicePool


def principal(
    *roles: Role,
    organization_id: uuid.UUID | None,
    user_id: uuid.UUID | None = None,
    teams: Iterable[uuid.UUID] = (),
    player_id: uuid.UUID | None = None,
    children: Iterable[uuid.UUID] = (),
    minor_children: Iterable[uuid.UUID] | None = None,
    email: str | None = None,
) -> Principal:
    kids = frozenset(children)
    return Principal(
        user_id=user_id or uuid.uuid4(),
        organization_id=organization_id,
        roles=frozenset(roles),
        team_ids=frozenset(teams),
        player_id=player_id,
        children=kids,
        minor_children=kids if minor_children is None else frozenset(minor_children),
        email=email,
    )


def platform_admin() -> Principal:
    return principal(Role.ADMIN, organization_id=None)


async def person(services: ServicePool, email: str) -> Principal:
    """The principal of a user of the user service (the demo club's, say), as a token would carry it."""
    user = await services.get("user")
    async with user.runtime.sessions() as session:
        return await principal_for_email(session, email)
