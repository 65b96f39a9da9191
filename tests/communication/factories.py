"""Callers and records for communication tests; writes go through the service layer."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select

from shared.auth.principal import Principal, Role
from shared.database import utcnow
from shared.database.kernel import outbox_events
from shared.roster import roster_players
from subgraphs.communication import repository
from subgraphs.communication import service as communication_service
from subgraphs.communication.models import Conversation, Message, Notification, NotificationKind
from tests.support.principals import principal
from tests.support.services import RunningService


@dataclass(frozen=True)
class Club:
    """One club with one team: its coach, two players, the club administrator, and a stranger's coach."""

    organization_id: uuid.UUID
    team_id: uuid.UUID
    coach: Principal
    player: Principal
    teammate: Principal
    admin: Principal
    assistant: Principal
    """A coach of another team of the same club."""
    outsider: Principal
    """A coach of another club."""


def make_club() -> Club:
    organization_id, team_id, other_team = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    return Club(
        organization_id=organization_id,
        team_id=team_id,
        coach=principal(Role.COACH, organization_id=organization_id, teams=[team_id]),
        player=principal(Role.PLAYER, organization_id=organization_id, teams=[team_id], player_id=uuid.uuid4()),
        teammate=principal(Role.PLAYER, organization_id=organization_id, teams=[team_id], player_id=uuid.uuid4()),
        admin=principal(Role.CLUB_ADMIN, organization_id=organization_id, teams=[team_id, other_team]),
        assistant=principal(Role.COACH, organization_id=organization_id, teams=[other_team]),
        outsider=principal(Role.COACH, organization_id=uuid.uuid4(), teams=[uuid.uuid4()]),
    )


def user_of(actor: Principal) -> uuid.UUID:
    assert actor.user_id is not None
    return actor.user_id


async def make_direct(svc: RunningService, *, between: Principal, and_: Principal) -> Conversation:
    async with svc.runtime.sessions() as session, session.begin():
        return await communication_service.start_direct_conversation(session, between, user_id=user_of(and_))


async def make_group(
    svc: RunningService, *, by: Principal, members: Sequence[Principal], name: str = "Staff"
) -> Conversation:
    async with svc.runtime.sessions() as session, session.begin():
        return await communication_service.create_group_conversation(
            session, by, name=name, member_ids=[user_of(member) for member in members]
        )


async def make_team_conversation(svc: RunningService, *, by: Principal, team_id: uuid.UUID) -> Conversation:
    async with svc.runtime.sessions() as session, session.begin():
        return await communication_service.open_team_conversation(session, by, team_id=team_id)


async def send(
    svc: RunningService,
    *,
    by: Principal,
    conversation: Conversation,
    body: str = "See you on the ice",
    reply_to: Message | None = None,
) -> Message:
    async with svc.runtime.sessions() as session, session.begin():
        return await communication_service.send_message(
            session,
            by,
            conversation_id=conversation.id,
            body=body,
            reply_to_id=reply_to.id if reply_to else None,
        )


async def notify(
    svc: RunningService,
    *,
    to: Sequence[Principal],
    by: Principal,
    title: str = "Practice moved",
    kind: NotificationKind = NotificationKind.ANNOUNCEMENT,
) -> list[Notification]:
    async with svc.runtime.sessions() as session, session.begin():
        return await communication_service.send_notification(
            session, by, user_ids=[user_of(person) for person in to], kind=kind, title=title, body="Rink B"
        )


async def outbox(
    svc: RunningService, event_type: str, *, organization_id: uuid.UUID | None = None
) -> list[dict[str, Any]]:
    """The `data` of every event of this type the service wrote (of one club's, when named: with the
    servers, an event another test's services published may still be arriving)."""
    query = select(outbox_events.c.data).where(outbox_events.c.type == event_type).order_by(outbox_events.c.seq)
    if organization_id is not None:
        query = query.where(outbox_events.c.organization_id == organization_id)
    async with svc.runtime.sessions() as session:
        return [dict(row) for row in (await session.execute(query)).scalars()]


async def know_roster(
    svc: RunningService,
    club: Club,
    *,
    players: Sequence[Principal] = (),
    staff: Sequence[tuple[Principal, str]] = (),
    team_id: uuid.UUID | None = None,
) -> None:
    """What the user service's events would have told this service: players on the team with their
    accounts, and staff with their role on it."""
    team = team_id or club.team_id
    now = utcnow()
    async with svc.runtime.sessions() as session, session.begin():
        for player in players:
            assert player.player_id is not None
            await session.execute(
                insert(roster_players).values(
                    player_id=player.player_id,
                    organization_id=club.organization_id,
                    team_id=team,
                    first_name="Test",
                    last_name="Player",
                    is_active=True,
                    source_occurred_at=now,
                )
            )
            await repository.upsert_player_account(
                session, player_id=player.player_id, user_id=user_of(player), occurred_at=now
            )
        for person, role in staff:
            await repository.upsert_team_staff_member(
                session,
                team_id=team,
                user_id=user_of(person),
                organization_id=club.organization_id,
                role=role,
                is_current=True,
                occurred_at=now,
            )
