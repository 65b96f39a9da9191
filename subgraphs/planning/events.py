"""Events planning publishes: training follows the season's phases and their blocks and the teams' latest
lineups; communication announces plans.

Consumed: the user service's player events, which keep the roster copy (`shared.roster`) that lineups
and attendance are checked against."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.events import record_event
from subgraphs.planning.models import (
    GamePlan,
    LineType,
    LineupSlot,
    PhaseBlock,
    PracticeDrill,
    PracticePlan,
    SeasonPhase,
)

PRODUCER = "planning"

PHASE_CHANGED = "planning.phase.changed"
PRACTICE_PLAN_CREATED = "practice_plan.created"
LINEUP_SET = "lineup.set"


async def phase_changed(
    session: AsyncSession, phase: SeasonPhase, *, change: str, blocks: Sequence[PhaseBlock] = ()
) -> None:
    """`change` is created, updated or removed. `blocks` is the phase's training blocks after the change
    (their intensity is what training scales load targets by); a change of blocks is an update."""
    await record_event(
        session,
        producer=PRODUCER,
        type=PHASE_CHANGED,
        data={
            "change": change,
            "season_id": phase.season_id,
            "phase_id": phase.id,
            "kind": phase.kind.value,
            "name": phase.name,
            "start_date": phase.start_date,
            "end_date": phase.end_date,
            "blocks": [
                {
                    "block_id": block.id,
                    "name": block.name,
                    "intensity": block.intensity.value,
                    "focus_areas": list(block.focus_areas),
                    "start_date": block.start_date,
                    "end_date": block.end_date,
                }
                for block in blocks
            ],
        },
        organization_id=phase.organization_id,
    )


async def lineup_set(session: AsyncSession, plan: GamePlan, line_type: LineType, slots: Sequence[LineupSlot]) -> None:
    """A game plan's lineup of one line type, as set (empty when cleared): training assigns workouts to lines
    through the latest one."""
    await record_event(
        session,
        producer=PRODUCER,
        type=LINEUP_SET,
        data={
            "game_plan_id": plan.id,
            "team_id": plan.team_id,
            "game_date": plan.game_date,
            "line_type": line_type.value,
            "slots": [
                {"group": slot.group.value, "unit": slot.unit, "position": slot.position, "player_id": slot.player_id}
                for slot in slots
            ],
        },
        organization_id=plan.organization_id,
    )


def practice_plan_data(plan: PracticePlan, drills: list[PracticeDrill]) -> dict[str, Any]:
    return {
        "practice_plan_id": plan.id,
        "team_id": plan.team_id,
        "title": plan.title,
        "date": plan.practice_date,
        "duration_minutes": plan.duration_minutes,
        "focus": plan.focus,
        "drills": [{"name": drill.name, "minutes": drill.minutes} for drill in drills],
    }


async def practice_plan_created(session: AsyncSession, plan: PracticePlan, drills: list[PracticeDrill]) -> None:
    await record_event(
        session,
        producer=PRODUCER,
        type=PRACTICE_PLAN_CREATED,
        data=practice_plan_data(plan, drills),
        organization_id=plan.organization_id,
    )
