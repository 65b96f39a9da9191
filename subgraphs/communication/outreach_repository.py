"""SQL of broadcasts and urgent medical alerts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.roster import roster_players
from subgraphs.communication.models import (
    Broadcast,
    BroadcastRecipient,
    MedicalAlert,
    MedicalAlertRecipient,
    PlayerAccount,
    TeamStaffMember,
)

# Who is in an audience ---------------------------------------------------------------------------------


async def staff_user_ids(
    session: AsyncSession, organization_id: uuid.UUID, *, roles: Sequence[str], team_id: uuid.UUID | None = None
) -> list[uuid.UUID]:
    """The club's current staff in those roles (on that team, when given)."""
    query = select(TeamStaffMember.user_id).where(
        TeamStaffMember.organization_id == organization_id,
        TeamStaffMember.is_current,
        TeamStaffMember.role.in_(list(roles)),
    )
    if team_id is not None:
        query = query.where(TeamStaffMember.team_id == team_id)
    return list(await session.scalars(query.distinct().order_by(TeamStaffMember.user_id)))


async def player_user_ids(
    session: AsyncSession, organization_id: uuid.UUID, *, team_id: uuid.UUID | None = None
) -> list[uuid.UUID]:
    """The accounts of the club's active players (of that team, when given)."""
    query = (
        select(PlayerAccount.user_id)
        .join(roster_players, roster_players.c.player_id == PlayerAccount.player_id)
        .where(
            roster_players.c.organization_id == organization_id,
            roster_players.c.is_active,
            PlayerAccount.user_id.is_not(None),
        )
    )
    if team_id is not None:
        query = query.where(roster_players.c.team_id == team_id)
    return [user for user in await session.scalars(query.distinct().order_by(PlayerAccount.user_id)) if user]


async def player_team(session: AsyncSession, organization_id: uuid.UUID, player_id: uuid.UUID) -> uuid.UUID | None:
    return await session.scalar(
        select(roster_players.c.team_id).where(
            roster_players.c.player_id == player_id, roster_players.c.organization_id == organization_id
        )
    )


# Broadcasts --------------------------------------------------------------------------------------------


async def add_broadcast(
    session: AsyncSession, broadcast: Broadcast, recipients: Sequence[BroadcastRecipient]
) -> Broadcast:
    session.add(broadcast)
    await session.flush()
    session.add_all(recipients)
    await session.flush()
    return broadcast


async def broadcast(session: AsyncSession, broadcast_id: uuid.UUID) -> Broadcast | None:
    return await session.get(Broadcast, broadcast_id)


async def broadcast_recipients(session: AsyncSession, broadcast_ids: Sequence[uuid.UUID]) -> list[BroadcastRecipient]:
    return list(
        await session.scalars(
            select(BroadcastRecipient)
            .where(BroadcastRecipient.broadcast_id.in_(broadcast_ids))
            .order_by(BroadcastRecipient.acknowledged_at.nulls_first(), BroadcastRecipient.user_id)
        )
    )


async def is_broadcast_recipient(session: AsyncSession, broadcast_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(BroadcastRecipient.user_id).where(
            BroadcastRecipient.broadcast_id == broadcast_id, BroadcastRecipient.user_id == user_id
        )
    )
    return found is not None


async def acknowledge_broadcast(
    session: AsyncSession, broadcast_id: uuid.UUID, user_id: uuid.UUID, at: datetime
) -> BroadcastRecipient | None:
    """The recipient's acknowledgement (the first one counts); None when they are not a recipient."""
    result = await session.scalars(
        update(BroadcastRecipient)
        .where(BroadcastRecipient.broadcast_id == broadcast_id, BroadcastRecipient.user_id == user_id)
        .values(acknowledged_at=func.coalesce(BroadcastRecipient.acknowledged_at, at))
        .returning(BroadcastRecipient),
        execution_options={"synchronize_session": False, "populate_existing": True},
    )
    return result.first()


async def sent_broadcasts(
    session: AsyncSession, sender_user_id: uuid.UUID, organization_id: uuid.UUID, limit: int
) -> list[Broadcast]:
    return list(
        await session.scalars(
            select(Broadcast)
            .where(Broadcast.sender_user_id == sender_user_id, Broadcast.organization_id == organization_id)
            .order_by(Broadcast.created_at.desc(), Broadcast.id.desc())
            .limit(limit)
        )
    )


# Medical alerts ----------------------------------------------------------------------------------------


async def add_alert(session: AsyncSession, alert: MedicalAlert) -> MedicalAlert:
    session.add(alert)
    await session.flush()
    return alert


async def add_alert_recipients(
    session: AsyncSession, alert_id: uuid.UUID, user_ids: Sequence[uuid.UUID], *, tier: int, at: datetime
) -> list[uuid.UUID]:
    """Record who this tier reaches; those an earlier tier already reached are left out. The new ones."""
    if not user_ids:
        return []
    added = await session.scalars(
        insert(MedicalAlertRecipient)
        .values([{"alert_id": alert_id, "user_id": user, "tier": tier, "notified_at": at} for user in user_ids])
        .on_conflict_do_nothing()
        .returning(MedicalAlertRecipient.user_id)
    )
    return list(added)


async def alert(session: AsyncSession, alert_id: uuid.UUID) -> MedicalAlert | None:
    return await session.get(MedicalAlert, alert_id)


async def alert_recipients(session: AsyncSession, alert_ids: Sequence[uuid.UUID]) -> list[MedicalAlertRecipient]:
    return list(
        await session.scalars(
            select(MedicalAlertRecipient)
            .where(MedicalAlertRecipient.alert_id.in_(alert_ids))
            .order_by(MedicalAlertRecipient.tier, MedicalAlertRecipient.user_id)
        )
    )


async def is_alert_recipient(session: AsyncSession, alert_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(MedicalAlertRecipient.user_id).where(
            MedicalAlertRecipient.alert_id == alert_id, MedicalAlertRecipient.user_id == user_id
        )
    )
    return found is not None


async def acknowledge_alert(
    session: AsyncSession, alert_id: uuid.UUID, user_id: uuid.UUID, at: datetime
) -> MedicalAlert | None:
    """Acknowledge the alert and stop its escalation; the first acknowledgement stays. None when the
    alert is not there."""
    result = await session.scalars(
        update(MedicalAlert)
        .where(MedicalAlert.id == alert_id)
        .values(
            acknowledged_at=func.coalesce(MedicalAlert.acknowledged_at, at),
            acknowledged_by_user_id=func.coalesce(MedicalAlert.acknowledged_by_user_id, user_id),
            escalate_at=None,
        )
        .returning(MedicalAlert),
        execution_options={"synchronize_session": False, "populate_existing": True},
    )
    return result.first()


async def due_alerts(session: AsyncSession, now: datetime, *, limit: int) -> list[MedicalAlert]:
    """Unacknowledged alerts whose escalation is due, locked; rows another process holds are skipped, so
    two schedulers never take the same step."""
    return list(
        await session.scalars(
            select(MedicalAlert)
            .where(
                MedicalAlert.escalate_at.is_not(None),
                MedicalAlert.escalate_at <= now,
                MedicalAlert.acknowledged_at.is_(None),
            )
            .order_by(MedicalAlert.escalate_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )


async def advance_alert(
    session: AsyncSession, alert_id: uuid.UUID, *, from_tier: int, escalate_at: datetime | None
) -> bool:
    """Move the alert from `from_tier` to the next; False when someone else moved it or it was
    acknowledged meanwhile (the guard that makes each step happen once)."""
    result = await session.execute(
        update(MedicalAlert)
        .where(MedicalAlert.id == alert_id, MedicalAlert.tier == from_tier, MedicalAlert.acknowledged_at.is_(None))
        .values(tier=from_tier + 1, escalate_at=escalate_at)
        .returning(MedicalAlert.id),
        execution_options={"synchronize_session": False},
    )
    return result.first() is not None


async def stop_escalating(session: AsyncSession, alert_id: uuid.UUID) -> None:
    await session.execute(
        update(MedicalAlert).where(MedicalAlert.id == alert_id).values(escalate_at=None),
        execution_options={"synchronize_session": False},
    )
