"""The training subgraph's federation schema."""

from shared.graphql import build_schema
from subgraphs.training.resolvers import Mutation, Query
from subgraphs.training.types import Player, Team, Workout, WorkoutTemplate

schema = build_schema(query=Query, mutation=Mutation, types=[Player, Team, Workout, WorkoutTemplate])
