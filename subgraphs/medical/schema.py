"""The medical subgraph's federation schema."""

from shared.graphql import build_schema
from subgraphs.medical.resolvers import Mutation, Query
from subgraphs.medical.types import Player

schema = build_schema(query=Query, mutation=Mutation, types=[Player])
