"""Domain rules of injuries, treatments and restrictions, and what the other medical services build on
(scopes, the access log, availability derived from the records). No GraphQL here: plain values in,
models out.

Every read of injury details writes an access-log row (who saw whose records, which fields, from which
field and request), in the request's transaction; every write of health data writes one too
(`log_write`), beside the audit entry its mutation writes. Availability, return to play, wellness,
documents and reports, the access log's reads and exports have their own modules.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.database import utcnow
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound, not_found
from shared.log import request_id_var
from shared.roster import roster_entries
from subgraphs.medical import events, repository
from subgraphs.medical.models import (
    AccessAction,
    BodyPart,
    Injury,
    InjurySeverity,
    InjuryStatus,
    MedicalStatus,
    Restriction,
    RestrictionKind,
    RestrictionSeverity,
    Treatment,
    TreatmentKind,
)
from subgraphs.medical.permissions import (
    can_list_club_injuries,
    can_view_health_records,
    can_view_team_availability,
    can_write_health_records,
    subject_organization,
)
from subgraphs.medical.repository import AccessLog, PlayerFlags, Scope
from subgraphs.medical.repository import return_to_play as return_to_play_sql

MAX_LISTED_INJURIES = 500
MAX_AVAILABILITY_PLAYERS = 200


def today() -> date:
    return date.today()  # noqa: DTZ011 (a calendar day, as the club's staff write dates)


def scope_of(actor: Principal) -> Scope:
    """The records a caller can ever be shown: their own club's (every club's for the platform admin)."""
    if actor.is_platform_admin:
        return Scope(None)
    if actor.organization_id is None:
        raise Forbidden("you belong to no organization")
    return Scope(actor.organization_id)


def access_log(
    actor: Principal, source: str, fields: Sequence[str] = (), *, action: AccessAction = AccessAction.READ
) -> AccessLog:
    return AccessLog(
        actor_user_id=actor.user_id,
        actor_roles=tuple(sorted(role.value for role in actor.roles)),
        source=source,
        request_id=request_id_var.get(),
        fields=tuple(fields),
        action=action,
    )


async def log_write(
    session: AsyncSession,
    actor: Principal,
    source: str,
    fields: Sequence[str],
    *,
    player_id: uuid.UUID,
    organization_id: uuid.UUID,
    injury_id: uuid.UUID | None = None,
) -> None:
    """Every write of health data is in the access log too, next to its audit entry: the log is what a
    player or a data-protection officer asks for (`healthDataAccessLog`)."""
    await repository.log_access(
        session,
        access_log(actor, source, fields, action=AccessAction.WRITE),
        player_id=player_id,
        organization_id=organization_id,
        injury_id=injury_id,
    )


def medical_status(flags: PlayerFlags) -> MedicalStatus:
    """INJURED with an active injury or a rest order; LIMITED while recovering or restricted."""
    if flags.active_injury or flags.rest_restriction:
        return MedicalStatus.INJURED
    if flags.recovering_injury or flags.current_restriction:
        return MedicalStatus.LIMITED
    return MedicalStatus.AVAILABLE


@dataclass(frozen=True, slots=True)
class Availability:
    player_id: uuid.UUID
    status: MedicalStatus
    restrictions: list[Restriction]


# Reads -------------------------------------------------------------------------------------------------


async def get_injury(
    session: AsyncSession, actor: Principal, injury_id: uuid.UUID, *, fields: Sequence[str] = ()
) -> Injury:
    found = await repository.injury(session, injury_id)
    if found is None or not actor.in_organization(found.organization_id):
        raise not_found("Injury", injury_id)
    if not can_view_health_records(actor, player_id=found.player_id, organization_id=found.organization_id):
        raise Forbidden("injury details are for medical staff, the player and a minor's parents")
    await repository.log_access(
        session,
        access_log(actor, "injury", fields),
        player_id=found.player_id,
        organization_id=found.organization_id,
        injury_id=found.id,
    )
    return found


async def list_injuries(
    session: AsyncSession,
    actor: Principal,
    *,
    player_id: uuid.UUID | None = None,
    status: InjuryStatus | None = None,
    limit: int = 200,
    fields: Sequence[str] = (),
) -> list[Injury]:
    """The club's injuries for medical staff; one player's for the player or a minor's parent."""
    limit = validation.integer(limit, field="limit", minimum=1, maximum=MAX_LISTED_INJURIES)
    scope = scope_of(actor)
    if player_id is None:
        if not can_list_club_injuries(actor):
            raise Forbidden("only medical staff list the club's injuries")
    else:
        roster = await _roster_organization(session, player_id)
        if roster is not None and not actor.in_organization(roster):
            # Another club's player does not exist for the caller, whatever their role: answering
            # FORBIDDEN here but an empty list for an unknown id would tell a medic of any club who
            # plays elsewhere.
            raise NotFound(f"Player {player_id} does not exist", field="playerId", details={"entity": "Player"})
        organization = subject_organization(actor, roster)
        if not can_view_health_records(actor, player_id=player_id, organization_id=organization):
            raise Forbidden("injury details are for medical staff, the player and a minor's parents")
    return await repository.list_injuries(
        session,
        scope=scope,
        player_ids=None if player_id is None else [player_id],
        status=status,
        limit=limit,
        log=access_log(actor, "injuries", fields),
    )


async def team_availability(
    session: AsyncSession, actor: Principal, player_ids: Sequence[uuid.UUID]
) -> list[Availability]:
    """Status and current restrictions of the given players (those of the caller's club), in order."""
    if not can_view_team_availability(actor):
        raise Forbidden("availability is for coaches, trainers and medical staff")
    wanted = list(dict.fromkeys(player_ids))
    if not wanted:
        raise InvalidInput("name at least one player", field="playerIds")
    if len(wanted) > MAX_AVAILABILITY_PLAYERS:
        raise InvalidInput(f"ask for at most {MAX_AVAILABILITY_PLAYERS} players at once", field="playerIds")
    scope, day = scope_of(actor), today()
    flags = await repository.player_flags(session, wanted, scope=scope, day=day)
    restrictions = await repository.current_restrictions(session, wanted, scope=scope, day=day)
    by_player: dict[uuid.UUID, list[Restriction]] = {}
    for row in restrictions:
        by_player.setdefault(row.player_id, []).append(row)
    return [
        Availability(entry.player_id, medical_status(entry), by_player.get(entry.player_id, []))
        for entry in sorted(flags, key=lambda entry: wanted.index(entry.player_id))
        if actor.in_organization(subject_organization(actor, entry.roster_organization_id))
    ]


async def status_of_player(session: AsyncSession, organization_id: uuid.UUID, player_id: uuid.UUID) -> MedicalStatus:
    flags = await repository.player_flags(session, [player_id], scope=Scope(organization_id), day=today())
    return medical_status(flags[0])


async def _roster_organization(session: AsyncSession, player_id: uuid.UUID) -> uuid.UUID | None:
    """The player's club as the roster copy knows it; None while the user service's event is on the way."""
    entries = await roster_entries(session, [player_id])
    return entries[0].organization_id if entries else None


# Writes ------------------------------------------------------------------------------------------------


async def organization_for_new_record(session: AsyncSession, actor: Principal, player_id: uuid.UUID) -> uuid.UUID:
    """The club a new record of this player belongs to: the writer's own, which must be the player's."""
    if not can_write_health_records(actor, actor.organization_id):
        raise Forbidden("only medical staff record health data")
    roster = await _roster_organization(session, player_id)
    organization = actor.require_organization()
    if roster is not None and roster != organization:
        raise NotFound(f"Player {player_id} does not exist", field="playerId", details={"entity": "Player"})
    return organization


async def injury_for_write(session: AsyncSession, actor: Principal, injury_id: uuid.UUID) -> Injury:
    found = await repository.injury(session, injury_id, for_update=True)
    if found is None or not actor.in_organization(found.organization_id):
        raise not_found("Injury", injury_id)
    if not can_write_health_records(actor, found.organization_id):
        raise Forbidden("only medical staff change health data")
    return found


INJURY_FIELDS = ("bodyPart", "diagnosis", "severity", "status", "occurredOn", "expectedReturnOn")


def _given(always: Sequence[str], **optional: object) -> list[str]:
    """The health-data fields a write stored: the required ones and the optional ones given."""
    return [*always, *(validation.camel(name) for name, value in optional.items() if value is not None)]


def _diagnosis(value: str) -> str:
    return validation.text(value, field="diagnosis", max_length=300)


def _notes(value: str | None, field: str = "notes") -> str | None:
    return validation.optional_text(value, field=field, max_length=4000)


def _open_status(value: InjuryStatus) -> InjuryStatus:
    if value is InjuryStatus.RESOLVED:
        raise InvalidInput("an injury is resolved with resolveInjury, which records the date", field="status")
    return value


def _check_return(occurred_on: date, expected_return_on: date | None) -> None:
    if expected_return_on is not None and expected_return_on < occurred_on:
        raise InvalidInput("expectedReturnOn must not be before the injury occurred", field="expectedReturnOn")


async def record_injury(
    session: AsyncSession,
    actor: Principal,
    *,
    player_id: uuid.UUID,
    body_part: BodyPart,
    diagnosis: str,
    severity: InjurySeverity,
    occurred_on: date,
    status: InjuryStatus = InjuryStatus.ACTIVE,
    expected_return_on: date | None = None,
    notes: str | None = None,
) -> Injury:
    organization = await organization_for_new_record(session, actor, player_id)
    occurred_on = validation.past_date(occurred_on, field="occurredOn")
    _check_return(occurred_on, expected_return_on)
    injury = Injury(
        organization_id=organization,
        player_id=player_id,
        body_part=body_part,
        diagnosis=_diagnosis(diagnosis),
        severity=severity,
        status=_open_status(status),
        occurred_on=occurred_on,
        expected_return_on=expected_return_on,
        notes=_notes(notes),
        recorded_by=actor.user_id,
    )
    await repository.add(session, injury)
    await log_write(
        session,
        actor,
        "recordInjury",
        _given(INJURY_FIELDS, notes=notes),
        player_id=player_id,
        organization_id=organization,
        injury_id=injury.id,
    )
    await events.injury_changed(
        session,
        events.INJURY_CREATED,
        injury,
        medical_status=await status_of_player(session, organization, player_id),
    )
    return injury


async def update_injury(
    session: AsyncSession, actor: Principal, injury_id: uuid.UUID, changes: Mapping[str, Any]
) -> Injury:
    """Corrects an injury or moves it between active and recovering; reopens a resolved one."""
    injury = await injury_for_write(session, actor, injury_id)
    if "diagnosis" in changes:
        injury.diagnosis = _diagnosis(validation.required(changes, "diagnosis"))
    if "body_part" in changes:
        injury.body_part = validation.required(changes, "body_part")
    if "severity" in changes:
        injury.severity = validation.required(changes, "severity")
    if "occurred_on" in changes:
        injury.occurred_on = validation.past_date(validation.required(changes, "occurred_on"), field="occurredOn")
    if "expected_return_on" in changes:
        injury.expected_return_on = changes["expected_return_on"]
    if "notes" in changes:
        injury.notes = _notes(changes["notes"])
    if "status" in changes:
        injury.status = _open_status(validation.required(changes, "status"))
        injury.resolved_on = None
    _check_return(injury.occurred_on, injury.expected_return_on)
    if injury.resolved_on is not None and injury.resolved_on < injury.occurred_on:
        raise InvalidInput("occurredOn must not be after the day the injury was resolved", field="occurredOn")
    injury.updated_at = utcnow()
    await session.flush()
    await log_write(
        session,
        actor,
        "updateInjury",
        sorted(validation.camel(name) for name in changes),
        player_id=injury.player_id,
        organization_id=injury.organization_id,
        injury_id=injury.id,
    )
    await events.injury_changed(
        session,
        events.INJURY_UPDATED,
        injury,
        medical_status=await status_of_player(session, injury.organization_id, injury.player_id),
    )
    return injury


async def resolve_injury(
    session: AsyncSession,
    actor: Principal,
    injury_id: uuid.UUID,
    *,
    resolved_on: date | None = None,
    lift_restrictions: bool = False,
) -> Injury:
    injury = await injury_for_write(session, actor, injury_id)
    if injury.status is InjuryStatus.RESOLVED:
        raise Conflict(f"the injury was already resolved on {injury.resolved_on}", field="id")
    resolved_on = validation.past_date(resolved_on or today(), field="resolvedOn")
    if resolved_on < injury.occurred_on:
        raise InvalidInput("resolvedOn must not be before the injury occurred", field="resolvedOn")
    injury.status = InjuryStatus.RESOLVED
    injury.resolved_on = resolved_on
    injury.updated_at = utcnow()
    await session.flush()
    await log_write(
        session,
        actor,
        "resolveInjury",
        ["status", "resolvedOn"],
        player_id=injury.player_id,
        organization_id=injury.organization_id,
        injury_id=injury.id,
    )
    # A return to play in progress ends with the injury, where it stands, and the restrictions its phase
    # implied go with it: they belong to the protocol, not to the injury.
    now = utcnow()
    lifted: list[Restriction] = []
    protocol = await return_to_play_sql.close_open_protocol(session, injury.id, completed_at=now)
    if protocol is not None:
        lifted += await return_to_play_sql.lift_phase_restrictions(
            session, protocol.id, lifted_at=now, lifted_by=actor.user_id
        )
    if lift_restrictions:
        lifted += await repository.lift_restrictions_of_injury(
            session, injury.id, lifted_at=now, lifted_by=actor.user_id
        )
    status = await status_of_player(session, injury.organization_id, injury.player_id)
    await events.injury_changed(session, events.INJURY_RESOLVED, injury, medical_status=status)
    for restriction in lifted:
        await events.restriction_changed(session, restriction, change="lifted", medical_status=status)
    return injury


async def add_treatment(
    session: AsyncSession,
    actor: Principal,
    *,
    injury_id: uuid.UUID,
    treated_on: date,
    kind: TreatmentKind,
    provider: str | None = None,
    notes: str | None = None,
) -> Treatment:
    injury = await injury_for_write(session, actor, injury_id)
    treated_on = validation.past_date(treated_on, field="treatedOn")
    if treated_on < injury.occurred_on:
        raise InvalidInput("treatedOn must not be before the injury occurred", field="treatedOn")
    treatment = Treatment(
        injury_id=injury.id,
        organization_id=injury.organization_id,
        treated_on=treated_on,
        kind=kind,
        provider=validation.optional_text(provider, field="provider", max_length=200),
        notes=_notes(notes),
        recorded_by=actor.user_id,
    )
    await repository.add(session, treatment)
    await log_write(
        session,
        actor,
        "addTreatment",
        _given(("treatedOn", "kind"), provider=provider, notes=notes),
        player_id=injury.player_id,
        organization_id=injury.organization_id,
        injury_id=injury.id,
    )
    return treatment


def _default_severity(kind: RestrictionKind, injury: Injury | None) -> RestrictionSeverity:
    """REST allows nothing; a restriction protecting an injury is as strict as the injury is serious."""
    if kind is RestrictionKind.REST:
        return RestrictionSeverity.COMPLETE
    if injury is not None:
        return RestrictionSeverity(injury.severity.value)
    return RestrictionSeverity.MODERATE


async def add_restriction(
    session: AsyncSession,
    actor: Principal,
    *,
    player_id: uuid.UUID,
    kind: RestrictionKind,
    severity: RestrictionSeverity | None = None,
    body_part: BodyPart | None = None,
    max_intensity_percent: int | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    injury_id: uuid.UUID | None = None,
    reason: str | None = None,
) -> Restriction:
    organization = await organization_for_new_record(session, actor, player_id)
    if max_intensity_percent is not None:
        validation.integer(max_intensity_percent, field="maxIntensityPercent", minimum=0, maximum=100)
    elif kind is RestrictionKind.LIMITED_INTENSITY:
        raise InvalidInput("a LIMITED_INTENSITY restriction needs maxIntensityPercent", field="maxIntensityPercent")
    starts_on = starts_on or today()
    validation.date_range(starts_on, ends_on, field="endsOn")
    injury: Injury | None = None
    if injury_id is not None:
        injury = await repository.injury(session, injury_id)
        if injury is None or injury.organization_id != organization:
            raise NotFound(f"Injury {injury_id} does not exist", field="injuryId", details={"entity": "Injury"})
        if injury.player_id != player_id:
            raise InvalidInput("the injury belongs to another player", field="injuryId")
    if severity is None:
        severity = _default_severity(kind, injury)
    restriction = Restriction(
        organization_id=organization,
        player_id=player_id,
        kind=kind,
        severity=severity,
        body_part=body_part,
        max_intensity_percent=max_intensity_percent,
        starts_on=starts_on,
        ends_on=ends_on,
        injury_id=injury_id,
        reason=validation.optional_text(reason, field="reason", max_length=1000),
        recorded_by=actor.user_id,
    )
    await repository.add(session, restriction)
    if reason is not None:
        await log_write(
            session,
            actor,
            "addRestriction",
            ["reason"],
            player_id=player_id,
            organization_id=organization,
            injury_id=injury_id,
        )
    await events.restriction_changed(
        session,
        restriction,
        change="added",
        medical_status=await status_of_player(session, organization, player_id),
    )
    return restriction


async def lift_restriction(session: AsyncSession, actor: Principal, restriction_id: uuid.UUID) -> Restriction:
    found = await repository.restriction(session, restriction_id)
    if found is None or not actor.in_organization(found.organization_id):
        raise not_found("Restriction", restriction_id)
    if not can_write_health_records(actor, found.organization_id):
        raise Forbidden("only medical staff lift restrictions")
    lifted = await repository.lift_restriction(session, restriction_id, lifted_at=utcnow(), lifted_by=actor.user_id)
    if lifted is None:
        raise Conflict("the restriction was already lifted", field="id")
    await events.restriction_changed(
        session,
        lifted,
        change="lifted",
        medical_status=await status_of_player(session, lifted.organization_id, lifted.player_id),
    )
    return lifted
