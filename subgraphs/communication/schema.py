"""The communication subgraph's federation schema."""

from shared.graphql import TeamReference, UserReference, build_schema
from subgraphs.communication.resolvers import Mutation, Query
from subgraphs.communication.subscriptions import Subscription
from subgraphs.communication.types import Conversation

schema = build_schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    types=[Conversation, UserReference, TeamReference],
)
