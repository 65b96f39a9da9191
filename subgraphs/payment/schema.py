"""The payment subgraph's federation schema."""

from shared.graphql import OrganizationReference, build_schema
from subgraphs.payment.resolvers import Mutation, Query

schema = build_schema(query=Query, mutation=Mutation, types=[OrganizationReference])
