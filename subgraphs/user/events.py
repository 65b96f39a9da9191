"""Events the user service publishes; consumers keep their local rosters in step with them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.events import record_event
from subgraphs.user.models import Organization, Player, Team, TeamStaff, User

PRODUCER = "user"

ORGANIZATION_CREATED = "organization.created"
ORGANIZATION_UPDATED = "organization.updated"
"""A club was created or changed: its name and time zone (the envelope's `occurred_at` orders them)."""
PLAYER_ADDED = "player.added"
PLAYER_UPDATED = "player.updated"
PLAYER_REMOVED = "player.removed"
TEAM_CREATED = "team.created"
TEAM_UPDATED = "team.updated"
TEAM_STAFF_ASSIGNED = "team.staff_assigned"
"""A staff member was put on a team with a role (or their role there changed)."""
TEAM_STAFF_REMOVED = "team.staff_removed"
USER_CREATED = "user.created"
USER_UPDATED = "user.updated"
USER_DEACTIVATED = "user.deactivated"
PARENT_LINKED = "parent.linked"
PARENT_UNLINKED = "parent.unlinked"
PASSWORD_RESET_REQUESTED = "user.password_reset_requested"
"""Carries the plain reset token (single use, one hour): the notification that delivers it needs it."""
SESSIONS_REVOKED = "user.sessions_revoked"
"""Sign-in sessions ended early: verifiers refuse access tokens whose `sid` is listed, before they expire."""


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


async def player_changed(session: AsyncSession, type: str, player: Player, *, account_active: bool = True) -> None:
    """`account_active` is False while the player's own account is deactivated: roster copies
    (`shared.roster`) count the player active only when both the entry and the account are."""
    await record_event(
        session,
        producer=PRODUCER,
        type=type,
        data={**player_data(player), "account_active": account_active},
        organization_id=player.organization_id,
    )


async def organization_changed(session: AsyncSession, type: str, organization: Organization) -> None:
    """Services that count in the club's clock (quiet hours, digests) keep its time zone from these."""
    await record_event(
        session,
        producer=PRODUCER,
        type=type,
        data={"organization_id": organization.id, "name": organization.name, "time_zone": organization.time_zone},
        organization_id=organization.id,
    )


async def team_changed(session: AsyncSession, type: str, team: Team) -> None:
    await record_event(
        session,
        producer=PRODUCER,
        type=type,
        data={"team_id": team.id, "name": team.name, "category": team.category.value},
        organization_id=team.organization_id,
    )


async def team_staff_changed(session: AsyncSession, type: str, staff: TeamStaff, *, organization_id: uuid.UUID) -> None:
    """Who works with which team: services that notify a team's coaches keep a copy from these."""
    await record_event(
        session,
        producer=PRODUCER,
        type=type,
        data={"team_id": staff.team_id, "user_id": staff.user_id, "role": staff.role.value},
        organization_id=organization_id,
    )


async def user_changed(session: AsyncSession, type: str, user: User, *, player: Player | None = None) -> None:
    """`player` is the user's own roster entry, if they have one: a deactivated (or reactivated) account
    changes whether the roster copies count that player active, so the entry travels with the event."""
    await record_event(
        session,
        producer=PRODUCER,
        type=type,
        data={
            "user_id": user.id,
            # The payment service bills parents and adult players their team fees at this address.
            "email": user.email,
            "roles": [role.value for role in user.roles],
            "first_name": user.first_name,
            "last_name": user.last_name,
            "is_active": user.is_active,
            "player": None if player is None else {**player_data(player), "account_active": user.is_active},
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


async def password_reset_requested(session: AsyncSession, user: User, *, token: str, expires_at: datetime) -> None:
    await record_event(
        session,
        producer=PRODUCER,
        type=PASSWORD_RESET_REQUESTED,
        data={
            "user_id": user.id,
            "email": user.email,
            "first_name": user.first_name,
            "token": token,
            "expires_at": expires_at,
        },
        organization_id=user.organization_id,
    )


async def sessions_revoked(
    session: AsyncSession,
    user: User,
    *,
    session_ids: Sequence[uuid.UUID],
    revoked_at: datetime,
    reason: str,
) -> None:
    await record_event(
        session,
        producer=PRODUCER,
        type=SESSIONS_REVOKED,
        data={
            "user_id": user.id,
            "session_ids": [str(session_id) for session_id in session_ids],
            "revoked_at": revoked_at,
            "reason": reason,
        },
        organization_id=user.organization_id,
    )
