"""The user subgraph's federation schema."""

from shared.graphql import build_schema
from subgraphs.user.resolvers import Mutation, Query
from subgraphs.user.types import Organization, Player, Team, User

schema = build_schema(query=Query, mutation=Mutation, types=[Organization, Team, User, Player])
