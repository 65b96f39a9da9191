"""Who may lead, follow and report in a live session.

- Leading (start, add or remove players, report for anyone, end): the team's physical trainers and coaches,
  the club's administrators (as for assigning the team a workout).
- Following (read and subscribe): those, the team's assistant coaches, and the players taking part (or who
  took part and left).
- Reporting progress: a player their own; the leaders anyone's.
- A player's heart rate: the staff who follow the session and the player themselves, not team mates.
Anyone outside the club does not learn that the session exists.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection

from shared.auth.principal import Principal, Role
from subgraphs.training.models import LiveSession
from subgraphs.training.permissions import can_assign_to_team

FOLLOWING_STAFF_ROLES = frozenset({Role.PHYSICAL_TRAINER, Role.COACH, Role.ASSISTANT_COACH})


def can_lead_live_session(actor: Principal, organization_id: uuid.UUID, team_id: uuid.UUID) -> bool:
    return can_assign_to_team(actor, organization_id, team_id)


def is_following_staff(actor: Principal, live: LiveSession) -> bool:
    if not actor.in_organization(live.organization_id):
        return False
    if can_lead_live_session(actor, live.organization_id, live.team_id):
        return True
    return actor.in_team(live.team_id) and actor.has_role(*FOLLOWING_STAFF_ROLES)


def can_follow_live_session(actor: Principal, live: LiveSession, participants: Collection[uuid.UUID]) -> bool:
    if is_following_staff(actor, live):
        return True
    return (
        actor.in_organization(live.organization_id)
        and actor.player_id is not None
        and (actor.player_id in participants)
    )


def can_report_live_progress(actor: Principal, live: LiveSession, player_id: uuid.UUID) -> bool:
    if not actor.in_organization(live.organization_id):
        return False
    return actor.is_player(player_id) or can_lead_live_session(actor, live.organization_id, live.team_id)


def can_see_heart_rate(actor: Principal, live: LiveSession, player_id: uuid.UUID) -> bool:
    return actor.is_player(player_id) or is_following_staff(actor, live)
