"""Return to play: the graduated way back from an injury, six phases in order, one step at a time.

Each step is cleared by medical staff (who and when are kept), and each phase implies the restrictions in
`PHASE_RESTRICTIONS`: entering a phase lifts the previous phase's restrictions and adds its own, each
published as `restriction.changed` like any other restriction, so training adjusts workouts without
knowing about protocols. Game clearance lifts the last of them, completes the protocol and resolves the
injury.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.database import utcnow
from shared.errors import Conflict, InvalidInput, not_found
from subgraphs.medical import events, repository, service
from subgraphs.medical.availability import record_change
from subgraphs.medical.models import (
    AvailabilityStatus,
    Injury,
    InjuryStatus,
    Restriction,
    RestrictionKind,
    RestrictionSeverity,
    ReturnToPlayPhase,
    ReturnToPlayProtocol,
    ReturnToPlayStep,
)
from subgraphs.medical.repository import return_to_play as return_to_play_sql

PHASES = list(ReturnToPlayPhase)


@dataclass(frozen=True, slots=True)
class PhaseRestriction:
    kind: RestrictionKind
    severity: RestrictionSeverity
    max_intensity_percent: int | None = None


PHASE_RESTRICTIONS: dict[ReturnToPlayPhase, tuple[PhaseRestriction, ...]] = {
    ReturnToPlayPhase.REST: (PhaseRestriction(RestrictionKind.REST, RestrictionSeverity.COMPLETE),),
    ReturnToPlayPhase.LIGHT_ACTIVITY: (
        PhaseRestriction(RestrictionKind.LIMITED_INTENSITY, RestrictionSeverity.SEVERE, 40),
        PhaseRestriction(RestrictionKind.NO_CONTACT, RestrictionSeverity.SEVERE),
    ),
    ReturnToPlayPhase.SPORT_SPECIFIC: (
        PhaseRestriction(RestrictionKind.LIMITED_INTENSITY, RestrictionSeverity.MODERATE, 60),
        PhaseRestriction(RestrictionKind.NO_CONTACT, RestrictionSeverity.SEVERE),
    ),
    ReturnToPlayPhase.NON_CONTACT_TRAINING: (
        PhaseRestriction(RestrictionKind.NO_CONTACT, RestrictionSeverity.MODERATE),
    ),
    ReturnToPlayPhase.FULL_CONTACT_PRACTICE: (
        PhaseRestriction(RestrictionKind.NO_GAME_PLAY, RestrictionSeverity.MILD),
    ),
    ReturnToPlayPhase.GAME_CLEARANCE: (),
}


def next_phase(phase: ReturnToPlayPhase) -> ReturnToPlayPhase | None:
    position = PHASES.index(phase)
    return PHASES[position + 1] if position + 1 < len(PHASES) else None


def _notes(value: str | None) -> str | None:
    return validation.optional_text(value, field="notes", max_length=4000)


async def start(
    session: AsyncSession, actor: Principal, *, injury_id: uuid.UUID, notes: str | None = None
) -> ReturnToPlayProtocol:
    """Begin at REST: the player is held out completely until cleared for light activity."""
    injury = await service.injury_for_write(session, actor, injury_id)
    if injury.status is InjuryStatus.RESOLVED:
        raise Conflict("the injury is resolved; reopen it before starting a return to play", field="injuryId")
    protocol = ReturnToPlayProtocol(
        organization_id=injury.organization_id,
        player_id=injury.player_id,
        injury_id=injury.id,
        phase=ReturnToPlayPhase.REST,
        started_by=actor.user_id,
    )
    try:
        async with session.begin_nested():
            await repository.add(session, protocol)
    except IntegrityError as error:
        raise Conflict("a return to play for this injury is already in progress", field="injuryId") from error
    await _enter(session, actor, protocol, injury, ReturnToPlayPhase.REST, notes=_notes(notes), lifted=[])
    return protocol


async def advance(
    session: AsyncSession,
    actor: Principal,
    protocol_id: uuid.UUID,
    *,
    phase: ReturnToPlayPhase,
    notes: str | None = None,
) -> ReturnToPlayProtocol:
    """Clear the player for `phase`, which must be the next one: naming it makes a repeated or stale
    request a CONFLICT instead of a second step."""
    protocol = await return_to_play_sql.protocol(session, protocol_id, for_update=True)
    if protocol is None or not actor.in_organization(protocol.organization_id):
        raise not_found("ReturnToPlay", protocol_id)
    injury = await service.injury_for_write(session, actor, protocol.injury_id)
    if protocol.completed_at is not None:
        raise Conflict("this return to play is complete", field="id")
    expected = next_phase(protocol.phase)
    if PHASES.index(phase) <= PHASES.index(protocol.phase):
        raise Conflict(f"the player is already in {protocol.phase.name}", field="phase")
    if phase is not expected:
        assert expected is not None  # a later phase than the current one exists
        raise InvalidInput(f"one phase at a time: the next is {expected.name}", field="phase")
    now = utcnow()
    lifted = await return_to_play_sql.lift_phase_restrictions(
        session, protocol.id, lifted_at=now, lifted_by=actor.user_id
    )
    protocol.phase = phase
    protocol.updated_at = now
    if phase is ReturnToPlayPhase.GAME_CLEARANCE:
        protocol.completed_at = now
    await session.flush()
    await _enter(session, actor, protocol, injury, phase, notes=_notes(notes), lifted=lifted)
    return protocol


async def _enter(
    session: AsyncSession,
    actor: Principal,
    protocol: ReturnToPlayProtocol,
    injury: Injury,
    phase: ReturnToPlayPhase,
    *,
    notes: str | None,
    lifted: list[Restriction],
) -> None:
    await repository.add(
        session, ReturnToPlayStep(protocol_id=protocol.id, phase=phase, cleared_by=actor.user_id, notes=notes)
    )
    added = [
        Restriction(
            organization_id=protocol.organization_id,
            player_id=protocol.player_id,
            kind=implied.kind,
            severity=implied.severity,
            body_part=injury.body_part,
            max_intensity_percent=implied.max_intensity_percent,
            starts_on=service.today(),
            injury_id=injury.id,
            return_to_play_id=protocol.id,
            recorded_by=actor.user_id,
        )
        for implied in PHASE_RESTRICTIONS[phase]
    ]
    for restriction in added:
        session.add(restriction)
    if phase is ReturnToPlayPhase.GAME_CLEARANCE and injury.status is not InjuryStatus.RESOLVED:
        injury.status, injury.resolved_on, injury.updated_at = InjuryStatus.RESOLVED, service.today(), utcnow()
    await session.flush()
    await service.log_write(
        session,
        actor,
        "returnToPlay",
        ["phase", *(["notes"] if notes is not None else [])],
        player_id=protocol.player_id,
        organization_id=protocol.organization_id,
        injury_id=injury.id,
    )
    status = await service.status_of_player(session, protocol.organization_id, protocol.player_id)
    for restriction in lifted:
        await events.restriction_changed(session, restriction, change="lifted", medical_status=status)
    for restriction in added:
        await events.restriction_changed(session, restriction, change="added", medical_status=status)
    if phase is ReturnToPlayPhase.GAME_CLEARANCE:
        await events.injury_changed(session, events.INJURY_RESOLVED, injury, medical_status=status)
    await record_change(
        session,
        actor,
        player_id=protocol.player_id,
        organization_id=protocol.organization_id,
        status=_availability_in(phase),
        unless_already=True,
    )


def _availability_in(phase: ReturnToPlayPhase) -> AvailabilityStatus:
    if phase is ReturnToPlayPhase.REST:
        return AvailabilityStatus.INJURED
    if phase is ReturnToPlayPhase.GAME_CLEARANCE:
        return AvailabilityStatus.AVAILABLE
    return AvailabilityStatus.LIMITED


async def protocols_of_injuries(session: AsyncSession, injury_ids: list[uuid.UUID]) -> list[ReturnToPlayProtocol]:
    """For `Injury.returnToPlay`: the caller was already allowed to see the injuries."""
    return await return_to_play_sql.protocols_of_injuries(session, injury_ids)


async def steps(session: AsyncSession, protocol_ids: list[uuid.UUID]) -> list[ReturnToPlayStep]:
    return await return_to_play_sql.steps_of_protocols(session, protocol_ids)
