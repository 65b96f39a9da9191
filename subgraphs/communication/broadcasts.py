"""Broadcasts: a coach or the club's administrators send one message to a team, everyone of a role or
chosen people; each recipient gets a notification and acknowledges it, and the sender sees who has."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal, Role
from shared.database import utcnow
from shared.errors import Forbidden, InvalidInput, Unauthenticated, not_found
from subgraphs.communication import outreach_repository, repository
from subgraphs.communication.models import (
    NOTIFICATION_BODY_MAX_LENGTH,
    NOTIFICATION_TITLE_MAX_LENGTH,
    Broadcast,
    BroadcastAudience,
    BroadcastRecipient,
    NotificationKind,
)
from subgraphs.communication.permissions import can_send_broadcast, can_view_broadcast_receipts
from subgraphs.communication.service import NOTIFICATION_RECIPIENTS_MAX, create_notifications

BROADCAST_ROLES = frozenset(
    {
        Role.PLAYER,
        Role.COACH,
        Role.ASSISTANT_COACH,
        Role.PHYSICAL_TRAINER,
        Role.MEDICAL_STAFF,
        Role.EQUIPMENT_MANAGER,
        Role.CLUB_ADMIN,
    }
)
"""Roles a broadcast can address: those this service knows the members of (players with an account and
team staff, from the user service's events)."""
SENT_MAX = 100


def _me(actor: Principal) -> uuid.UUID:
    if actor.user_id is None:
        raise Unauthenticated("sign in to send or read broadcasts")
    return actor.user_id


async def _audience(
    session: AsyncSession,
    actor: Principal,
    organization_id: uuid.UUID,
    *,
    audience: BroadcastAudience,
    team_id: uuid.UUID | None,
    role: Role | None,
    user_ids: Sequence[uuid.UUID],
) -> list[uuid.UUID]:
    if team_id is not None and not (actor.in_team(team_id) or actor.has_role(Role.CLUB_ADMIN)):
        raise Forbidden("coaches broadcast to their own teams")
    if audience is BroadcastAudience.TEAM:
        if team_id is None:
            raise InvalidInput("name the team", field="teamId")
        staff = await repository.team_staff_user_ids(session, organization_id, team_id)
        players = await repository.team_player_user_ids(session, organization_id, team_id)
        return [*players, *staff]
    if audience is BroadcastAudience.ROLE:
        if role is None or role not in BROADCAST_ROLES:
            raise InvalidInput("name a role: a player or a staff role", field="role")
        if role is Role.PLAYER:
            return await outreach_repository.player_user_ids(session, organization_id, team_id=team_id)
        return await outreach_repository.staff_user_ids(session, organization_id, roles=[role.value], team_id=team_id)
    if not user_ids:
        raise InvalidInput("name at least one recipient", field="userIds")
    return list(user_ids)


async def send_broadcast(
    session: AsyncSession,
    actor: Principal,
    *,
    title: str,
    body: str,
    audience: BroadcastAudience,
    team_id: uuid.UUID | None = None,
    role: Role | None = None,
    user_ids: Sequence[uuid.UUID] = (),
) -> Broadcast:
    organization_id = actor.require_organization()
    me = _me(actor)
    if not can_send_broadcast(actor, organization_id):
        raise Forbidden("only coaches and club administrators send broadcasts")
    title = validation.text(title, field="title", max_length=NOTIFICATION_TITLE_MAX_LENGTH)
    body = validation.text(body, field="body", max_length=NOTIFICATION_BODY_MAX_LENGTH)
    found = await _audience(
        session, actor, organization_id, audience=audience, team_id=team_id, role=role, user_ids=user_ids
    )
    recipients = [user for user in dict.fromkeys(found) if user != me]
    if not recipients:
        raise InvalidInput("nobody is in that audience yet", field="audience")
    if len(recipients) > NOTIFICATION_RECIPIENTS_MAX:
        raise InvalidInput(f"at most {NOTIFICATION_RECIPIENTS_MAX} recipients at a time", field="audience")
    broadcast_id = uuid.uuid4()
    notifications = await create_notifications(
        session,
        organization_id=organization_id,
        user_ids=recipients,
        kind=NotificationKind.ANNOUNCEMENT,
        title=title,
        body=body,
        link=f"/broadcasts/{broadcast_id}",
        sender_user_id=me,
    )
    by_user = {notification.user_id: notification.id for notification in notifications}
    return await outreach_repository.add_broadcast(
        session,
        Broadcast(
            id=broadcast_id,
            organization_id=organization_id,
            sender_user_id=me,
            title=title,
            body=body,
            audience=audience.value,
            team_id=team_id,
            role=role.value if role is not None else None,
            created_at=utcnow(),
        ),
        [
            BroadcastRecipient(broadcast_id=broadcast_id, user_id=user, notification_id=by_user.get(user))
            for user in recipients
        ],
    )


async def get_broadcast(session: AsyncSession, actor: Principal, broadcast_id: uuid.UUID) -> Broadcast:
    """For its sender, the club's administrators and its recipients; nobody else knows it exists."""
    found = await outreach_repository.broadcast(session, broadcast_id)
    if found is None or not actor.in_organization(found.organization_id):
        raise not_found("Broadcast", broadcast_id)
    if can_view_broadcast_receipts(actor, found):
        return found
    if actor.user_id is None or not await outreach_repository.is_broadcast_recipient(session, found.id, actor.user_id):
        raise not_found("Broadcast", broadcast_id)
    return found


async def acknowledge_broadcast(session: AsyncSession, actor: Principal, *, broadcast_id: uuid.UUID) -> Broadcast:
    """The recipient confirms they have read it; their notification counts as read too."""
    me = _me(actor)
    found = await outreach_repository.broadcast(session, broadcast_id)
    if found is None or not actor.in_organization(found.organization_id):
        raise not_found("Broadcast", broadcast_id)
    now = utcnow()
    receipt = await outreach_repository.acknowledge_broadcast(session, found.id, me, now)
    if receipt is None:
        raise not_found("Broadcast", broadcast_id)
    if receipt.notification_id is not None:
        await repository.mark_notification_read(
            session, receipt.notification_id, user_id=me, organization_id=found.organization_id, at=now
        )
    return found


async def sent_broadcasts(session: AsyncSession, actor: Principal, *, first: int = 20) -> list[Broadcast]:
    size = validation.integer(first, field="first", minimum=1, maximum=SENT_MAX)
    return await outreach_repository.sent_broadcasts(session, _me(actor), actor.require_organization(), size)
