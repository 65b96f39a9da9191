"""Development goals for teams and players, with progress measured from where they started."""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.errors import Conflict, Forbidden, InvalidInput, not_found
from subgraphs.planning import repository
from subgraphs.planning.models import (
    DevelopmentGoal,
    GoalProgressUpdate,
    GoalStatus,
)
from subgraphs.planning.permissions import (
    can_manage_goals,
    can_view_goal,
    sees_all_goals,
)
from subgraphs.planning.service.common import acting_organization, today

MEASURE_LIMIT = Decimal("999999999")


def measure(value: float, *, field: str) -> Decimal:
    if not math.isfinite(value) or abs(value) >= MEASURE_LIMIT:
        raise InvalidInput(f"{field} must be a number below {MEASURE_LIMIT} in size", field=field)
    return Decimal(str(value)).quantize(Decimal("0.001"))


def progress_percent(goal: DevelopmentGoal) -> float:
    """How far from the start value towards the target, 0-100; works for goals that go down too."""
    span = goal.target_value - goal.start_value
    if span == 0:
        return 100.0 if goal.current_value == goal.target_value else 0.0
    share = (goal.current_value - goal.start_value) / span
    return round(float(min(Decimal(1), max(Decimal(0), share))) * 100, 1)


def _reached(goal: DevelopmentGoal) -> bool:
    if goal.target_value >= goal.start_value:
        return goal.current_value >= goal.target_value
    return goal.current_value <= goal.target_value


async def get_goal(
    session: AsyncSession, actor: Principal, goal_id: uuid.UUID, *, for_update: bool = False
) -> DevelopmentGoal:
    goal = await repository.goal(session, goal_id, for_update=for_update)
    if goal is None or not can_view_goal(actor, goal):
        raise not_found("DevelopmentGoal", goal_id)
    return goal


async def list_goals(
    session: AsyncSession,
    actor: Principal,
    *,
    team_id: uuid.UUID | None = None,
    player_id: uuid.UUID | None = None,
    status: GoalStatus | None = None,
    organization_id: uuid.UUID | None = None,
) -> list[DevelopmentGoal]:
    """Staff: the club's goals. Players: their own and their teams'. Parents: their children's."""
    organization = acting_organization(actor, organization_id)
    if sees_all_goals(actor, organization):
        player_ids = [player_id] if player_id is not None else None
        return await repository.goals(
            session, organization_id=organization, team_id=team_id, player_ids=player_ids, status=status
        )
    own_players = {*actor.children, *([actor.player_id] if actor.player_id else [])}
    if player_id is not None:
        own_players &= {player_id}
    rows = await repository.goals(
        session,
        organization_id=organization,
        team_id=team_id,
        player_ids=sorted(own_players),
        team_ids=[] if player_id is not None else sorted(actor.team_ids),
        status=status,
    )
    return [row for row in rows if can_view_goal(actor, row)]


async def goals_of_players(
    session: AsyncSession, actor: Principal, player_ids: Sequence[uuid.UUID]
) -> list[DevelopmentGoal]:
    """Every player's goals the caller may see, for the `Player.developmentGoals` batch."""
    return [row for row in await repository.goals_of_players(session, player_ids) if can_view_goal(actor, row)]


async def create_goal(
    session: AsyncSession,
    actor: Principal,
    *,
    title: str,
    metric: str,
    start_value: float,
    target_value: float,
    team_id: uuid.UUID | None = None,
    player_id: uuid.UUID | None = None,
    unit: str | None = None,
    current_value: float | None = None,
    due_date: date | None = None,
    organization_id: uuid.UUID | None = None,
) -> DevelopmentGoal:
    organization = acting_organization(actor, organization_id)
    if not can_manage_goals(actor, organization):
        raise Forbidden("only coaches, trainers and club administrators set development goals")
    if (team_id is None) == (player_id is None):
        raise InvalidInput("a goal is for a team or for a player: give exactly one", field="playerId")
    start = measure(start_value, field="startValue")
    goal = DevelopmentGoal(
        id=uuid.uuid4(),
        organization_id=organization,
        team_id=team_id,
        player_id=player_id,
        title=validation.text(title, field="title", max_length=200),
        metric=validation.text(metric, field="metric", max_length=120),
        unit=validation.optional_text(unit, field="unit", max_length=30),
        start_value=start,
        target_value=measure(target_value, field="targetValue"),
        current_value=start if current_value is None else measure(current_value, field="currentValue"),
        due_date=due_date,
        status=GoalStatus.ACTIVE,
        created_by_user_id=actor.user_id,
    )
    if goal.target_value == goal.start_value:
        raise InvalidInput("targetValue must differ from startValue", field="targetValue")
    if _reached(goal):
        goal.status = GoalStatus.ACHIEVED
    session.add(goal)
    await session.flush()
    return goal


async def _goal_for_change(session: AsyncSession, actor: Principal, goal_id: uuid.UUID) -> DevelopmentGoal:
    goal = await get_goal(session, actor, goal_id, for_update=True)
    if not can_manage_goals(actor, goal.organization_id):
        raise Forbidden("only coaches, trainers and club administrators change development goals")
    return goal


async def update_goal(
    session: AsyncSession, actor: Principal, goal_id: uuid.UUID, changes: Mapping[str, Any]
) -> DevelopmentGoal:
    goal = await _goal_for_change(session, actor, goal_id)
    if "title" in changes:
        goal.title = validation.text(validation.required(changes, "title"), field="title", max_length=200)
    if "metric" in changes:
        goal.metric = validation.text(validation.required(changes, "metric"), field="metric", max_length=120)
    if "unit" in changes:
        goal.unit = validation.optional_text(changes["unit"], field="unit", max_length=30)
    if "target_value" in changes:
        goal.target_value = measure(validation.required(changes, "target_value"), field="targetValue")
        if goal.target_value == goal.start_value:
            raise InvalidInput("targetValue must differ from startValue", field="targetValue")
    if "due_date" in changes:
        goal.due_date = changes["due_date"]
    if "status" in changes:
        goal.status = validation.required(changes, "status")
    await session.flush()
    return goal


async def record_progress(
    session: AsyncSession,
    actor: Principal,
    goal_id: uuid.UUID,
    *,
    value: float,
    note: str | None = None,
    recorded_on: date | None = None,
) -> DevelopmentGoal:
    """A new measurement; it becomes the current value, and reaching the target achieves an active goal."""
    goal = await _goal_for_change(session, actor, goal_id)
    if goal.status is GoalStatus.CANCELLED:
        raise Conflict("the goal is cancelled; reopen it before recording progress", field="id")
    day = recorded_on or today()
    if day > today() + timedelta(days=1):
        raise InvalidInput("recordedOn must not be in the future", field="recordedOn")
    measured = measure(value, field="value")
    session.add(
        GoalProgressUpdate(
            goal_id=goal.id,
            value=measured,
            note=validation.optional_text(note, field="note", max_length=500),
            recorded_on=day,
            recorded_by_user_id=actor.user_id,
        )
    )
    goal.current_value = measured
    if goal.status is GoalStatus.ACTIVE and _reached(goal):
        goal.status = GoalStatus.ACHIEVED
    await session.flush()
    return goal
