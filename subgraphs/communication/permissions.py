"""Who may read and write conversations and notifications."""

from __future__ import annotations

import uuid

from shared.auth.principal import Principal, Role
from subgraphs.communication.models import Conversation, ConversationKind


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
