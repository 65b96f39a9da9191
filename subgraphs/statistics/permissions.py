"""Who may see and record game statistics: the whole club reads, the team's coaches and the club's
administrators write."""

from __future__ import annotations

import uuid

from shared.auth.principal import Principal, Role
from shared.errors import Forbidden
from subgraphs.statistics.models import Game


def can_view_game(actor: Principal, game: Game) -> bool:
    return actor.in_organization(game.organization_id)


def can_record_games(actor: Principal, organization_id: uuid.UUID, team_id: uuid.UUID) -> bool:
    """Club administrators for every team of their club; coaches and assistants for their own teams."""
    if actor.is_platform_admin:
        return True
    if not actor.in_organization(organization_id):
        return False
    if actor.has_role(Role.CLUB_ADMIN):
        return True
    return actor.has_role(Role.COACH, Role.ASSISTANT_COACH) and actor.in_team(team_id)


def can_record_stats(actor: Principal, game: Game) -> bool:
    return can_record_games(actor, game.organization_id, game.team_id)


def readable_organization(actor: Principal) -> uuid.UUID | None:
    """The club whose statistics the caller reads; None means every club (platform administrators)."""
    if actor.is_platform_admin:
        return None
    if actor.organization_id is None:
        raise Forbidden("statistics are read within a club, and the caller belongs to none")
    return actor.organization_id
