"""The calendar subgraph's federation schema."""

from shared.graphql import TeamReference, UserReference, build_schema
from subgraphs.calendar.resolvers import Mutation, Query
from subgraphs.calendar.types import CalendarEvent, CalendarResource, PlayerReference

schema = build_schema(
    query=Query,
    mutation=Mutation,
    types=[CalendarEvent, CalendarResource, PlayerReference, TeamReference, UserReference],
)
