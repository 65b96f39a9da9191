"""Events planning publishes: training follows the season's phases; communication announces plans."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.events import record_event
from subgraphs.planning.models import PracticeDrill, PracticePlan, SeasonPhase

PRODUCER = "planning"

PHASE_CHANGED = "planning.phase.changed"
PRACTICE_PLAN_CREATED = "practice_plan.created"


async def phase_changed(session: AsyncSession, phase: SeasonPhase, *, change: str) -> None:
    """`change` is created, updated or removed."""
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
        },
        organization_id=phase.organization_id,
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
