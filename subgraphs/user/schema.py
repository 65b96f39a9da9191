"""The user subgraph's federation schema: club structure, and accounts and sign-in (`identity`)."""

import strawberry

from shared.graphql import build_schema
from subgraphs.user import resolvers
from subgraphs.user.identity.resolvers import IdentityMutation, IdentityQuery
from subgraphs.user.types import Organization, Player, Team, User


@strawberry.type(description="Reads of identity and club structure.")
class Query(resolvers.Query, IdentityQuery):
    pass


@strawberry.type(description="Changes to identity and club structure.")
class Mutation(resolvers.Mutation, IdentityMutation):
    pass


schema = build_schema(query=Query, mutation=Mutation, types=[Organization, Team, User, Player])
