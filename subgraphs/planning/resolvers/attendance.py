"""Attendance and evaluations of a practice."""

from __future__ import annotations

import strawberry

from shared.graphql import Ctx, actor, mutation, parse_id
from subgraphs.planning import service
from subgraphs.planning.models import AttendanceStatus
from subgraphs.planning.types import PracticePlan


@strawberry.input(description="One player's attendance at a practice.")
class PracticeAttendanceInput:
    player_id: strawberry.ID = strawberry.field(description="A player on the practice's team.")
    status: AttendanceStatus = strawberry.field(description="Present, late, absent, excused or injured.")
    note: str | None = strawberry.field(default=None, description="Why, up to 300 characters.")


@strawberry.type(description="Attendance and evaluations of practices.")
class AttendanceMutation:
    @mutation(
        description="Record attendance at a practice that has started (the team's coaches); given players are "
        "set, others keep theirs."
    )
    async def record_practice_attendance(
        self, info: Ctx, id: strawberry.ID, entries: list[PracticeAttendanceInput]
    ) -> PracticePlan:
        specs = [service.AttendanceSpec(parse_id(e.player_id, field="entries"), e.status, e.note) for e in entries]
        row = await service.record_attendance(info.context.session, actor(info), parse_id(id), specs)
        return PracticePlan.from_row(row)

    @mutation(description="Rate a player who was on the ice at a practice, 1-5 with a note (the team's coaches).")
    async def evaluate_practice_player(
        self, info: Ctx, id: strawberry.ID, player_id: strawberry.ID, rating: int, note: str | None = None
    ) -> PracticePlan:
        plan_id = parse_id(id)
        await service.evaluate_player(
            info.context.session,
            actor(info),
            plan_id,
            player_id=parse_id(player_id, field="playerId"),
            rating=rating,
            note=note,
        )
        return PracticePlan.from_row(await service.get_practice_plan(info.context.session, actor(info), plan_id))
