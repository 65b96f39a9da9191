"""Federation: the calendar resolves CalendarEvent and CalendarResource references, batched and scoped."""

from __future__ import annotations

import uuid

from subgraphs.calendar import service as calendar_service
from subgraphs.calendar.models import CalendarEventKind
from tests.calendar.factories import Club, at, make_event, make_resource
from tests.support.services import RunningService
from tests.support.statements import count_statements

ENTITIES = """
query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on CalendarEvent { id title resource { name } attendees { status } }
    ... on CalendarResource { id name }
  }
}
"""


async def test_a_hundred_events_resolve_in_three_statements(calendar: RunningService, club: Club) -> None:
    # given 100 events on two rinks
    rinks = [await make_resource(calendar, club=club) for _ in range(2)]
    async with calendar.runtime.sessions() as session, session.begin():
        events = [
            await calendar_service.create_event(
                session,
                club.coach,
                kind=CalendarEventKind.PRACTICE,
                title=f"Event {n}",
                starts_at=at(n),
                ends_at=at(n + 1),
                resource_id=rinks[n % 2].id,
            )
            for n in range(100)
        ]
    representations = [{"__typename": "CalendarEvent", "id": str(e.event.id)} for e in events]
    # when the router asks for all of them with resources and attendees
    with count_statements(calendar.engine) as log:
        data = (await calendar.graphql.execute(ENTITIES, {"representations": representations}, as_=club.coach)).ok()
    # then they come back in order: one statement each for events, resources and attendees
    assert [entity["title"] for entity in data["_entities"]] == [f"Event {n}" for n in range(100)]
    assert all(entity["attendees"] == [{"status": "ACCEPTED"}] for entity in data["_entities"])
    assert log.count == 3, [s[:80] for s in log.statements]


async def test_every_entity_type_resolves(calendar: RunningService, club: Club) -> None:
    rink = await make_resource(calendar, club=club, name="Main Rink")
    event = await make_event(calendar, club=club, title="Practice", resource=rink, team=club.senior)
    representations = [
        {"__typename": "CalendarEvent", "id": str(event.event.id)},
        {"__typename": "CalendarResource", "id": str(rink.id)},
    ]
    data = (await calendar.graphql.execute(ENTITIES, {"representations": representations}, as_=club.player)).ok()
    assert data["_entities"][0]["resource"] == {"name": "Main Rink"}
    assert data["_entities"][1] == {"id": str(rink.id), "name": "Main Rink"}


async def test_references_the_caller_may_not_see_fail_one_by_one(calendar: RunningService, club: Club) -> None:
    # given a U18 event, and the senior player who is not invited
    event = await make_event(calendar, club=club, team=club.junior)
    rink = await make_resource(calendar, club=club)
    representations = [
        {"__typename": "CalendarEvent", "id": str(event.event.id)},
        {"__typename": "CalendarEvent", "id": "not-an-id"},
        {"__typename": "CalendarResource", "id": str(uuid.uuid4())},
        {"__typename": "CalendarResource", "id": str(rink.id)},
    ]
    response = await calendar.graphql.execute(ENTITIES, {"representations": representations}, as_=club.player)
    # then each hidden or bad reference fails on its own, and the visible one resolves
    assert response.data["_entities"][:3] == [None, None, None]
    assert response.data["_entities"][3]["id"] == str(rink.id)
    assert sorted(response.codes) == ["BAD_USER_INPUT", "NOT_FOUND", "NOT_FOUND"]
