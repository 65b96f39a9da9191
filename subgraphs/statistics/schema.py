"""The statistics subgraph's federation schema."""

from shared.graphql import TeamReference, build_schema
from subgraphs.statistics.resolvers import Mutation, Query
from subgraphs.statistics.types import Game, Player

schema = build_schema(query=Query, mutation=Mutation, types=[Game, Player, TeamReference])
