"""The admin subgraph's federation schema."""

from shared.graphql import build_schema
from subgraphs.admin.resolvers import Mutation, Query
from subgraphs.admin.types import Organization

schema = build_schema(query=Query, mutation=Mutation, types=[Organization])
