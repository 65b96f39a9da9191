"""Events the user service publishes; consumers keep their local rosters in step with them."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.events import record_event
from subgraphs.user.models import Player, Team, User

PRODUCER = "user"

PLAYER_ADDED = "player.added"
PLAYER_UPDATED = "player.updated"
PLAYER_REMOVED = "player.removed"
TEAM_CREATED = "team.created"
TEAM_UPDATED = "team.updated"
USER_CREATED = "user.created"
USER_UPDATED = "user.updated"
USER_DEACTIVATED = "user.deactivated"
PARENT_LINKED = "parent.linked"
PARENT_UNLINKED = "parent.unlinked"


def player_data(player: Player) -> dict[str, Any]:
    return {
        "player_id": player.id,
        "team_id": player.team_id,
        "user_id": player.user_id,
        "first_name": player.first_name,
        "last_name": player.last_name,
        "birth_date": player.birth_date,
        "jersey_number": player.jersey_number,
        "position": player.position.value,
        "is_active": player.is_active,
    }


async def player_changed(session: AsyncSession, type: str, player: Player) -> None:
    await record_event(
        session,
        producer=PRODUCER,
        type=type,
        data=player_data(player),
        organization_id=player.organization_id,
    )


async def team_changed(session: AsyncSession, type: str, team: Team) -> None:
    await record_event(
        session,
        producer=PRODUCER,
        type=type,
        data={"team_id": team.id, "name": team.name, "category": team.category.value},
        organization_id=team.organization_id,
    )


async def user_changed(session: AsyncSession, type: str, user: User) -> None:
    await record_event(
        session,
        producer=PRODUCER,
        type=type,
        data={
            "user_id": user.id,
            "roles": [role.value for role in user.roles],
            "first_name": user.first_name,
            "last_name": user.last_name,
            "is_active": user.is_active,
        },
        organization_id=user.organization_id,
    )


async def parent_link_changed(session: AsyncSession, type: str, player: Player, parent_user_id: uuid.UUID) -> None:
    await record_event(
        session,
        producer=PRODUCER,
        type=type,
        data={"parent_user_id": parent_user_id, "player_id": player.id},
        organization_id=player.organization_id,
    )
