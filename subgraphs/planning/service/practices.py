"""Practice plans: timed sections built from library drills (or named ad hoc) that fit the practice, a
status that only moves forward, duplicates."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.errors import Conflict, Forbidden, InvalidInput, not_found
from subgraphs.planning import events, repository
from subgraphs.planning.models import (
    DrillCategory,
    PracticeDrill,
    PracticePlan,
    PracticePlanStatus,
)
from subgraphs.planning.permissions import (
    can_plan_practice,
    can_view_plans,
)
from subgraphs.planning.service.common import acting_organization, today

MAX_DRILLS = 40
MAX_PLANS = 500
NEXT_STATUS = {
    PracticePlanStatus.PLANNED: PracticePlanStatus.IN_PROGRESS,
    PracticePlanStatus.IN_PROGRESS: PracticePlanStatus.COMPLETED,
}


@dataclass(frozen=True, slots=True)
class DrillSpec:
    """One timed section; with `drill_id`, the library drill fills in what is left out."""

    name: str | None
    minutes: int | None
    description: str | None = None
    category: DrillCategory | None = None
    drill_id: uuid.UUID | None = None
    section: str | None = None


def _duration(minutes: int) -> int:
    return validation.integer(minutes, field="durationMinutes", minimum=1, maximum=480)


def _practice_date(value: date) -> date:
    now = today()
    if not now - timedelta(days=5 * 366) <= value <= now + timedelta(days=2 * 366):
        raise InvalidInput("date must be within five years back and two years ahead", field="date")
    return value


async def _build_drills(
    session: AsyncSession,
    plan: PracticePlan,
    specs: Sequence[DrillSpec],
    duration: int,
    *,
    field: str = "drills",
) -> list[PracticeDrill]:
    """The plan's sections in order; every referenced drill must be in the plan's club library."""
    if len(specs) > MAX_DRILLS:
        raise InvalidInput(f"a practice has at most {MAX_DRILLS} drills", field="drills")
    wanted = {spec.drill_id for spec in specs if spec.drill_id is not None}
    library = {
        drill.id: drill
        for drill in await repository.drills_by_ids(session, sorted(wanted))
        if drill.organization_id == plan.organization_id
    }
    if unknown := sorted(str(drill_id) for drill_id in wanted - library.keys()):
        raise InvalidInput(
            f"no such drill in the club's library: {', '.join(unknown)}",
            field="drills",
            details={"unknownDrillIds": unknown},
        )
    built = []
    for position, spec in enumerate(specs, start=1):
        source = library.get(spec.drill_id) if spec.drill_id is not None else None
        name = spec.name if spec.name is not None else source.name if source else None
        minutes = spec.minutes if spec.minutes is not None else source.duration_minutes if source else None
        if name is None or minutes is None:
            raise InvalidInput("a drill without a drillId needs a name and minutes", field="drills")
        built.append(
            PracticeDrill(
                id=uuid.uuid4(),
                practice_plan_id=plan.id,
                position=position,
                name=validation.text(name, field="drills", max_length=120),
                minutes=validation.integer(minutes, field="drills", minimum=1, maximum=480),
                description=validation.optional_text(
                    spec.description if spec.description is not None or source is None else source.description,
                    field="drills",
                    max_length=2000,
                ),
                category=spec.category or (source.category if source else None),
                drill_id=source.id if source else None,
                section=validation.optional_text(spec.section, field="drills", max_length=60),
            )
        )
    _fits(built, duration, field=field)
    return built


def _fits(drills: Sequence[PracticeDrill], duration: int, *, field: str) -> None:
    total = sum(drill.minutes for drill in drills)
    if total > duration:
        raise InvalidInput(f"the drills take {total} minutes but the practice lasts {duration} minutes", field=field)


async def get_practice_plan(
    session: AsyncSession, actor: Principal, plan_id: uuid.UUID, *, for_update: bool = False
) -> PracticePlan:
    plan = await repository.practice_plan(session, plan_id, for_update=for_update)
    if plan is None or not can_view_plans(actor, plan.organization_id):
        raise not_found("PracticePlan", plan_id)
    return plan


async def list_practice_plans(
    session: AsyncSession,
    actor: Principal,
    *,
    team_id: uuid.UUID | None = None,
    start: date | None = None,
    end: date | None = None,
    status: PracticePlanStatus | None = None,
    limit: int = 100,
    organization_id: uuid.UUID | None = None,
) -> list[PracticePlan]:
    if start is not None and end is not None and end < start:
        raise InvalidInput("to must not be before from", field="to")
    return await repository.practice_plans(
        session,
        organization_id=acting_organization(actor, organization_id),
        team_id=team_id,
        start=start,
        end=end,
        status=status,
        limit=validation.integer(limit, field="limit", minimum=1, maximum=MAX_PLANS),
    )


async def drills(session: AsyncSession, plan_id: uuid.UUID) -> list[PracticeDrill]:
    return await repository.drills_of_plans(session, [plan_id])


async def _new_plan(
    session: AsyncSession,
    actor: Principal,
    *,
    organization_id: uuid.UUID,
    team_id: uuid.UUID,
    title: str,
    practice_date: date,
    duration_minutes: int,
    focus: str | None,
    drills: Sequence[DrillSpec],
) -> PracticePlan:
    if not can_plan_practice(actor, organization_id, team_id):
        raise Forbidden("only the team's coaches and the club administrator plan practices")
    plan = PracticePlan(
        id=uuid.uuid4(),
        organization_id=organization_id,
        team_id=team_id,
        title=validation.text(title, field="title", max_length=200),
        practice_date=_practice_date(practice_date),
        duration_minutes=_duration(duration_minutes),
        focus=validation.optional_text(focus, field="focus", max_length=500),
        status=PracticePlanStatus.PLANNED,
        created_by_user_id=actor.user_id,
    )
    built = await _build_drills(session, plan, drills, plan.duration_minutes)
    session.add(plan)
    await session.flush()
    session.add_all(built)
    await session.flush()
    await events.practice_plan_created(session, plan, built)
    return plan


async def create_practice_plan(
    session: AsyncSession,
    actor: Principal,
    *,
    team_id: uuid.UUID,
    title: str,
    date: date,
    duration_minutes: int,
    focus: str | None = None,
    drills: Sequence[DrillSpec] = (),
    organization_id: uuid.UUID | None = None,
) -> PracticePlan:
    return await _new_plan(
        session,
        actor,
        organization_id=acting_organization(actor, organization_id),
        team_id=team_id,
        title=title,
        practice_date=date,
        duration_minutes=duration_minutes,
        focus=focus,
        drills=drills,
    )


async def _plan_for_change(session: AsyncSession, actor: Principal, plan_id: uuid.UUID) -> PracticePlan:
    plan = await get_practice_plan(session, actor, plan_id, for_update=True)
    if not can_plan_practice(actor, plan.organization_id, plan.team_id):
        raise Forbidden("only the team's coaches and the club administrator change its practices")
    return plan


async def update_practice_plan(
    session: AsyncSession, actor: Principal, plan_id: uuid.UUID, changes: Mapping[str, Any]
) -> PracticePlan:
    """Change a plan that is not completed; given drills replace the old ones, in the given order."""
    plan = await _plan_for_change(session, actor, plan_id)
    if plan.status is PracticePlanStatus.COMPLETED:
        raise Conflict("a completed practice is history; duplicate it to plan a new one", field="id")
    if "title" in changes:
        plan.title = validation.text(validation.required(changes, "title"), field="title", max_length=200)
    if "date" in changes:
        plan.practice_date = _practice_date(validation.required(changes, "date"))
    if "focus" in changes:
        plan.focus = validation.optional_text(changes["focus"], field="focus", max_length=500)
    if "duration_minutes" in changes:
        plan.duration_minutes = _duration(validation.required(changes, "duration_minutes"))
    if "drills" in changes:
        built = await _build_drills(session, plan, validation.required(changes, "drills"), plan.duration_minutes)
        await repository.remove_drills(session, plan.id)
        session.add_all(built)
    else:
        _fits(await drills(session, plan.id), plan.duration_minutes, field="durationMinutes")
    await session.flush()
    return plan


async def change_practice_plan_status(
    session: AsyncSession, actor: Principal, plan_id: uuid.UUID, *, status: PracticePlanStatus
) -> PracticePlan:
    """Planned, then in progress, then completed; one step at a time, never back."""
    plan = await _plan_for_change(session, actor, plan_id)
    if plan.status is status:
        return plan
    if NEXT_STATUS.get(plan.status) is not status:
        raise Conflict(
            f"a practice goes planned -> in progress -> completed; this one is {plan.status.name}, "
            f"so it cannot become {status.name}",
            field="status",
        )
    plan.status = status
    await session.flush()
    return plan


async def duplicate_practice_plan(
    session: AsyncSession,
    actor: Principal,
    plan_id: uuid.UUID,
    *,
    date: date,
    team_id: uuid.UUID | None = None,
    title: str | None = None,
) -> PracticePlan:
    """A new planned practice with the same drills, on another day and possibly for another team."""
    source = await get_practice_plan(session, actor, plan_id)
    source_drills = await drills(session, source.id)
    return await _new_plan(
        session,
        actor,
        organization_id=source.organization_id,
        team_id=team_id or source.team_id,
        title=title or source.title,
        practice_date=date,
        duration_minutes=source.duration_minutes,
        focus=source.focus,
        drills=[DrillSpec(d.name, d.minutes, d.description, d.category, d.drill_id, d.section) for d in source_drills],
    )
