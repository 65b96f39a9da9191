"""The training subgraph's federation schema."""

import strawberry

from shared.graphql import TeamReference, UserReference, build_schema
from subgraphs.training.resolvers import Mutation as TrainingMutation
from subgraphs.training.resolvers import Query as TrainingQuery
from subgraphs.training.resolvers.facilities import FacilityMutation, FacilityQuery
from subgraphs.training.resolvers.live import LiveSessionMutation, LiveSessionQuery, Subscription
from subgraphs.training.resolvers.overrides import OverrideMutation, OverrideQuery
from subgraphs.training.types import Player, Workout, WorkoutTemplate


@strawberry.type(
    description="Reads of the exercise library, workouts, templates, assignments, live sessions and facilities."
)
class Query(TrainingQuery, LiveSessionQuery, FacilityQuery, OverrideQuery):
    pass


@strawberry.type(
    description="Changes to training: physical trainers, coaches and club administrators; players "
    "complete and skip their own workouts and report their progress in live sessions."
)
class Mutation(TrainingMutation, LiveSessionMutation, FacilityMutation, OverrideMutation):
    pass


schema = build_schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    types=[Player, TeamReference, UserReference, Workout, WorkoutTemplate],
)
