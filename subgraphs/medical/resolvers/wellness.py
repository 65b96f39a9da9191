"""Queries and mutations of wellness check-ins and the team summary."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from shared.auth.scopes import HEALTH_READ
from shared.graphql import Ctx, actor, mutation, parse_id, provided, requires_capability, requires_sign_in
from subgraphs.medical import wellness
from subgraphs.medical.models import BodyPart
from subgraphs.medical.types import TeamWellness, WellnessCheckIn, selected_fields


@strawberry.input(description="A player's wellness check-in; a second one the same day replaces the first.")
class WellnessCheckInInput:
    player_id: strawberry.ID = strawberry.field(description="The player (a player checks in for themselves).")
    sleep_hours: float = strawberry.field(description="Hours slept, 0-24.")
    sleep_quality: int = strawberry.field(description="1 (awful) to 10 (excellent).")
    energy: int = strawberry.field(description="1 (exhausted) to 10 (full of energy).")
    stress: int = strawberry.field(description="1 (relaxed) to 10 (highly stressed).")
    soreness: int = strawberry.field(description="1 (none) to 10 (severe).")
    mood: int = strawberry.field(description="1 (very low) to 10 (excellent).")
    day: date | None = strawberry.field(default=None, description="Default today; up to 7 days late.")
    resting_heart_rate: int | None = strawberry.field(default=None, description="Beats per minute, 20-250.")
    hrv_ms: int | None = strawberry.field(default=None, description="Heart-rate variability, ms, 1-500.")
    pain_areas: list[BodyPart] = strawberry.field(default_factory=list, description="Where it hurts.")
    notes: str | None = strawberry.field(default=None, description="Anything else: health data.")


@strawberry.type
class WellnessQuery:
    @strawberry.field(
        description="A player's wellness check-ins, oldest first: the player, a minor's parents, medical staff.",
        extensions=[requires_capability(HEALTH_READ)],
    )
    async def wellness_check_ins(
        self,
        info: Ctx,
        player_id: strawberry.ID,
        from_: Annotated[date, strawberry.argument(name="from", description="First day.")],
        to: Annotated[date, strawberry.argument(description="Last day (at most a year after the first).")],
    ) -> list[WellnessCheckIn]:
        rows = await wellness.check_ins(
            info.context.session,
            actor(info),
            player_id=parse_id(player_id, field="playerId"),
            first=from_,
            last=to,
            fields=selected_fields(info),
        )
        return [WellnessCheckIn.from_row(row) for row in rows]

    @strawberry.field(
        description="A team's wellness on a day (default today): response count, averages and alerts, no free "
        "text: the club's medical staff and physical trainers, the team's coaches.",
        extensions=[requires_sign_in()],
    )
    async def team_wellness(
        self,
        info: Ctx,
        team_id: strawberry.ID,
        day: Annotated[date | None, strawberry.argument(description="Default today.")] = None,
    ) -> TeamWellness:
        summary = await wellness.team_summary(
            info.context.session, actor(info), team_id=parse_id(team_id, field="teamId"), day=day
        )
        return TeamWellness.from_summary(summary)


@strawberry.type
class WellnessMutation:
    @mutation(
        description="Record a wellness check-in: the player for themselves, or medical staff for them.",
        audit_input=False,
        extensions=[requires_sign_in()],
    )
    async def record_wellness_check_in(self, info: Ctx, input: WellnessCheckInInput) -> WellnessCheckIn:
        values = provided(input)
        values["player_id"] = parse_id(input.player_id, field="playerId")
        return WellnessCheckIn.from_row(await wellness.record_check_in(info.context.session, actor(info), **values))
