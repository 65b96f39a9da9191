"""The admin subgraph's federation schema."""

from shared.graphql import OrganizationReference, build_schema
from subgraphs.admin.resolvers import Mutation, Query

schema = build_schema(query=Query, mutation=Mutation, types=[OrganizationReference])
