"""Who came to a practice and how the coach rates them: taken once the practice has started."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.errors import Conflict, Forbidden
from subgraphs.planning import repository
from subgraphs.planning.models import (
    AttendanceStatus,
    PracticeParticipant,
    PracticePlan,
    PracticePlanStatus,
)
from subgraphs.planning.permissions import can_plan_practice, can_view_evaluation, can_view_team_plans
from subgraphs.planning.service.common import require_team_players
from subgraphs.planning.service.practices import get_practice_plan

MAX_ENTRIES = 60
ON_ICE = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


@dataclass(frozen=True, slots=True)
class AttendanceSpec:
    player_id: uuid.UUID
    status: AttendanceStatus
    note: str | None = None


async def _started_plan(session: AsyncSession, actor: Principal, plan_id: uuid.UUID) -> PracticePlan:
    plan = await get_practice_plan(session, actor, plan_id, for_update=True)
    if not can_plan_practice(actor, plan.organization_id, plan.team_id):
        raise Forbidden("only the team's coaches and the club administrator take attendance and evaluate")
    if plan.status is PracticePlanStatus.PLANNED:
        raise Conflict("the practice has not started; move it to in progress first", field="id")
    return plan


async def record_attendance(
    session: AsyncSession, actor: Principal, plan_id: uuid.UUID, entries: Sequence[AttendanceSpec]
) -> PracticePlan:
    """Set the attendance of the given players (others keep theirs); each must be on the team."""
    plan = await _started_plan(session, actor, plan_id)
    validation.integer(len(entries), field="entries", maximum=MAX_ENTRIES)
    if len({entry.player_id for entry in entries}) != len(entries):
        raise Conflict("a player appears twice in the attendance", field="entries")
    await require_team_players(
        session,
        organization_id=plan.organization_id,
        team_id=plan.team_id,
        player_ids=[entry.player_id for entry in entries],
        field="entries",
    )
    known = {row.player_id: row for row in await repository.participants_of_plans(session, [plan.id])}
    for entry in entries:
        note = validation.optional_text(entry.note, field="entries", max_length=300)
        row = known.get(entry.player_id)
        if row is None:
            session.add(
                PracticeParticipant(
                    practice_plan_id=plan.id,
                    player_id=entry.player_id,
                    attendance=entry.status,
                    attendance_note=note,
                )
            )
        else:
            row.attendance, row.attendance_note = entry.status, note
            if entry.status not in ON_ICE:
                row.rating = row.evaluation = row.evaluated_by_user_id = None
    await session.flush()
    return plan


async def evaluate_player(
    session: AsyncSession,
    actor: Principal,
    plan_id: uuid.UUID,
    *,
    player_id: uuid.UUID,
    rating: int,
    note: str | None = None,
) -> PracticeParticipant:
    """The coach's 1-5 rating of a player who was on the ice, with a note."""
    plan = await _started_plan(session, actor, plan_id)
    row = await repository.participant(session, plan_id=plan.id, player_id=player_id)
    if row is None or row.attendance not in ON_ICE:
        raise Conflict("only a player marked present or late can be evaluated", field="playerId")
    row.rating = validation.integer(rating, field="rating", minimum=1, maximum=5)
    row.evaluation = validation.optional_text(note, field="note", max_length=1000)
    row.evaluated_by_user_id = actor.user_id
    await session.flush()
    return row


def visible_participants(
    actor: Principal, plan: PracticePlan, rows: Sequence[PracticeParticipant]
) -> list[PracticeParticipant]:
    """Attendance: the club's staff and the team's players; a player sees the others' attendance, not
    their evaluations (the type hides those)."""
    if not can_view_team_plans(actor, plan.organization_id, plan.team_id):
        return [row for row in rows if can_view_evaluation(actor, plan.organization_id, row.player_id)]
    return list(rows)
