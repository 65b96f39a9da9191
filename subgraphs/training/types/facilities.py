"""GraphQL types of facilities, their conditioning machines and reservations."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry
from strawberry import Private

from shared.graphql import Ctx, to_id
from subgraphs.training import loaders, models
from subgraphs.training.facilities.service import Availability


@strawberry.type(description="How many machines of one kind a facility has.")
class FacilityMachines:
    equipment: models.ConditioningEquipment = strawberry.field(description="The kind of machine.")
    count: int = strawberry.field(description="How many of them.")


@strawberry.type(description="A place of the club with conditioning machines that teams reserve.")
class Facility:
    id: strawberry.ID = strawberry.field(description="The facility's id.")
    name: str = strawberry.field(description="Unique in the club.")
    row_id: Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: models.Facility) -> Facility:
        return cls(id=to_id(row.id), name=row.name, row_id=row.id)

    @strawberry.field(description="Its machines, by kind.")
    async def machines(self, info: Ctx) -> list[FacilityMachines]:
        rows = await loaders.facility_machines(info).load(self.row_id)
        return [FacilityMachines(equipment=row.equipment, count=row.count) for row in rows]


@strawberry.type(description="Machines of one kind of a facility held for [startsAt, endsAt).")
class EquipmentReservation:
    id: strawberry.ID = strawberry.field(description="The reservation's id.")
    equipment: models.ConditioningEquipment = strawberry.field(description="The kind of machine.")
    count: int = strawberry.field(description="How many machines.")
    starts_at: datetime = strawberry.field(description="When it starts.")
    ends_at: datetime = strawberry.field(description="When it ends (exclusive: a reservation may start then).")
    cancelled_at: datetime | None = strawberry.field(description="When it was cancelled, if it was.")
    workout_id: strawberry.ID | None = strawberry.field(description="The workout the machines are for, if named.")
    facility_id: strawberry.ID = strawberry.field(description="The facility.")

    @classmethod
    def from_row(cls, row: models.EquipmentReservation) -> EquipmentReservation:
        return cls(
            id=to_id(row.id),
            equipment=row.equipment,
            count=row.count,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            cancelled_at=row.cancelled_at,
            workout_id=None if row.workout_id is None else to_id(row.workout_id),
            facility_id=to_id(row.facility_id),
        )


@strawberry.type(description="One kind of machine of a facility over a window: its reservations and what is free.")
class EquipmentAvailability:
    equipment: models.ConditioningEquipment = strawberry.field(description="The kind of machine.")
    count: int = strawberry.field(description="How many the facility has.")
    peak_reserved: int = strawberry.field(description="The most reserved at any one moment of the window.")
    available: int = strawberry.field(description="Free for the whole window: count - peakReserved.")
    reservations: list[EquipmentReservation] = strawberry.field(
        description="Reservations (not cancelled) overlapping the window, by start."
    )

    @classmethod
    def of(cls, value: Availability) -> EquipmentAvailability:
        return cls(
            equipment=value.equipment,
            count=value.count,
            peak_reserved=value.peak_reserved,
            available=value.count - value.peak_reserved,
            reservations=[EquipmentReservation.from_row(row) for row in value.reservations],
        )
