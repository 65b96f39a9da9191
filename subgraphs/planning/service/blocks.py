"""Training blocks: a phase split into periods of one intensity with focus areas and a typical week.

Blocks stay inside their phase and never overlap each other (checked here, and by the `BLOCK_OVERLAP`
exclusion constraint for racing writes). Every change republishes the phase with its blocks, so training
can scale load targets to the block's intensity.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.errors import Conflict, DomainError, Forbidden, InvalidInput, not_found
from subgraphs.planning import events, repository
from subgraphs.planning.models import BLOCK_OVERLAP, BlockIntensity, PhaseBlock, SeasonPhase, TrainingDay
from subgraphs.planning.permissions import can_manage_seasons, can_view_plans
from subgraphs.planning.service.common import write_checked

MAX_FOCUS_AREAS = 10
MAX_WEEK_ENTRIES = 21


@dataclass(frozen=True, slots=True)
class WeekDaySpec:
    weekday: int
    """1 = Monday ... 7 = Sunday (ISO)."""
    activity: TrainingDay
    note: str | None = None


def _focus_areas(values: Sequence[str]) -> list[str]:
    if len(values) > MAX_FOCUS_AREAS:
        raise InvalidInput(f"a block has at most {MAX_FOCUS_AREAS} focus areas", field="focusAreas")
    areas = [validation.text(value, field="focusAreas", max_length=80) for value in values]
    if len({area.casefold() for area in areas}) != len(areas):
        raise InvalidInput("focus areas must not repeat", field="focusAreas")
    return areas


def _week(days: Sequence[WeekDaySpec]) -> list[dict[str, Any]]:
    if len(days) > MAX_WEEK_ENTRIES:
        raise InvalidInput(f"a week has at most {MAX_WEEK_ENTRIES} entries", field="weeklyStructure")
    week = []
    for day in days:
        validation.integer(day.weekday, field="weeklyStructure", minimum=1, maximum=7)
        note = validation.optional_text(day.note, field="weeklyStructure", max_length=200)
        week.append({"weekday": day.weekday, "activity": day.activity.value, "note": note})
    return sorted(week, key=lambda entry: entry["weekday"])


def week_of(block: PhaseBlock) -> list[WeekDaySpec]:
    return [WeekDaySpec(d["weekday"], TrainingDay(d["activity"]), d.get("note")) for d in block.weekly_structure]


def _inside(phase: SeasonPhase, start: date, end: date) -> None:
    if end < start:
        raise InvalidInput("endDate must not be before startDate", field="endDate")
    if start < phase.start_date:
        raise InvalidInput(f"startDate must be within the phase, from {phase.start_date}", field="startDate")
    if end > phase.end_date:
        raise InvalidInput(f"endDate must be within the phase, until {phase.end_date}", field="endDate")


def _overlap(blocks: Sequence[PhaseBlock]) -> Conflict:
    if not blocks:
        return Conflict("another block was saved for those dates at the same time")
    described = ", ".join(f"{b.name} ({b.start_date} to {b.end_date})" for b in blocks)
    return Conflict(
        f"the block overlaps {described}",
        details={"conflicts": [{"id": str(b.id), "name": b.name} for b in blocks]},
    )


async def _phase_for_blocks(session: AsyncSession, actor: Principal, phase_id: uuid.UUID) -> SeasonPhase:
    # A share lock: blocks of one phase may be written concurrently (the exclusion constraint decides
    # between overlapping ones), but not while the phase's dates change.
    phase = await repository.phase(session, phase_id, for_share=True)
    if phase is None or not can_view_plans(actor, phase.organization_id):
        raise not_found("SeasonPhase", phase_id)
    if not can_manage_seasons(actor, phase.organization_id):
        raise Forbidden("only coaches and club administrators plan seasons")
    return phase


async def _save(
    session: AsyncSession, block: PhaseBlock, apply: Callable[[], object], *, start: date, end: date
) -> None:
    async def overlapping() -> list[PhaseBlock]:
        return await repository.overlapping_blocks(
            session, phase_id=block.phase_id, start=start, end=end, exclude_id=block.id
        )

    async def conflict() -> DomainError:
        return _overlap(await overlapping())

    if clashes := await overlapping():
        raise _overlap(clashes)
    await write_checked(session, apply, constraint=BLOCK_OVERLAP, conflict=conflict)


async def _announce(session: AsyncSession, phase: SeasonPhase) -> None:
    await events.phase_changed(
        session, phase, change="updated", blocks=await repository.blocks_of_phases(session, [phase.id])
    )


async def add_block(
    session: AsyncSession,
    actor: Principal,
    *,
    phase_id: uuid.UUID,
    name: str,
    intensity: BlockIntensity,
    start_date: date,
    end_date: date,
    focus_areas: Sequence[str] = (),
    weekly_structure: Sequence[WeekDaySpec] = (),
) -> PhaseBlock:
    phase = await _phase_for_blocks(session, actor, phase_id)
    _inside(phase, start_date, end_date)
    block = PhaseBlock(
        id=uuid.uuid4(),
        phase_id=phase.id,
        organization_id=phase.organization_id,
        name=validation.text(name, field="name", max_length=80),
        intensity=intensity,
        focus_areas=_focus_areas(focus_areas),
        start_date=start_date,
        end_date=end_date,
        weekly_structure=_week(weekly_structure),
    )
    await _save(session, block, lambda: session.add(block), start=start_date, end=end_date)
    await _announce(session, phase)
    return block


async def _block(session: AsyncSession, actor: Principal, block_id: uuid.UUID) -> tuple[PhaseBlock, SeasonPhase]:
    block = await repository.block(session, block_id)
    if block is None or not can_view_plans(actor, block.organization_id):
        raise not_found("PhaseBlock", block_id)
    return block, await _phase_for_blocks(session, actor, block.phase_id)


async def update_block(
    session: AsyncSession, actor: Principal, block_id: uuid.UUID, changes: Mapping[str, Any]
) -> PhaseBlock:
    block, phase = await _block(session, actor, block_id)
    values: dict[str, Any] = {}
    if "name" in changes:
        values["name"] = validation.text(validation.required(changes, "name"), field="name", max_length=80)
    if "intensity" in changes:
        values["intensity"] = validation.required(changes, "intensity")
    if "focus_areas" in changes:
        values["focus_areas"] = _focus_areas(validation.required(changes, "focus_areas"))
    if "weekly_structure" in changes:
        values["weekly_structure"] = _week(validation.required(changes, "weekly_structure"))
    start = validation.required(changes, "start_date") if "start_date" in changes else block.start_date
    end = validation.required(changes, "end_date") if "end_date" in changes else block.end_date
    _inside(phase, start, end)
    values.update(start_date=start, end_date=end)

    def apply() -> None:
        for attribute, value in values.items():
            setattr(block, attribute, value)

    await _save(session, block, apply, start=start, end=end)
    await _announce(session, phase)
    return block


async def remove_block(session: AsyncSession, actor: Principal, block_id: uuid.UUID) -> SeasonPhase:
    block, phase = await _block(session, actor, block_id)
    await session.delete(block)
    await session.flush()
    await _announce(session, phase)
    return phase


async def block_on(session: AsyncSession, phase: SeasonPhase, day: date) -> PhaseBlock | None:
    return await repository.block_on(session, phase_id=phase.id, day=day)
