"""The communication subgraph's federation schema."""

from shared.graphql import build_schema
from subgraphs.communication.resolvers import Mutation, Query
from subgraphs.communication.types import Conversation, Team, User

schema = build_schema(query=Query, mutation=Mutation, types=[Conversation, User, Team])
