"""The calendar subgraph's federation schema."""

from shared.graphql import build_schema
from subgraphs.calendar.resolvers import Mutation, Query
from subgraphs.calendar.types import CalendarEvent, CalendarResource, Team, User

schema = build_schema(query=Query, mutation=Mutation, types=[CalendarEvent, CalendarResource, Team, User])
