"""Queries and mutations of facilities and machine reservations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from shared.graphql import Ctx, actor, mutation, parse_id, requires_sign_in
from subgraphs.training.facilities import service
from subgraphs.training.models import ConditioningEquipment
from subgraphs.training.types.facilities import EquipmentAvailability, EquipmentReservation, Facility


@strawberry.input(description="How many machines of one kind.")
class FacilityMachinesInput:
    equipment: ConditioningEquipment = strawberry.field(description="The kind of machine, once per facility.")
    count: int = strawberry.field(description="How many, 1-200.")


@strawberry.input(description="A new facility of the club.")
class CreateFacilityInput:
    name: str = strawberry.field(description="Unique in the club, up to 120 characters.")
    machines: list[FacilityMachinesInput] = strawberry.field(description="Its machines, at least one kind.")


@strawberry.input(description="Machines to hold for a while.")
class ReserveEquipmentInput:
    facility_id: strawberry.ID = strawberry.field(description="The facility.")
    equipment: ConditioningEquipment = strawberry.field(description="The kind of machine.")
    count: int = strawberry.field(description="How many, at most as many as the facility has.")
    starts_at: datetime = strawberry.field(description="Start, with a time zone offset.")
    ends_at: datetime = strawberry.field(description="End (exclusive), at most 12 hours after the start.")
    workout_id: strawberry.ID | None = strawberry.field(default=None, description="The workout they are for.")


@strawberry.type(description="Reads of facilities and their machines' reservations.")
class FacilityQuery:
    @strawberry.field(description="The club's facilities, by name (staff).", extensions=[requires_sign_in()])
    async def facilities(self, info: Ctx) -> list[Facility]:
        rows = await service.list_facilities(info.context.session, actor(info))
        return [Facility.from_row(row) for row in rows]

    @strawberry.field(
        description="Per kind of machine of a facility over [from, to] (at most 31 days): how many, the "
        "most reserved at once, and the reservations (staff).",
        extensions=[requires_sign_in()],
    )
    async def equipment_availability(
        self,
        info: Ctx,
        facility_id: Annotated[strawberry.ID, strawberry.argument(description="The facility.")],
        from_: Annotated[datetime, strawberry.argument(name="from", description="Start of the window.")],
        to: Annotated[datetime, strawberry.argument(description="End of the window.")],
    ) -> list[EquipmentAvailability]:
        _, rows = await service.availability(
            info.context.session,
            actor(info),
            parse_id(facility_id, field="facilityId"),
            starts_at=from_,
            ends_at=to,
        )
        return [EquipmentAvailability.of(row) for row in rows]


@strawberry.type(description="Changes to facilities and reservations: trainers, coaches and club administrators.")
class FacilityMutation:
    @mutation(description="Add a facility with its conditioning machines.")
    async def create_facility(self, info: Ctx, input: CreateFacilityInput) -> Facility:
        row = await service.create_facility(
            info.context.session,
            actor(info),
            name=input.name,
            machines=[(one.equipment, one.count) for one in input.machines],
        )
        return Facility.from_row(row)

    @mutation(
        description="Hold machines of a facility; refused with CONFLICT (extensions.clashes lists the "
        "overlapping reservations) when there would be more reserved at once than the facility has."
    )
    async def reserve_equipment(self, info: Ctx, input: ReserveEquipmentInput) -> EquipmentReservation:
        row = await service.reserve(
            info.context.session,
            actor(info),
            facility_id=parse_id(input.facility_id, field="facilityId"),
            equipment=input.equipment,
            count=input.count,
            starts_at=input.starts_at,
            ends_at=input.ends_at,
            workout_id=parse_id(input.workout_id, field="workoutId") if input.workout_id is not None else None,
        )
        return EquipmentReservation.from_row(row)

    @mutation(description="Cancel a reservation: its machines are free again.")
    async def cancel_equipment_reservation(self, info: Ctx, id: strawberry.ID) -> EquipmentReservation:
        return EquipmentReservation.from_row(await service.cancel(info.context.session, actor(info), parse_id(id)))
