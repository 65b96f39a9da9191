"""Seasons, their phases and the phases' training blocks."""

from __future__ import annotations

import uuid
from datetime import date

import strawberry
from strawberry import Private

from shared.errors import not_found
from shared.graphql import Ctx, parse_id, to_id
from subgraphs.planning import loaders, models, permissions, service


@strawberry.federation.type(keys=["id"], description="A season of the club, e.g. 2025-26, with its phases.")
class Season:
    id: strawberry.ID = strawberry.field(description="The season's id.")
    name: str = strawberry.field(description="Unique within the club, e.g. 2025-26.")
    start_date: date = strawberry.field(description="First day of the season.")
    end_date: date = strawberry.field(description="Last day of the season.")

    @classmethod
    def from_row(cls, row: models.Season) -> Season:
        return cls(id=to_id(row.id), name=row.name, start_date=row.start_date, end_date=row.end_date)

    @strawberry.field(description="True when today falls in the season.")
    def is_current(self) -> bool:
        return self.start_date <= service.today() <= self.end_date

    @strawberry.field(description="The season's phases, in date order.")
    async def phases(self, info: Ctx) -> list[SeasonPhase]:
        return [SeasonPhase.from_row(row) for row in await loaders.phases_of_season(info).load(parse_id(self.id))]

    @classmethod
    async def resolve_reference(cls, info: Ctx, id: strawberry.ID) -> Season:
        row = await loaders.seasons(info).load(parse_id(id))
        if row is None or not permissions.can_view_plans(info.context.principal, row.organization_id):
            raise not_found("Season", id)
        return cls.from_row(row)


@strawberry.type(description="A period of a season with one purpose; phases of a season never overlap.")
class SeasonPhase:
    id: strawberry.ID = strawberry.field(description="The phase's id.")
    kind: models.SeasonPhaseKind = strawberry.field(description="Which part of the year it is.")
    name: str = strawberry.field(description="Its label: the given name, or the kind's name.")
    focus: str | None = strawberry.field(description="What the team works on in this phase.")
    start_date: date = strawberry.field(description="First day, inside the season.")
    end_date: date = strawberry.field(description="Last day (inclusive), inside the season.")
    season_id: Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: models.SeasonPhase) -> SeasonPhase:
        return cls(
            id=to_id(row.id),
            kind=row.kind,
            name=row.name or service.PHASE_LABELS[row.kind],
            focus=row.focus,
            start_date=row.start_date,
            end_date=row.end_date,
            season_id=row.season_id,
        )

    @strawberry.field(description="Length in days, both ends included.")
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    @strawberry.field(description="The season the phase belongs to.")
    async def season(self, info: Ctx) -> Season:
        row = await loaders.seasons(info).load(self.season_id)
        if row is None:
            raise not_found("Season", self.season_id)
        return Season.from_row(row)

    @strawberry.field(description="The phase's training blocks, in date order; they never overlap.")
    async def blocks(self, info: Ctx) -> list[PhaseBlock]:
        return [PhaseBlock.from_row(row) for row in await loaders.blocks_of_phase(info).load(parse_id(self.id))]

    @strawberry.field(description="The block covering a day of the phase (default today), or null.")
    async def block_on(self, info: Ctx, date: date | None = None) -> PhaseBlock | None:
        day = date or service.today()
        rows = await loaders.blocks_of_phase(info).load(parse_id(self.id))
        return next((PhaseBlock.from_row(row) for row in rows if row.start_date <= day <= row.end_date), None)


@strawberry.type(description="One day of a block's typical week.")
class TrainingWeekDay:
    weekday: int = strawberry.field(description="ISO weekday: 1 is Monday, 7 is Sunday.")
    activity: models.TrainingDay = strawberry.field(description="What the day holds.")
    note: str | None = strawberry.field(description="Details, e.g. morning skate then video.")


@strawberry.type(
    description="A part of a phase at one intensity with its focus areas and typical week; blocks of a "
    "phase never overlap and stay inside it."
)
class PhaseBlock:
    id: strawberry.ID = strawberry.field(description="The block's id.")
    name: str = strawberry.field(description="Its label, e.g. Strength block 1.")
    intensity: models.BlockIntensity = strawberry.field(description="How hard it is; training scales load to it.")
    focus_areas: list[str] = strawberry.field(description="What it works on, e.g. aerobic base, power play.")
    start_date: date = strawberry.field(description="First day, inside the phase.")
    end_date: date = strawberry.field(description="Last day (inclusive), inside the phase.")
    weekly_structure: list[TrainingWeekDay] = strawberry.field(description="The typical week, Monday first.")

    @classmethod
    def from_row(cls, row: models.PhaseBlock) -> PhaseBlock:
        return cls(
            id=to_id(row.id),
            name=row.name,
            intensity=row.intensity,
            focus_areas=list(row.focus_areas),
            start_date=row.start_date,
            end_date=row.end_date,
            weekly_structure=[
                TrainingWeekDay(weekday=d.weekday, activity=d.activity, note=d.note) for d in service.week_of(row)
            ],
        )

    @strawberry.field(description="Length in days, both ends included.")
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1
