"""The planning subgraph's federation schema."""

from shared.graphql import TeamReference, UserReference, build_schema
from subgraphs.planning.resolvers import Mutation, Query
from subgraphs.planning.types import Player, PracticePlan, Season

schema = build_schema(
    query=Query, mutation=Mutation, types=[Season, PracticePlan, Player, TeamReference, UserReference]
)
