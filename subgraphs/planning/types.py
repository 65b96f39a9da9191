"""GraphQL types of planning; each wraps a model and shows what the caller may see."""

from __future__ import annotations

import uuid
from datetime import date

import strawberry
from strawberry import Private

from shared.errors import not_found
from shared.graphql import Ctx, TeamReference, UserReference, parse_id, to_id
from subgraphs.planning import loaders, models, permissions, service

strawberry.enum(
    models.SeasonPhaseKind,
    name="SeasonPhaseKind",
    description="The part of the year a phase covers: pre-season, regular season, playoffs, off-season.",
)
strawberry.enum(
    models.PracticePlanStatus,
    name="PracticePlanStatus",
    description="Planned, then in progress, then completed; never back.",
)
strawberry.enum(models.DrillCategory, name="DrillCategory", description="What a drill mainly works on.")
strawberry.enum(
    models.GoalStatus,
    name="DevelopmentGoalStatus",
    description="Whether a development goal is still pursued.",
)


@strawberry.federation.type(keys=["id"], description="A season of the club, e.g. 2025-26, with its phases.")
class Season:
    id: strawberry.ID = strawberry.field(description="The season's id.")
    name: str = strawberry.field(description="Unique within the club, e.g. 2025-26.")
    start_date: date = strawberry.field(description="First day of the season.")
    end_date: date = strawberry.field(description="Last day of the season.")

    @classmethod
    def from_row(cls, row: models.Season) -> Season:
        return cls(id=to_id(row.id), name=row.name, start_date=row.start_date, end_date=row.end_date)

    @strawberry.field(description="True when today falls in the season.")
    def is_current(self) -> bool:
        return self.start_date <= service.today() <= self.end_date

    @strawberry.field(description="The season's phases, in date order.")
    async def phases(self, info: Ctx) -> list[SeasonPhase]:
        return [SeasonPhase.from_row(row) for row in await loaders.phases_of_season(info).load(parse_id(self.id))]

    @classmethod
    async def resolve_reference(cls, info: Ctx, id: strawberry.ID) -> Season:
        row = await loaders.seasons(info).load(parse_id(id))
        if row is None or not permissions.can_view_plans(info.context.principal, row.organization_id):
            raise not_found("Season", id)
        return cls.from_row(row)


@strawberry.type(description="A period of a season with one purpose; phases of a season never overlap.")
class SeasonPhase:
    id: strawberry.ID = strawberry.field(description="The phase's id.")
    kind: models.SeasonPhaseKind = strawberry.field(description="Which part of the year it is.")
    name: str = strawberry.field(description="Its label: the given name, or the kind's name.")
    focus: str | None = strawberry.field(description="What the team works on in this phase.")
    start_date: date = strawberry.field(description="First day, inside the season.")
    end_date: date = strawberry.field(description="Last day (inclusive), inside the season.")
    season_id: Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: models.SeasonPhase) -> SeasonPhase:
        return cls(
            id=to_id(row.id),
            kind=row.kind,
            name=row.name or service.PHASE_LABELS[row.kind],
            focus=row.focus,
            start_date=row.start_date,
            end_date=row.end_date,
            season_id=row.season_id,
        )

    @strawberry.field(description="Length in days, both ends included.")
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    @strawberry.field(description="The season the phase belongs to.")
    async def season(self, info: Ctx) -> Season:
        row = await loaders.seasons(info).load(self.season_id)
        if row is None:
            raise not_found("Season", self.season_id)
        return Season.from_row(row)


@strawberry.type(description="One timed block of a practice.")
class PracticeDrill:
    position: int = strawberry.field(description="Order in the practice, from 1.")
    name: str = strawberry.field(description="The drill's name, e.g. 2-on-1 rushes.")
    minutes: int = strawberry.field(description="How long it runs.")
    description: str | None = strawberry.field(description="Setup and coaching points.")
    category: models.DrillCategory | None = strawberry.field(description="What it mainly works on.")

    @classmethod
    def from_row(cls, row: models.PracticeDrill) -> PracticeDrill:
        return cls(
            position=row.position,
            name=row.name,
            minutes=row.minutes,
            description=row.description,
            category=row.category,
        )


@strawberry.federation.type(keys=["id"], description="A coach's plan for one practice of a team.")
class PracticePlan:
    id: strawberry.ID = strawberry.field(description="The plan's id.")
    title: str = strawberry.field(description="Short title.")
    date: date = strawberry.field(description="The day of the practice.")
    duration_minutes: int = strawberry.field(description="Ice time; the drills fit within it.")
    focus: str | None = strawberry.field(description="What the practice is about.")
    status: models.PracticePlanStatus = strawberry.field(description="Planned, in progress or completed.")
    row: Private[models.PracticePlan]

    @classmethod
    def from_row(cls, row: models.PracticePlan) -> PracticePlan:
        return cls(
            id=to_id(row.id),
            title=row.title,
            date=row.practice_date,
            duration_minutes=row.duration_minutes,
            focus=row.focus,
            status=row.status,
            row=row,
        )

    @strawberry.field(description="The team the practice is for.")
    def team(self) -> TeamReference:
        return TeamReference.from_id(self.row.team_id)

    @strawberry.field(description="Who made the plan.")
    def created_by(self) -> UserReference | None:
        return UserReference.from_id(self.row.created_by_user_id) if self.row.created_by_user_id else None

    @strawberry.field(description="The drills, in order.")
    async def drills(self, info: Ctx) -> list[PracticeDrill]:
        return [PracticeDrill.from_row(row) for row in await loaders.drills_of_plan(info).load(self.row.id)]

    @strawberry.field(description="Minutes the drills take together.")
    async def planned_minutes(self, info: Ctx) -> int:
        return sum(row.minutes for row in await loaders.drills_of_plan(info).load(self.row.id))

    @classmethod
    async def resolve_reference(cls, info: Ctx, id: strawberry.ID) -> PracticePlan:
        row = await loaders.practice_plans(info).load(parse_id(id))
        if row is None or not permissions.can_view_plans(info.context.principal, row.organization_id):
            raise not_found("PracticePlan", id)
        return cls.from_row(row)


@strawberry.type(description="A measurement recorded towards a development goal.")
class DevelopmentGoalProgress:
    value: float = strawberry.field(description="The measured value.")
    note: str | None = strawberry.field(description="Context, e.g. the test or game it comes from.")
    recorded_on: date = strawberry.field(description="The day it was measured.")

    @classmethod
    def from_row(cls, row: models.GoalProgressUpdate) -> DevelopmentGoalProgress:
        return cls(value=float(row.value), note=row.note, recorded_on=row.recorded_on)


@strawberry.type(description="A measurable target for a team or a player, with its progress.")
class DevelopmentGoal:
    id: strawberry.ID = strawberry.field(description="The goal's id.")
    title: str = strawberry.field(description="Short title, e.g. Win more faceoffs.")
    metric: str = strawberry.field(description="What is measured, e.g. faceoff win rate.")
    unit: str | None = strawberry.field(description="Unit of the values, e.g. %, s, goals/game.")
    start_value: float = strawberry.field(description="The value when the goal was set.")
    target_value: float = strawberry.field(description="The value to reach (may be below the start).")
    current_value: float = strawberry.field(description="The latest measured value.")
    due_date: date | None = strawberry.field(description="When the target should be reached.")
    status: models.GoalStatus = strawberry.field(description="Active, achieved, missed or cancelled.")
    progress_percent: float = strawberry.field(description="How far from the start value towards the target, 0 to 100.")
    row: Private[models.DevelopmentGoal]

    @classmethod
    def from_row(cls, row: models.DevelopmentGoal) -> DevelopmentGoal:
        return cls(
            id=to_id(row.id),
            title=row.title,
            metric=row.metric,
            unit=row.unit,
            start_value=float(row.start_value),
            target_value=float(row.target_value),
            current_value=float(row.current_value),
            due_date=row.due_date,
            status=row.status,
            progress_percent=service.progress_percent(row),
            row=row,
        )

    @strawberry.field(description="The team, for a team goal.")
    def team(self) -> TeamReference | None:
        return TeamReference.from_id(self.row.team_id) if self.row.team_id else None

    @strawberry.field(description="The player, for a player goal.")
    def player(self) -> Player | None:
        return Player(id=to_id(self.row.player_id)) if self.row.player_id else None

    @strawberry.field(description="Measurements recorded so far, oldest first.")
    async def progress(self, info: Ctx) -> list[DevelopmentGoalProgress]:
        rows = await loaders.progress_of_goal(info).load(self.row.id)
        return [DevelopmentGoalProgress.from_row(row) for row in rows]


@strawberry.federation.type(keys=["id"], description="A player on the club's roster (owned by the user service).")
class Player:
    id: strawberry.ID = strawberry.field(description="The player's id.")

    @strawberry.field(
        description="The player's development goals: seen by the player, their parents and the club's staff."
    )
    async def development_goals(self, info: Ctx) -> list[DevelopmentGoal]:
        rows = await loaders.goals_of_player(info).load(parse_id(self.id))
        principal = info.context.principal
        return [DevelopmentGoal.from_row(row) for row in rows if permissions.can_view_goal(principal, row)]

    @classmethod
    def resolve_reference(cls, info: Ctx, id: strawberry.ID) -> Player:
        return cls(id=id)


__all__ = [
    "DevelopmentGoal",
    "DevelopmentGoalProgress",
    "Player",
    "PracticeDrill",
    "PracticePlan",
    "Season",
    "SeasonPhase",
]
