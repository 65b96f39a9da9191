"""Urgent medical alerts: medical staff alert the team's staff about a player; someone must acknowledge.
Unacknowledged after the timeout, the alert reaches the next tier: first the team's staff (not its head
coaches), then its head coaches, then the club's administrators. The escalation loop
(`escalation.py`) takes each step once, guarded in the database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal, Role
from shared.database import utcnow
from shared.errors import Forbidden, InvalidInput, Unauthenticated, not_found
from subgraphs.communication import outreach_repository
from subgraphs.communication.models import (
    NOTIFICATION_BODY_MAX_LENGTH,
    NOTIFICATION_TITLE_MAX_LENGTH,
    MedicalAlert,
    NotificationKind,
)
from subgraphs.communication.permissions import can_send_medical_alert, can_view_medical_alert
from subgraphs.communication.service import create_notifications

TEAM_STAFF_ROLES = ("assistant_coach", "physical_trainer", "medical_staff", "equipment_manager")
HEAD_COACH_ROLES = ("coach",)
CLUB_ADMIN_ROLES = ("club_admin",)
LAST_TIER = 2
ESCALATIONS_PER_TICK = 100


@dataclass(frozen=True, slots=True)
class Escalation:
    alert_id: uuid.UUID
    tier: int
    notified: list[uuid.UUID]


def _me(actor: Principal) -> uuid.UUID:
    if actor.user_id is None:
        raise Unauthenticated("sign in to send or acknowledge medical alerts")
    return actor.user_id


async def _tier_recipients(session: AsyncSession, alert: MedicalAlert, tier: int) -> list[uuid.UUID]:
    roles: tuple[str, ...]
    team: uuid.UUID | None
    if tier == 0:
        roles, team = TEAM_STAFF_ROLES, alert.team_id
    elif tier == 1:
        roles, team = HEAD_COACH_ROLES, alert.team_id
    else:
        roles, team = CLUB_ADMIN_ROLES, None
    found = await outreach_repository.staff_user_ids(session, alert.organization_id, roles=roles, team_id=team)
    return [user for user in found if user != alert.sender_user_id]


async def _notify_tier(session: AsyncSession, alert: MedicalAlert, tier: int, now: datetime) -> list[uuid.UUID]:
    """Reach the tier's people (those not reached before); who they were."""
    wanted = await _tier_recipients(session, alert, tier)
    added = await outreach_repository.add_alert_recipients(session, alert.id, wanted, tier=tier, at=now)
    if added:
        await create_notifications(
            session,
            organization_id=alert.organization_id,
            user_ids=added,
            kind=NotificationKind.MEDICAL_UPDATE,
            title=f"Urgent: {alert.title}"[:NOTIFICATION_TITLE_MAX_LENGTH],
            body=alert.body,
            link=f"/medical-alerts/{alert.id}",
            sender_user_id=alert.sender_user_id,
            urgent=True,
        )
    return added


async def send_medical_alert(
    session: AsyncSession,
    actor: Principal,
    *,
    player_id: uuid.UUID,
    title: str,
    body: str,
    wait: timedelta,
    team_id: uuid.UUID | None = None,
) -> MedicalAlert:
    organization_id = actor.require_organization()
    me = _me(actor)
    if not can_send_medical_alert(actor, organization_id):
        raise Forbidden("only medical staff send urgent medical alerts")
    title = validation.text(title, field="title", max_length=NOTIFICATION_TITLE_MAX_LENGTH - len("Urgent: "))
    body = validation.text(body, field="body", max_length=NOTIFICATION_BODY_MAX_LENGTH)
    team = team_id or await outreach_repository.player_team(session, organization_id, player_id)
    if team is None:
        raise InvalidInput("the player is on no team this service knows; name the team", field="teamId")
    if not (actor.in_team(team) or actor.has_role(Role.CLUB_ADMIN)):
        raise Forbidden("medical staff alert their own teams")
    now = utcnow()
    alert = await outreach_repository.add_alert(
        session,
        MedicalAlert(
            id=uuid.uuid4(),
            organization_id=organization_id,
            team_id=team,
            player_id=player_id,
            sender_user_id=me,
            title=title,
            body=body,
            created_at=now,
            tier=0,
            escalate_at=now + wait,
        ),
    )
    # A tier with nobody in it (no staff known yet) passes straight on to the next.
    while not await _notify_tier(session, alert, alert.tier, now):
        if alert.tier >= LAST_TIER:
            raise InvalidInput("nobody on the team or in the club's administration to alert", field="playerId")
        await outreach_repository.advance_alert(session, alert.id, from_tier=alert.tier, escalate_at=now + wait)
        alert.tier += 1
    if alert.tier >= LAST_TIER:
        await outreach_repository.stop_escalating(session, alert.id)
        alert.escalate_at = None
    return alert


async def escalate_due(session: AsyncSession, now: datetime, *, wait: timedelta) -> list[Escalation]:
    """Take the next step of every unacknowledged alert that is due. Each due alert is locked (others'
    are skipped) and its tier moves only from the tier it had, so two loops never escalate one step
    twice."""
    done = []
    for alert in await outreach_repository.due_alerts(session, now, limit=ESCALATIONS_PER_TICK):
        tier = alert.tier
        notified: list[uuid.UUID] = []
        while tier < LAST_TIER and not notified:
            next_at = now + wait if tier + 1 < LAST_TIER else None
            if not await outreach_repository.advance_alert(session, alert.id, from_tier=tier, escalate_at=next_at):
                break
            tier += 1
            notified = await _notify_tier(session, alert, tier, now)
        if tier == alert.tier:
            continue
        if tier >= LAST_TIER or not notified:
            await outreach_repository.stop_escalating(session, alert.id)
        done.append(Escalation(alert_id=alert.id, tier=tier, notified=notified))
    return done


async def get_medical_alert(session: AsyncSession, actor: Principal, alert_id: uuid.UUID) -> MedicalAlert:
    """For its sender, those it reached and the club's administrators; nobody else knows it exists."""
    found = await outreach_repository.alert(session, alert_id)
    if found is None or not actor.in_organization(found.organization_id):
        raise not_found("MedicalAlert", alert_id)
    if can_view_medical_alert(actor, found):
        return found
    if actor.user_id is None or not await outreach_repository.is_alert_recipient(session, found.id, actor.user_id):
        raise not_found("MedicalAlert", alert_id)
    return found


async def acknowledge_medical_alert(session: AsyncSession, actor: Principal, *, alert_id: uuid.UUID) -> MedicalAlert:
    """Someone the alert reached takes it on: it stops escalating."""
    me = _me(actor)
    found = await outreach_repository.alert(session, alert_id)
    if found is None or not actor.in_organization(found.organization_id):
        raise not_found("MedicalAlert", alert_id)
    if not await outreach_repository.is_alert_recipient(session, found.id, me):
        if can_view_medical_alert(actor, found):
            raise Forbidden("only those the alert reached acknowledge it")
        raise not_found("MedicalAlert", alert_id)
    acknowledged = await outreach_repository.acknowledge_alert(session, found.id, me, utcnow())
    if acknowledged is None:
        raise not_found("MedicalAlert", alert_id)
    return acknowledged
