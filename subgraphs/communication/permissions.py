"""Who may read and write conversations and notifications."""

from __future__ import annotations

import uuid

from shared.auth.principal import Principal, Role
from subgraphs.communication.models import Broadcast, Conversation, ConversationKind, MedicalAlert, Message


def can_view_conversation(actor: Principal, conversation: Conversation, *, is_participant: bool) -> bool:
    """Participants; for a team conversation, the members of that team in the conversation's club."""
    if not actor.is_authenticated or not actor.in_organization(conversation.organization_id):
        return False
    if conversation.kind is ConversationKind.TEAM:
        return actor.in_team(conversation.team_id)
    return is_participant


def can_post_in_conversation(actor: Principal, conversation: Conversation, *, is_participant: bool) -> bool:
    return can_view_conversation(actor, conversation, is_participant=is_participant)


def can_open_team_conversation(actor: Principal, team_id: uuid.UUID) -> bool:
    """A team's members (its players and staff, and club administrators, whose tokens list every team)."""
    return actor.in_team(team_id)


def can_send_notification(actor: Principal, organization_id: uuid.UUID) -> bool:
    return actor.is_platform_admin or (
        actor.in_organization(organization_id) and actor.has_role(Role.CLUB_ADMIN, Role.COACH)
    )


def can_edit_message(actor: Principal, message: Message) -> bool:
    """Only its author rewrites a message."""
    return actor.user_id is not None and actor.user_id == message.sender_user_id


def can_moderate_conversation(actor: Principal, conversation: Conversation) -> bool:
    """Who may delete others' messages: a group's creator; a team's coaches and the club's administrators
    in its team conversation. Nobody moderates a direct conversation."""
    if actor.user_id is None or not actor.in_organization(conversation.organization_id):
        return False
    if conversation.kind is ConversationKind.GROUP:
        return conversation.created_by_user_id == actor.user_id
    if conversation.kind is ConversationKind.TEAM:
        return actor.in_team(conversation.team_id) and actor.has_role(Role.CLUB_ADMIN, Role.COACH, Role.ASSISTANT_COACH)
    return False


def can_delete_message(actor: Principal, conversation: Conversation, message: Message) -> bool:
    return can_edit_message(actor, message) or can_moderate_conversation(actor, conversation)


def can_send_broadcast(actor: Principal, organization_id: uuid.UUID) -> bool:
    return actor.in_organization(organization_id) and actor.has_role(Role.CLUB_ADMIN, Role.COACH)


def can_view_broadcast_receipts(actor: Principal, broadcast: Broadcast) -> bool:
    """Who acknowledged a broadcast: its sender and the club's administrators see every recipient."""
    if not actor.in_organization(broadcast.organization_id):
        return False
    return actor.user_id == broadcast.sender_user_id or actor.has_role(Role.CLUB_ADMIN)


def can_send_medical_alert(actor: Principal, organization_id: uuid.UUID) -> bool:
    return actor.in_organization(organization_id) and actor.has_role(Role.MEDICAL_STAFF)


def can_view_medical_alert(actor: Principal, alert: MedicalAlert) -> bool:
    """Its sender and the club's administrators see an alert and whom it reached."""
    if not actor.in_organization(alert.organization_id):
        return False
    return actor.user_id == alert.sender_user_id or actor.has_role(Role.CLUB_ADMIN)
