"""Seasons and phases, practice plans and development goals: parse input, call the service, wrap the result."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry

from shared.graphql import Ctx, actor, mutation, parse_id, provided, requires_sign_in
from subgraphs.planning import service
from subgraphs.planning.models import DrillCategory, GoalStatus, PracticePlanStatus, SeasonPhaseKind
from subgraphs.planning.types import DevelopmentGoal, PracticePlan, Season, SeasonPhase


@strawberry.input(description="A new season of the caller's club; seasons of a club never overlap.")
class CreateSeasonInput:
    name: str = strawberry.field(description="Unique within the club, e.g. 2025-26.")
    start_date: date = strawberry.field(description="First day.")
    end_date: date = strawberry.field(description="Last day, after the first.")


@strawberry.input(description="Changes to a season; its phases must stay inside its dates.")
class UpdateSeasonInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="New name.")
    start_date: date | None = strawberry.field(default=strawberry.UNSET, description="First day.")
    end_date: date | None = strawberry.field(default=strawberry.UNSET, description="Last day.")


@strawberry.input(description="A new phase of a season, inside its dates and overlapping no other phase.")
class AddSeasonPhaseInput:
    kind: SeasonPhaseKind = strawberry.field(description="Which part of the year it is.")
    start_date: date = strawberry.field(description="First day.")
    end_date: date = strawberry.field(description="Last day, inclusive.")
    name: str | None = strawberry.field(default=None, description="A label; defaults to the kind's name.")
    focus: str | None = strawberry.field(default=None, description="What the team works on.")


@strawberry.input(description="Changes to a phase; omitted fields stay as they are.")
class UpdateSeasonPhaseInput:
    kind: SeasonPhaseKind | None = strawberry.field(default=strawberry.UNSET, description="Which part.")
    start_date: date | None = strawberry.field(default=strawberry.UNSET, description="First day.")
    end_date: date | None = strawberry.field(default=strawberry.UNSET, description="Last day, inclusive.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Label, or null for the kind.")
    focus: str | None = strawberry.field(default=strawberry.UNSET, description="Focus, or null.")


@strawberry.input(
    description="One timed section of a practice plan: a drill of the library (`drillId`, which fills in what "
    "is left out) or an ad hoc drill with a name and minutes."
)
class PracticeDrillInput:
    name: str | None = strawberry.field(default=None, description="The drill's name; defaults to the library's.")
    minutes: int | None = strawberry.field(
        default=None, description="How long it runs, at least 1; defaults to the library drill's duration."
    )
    description: str | None = strawberry.field(default=None, description="Setup and coaching points.")
    category: DrillCategory | None = strawberry.field(default=None, description="What it works on.")
    drill_id: strawberry.ID | None = strawberry.field(
        default=None, description="A drill of the club's library; an unknown one is refused."
    )
    section: str | None = strawberry.field(default=None, description="The part of the practice, e.g. Warm-up.")

    def to_spec(self) -> service.DrillSpec:
        drill_id = parse_id(self.drill_id, field="drills") if self.drill_id is not None else None
        return service.DrillSpec(self.name, self.minutes, self.description, self.category, drill_id, self.section)


@strawberry.input(description="A new practice plan; the drills' minutes must fit the duration.")
class CreatePracticePlanInput:
    team_id: strawberry.ID = strawberry.field(description="The team that practises.")
    title: str = strawberry.field(description="Short title.")
    date: date = strawberry.field(description="The day of the practice.")
    duration_minutes: int = strawberry.field(description="Ice time in minutes, 1 to 480.")
    focus: str | None = strawberry.field(default=None, description="What the practice is about.")
    drills: list[PracticeDrillInput] = strawberry.field(default_factory=list, description="Drills in order.")


@strawberry.input(description="Changes to a practice plan; given drills replace the old ones.")
class UpdatePracticePlanInput:
    title: str | None = strawberry.field(default=strawberry.UNSET, description="Short title.")
    date: date | None = strawberry.field(default=strawberry.UNSET, description="The day.")
    duration_minutes: int | None = strawberry.field(default=strawberry.UNSET, description="Ice time.")
    focus: str | None = strawberry.field(default=strawberry.UNSET, description="Focus, or null.")
    drills: list[PracticeDrillInput] | None = strawberry.field(
        default=strawberry.UNSET, description="The new drills, in order."
    )


@strawberry.input(description="A new development goal, for a team or for one player.")
class CreateDevelopmentGoalInput:
    title: str = strawberry.field(description="Short title.")
    metric: str = strawberry.field(description="What is measured.")
    start_value: float = strawberry.field(description="The value now.")
    target_value: float = strawberry.field(description="The value to reach; may be below the start.")
    team_id: strawberry.ID | None = strawberry.field(default=None, description="The team, for a team goal.")
    player_id: strawberry.ID | None = strawberry.field(default=None, description="The player, for a player goal.")
    unit: str | None = strawberry.field(default=None, description="Unit, e.g. %, s, goals/game.")
    current_value: float | None = strawberry.field(
        default=None, description="The latest value, if not the start value."
    )
    due_date: date | None = strawberry.field(default=None, description="When to reach the target.")


@strawberry.input(description="Changes to a development goal; progress is recorded separately.")
class UpdateDevelopmentGoalInput:
    title: str | None = strawberry.field(default=strawberry.UNSET, description="Short title.")
    metric: str | None = strawberry.field(default=strawberry.UNSET, description="What is measured.")
    unit: str | None = strawberry.field(default=strawberry.UNSET, description="Unit, or null.")
    target_value: float | None = strawberry.field(default=strawberry.UNSET, description="New target.")
    due_date: date | None = strawberry.field(default=strawberry.UNSET, description="Due date, or null.")
    status: GoalStatus | None = strawberry.field(
        default=strawberry.UNSET, description="Mark achieved, missed, cancelled, or active again."
    )


def optional_id(value: strawberry.ID | None, field: str) -> Any:
    return parse_id(value, field=field) if value is not None else None


@strawberry.type(description="Reads of seasons, practice plans and development goals.")
class PlansQuery:
    @strawberry.field(description="The club's seasons, newest first.", extensions=[requires_sign_in()])
    async def seasons(self, info: Ctx) -> list[Season]:
        return [Season.from_row(row) for row in await service.list_seasons(info.context.session, actor(info))]

    @strawberry.field(description="One season of the club.", extensions=[requires_sign_in()])
    async def season(self, info: Ctx, id: strawberry.ID) -> Season:
        return Season.from_row(await service.get_season(info.context.session, actor(info), parse_id(id)))

    @strawberry.field(
        description="The season phase on a day (default today) for the caller's club, or for a team of it "
        "(seasons are club-wide); null when no phase covers the day.",
        extensions=[requires_sign_in()],
    )
    async def current_season_phase(
        self,
        info: Ctx,
        team_id: strawberry.ID | None = None,
        organization_id: strawberry.ID | None = None,
        date: date | None = None,
    ) -> SeasonPhase | None:
        row = await service.current_phase(
            info.context.session,
            actor(info),
            team_id=optional_id(team_id, "teamId"),
            organization_id=optional_id(organization_id, "organizationId"),
            day=date,
        )
        return SeasonPhase.from_row(row) if row else None

    @strawberry.field(
        description="Practice plans of the club or one team, by date; `from` and `to` are inclusive days.",
        extensions=[requires_sign_in()],
    )
    async def practice_plans(
        self,
        info: Ctx,
        team_id: strawberry.ID | None = None,
        from_: Annotated[date | None, strawberry.argument(name="from", description="First day.")] = None,
        to: Annotated[date | None, strawberry.argument(description="Last day.")] = None,
        status: PracticePlanStatus | None = None,
        limit: Annotated[int, strawberry.argument(description="At most this many, up to 500.")] = 100,
    ) -> list[PracticePlan]:
        rows = await service.list_practice_plans(
            info.context.session,
            actor(info),
            team_id=optional_id(team_id, "teamId"),
            start=from_,
            end=to,
            status=status,
            limit=limit,
        )
        return [PracticePlan.from_row(row) for row in rows]

    @strawberry.field(description="One practice plan of the club.", extensions=[requires_sign_in()])
    async def practice_plan(self, info: Ctx, id: strawberry.ID) -> PracticePlan:
        row = await service.get_practice_plan(info.context.session, actor(info), parse_id(id))
        return PracticePlan.from_row(row)

    @strawberry.field(
        description="Development goals the caller may see: staff the club's, players their own and their "
        "teams', parents their children's.",
        extensions=[requires_sign_in()],
    )
    async def development_goals(
        self,
        info: Ctx,
        team_id: strawberry.ID | None = None,
        player_id: strawberry.ID | None = None,
        status: GoalStatus | None = None,
    ) -> list[DevelopmentGoal]:
        rows = await service.list_goals(
            info.context.session,
            actor(info),
            team_id=optional_id(team_id, "teamId"),
            player_id=optional_id(player_id, "playerId"),
            status=status,
        )
        return [DevelopmentGoal.from_row(row) for row in rows]


@strawberry.type(description="Changes to seasons, practice plans and development goals.")
class PlansMutation:
    @mutation(description="Add a season to the caller's club (coaches and club administrators).")
    async def create_season(self, info: Ctx, input: CreateSeasonInput) -> Season:
        return Season.from_row(await service.create_season(info.context.session, actor(info), **provided(input)))

    @mutation(description="Rename a season or change its dates (coaches and club administrators).")
    async def update_season(self, info: Ctx, id: strawberry.ID, input: UpdateSeasonInput) -> Season:
        row = await service.update_season(info.context.session, actor(info), parse_id(id), provided(input))
        return Season.from_row(row)

    @mutation(description="Add a phase to a season; an overlap with another phase is a CONFLICT naming it.")
    async def add_season_phase(self, info: Ctx, season_id: strawberry.ID, input: AddSeasonPhaseInput) -> SeasonPhase:
        row = await service.add_phase(
            info.context.session,
            actor(info),
            season_id=parse_id(season_id, field="seasonId"),
            **provided(input),
        )
        return SeasonPhase.from_row(row)

    @mutation(description="Change a phase's kind, dates or focus.")
    async def update_season_phase(self, info: Ctx, id: strawberry.ID, input: UpdateSeasonPhaseInput) -> SeasonPhase:
        row = await service.update_phase(info.context.session, actor(info), parse_id(id), provided(input))
        return SeasonPhase.from_row(row)

    @mutation(description="Remove a phase; returns its season.")
    async def remove_season_phase(self, info: Ctx, id: strawberry.ID) -> Season:
        return Season.from_row(await service.remove_phase(info.context.session, actor(info), parse_id(id)))

    @mutation(description="Plan a practice (the team's coaches and club administrators).")
    async def create_practice_plan(self, info: Ctx, input: CreatePracticePlanInput) -> PracticePlan:
        row = await service.create_practice_plan(
            info.context.session,
            actor(info),
            team_id=parse_id(input.team_id, field="teamId"),
            title=input.title,
            date=input.date,
            duration_minutes=input.duration_minutes,
            focus=input.focus,
            drills=[drill.to_spec() for drill in input.drills],
        )
        return PracticePlan.from_row(row)

    @mutation(description="Change a practice plan that is not completed; given drills replace the old ones.")
    async def update_practice_plan(self, info: Ctx, id: strawberry.ID, input: UpdatePracticePlanInput) -> PracticePlan:
        changes = provided(input)
        if changes.get("drills") is not None:
            changes["drills"] = [drill.to_spec() for drill in changes["drills"]]
        row = await service.update_practice_plan(info.context.session, actor(info), parse_id(id), changes)
        return PracticePlan.from_row(row)

    @mutation(description="Move a practice along planned -> in progress -> completed.")
    async def change_practice_plan_status(
        self, info: Ctx, id: strawberry.ID, status: PracticePlanStatus
    ) -> PracticePlan:
        row = await service.change_practice_plan_status(info.context.session, actor(info), parse_id(id), status=status)
        return PracticePlan.from_row(row)

    @mutation(description="Copy a practice plan, drills included, to another day and possibly another team.")
    async def duplicate_practice_plan(
        self,
        info: Ctx,
        id: strawberry.ID,
        date: date,
        team_id: strawberry.ID | None = None,
        title: str | None = None,
    ) -> PracticePlan:
        row = await service.duplicate_practice_plan(
            info.context.session,
            actor(info),
            parse_id(id),
            date=date,
            team_id=optional_id(team_id, "teamId"),
            title=title,
        )
        return PracticePlan.from_row(row)

    @mutation(description="Set a development goal for a team or a player (coaching staff).")
    async def create_development_goal(self, info: Ctx, input: CreateDevelopmentGoalInput) -> DevelopmentGoal:
        values = provided(input)
        values["team_id"] = optional_id(values.get("team_id"), "teamId")
        values["player_id"] = optional_id(values.get("player_id"), "playerId")
        return DevelopmentGoal.from_row(await service.create_goal(info.context.session, actor(info), **values))

    @mutation(description="Change a development goal's details or status (coaching staff).")
    async def update_development_goal(
        self, info: Ctx, id: strawberry.ID, input: UpdateDevelopmentGoalInput
    ) -> DevelopmentGoal:
        row = await service.update_goal(info.context.session, actor(info), parse_id(id), provided(input))
        return DevelopmentGoal.from_row(row)

    @mutation(description="Record a measurement towards a goal; reaching the target marks it achieved.")
    async def record_development_goal_progress(
        self,
        info: Ctx,
        id: strawberry.ID,
        value: float,
        note: str | None = None,
        recorded_on: date | None = None,
    ) -> DevelopmentGoal:
        row = await service.record_progress(
            info.context.session, actor(info), parse_id(id), value=value, note=note, recorded_on=recorded_on
        )
        return DevelopmentGoal.from_row(row)
