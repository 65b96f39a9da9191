"""All SQL of the communication service."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Uuid,
    and_,
    bindparam,
    case,
    exists,
    false,
    func,
    or_,
    select,
    true,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.database.copies import upsert_newer
from shared.roster import roster_players
from subgraphs.communication.models import (
    CalendarEventNotice,
    Conversation,
    ConversationKind,
    ConversationParticipant,
    InjuryNotice,
    Message,
    Notification,
    ParentLink,
    PlayerAccount,
    TeamStaffMember,
)

# Conversations -----------------------------------------------------------------------------------------


async def conversation_with_membership(
    session: AsyncSession, conversation_id: uuid.UUID, user_id: uuid.UUID | None
) -> tuple[Conversation, bool] | None:
    """The conversation and whether the user has a participant row in it, in one statement."""
    is_participant: ColumnElement[bool] = false()
    if user_id is not None:
        is_participant = (
            exists()
            .where(
                ConversationParticipant.conversation_id == Conversation.id,
                ConversationParticipant.user_id == user_id,
            )
            .correlate(Conversation)
        )
    row = (
        await session.execute(
            select(Conversation, is_participant.label("is_participant")).where(Conversation.id == conversation_id)
        )
    ).first()
    return None if row is None else (row[0], bool(row[1]))


async def conversations_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Conversation]:
    return list(await session.scalars(select(Conversation).where(Conversation.id.in_(ids))))


async def insert_conversation_once(session: AsyncSession, values: dict[str, object]) -> uuid.UUID | None:
    """Insert unless a direct pair or team already has its conversation; the new id, or None.

    `ON CONFLICT DO NOTHING` waits for a concurrent insert of the same pair to commit, so two
    requests racing to start the same conversation end with one row, without an error.
    """
    result = await session.execute(
        insert(Conversation).values(**values).on_conflict_do_nothing().returning(Conversation.id)
    )
    return result.scalar_one_or_none()


async def direct_conversation(session: AsyncSession, low: uuid.UUID, high: uuid.UUID) -> Conversation | None:
    return (
        await session.scalars(
            select(Conversation).where(Conversation.direct_user_low == low, Conversation.direct_user_high == high)
        )
    ).first()


async def team_conversation(session: AsyncSession, team_id: uuid.UUID) -> Conversation | None:
    return (await session.scalars(select(Conversation).where(Conversation.team_id == team_id))).first()


async def add_participants(session: AsyncSession, conversation_id: uuid.UUID, user_ids: Collection[uuid.UUID]) -> None:
    if not user_ids:
        return
    await session.execute(
        insert(ConversationParticipant)
        .values([{"conversation_id": conversation_id, "user_id": user_id} for user_id in user_ids])
        .on_conflict_do_nothing()
    )


async def conversations_of(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    user_id: uuid.UUID,
    team_ids: Collection[uuid.UUID],
    kind: ConversationKind | None,
    limit: int,
) -> list[Conversation]:
    """A person's conversations, most recently active first."""
    mine = Conversation.id.in_(
        select(ConversationParticipant.conversation_id).where(ConversationParticipant.user_id == user_id)
    )
    of_my_teams = (
        and_(Conversation.kind == ConversationKind.TEAM, Conversation.team_id.in_(list(team_ids)))
        if team_ids
        else false()
    )
    query = select(Conversation).where(Conversation.organization_id == organization_id, or_(mine, of_my_teams))
    if kind is not None:
        query = query.where(Conversation.kind == kind)
    activity = func.coalesce(Conversation.last_message_at, Conversation.created_at)
    return list(await session.scalars(query.order_by(activity.desc(), Conversation.id.desc()).limit(limit)))


async def participants_of(
    session: AsyncSession, conversation_ids: Sequence[uuid.UUID]
) -> list[ConversationParticipant]:
    return list(
        await session.scalars(
            select(ConversationParticipant)
            .where(ConversationParticipant.conversation_id.in_(conversation_ids))
            .order_by(ConversationParticipant.joined_at, ConversationParticipant.user_id)
        )
    )


async def participant_user_ids(session: AsyncSession, conversation_id: uuid.UUID) -> list[uuid.UUID]:
    return list(
        await session.scalars(
            select(ConversationParticipant.user_id).where(ConversationParticipant.conversation_id == conversation_id)
        )
    )


async def mark_read(
    session: AsyncSession,
    conversation_id: uuid.UUID,
    user_id: uuid.UUID,
    at: datetime,
    *,
    message_id: uuid.UUID | None = None,
) -> None:
    """Move the user's read mark forward to `at` (never back), with the newest message they have seen,
    creating their row when needed."""
    statement = insert(ConversationParticipant).values(
        conversation_id=conversation_id, user_id=user_id, last_read_at=at, last_read_message_id=message_id
    )
    moves_forward = or_(
        ConversationParticipant.last_read_at.is_(None),
        statement.excluded.last_read_at >= ConversationParticipant.last_read_at,
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[ConversationParticipant.conversation_id, ConversationParticipant.user_id],
            set_={
                "last_read_at": func.greatest(ConversationParticipant.last_read_at, statement.excluded.last_read_at),
                "last_read_message_id": case(
                    (
                        and_(moves_forward, statement.excluded.last_read_message_id.is_not(None)),
                        statement.excluded.last_read_message_id,
                    ),
                    else_=ConversationParticipant.last_read_message_id,
                ),
            },
        )
    )


async def touch_conversation(session: AsyncSession, conversation_id: uuid.UUID, at: datetime) -> None:
    """Record activity; concurrent senders only ever move `last_message_at` forward."""
    await session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id)
        .values(last_message_at=func.greatest(Conversation.last_message_at, at), updated_at=at)
    )


# Messages ----------------------------------------------------------------------------------------------


async def add_message(session: AsyncSession, message: Message) -> Message:
    session.add(message)
    await session.flush()
    return message


async def message_in(session: AsyncSession, conversation_id: uuid.UUID, message_id: uuid.UUID) -> Message | None:
    return (
        await session.scalars(
            select(Message).where(Message.conversation_id == conversation_id, Message.id == message_id)
        )
    ).first()


async def messages_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Message]:
    return list(await session.scalars(select(Message).where(Message.id.in_(ids))))


async def messages_page(
    session: AsyncSession,
    conversation_id: uuid.UUID,
    *,
    before: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[Message]:
    """Newest first, strictly older than `before` (keyset on sent_at, id)."""
    query = select(Message).where(Message.conversation_id == conversation_id)
    if before is not None:
        query = query.where(tuple_(Message.sent_at, Message.id) < tuple_(*before))
    return list(await session.scalars(query.order_by(Message.sent_at.desc(), Message.id.desc()).limit(limit)))


async def latest_messages(session: AsyncSession, conversation_ids: Sequence[uuid.UUID]) -> list[Message]:
    """The newest message of each conversation, one index probe per conversation."""
    ids_param = bindparam("conversation_ids", list(conversation_ids), type_=ARRAY(Uuid()))
    wanted = select(func.unnest(ids_param).label("id")).subquery("wanted")
    newest = (
        select(Message.id)
        .where(Message.conversation_id == wanted.c.id)
        .order_by(Message.sent_at.desc(), Message.id.desc())
        .limit(1)
        .lateral("newest")
    )
    ids = select(newest.c.id).select_from(wanted.join(newest, true()))
    return list(await session.scalars(select(Message).where(Message.id.in_(ids))))


async def unread_counts(
    session: AsyncSession, conversation_ids: Sequence[uuid.UUID], user_id: uuid.UUID
) -> dict[uuid.UUID, int]:
    """Messages from others sent after the user's read mark (all of them when they have none); deleted ones
    do not count."""
    read_mark = (
        select(ConversationParticipant.last_read_at)
        .where(
            ConversationParticipant.conversation_id == Message.conversation_id,
            ConversationParticipant.user_id == user_id,
        )
        .correlate(Message)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(Message.conversation_id, func.count())
        .where(
            Message.conversation_id.in_(conversation_ids),
            Message.sender_user_id != user_id,
            Message.deleted_at.is_(None),
            or_(read_mark.is_(None), Message.sent_at > read_mark),
        )
        .group_by(Message.conversation_id)
    )
    return {conversation_id: int(count) for conversation_id, count in rows}


# Notifications -----------------------------------------------------------------------------------------


def _visible_to(user_id: uuid.UUID, organization_id: uuid.UUID | None) -> ColumnElement[bool]:
    """A person's own notifications from their club or the platform, never another club's."""
    scope: ColumnElement[bool] = Notification.organization_id.is_(None)
    if organization_id is not None:
        scope = or_(scope, Notification.organization_id == organization_id)
    return and_(Notification.user_id == user_id, scope)


async def add_notifications(session: AsyncSession, notifications: Sequence[Notification]) -> None:
    session.add_all(notifications)
    await session.flush()


async def notifications_page(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    organization_id: uuid.UUID | None,
    unread_only: bool,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[Notification]:
    query = select(Notification).where(_visible_to(user_id, organization_id))
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    if after is not None:
        query = query.where(tuple_(Notification.created_at, Notification.id) < tuple_(*after))
    return list(
        await session.scalars(query.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit))
    )


async def unread_notification_count(
    session: AsyncSession, *, user_id: uuid.UUID, organization_id: uuid.UUID | None
) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(_visible_to(user_id, organization_id), Notification.read_at.is_(None))
    )
    return int(count or 0)


async def mark_notification_read(
    session: AsyncSession,
    notification_id: uuid.UUID,
    *,
    user_id: uuid.UUID,
    organization_id: uuid.UUID | None,
    at: datetime,
) -> Notification | None:
    """Read it (keeping the first read time); None when it is not the user's."""
    result = await session.scalars(
        update(Notification)
        .where(Notification.id == notification_id, _visible_to(user_id, organization_id))
        .values(read_at=func.coalesce(Notification.read_at, at))
        .returning(Notification),
        execution_options={"synchronize_session": False, "populate_existing": True},
    )
    return result.first()


async def mark_all_notifications_read(
    session: AsyncSession, *, user_id: uuid.UUID, organization_id: uuid.UUID | None, at: datetime
) -> int:
    result = await session.execute(
        update(Notification)
        .where(_visible_to(user_id, organization_id), Notification.read_at.is_(None))
        .values(read_at=at)
        .returning(Notification.id),
        execution_options={"synchronize_session": False},
    )
    return len(result.all())


async def messages_after(
    session: AsyncSession, conversation_id: uuid.UUID, *, after: tuple[datetime, uuid.UUID], limit: int
) -> list[Message]:
    """Oldest first, strictly newer than `after`: what a reconnecting client missed."""
    query = (
        select(Message)
        .where(Message.conversation_id == conversation_id, tuple_(Message.sent_at, Message.id) > tuple_(*after))
        .order_by(Message.sent_at, Message.id)
        .limit(limit)
    )
    return list(await session.scalars(query))


# Who to notify: the copies kept from other services' events -------------------------------------------


async def upsert_player_account(
    session: AsyncSession, *, player_id: uuid.UUID, user_id: uuid.UUID | None, occurred_at: datetime
) -> None:
    values = {"player_id": player_id, "user_id": user_id, "source_occurred_at": occurred_at}
    await upsert_newer(session, PlayerAccount, ["player_id"], values)


async def upsert_team_staff_member(
    session: AsyncSession,
    *,
    team_id: uuid.UUID,
    user_id: uuid.UUID,
    organization_id: uuid.UUID,
    role: str,
    is_current: bool,
    occurred_at: datetime,
) -> None:
    values = {
        "team_id": team_id,
        "user_id": user_id,
        "organization_id": organization_id,
        "role": role,
        "is_current": is_current,
        "source_occurred_at": occurred_at,
    }
    await upsert_newer(session, TeamStaffMember, ["team_id", "user_id"], values)


async def team_staff_user_ids(
    session: AsyncSession, organization_id: uuid.UUID, team_id: uuid.UUID, *, roles: Collection[str] | None = None
) -> list[uuid.UUID]:
    """The team's current staff (of those roles, when given)."""
    query = select(TeamStaffMember.user_id).where(
        TeamStaffMember.team_id == team_id,
        TeamStaffMember.organization_id == organization_id,
        TeamStaffMember.is_current,
    )
    if roles is not None:
        query = query.where(TeamStaffMember.role.in_(roles))
    return list(await session.scalars(query.order_by(TeamStaffMember.user_id)))


async def team_player_user_ids(
    session: AsyncSession, organization_id: uuid.UUID, team_id: uuid.UUID
) -> list[uuid.UUID]:
    """The accounts of the team's active players who have one."""
    rows = await session.scalars(
        select(PlayerAccount.user_id)
        .join(roster_players, roster_players.c.player_id == PlayerAccount.player_id)
        .where(
            roster_players.c.team_id == team_id,
            roster_players.c.organization_id == organization_id,
            roster_players.c.is_active,
            PlayerAccount.user_id.is_not(None),
        )
        .order_by(PlayerAccount.user_id)
    )
    return [user_id for user_id in rows if user_id is not None]


async def upsert_parent_link(
    session: AsyncSession, *, parent_user_id: uuid.UUID, player_id: uuid.UUID, is_current: bool, occurred_at: datetime
) -> None:
    values = {
        "parent_user_id": parent_user_id,
        "player_id": player_id,
        "is_current": is_current,
        "source_occurred_at": occurred_at,
    }
    await upsert_newer(session, ParentLink, ["parent_user_id", "player_id"], values)


async def team_parent_user_ids(
    session: AsyncSession, organization_id: uuid.UUID, team_id: uuid.UUID
) -> list[uuid.UUID]:
    """The parents of the team's active players."""
    rows = await session.scalars(
        select(ParentLink.parent_user_id)
        .join(roster_players, roster_players.c.player_id == ParentLink.player_id)
        .where(
            roster_players.c.team_id == team_id,
            roster_players.c.organization_id == organization_id,
            roster_players.c.is_active,
            ParentLink.is_current,
        )
        .distinct()
        .order_by(ParentLink.parent_user_id)
    )
    return list(rows)


async def injury_notice(session: AsyncSession, injury_id: uuid.UUID) -> InjuryNotice | None:
    """Locked until the transaction ends, so two events about one injury are announced one after the other."""
    return await session.scalar(select(InjuryNotice).where(InjuryNotice.injury_id == injury_id).with_for_update())


async def save_injury_notice(
    session: AsyncSession, *, injury_id: uuid.UUID, player_id: uuid.UUID, announced: str, occurred_at: datetime
) -> bool:
    values = {"injury_id": injury_id, "player_id": player_id, "announced": announced, "source_occurred_at": occurred_at}
    return await upsert_newer(session, InjuryNotice, ["injury_id"], values)


async def calendar_event_notice(session: AsyncSession, event_id: uuid.UUID) -> CalendarEventNotice | None:
    """Locked until the transaction ends, like `injury_notice`."""
    return await session.scalar(
        select(CalendarEventNotice).where(CalendarEventNotice.event_id == event_id).with_for_update()
    )


async def save_calendar_event_notice(
    session: AsyncSession, *, event_id: uuid.UUID, attendee_user_ids: Sequence[uuid.UUID], occurred_at: datetime
) -> bool:
    values = {"event_id": event_id, "attendee_user_ids": list(attendee_user_ids), "source_occurred_at": occurred_at}
    return await upsert_newer(session, CalendarEventNotice, ["event_id"], values)
