"""Who may see and record game statistics: the whole club reads, the team's coaches and the club's
administrators write. Training loads and workload ratios are narrower: the club's staff, the player and
their parents, as the training service they come from shows them."""

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


def training_load_scope(actor: Principal, player_id: uuid.UUID) -> uuid.UUID | None:
    """The club within which the caller reads a player's training load (None: every club).

    Loads come from the training service, which shows a player's training to the club's staff, the player
    and their parents only; the statistics service shows it to the same people, not to the whole club.
    """
    scope = readable_organization(actor)
    if actor.is_platform_admin or actor.is_staff or actor.is_player(player_id) or actor.is_guardian_of(player_id):
        return scope
    raise Forbidden("a player's training load is for the club's staff, the player and their parents")


def can_view_team_workload(actor: Principal) -> bool:
    """The team view of workload ratios is a staff tool (coaches, trainers, medical staff, administrators)."""
    return actor.is_platform_admin or (actor.organization_id is not None and actor.is_staff)
