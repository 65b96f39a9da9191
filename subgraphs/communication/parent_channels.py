"""Private parent-coach channels and meeting requests.

A parent opens a channel with one of their child's coaches: a conversation only the two of them are in,
one per parent, coach and child. Either side proposes up to five times to meet; the other accepts one of
them or declines. Each request and answer notifies the other side."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal, Role
from shared.database import utcnow
from shared.errors import Conflict, Forbidden, InvalidInput, Unauthenticated, not_found
from subgraphs.communication import outreach_repository, parent_channel_repository, repository
from subgraphs.communication.models import (
    Conversation,
    ConversationKind,
    MeetingRequest,
    MeetingStatus,
    NotificationKind,
)
from subgraphs.communication.service import create_notifications, get_conversation

COACH_ROLES = ("coach", "assistant_coach")
PROPOSED_TIMES_MAX = 5
TOPIC_MAX_LENGTH = 200


def _me(actor: Principal) -> uuid.UUID:
    if actor.user_id is None:
        raise Unauthenticated("sign in to talk with your child's coach")
    return actor.user_id


async def open_channel(
    session: AsyncSession, actor: Principal, *, player_id: uuid.UUID, coach_user_id: uuid.UUID
) -> Conversation:
    """The parent's private conversation with one of their child's coaches: made once, the same after."""
    organization_id = actor.require_organization()
    me = _me(actor)
    if not (actor.has_role(Role.PARENT) and actor.is_guardian_of(player_id)):
        raise Forbidden("parents open a channel about their own child")
    team_id = await outreach_repository.player_team(session, organization_id, player_id)
    if team_id is None:
        raise not_found("Player", player_id)
    coaches = await outreach_repository.staff_user_ids(session, organization_id, roles=COACH_ROLES, team_id=team_id)
    if coach_user_id not in coaches:
        raise InvalidInput("coachUserId must be a coach of the child's team", field="coachUserId")
    existing = await parent_channel_repository.channel(session, me, coach_user_id, player_id)
    if existing is not None:
        return existing
    conversation = Conversation(
        organization_id=organization_id,
        kind=ConversationKind.GROUP,
        name="Parent and coach",
        created_by_user_id=me,
    )
    session.add(conversation)
    await session.flush()
    await repository.add_participants(session, conversation.id, [me, coach_user_id])
    # Two parents opening the same channel at once: the key lets one in; the other gets that one.
    if not await parent_channel_repository.add_channel(session, me, coach_user_id, player_id, conversation.id):
        await session.delete(conversation)
        await session.flush()
        found = await parent_channel_repository.channel(session, me, coach_user_id, player_id)
        if found is None:
            raise Conflict("the channel is being opened; try again", field="coachUserId")
        return found
    return conversation


async def _channel_conversation(
    session: AsyncSession, actor: Principal, conversation_id: uuid.UUID
) -> tuple[Conversation, uuid.UUID]:
    """A parent-coach conversation the caller is in, and the other side."""
    conversation = await get_conversation(session, actor, conversation_id)
    sides = await parent_channel_repository.sides(session, conversation.id)
    if sides is None:
        raise InvalidInput("meetings are requested in a parent-coach channel", field="conversationId")
    me = _me(actor)
    return conversation, sides[1] if sides[0] == me else sides[0]


async def request_meeting(
    session: AsyncSession,
    actor: Principal,
    *,
    conversation_id: uuid.UUID,
    topic: str,
    proposed_times: Sequence[datetime],
) -> MeetingRequest:
    conversation, other = await _channel_conversation(session, actor, conversation_id)
    subject = validation.text(topic, field="topic", max_length=TOPIC_MAX_LENGTH)
    times = sorted(dict.fromkeys(proposed_times))
    if not times or len(times) > PROPOSED_TIMES_MAX:
        raise InvalidInput(f"propose 1 to {PROPOSED_TIMES_MAX} times", field="proposedTimes")
    now = utcnow()
    if any(at.tzinfo is None or at <= now for at in times):
        raise InvalidInput("proposed times are in the future, with a time zone", field="proposedTimes")
    request = await parent_channel_repository.add_request(
        session,
        MeetingRequest(
            id=uuid.uuid4(),
            conversation_id=conversation.id,
            organization_id=conversation.organization_id,
            requested_by_user_id=_me(actor),
            requested_of_user_id=other,
            topic=subject,
            proposed_times=times,
            status=MeetingStatus.PENDING.value,
            created_at=now,
        ),
    )
    await create_notifications(
        session,
        organization_id=conversation.organization_id,
        user_ids=[other],
        kind=NotificationKind.MESSAGE,
        title="Meeting request",
        body=f"{subject}: {len(times)} proposed time{'s' if len(times) != 1 else ''}",
        link=f"/messages/{conversation.id}",
        sender_user_id=_me(actor),
    )
    return request


async def respond_to_meeting(
    session: AsyncSession,
    actor: Principal,
    *,
    request_id: uuid.UUID,
    accept_time: datetime | None,
) -> MeetingRequest:
    """The one asked accepts one of the proposed times, or declines (no time)."""
    me = _me(actor)
    request = await parent_channel_repository.request_for_update(session, request_id)
    if request is None:
        raise not_found("MeetingRequest", request_id)
    await get_conversation(session, actor, request.conversation_id)
    if request.requested_of_user_id != me:
        raise Forbidden("only the one asked answers a meeting request")
    if request.status != MeetingStatus.PENDING.value:
        raise Conflict("the meeting request was already answered", field="id")
    if accept_time is not None and accept_time not in request.proposed_times:
        raise InvalidInput("acceptTime must be one of the proposed times", field="acceptTime")
    request.status = (MeetingStatus.ACCEPTED if accept_time is not None else MeetingStatus.DECLINED).value
    request.accepted_time = accept_time
    request.responded_at = utcnow()
    await session.flush()
    answer = f"accepted for {accept_time.isoformat()}" if accept_time is not None else "declined"
    await create_notifications(
        session,
        organization_id=request.organization_id,
        user_ids=[request.requested_by_user_id],
        kind=NotificationKind.MESSAGE,
        title="Meeting request answered",
        body=f"{request.topic}: {answer}",
        link=f"/messages/{request.conversation_id}",
        sender_user_id=me,
    )
    return request
