"""Facilities and machine reservations.

Reservations of one kind of machine in one facility never hold more machines at any moment than the
facility has: a reservation is refused with CONFLICT, listing the reservations it clashes with, when
adding it would. Two intervals overlap when each starts before the other ends (back to back is fine).
The check and the insert run under the lock of the facility's machine row (`repository.lock_machine`),
so concurrent reservations of the last machines are serialized and exactly one of them wins.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.database import utcnow
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound, not_found
from subgraphs.training import repository as training_repository
from subgraphs.training.facilities import repository
from subgraphs.training.models import ConditioningEquipment, EquipmentReservation, Facility, FacilityMachine
from subgraphs.training.permissions import can_write_training, is_club_staff
from subgraphs.training.service.common import organization_of, writing_organization

MAX_RESERVATION = timedelta(hours=12)
MAX_AVAILABILITY_WINDOW = timedelta(days=31)


def peak_usage(reservations: Sequence[EquipmentReservation], *, starts_at: datetime, ends_at: datetime) -> int:
    """The most machines the reservations hold at any one moment of [starts_at, ends_at)."""
    changes: list[tuple[datetime, int]] = []
    for one in reservations:
        changes.append((max(one.starts_at, starts_at), one.count))
        changes.append((min(one.ends_at, ends_at), -one.count))
    peak = held = 0
    # At one instant, releases come before takes: back-to-back reservations do not overlap.
    for _, change in sorted(changes, key=lambda item: (item[0], item[1])):
        held += change
        peak = max(peak, held)
    return peak


async def create_facility(
    session: AsyncSession,
    actor: Principal,
    *,
    name: str,
    machines: Sequence[tuple[ConditioningEquipment, int]],
) -> Facility:
    organization = writing_organization(actor)
    name = validation.text(name, field="name", max_length=120)
    if await repository.name_taken(session, organization, name):
        raise Conflict("the club has a facility of that name", field="name")
    counts: dict[ConditioningEquipment, int] = {}
    for index, (equipment, count) in enumerate(machines):
        if equipment in counts:
            raise InvalidInput(f"{equipment.value} is listed twice", field=f"machines[{index}].equipment")
        counts[equipment] = validation.integer(count, field=f"machines[{index}].count", minimum=1, maximum=200)
    if not counts:
        raise InvalidInput("a facility has at least one kind of machine", field="machines")
    facility = Facility(id=uuid.uuid4(), organization_id=organization, name=name, created_by=actor.user_id)
    await training_repository.add(session, facility)
    await training_repository.add(
        session,
        *(
            FacilityMachine(facility_id=facility.id, equipment=equipment, count=count)
            for equipment, count in counts.items()
        ),
    )
    return facility


async def list_facilities(session: AsyncSession, actor: Principal) -> list[Facility]:
    organization = organization_of(actor)
    if not is_club_staff(actor, organization):
        raise Forbidden("facilities are for the club's staff")
    return await repository.facilities_of(session, organization)


async def _facility_for(session: AsyncSession, actor: Principal, facility_id: uuid.UUID) -> Facility:
    facility = await repository.facility(session, facility_id)
    if facility is None or not actor.in_organization(facility.organization_id):
        raise NotFound(f"Facility {facility_id} does not exist", field="facilityId", details={"entity": "Facility"})
    return facility


@dataclass(frozen=True)
class Availability:
    equipment: ConditioningEquipment
    count: int
    peak_reserved: int
    reservations: list[EquipmentReservation]


async def availability(
    session: AsyncSession, actor: Principal, facility_id: uuid.UUID, *, starts_at: datetime, ends_at: datetime
) -> tuple[Facility, list[Availability]]:
    """Per kind of machine of the facility: how many, the most reserved at once in the window, and the
    reservations overlapping it."""
    facility = await _facility_for(session, actor, facility_id)
    if not is_club_staff(actor, facility.organization_id):
        raise Forbidden("facilities are for the club's staff")
    validation.time_range(starts_at, ends_at, field="to")
    if ends_at - starts_at > MAX_AVAILABILITY_WINDOW:
        raise InvalidInput(f"ask for at most {MAX_AVAILABILITY_WINDOW.days} days at once", field="to")
    machines = await repository.machines_of_facilities(session, [facility.id])
    held = await repository.reservations_overlapping(session, facility.id, starts_at=starts_at, ends_at=ends_at)
    result = []
    for machine in machines:
        mine = [one for one in held if one.equipment == machine.equipment]
        result.append(
            Availability(
                equipment=machine.equipment,
                count=machine.count,
                peak_reserved=peak_usage(mine, starts_at=starts_at, ends_at=ends_at),
                reservations=mine,
            )
        )
    return facility, result


async def reserve(
    session: AsyncSession,
    actor: Principal,
    *,
    facility_id: uuid.UUID,
    equipment: ConditioningEquipment,
    count: int,
    starts_at: datetime,
    ends_at: datetime,
    workout_id: uuid.UUID | None = None,
) -> EquipmentReservation:
    facility = await _facility_for(session, actor, facility_id)
    if not can_write_training(actor, facility.organization_id):
        raise Forbidden("only physical trainers, coaches and club administrators reserve machines")
    validation.time_range(starts_at, ends_at, field="endsAt")
    if ends_at - starts_at > MAX_RESERVATION:
        raise InvalidInput(f"a reservation lasts at most {MAX_RESERVATION.seconds // 3600} hours", field="endsAt")
    if ends_at <= utcnow():
        raise InvalidInput("the reservation is over already", field="endsAt")
    if workout_id is not None:
        workout = await training_repository.workout(session, workout_id)
        if workout is None or workout.organization_id != facility.organization_id:
            raise NotFound(f"Workout {workout_id} does not exist", field="workoutId", details={"entity": "Workout"})
    machine = await repository.lock_machine(session, facility.id, equipment)
    if machine is None:
        raise InvalidInput(f"the facility has no {equipment.value} machines", field="equipment")
    validation.integer(count, field="count", minimum=1, maximum=machine.count)
    held = await repository.reservations_overlapping(
        session, facility.id, starts_at=starts_at, ends_at=ends_at, equipment=equipment
    )
    if peak_usage(held, starts_at=starts_at, ends_at=ends_at) + count > machine.count:
        raise Conflict(
            f"only {machine.count} {equipment.value} machines; overlapping reservations hold too many of them",
            field="startsAt",
            details={
                "clashes": [
                    {
                        "id": str(one.id),
                        "count": one.count,
                        "startsAt": one.starts_at.isoformat(),
                        "endsAt": one.ends_at.isoformat(),
                    }
                    for one in held
                ]
            },
        )
    reservation = EquipmentReservation(
        id=uuid.uuid4(),
        organization_id=facility.organization_id,
        facility_id=facility.id,
        equipment=equipment,
        count=count,
        starts_at=starts_at,
        ends_at=ends_at,
        workout_id=workout_id,
        reserved_by=actor.user_id,
    )
    await training_repository.add(session, reservation)
    return reservation


async def cancel(session: AsyncSession, actor: Principal, reservation_id: uuid.UUID) -> EquipmentReservation:
    row = await repository.reservation(session, reservation_id, for_update=True)
    if row is None or not actor.in_organization(row.organization_id):
        raise not_found("EquipmentReservation", reservation_id)
    if not can_write_training(actor, row.organization_id):
        raise Forbidden("only physical trainers, coaches and club administrators cancel reservations")
    if row.cancelled_at is not None:
        raise Conflict("the reservation is cancelled already", field="id")
    row.cancelled_at = utcnow()
    row.cancelled_by = actor.user_id
    await session.flush()
    return row
