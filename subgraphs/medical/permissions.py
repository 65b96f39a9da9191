"""Who may see and change health data (DESIGN.md, Roles; subgraphs/README.md, Health data).

Three tiers, always within the record's (or the player's) organization:
- health records (diagnoses, notes, treatments, injury details, restriction reasons): medical staff,
  the player themselves, and a parent of a player who is a minor; the platform administrator too;
- availability (status and the restrictions' kind, body part, dates and intensity cap): the above, plus
  coaches, assistant coaches and physical trainers;
- nothing at all: everyone else (other players, parents of adult players, club administrators,
  equipment managers) and anyone from another organization.
Only medical staff and the platform administrator write.
"""

from __future__ import annotations

import uuid

from shared.auth.principal import Principal, Role

AVAILABILITY_ROLES = frozenset({Role.COACH, Role.ASSISTANT_COACH, Role.PHYSICAL_TRAINER})


def can_view_health_records(actor: Principal, *, player_id: uuid.UUID, organization_id: uuid.UUID | None) -> bool:
    if not actor.in_organization(organization_id):
        return False
    return (
        actor.is_platform_admin
        or actor.has_role(Role.MEDICAL_STAFF)
        or actor.is_player(player_id)
        or actor.is_guardian_of(player_id, minor_only=True)
    )


def can_view_availability(actor: Principal, *, player_id: uuid.UUID, organization_id: uuid.UUID | None) -> bool:
    if can_view_health_records(actor, player_id=player_id, organization_id=organization_id):
        return True
    return actor.in_organization(organization_id) and actor.has_role(*AVAILABILITY_ROLES)


def can_list_club_injuries(actor: Principal) -> bool:
    """Every injury of the club at once: medical staff only."""
    return actor.is_platform_admin or actor.has_role(Role.MEDICAL_STAFF)


def can_view_team_availability(actor: Principal) -> bool:
    return actor.is_platform_admin or actor.has_role(Role.MEDICAL_STAFF, *AVAILABILITY_ROLES)


def can_write_health_records(actor: Principal, organization_id: uuid.UUID | None) -> bool:
    return actor.is_platform_admin or (actor.in_organization(organization_id) and actor.has_role(Role.MEDICAL_STAFF))


def subject_organization(actor: Principal, roster_organization_id: uuid.UUID | None) -> uuid.UUID | None:
    """The organization a player belongs to, for the rules above.

    The roster copy knows most players. For one it does not know yet (its event is still on the way),
    the caller only ever sees their own club's records, so the rules are checked against that club.
    """
    return roster_organization_id if roster_organization_id is not None else actor.organization_id
