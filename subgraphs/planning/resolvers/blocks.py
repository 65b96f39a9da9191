"""Training blocks of a phase, and the team's current phase."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

from shared.graphql import Ctx, actor, mutation, parse_id, provided, requires_sign_in
from subgraphs.planning import service
from subgraphs.planning.models import BlockIntensity, TrainingDay
from subgraphs.planning.types import PhaseBlock, SeasonPhase


@strawberry.input(description="One day of a block's typical week.")
class TrainingWeekDayInput:
    weekday: int = strawberry.field(description="ISO weekday: 1 is Monday, 7 is Sunday.")
    activity: TrainingDay = strawberry.field(description="What the day holds.")
    note: str | None = strawberry.field(default=None, description="Details, up to 200 characters.")

    def to_spec(self) -> service.WeekDaySpec:
        return service.WeekDaySpec(self.weekday, self.activity, self.note)


@strawberry.input(description="A new training block, inside its phase and overlapping no other block of it.")
class AddPhaseBlockInput:
    name: str = strawberry.field(description="Its label, e.g. Strength block 1.")
    intensity: BlockIntensity = strawberry.field(description="How hard it is.")
    start_date: date = strawberry.field(description="First day, inside the phase.")
    end_date: date = strawberry.field(description="Last day (inclusive), inside the phase.")
    focus_areas: list[str] = strawberry.field(default_factory=list, description="Up to 10, no repeats.")
    weekly_structure: list[TrainingWeekDayInput] = strawberry.field(
        default_factory=list, description="The typical week."
    )


@strawberry.input(description="Changes to a training block; omitted fields stay as they are.")
class UpdatePhaseBlockInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Its label.")
    intensity: BlockIntensity | None = strawberry.field(default=strawberry.UNSET, description="How hard it is.")
    start_date: date | None = strawberry.field(default=strawberry.UNSET, description="First day.")
    end_date: date | None = strawberry.field(default=strawberry.UNSET, description="Last day, inclusive.")
    focus_areas: list[str] | None = strawberry.field(default=strawberry.UNSET, description="Replaces the list.")
    weekly_structure: list[TrainingWeekDayInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces the typical week."
    )


def _values(input: AddPhaseBlockInput | UpdatePhaseBlockInput) -> dict[str, Any]:
    values = provided(input)
    if values.get("weekly_structure") is not None:
        values["weekly_structure"] = [day.to_spec() for day in values["weekly_structure"]]
    return values


@strawberry.type(description="Reads of the periodization.")
class BlocksQuery:
    @strawberry.field(
        description="The phase a team is in on a day (default today), with its blocks; null when no phase "
        "covers the day. Players and parents may ask about their own teams only.",
        extensions=[requires_sign_in()],
    )
    async def current_phase(self, info: Ctx, team_id: strawberry.ID, date: date | None = None) -> SeasonPhase | None:
        row = await service.current_phase(
            info.context.session, actor(info), team_id=parse_id(team_id, field="teamId"), day=date
        )
        return SeasonPhase.from_row(row) if row else None


@strawberry.type(description="Changes to the periodization; each publishes planning.phase.changed.")
class BlocksMutation:
    @mutation(description="Add a training block to a phase; an overlap with another block is a CONFLICT.")
    async def add_phase_block(self, info: Ctx, phase_id: strawberry.ID, input: AddPhaseBlockInput) -> PhaseBlock:
        row = await service.add_block(
            info.context.session, actor(info), phase_id=parse_id(phase_id, field="phaseId"), **_values(input)
        )
        return PhaseBlock.from_row(row)

    @mutation(description="Change a training block's dates, intensity, focus areas or week.")
    async def update_phase_block(self, info: Ctx, id: strawberry.ID, input: UpdatePhaseBlockInput) -> PhaseBlock:
        row = await service.update_block(info.context.session, actor(info), parse_id(id), _values(input))
        return PhaseBlock.from_row(row)

    @mutation(description="Remove a training block; returns its phase.")
    async def remove_phase_block(self, info: Ctx, id: strawberry.ID) -> SeasonPhase:
        return SeasonPhase.from_row(await service.remove_block(info.context.session, actor(info), parse_id(id)))
