"""The planning subgraph's federation schema."""

from shared.graphql import build_schema
from subgraphs.planning.resolvers import Mutation, Query
from subgraphs.planning.types import Player, PracticePlan, Season, Team, User

schema = build_schema(query=Query, mutation=Mutation, types=[Season, PracticePlan, Player, Team, User])
