"""Reads and writes of facilities, their machines and reservations."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.training.models import ConditioningEquipment, EquipmentReservation, Facility, FacilityMachine


async def facility(session: AsyncSession, facility_id: uuid.UUID) -> Facility | None:
    return await session.get(Facility, facility_id)


async def facilities_of(session: AsyncSession, organization_id: uuid.UUID | None) -> list[Facility]:
    statement = select(Facility)
    if organization_id is not None:
        statement = statement.where(Facility.organization_id == organization_id)
    return list(await session.scalars(statement.order_by(func.lower(Facility.name))))


async def name_taken(session: AsyncSession, organization_id: uuid.UUID, name: str) -> bool:
    found = await session.scalar(
        select(Facility.id).where(
            Facility.organization_id == organization_id, func.lower(Facility.name) == name.lower()
        )
    )
    return found is not None


async def machines_of_facilities(session: AsyncSession, facility_ids: Sequence[uuid.UUID]) -> list[FacilityMachine]:
    if not facility_ids:
        return []
    rows = await session.scalars(
        select(FacilityMachine).where(FacilityMachine.facility_id.in_(facility_ids)).order_by(FacilityMachine.equipment)
    )
    return list(rows)


async def lock_machine(
    session: AsyncSession, facility_id: uuid.UUID, equipment: ConditioningEquipment
) -> FacilityMachine | None:
    """The facility's machines of that kind, locked until the transaction ends: the serialization point of
    reservations of it."""
    return await session.scalar(
        select(FacilityMachine)
        .where(FacilityMachine.facility_id == facility_id, FacilityMachine.equipment == equipment)
        .with_for_update()
    )


async def reservations_overlapping(
    session: AsyncSession,
    facility_id: uuid.UUID,
    *,
    starts_at: datetime,
    ends_at: datetime,
    equipment: ConditioningEquipment | None = None,
) -> list[EquipmentReservation]:
    """Reservations not cancelled that overlap [starts_at, ends_at): each starts before the other ends."""
    statement = select(EquipmentReservation).where(
        EquipmentReservation.facility_id == facility_id,
        EquipmentReservation.cancelled_at.is_(None),
        EquipmentReservation.starts_at < ends_at,
        EquipmentReservation.ends_at > starts_at,
    )
    if equipment is not None:
        statement = statement.where(EquipmentReservation.equipment == equipment)
    rows = await session.scalars(statement.order_by(EquipmentReservation.starts_at, EquipmentReservation.created_at))
    return list(rows)


async def reservation(
    session: AsyncSession, reservation_id: uuid.UUID, *, for_update: bool = False
) -> EquipmentReservation | None:
    statement = select(EquipmentReservation).where(EquipmentReservation.id == reservation_id)
    if for_update:
        statement = statement.with_for_update()
    return await session.scalar(statement)
