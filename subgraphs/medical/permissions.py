"""Who may see and change health data (DESIGN.md, Roles; subgraphs/README.md, Health data).

Three tiers, always within the record's (or the player's) organization:
- health records (diagnoses, notes, treatments, injury details, documents, reports, restriction reasons,
  wellness check-ins, return-to-play notes, exports): medical staff, the player themselves, and a parent
  of a player who is a minor. A parent's access ends the day the child comes of age: the token lists a
  parent's children who are minors (`minor_children`, computed by the user service from the birth date
  when the token is issued), and only those count;
- availability (status and the restrictions' kind, severity, body part, dates and intensity cap, the
  return-to-play phase, wellness alerts without free text): the above, plus coaches, assistant coaches
  and physical trainers;
- nothing at all: everyone else (other players, parents of adult players, club administrators,
  equipment managers) and anyone from another organization.

The platform administrator runs the platform, not a club's medical room: minimum necessary, they see
availability (to support clubs) but no diagnosis, note or other health record, and write none.
Only medical staff write. The access log is read by the club's medical staff and administrators (their
club's rows) and by the platform administrator (every club's): it says who saw what, never the data.
"""

from __future__ import annotations

import uuid

from shared.auth.principal import Principal, Role

AVAILABILITY_ROLES = frozenset({Role.COACH, Role.ASSISTANT_COACH, Role.PHYSICAL_TRAINER})


def can_view_health_records(actor: Principal, *, player_id: uuid.UUID, organization_id: uuid.UUID | None) -> bool:
    if organization_id is None or actor.organization_id != organization_id:
        return False
    return (
        actor.has_role(Role.MEDICAL_STAFF)
        or actor.is_player(player_id)
        or actor.is_guardian_of(player_id, minor_only=True)
    )


def can_view_availability(actor: Principal, *, player_id: uuid.UUID, organization_id: uuid.UUID | None) -> bool:
    if can_view_health_records(actor, player_id=player_id, organization_id=organization_id):
        return True
    return actor.in_organization(organization_id) and (actor.is_platform_admin or actor.has_role(*AVAILABILITY_ROLES))


def can_list_club_injuries(actor: Principal) -> bool:
    """Every injury of the club at once: medical staff only."""
    return actor.has_role(Role.MEDICAL_STAFF)


def can_view_team_availability(actor: Principal) -> bool:
    return actor.is_platform_admin or actor.has_role(Role.MEDICAL_STAFF, *AVAILABILITY_ROLES)


def can_view_team_board(actor: Principal, team_id: uuid.UUID) -> bool:
    """A team's availability board or wellness summary: the club's medical staff, the team's coaches and
    trainers (physical trainers work across the club's teams)."""
    if actor.has_role(Role.MEDICAL_STAFF, Role.PHYSICAL_TRAINER):
        return True
    return actor.has_role(Role.COACH, Role.ASSISTANT_COACH) and actor.in_team(team_id)


def can_write_health_records(actor: Principal, organization_id: uuid.UUID | None) -> bool:
    return (
        organization_id is not None and actor.organization_id == organization_id and actor.has_role(Role.MEDICAL_STAFF)
    )


def can_record_wellness(actor: Principal, *, player_id: uuid.UUID, organization_id: uuid.UUID | None) -> bool:
    """A player checks in for themselves; medical staff may enter one for them (e.g. from paper)."""
    if organization_id is None or actor.organization_id != organization_id:
        return False
    return actor.is_player(player_id) or actor.has_role(Role.MEDICAL_STAFF)


def can_read_access_log(actor: Principal) -> bool:
    return actor.is_platform_admin or actor.has_role(Role.MEDICAL_STAFF, Role.CLUB_ADMIN)


def subject_organization(actor: Principal, roster_organization_id: uuid.UUID | None) -> uuid.UUID | None:
    """The organization a player belongs to, for the rules above.

    The roster copy knows most players. For one it does not know yet (its event is still on the way),
    the caller only ever sees their own club's records, so the rules are checked against that club.
    """
    return roster_organization_id if roster_organization_id is not None else actor.organization_id
