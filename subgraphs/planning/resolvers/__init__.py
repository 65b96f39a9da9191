"""Queries and mutations of planning, one class per area, joined into the root types."""

import strawberry

from subgraphs.planning.resolvers.attendance import AttendanceMutation
from subgraphs.planning.resolvers.blocks import BlocksMutation, BlocksQuery
from subgraphs.planning.resolvers.drills import DrillsMutation, DrillsQuery
from subgraphs.planning.resolvers.game_plans import GamePlansMutation, GamePlansQuery
from subgraphs.planning.resolvers.plans import PlansMutation, PlansQuery


@strawberry.type(description="Reads of seasons and blocks, the drill library, practice plans, game plans and goals.")
class Query(PlansQuery, BlocksQuery, DrillsQuery, GamePlansQuery):
    pass


@strawberry.type(
    description="Changes to seasons and blocks, the drill library, practice plans and attendance, game plans and goals."
)
class Mutation(PlansMutation, BlocksMutation, DrillsMutation, AttendanceMutation, GamePlansMutation):
    pass


__all__ = ["Mutation", "Query"]
