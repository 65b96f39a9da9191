"""Development goals and the player entity they hang from."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry import Private

from shared.graphql import Ctx, TeamReference, parse_id, to_id
from subgraphs.planning import loaders, models, permissions, service


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
