"""Overrides of medical restrictions: a trainer asks for a player to do a workout nobody may adapt to their
restrictions, and the club's medical staff approve or reject it. Requests are records: decided once, never
rewritten or deleted through the API.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal, Role
from shared.database import utcnow
from shared.errors import Conflict, Forbidden, not_found
from subgraphs.training import repository as training_repository
from subgraphs.training.models import (
    AssignmentStatus,
    OverrideStatus,
    PlayerWorkout,
    RestrictionOverrideRequest,
    WorkoutCompliance,
)
from subgraphs.training.permissions import RESTRICTION_VIEWER_ROLES, can_write_training
from subgraphs.training.restrictions import repository
from subgraphs.training.service.common import organization_of

REASON_LENGTH = 500


def check_reason(reason: str, *, field: str) -> str:
    return validation.text(reason, field=field, max_length=REASON_LENGTH)


def new_requests(actor: Principal, rows: Sequence[PlayerWorkout], reason: str) -> list[RestrictionOverrideRequest]:
    """Pending requests for the players' workouts (not yet written)."""
    now = utcnow()
    return [
        RestrictionOverrideRequest(
            id=uuid.uuid4(),
            player_workout_id=row.id,
            organization_id=row.organization_id,
            player_id=row.player_id,
            reason=reason,
            requested_by=actor.user_id,
            requested_at=now,
            status=OverrideStatus.PENDING,
        )
        for row in rows
    ]


async def request_override(
    session: AsyncSession, actor: Principal, player_workout_id: uuid.UUID, *, reason: str
) -> RestrictionOverrideRequest:
    """For a workout a later restriction made NOT_COMPLIANT: ask the medical staff to allow it anyway."""
    row = await training_repository.player_workout(session, player_workout_id)
    if row is None or not actor.in_organization(row.organization_id):
        raise not_found("PlayerWorkout", player_workout_id)
    if not can_write_training(actor, row.organization_id):
        raise Forbidden("only physical trainers, coaches and club administrators request overrides")
    reason = check_reason(reason, field="reason")
    await repository.lock_players(session, [row.player_id])
    await session.refresh(row)
    if row.compliance is not WorkoutCompliance.NOT_COMPLIANT:
        raise Conflict("only a workout the player cannot do even adapted needs an override", field="id")
    if row.status is AssignmentStatus.COMPLETED:
        raise Conflict("the workout is already completed", field="id")
    if await repository.override_requests_of(session, [row.id]):
        raise Conflict("an override was already requested for this workout", field="id")
    (request,) = new_requests(actor, [row], reason)
    await training_repository.add(session, request)
    return request


def can_decide(actor: Principal, organization_id: uuid.UUID) -> bool:
    """Only the club's medical staff: the override concerns a player's health."""
    return actor.in_organization(organization_id) and actor.has_role(Role.MEDICAL_STAFF)


def can_view_requests(actor: Principal, organization_id: uuid.UUID | None) -> bool:
    return actor.is_platform_admin or (
        actor.in_organization(organization_id) and actor.has_role(*RESTRICTION_VIEWER_ROLES)
    )


async def decide_override(
    session: AsyncSession, actor: Principal, request_id: uuid.UUID, *, approve: bool, note: str | None
) -> RestrictionOverrideRequest:
    """Approve (the player may do the workout as prescribed, the flags count as accepted) or reject (the
    player's workout is skipped, with the medical staff's note as the reason)."""
    request = await repository.override_request(session, request_id, for_update=True)
    if request is None or not can_view_requests(actor, request.organization_id):
        raise not_found("RestrictionOverrideRequest", request_id)
    if not can_decide(actor, request.organization_id):
        raise Forbidden("only the club's medical staff decide on restriction overrides")
    if request.status is not OverrideStatus.PENDING:
        raise Conflict(f"the override was already {request.status.value}", field="id")
    request.status = OverrideStatus.APPROVED if approve else OverrideStatus.REJECTED
    request.decided_by = actor.user_id
    request.decided_at = utcnow()
    request.decision_note = validation.optional_text(note, field="note", max_length=REASON_LENGTH)
    await session.flush()
    if approve:
        await repository.accept_conflicts(session, request.player_workout_id)
    else:
        await training_repository.skip_player_workout(
            session,
            request.player_workout_id,
            reason="Override rejected by the medical staff"
            + (f": {request.decision_note}" if request.decision_note else ""),
            at=request.decided_at,
        )
    return request


async def list_requests(
    session: AsyncSession, actor: Principal, *, status: OverrideStatus | None
) -> list[RestrictionOverrideRequest]:
    organization = organization_of(actor)
    if not can_view_requests(actor, organization):
        raise Forbidden("restriction overrides are for the club's coaching, training and medical staff")
    return await repository.list_override_requests(session, organization_id=organization, status=status)


async def check_doable(session: AsyncSession, row: PlayerWorkout) -> None:
    """Refuse to record a workout the player is exempt from, or one awaiting or refused approval."""
    if row.compliance is WorkoutCompliance.EXEMPT:
        raise Conflict("the player is exempt from this workout by a medical restriction", field="id")
    if row.compliance is WorkoutCompliance.NOT_COMPLIANT:
        requests = await repository.override_requests_of(session, [row.id])
        if not requests or requests[0].status is not OverrideStatus.APPROVED:
            state = "awaits" if requests and requests[0].status is OverrideStatus.PENDING else "needs"
            raise Conflict(
                f"the workout conflicts with a medical restriction and {state} the medical staff's approval",
                field="id",
            )


async def doable(session: AsyncSession, rows: Sequence[PlayerWorkout]) -> set[uuid.UUID]:
    """The ids of those player workouts that may be done: not exempt, and not NOT_COMPLIANT unless approved."""
    unclear = [row.id for row in rows if row.compliance is WorkoutCompliance.NOT_COMPLIANT]
    approved = {
        request.player_workout_id
        for request in await repository.override_requests_of(session, unclear)
        if request.status is OverrideStatus.APPROVED
    }
    return {
        row.id
        for row in rows
        if row.compliance is WorkoutCompliance.COMPLIANT
        or row.compliance is WorkoutCompliance.PARTIALLY_COMPLIANT
        or row.id in approved
    }
