"""The payment subgraph's federation schema."""

from shared.graphql import build_schema
from subgraphs.payment.resolvers import Mutation, Query
from subgraphs.payment.types import Organization

schema = build_schema(query=Query, mutation=Mutation, types=[Organization])
