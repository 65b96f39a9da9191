"""The training subgraph's federation schema."""

from shared.graphql import TeamReference, build_schema
from subgraphs.training.resolvers import Mutation, Query
from subgraphs.training.types import Player, Workout, WorkoutTemplate

schema = build_schema(query=Query, mutation=Mutation, types=[Player, TeamReference, Workout, WorkoutTemplate])
