"""Resources through GraphQL over HTTP: who adds and changes rinks, rooms and buses; everyone reads them."""

from __future__ import annotations

import uuid

from subgraphs.calendar.models import ResourceKind
from tests.calendar.factories import Club, make_resource
from tests.support.services import RunningService

CREATE = """
mutation Create($input: CreateCalendarResourceInput!) {
  createCalendarResource(input: $input) { id name kind capacity location isActive }
}
"""

UPDATE = """
mutation Update($id: ID!, $input: UpdateCalendarResourceInput!) {
  updateCalendarResource(id: $id, input: $input) { id name capacity isActive }
}
"""

RESOURCES = """
query Resources($includeInactive: Boolean! = false) {
  calendarResources(includeInactive: $includeInactive) { name kind }
}
"""

RINK = {"name": "Main Rink", "kind": "ICE_RINK", "capacity": 1200, "location": "Lakeside Arena"}


async def test_the_equipment_manager_adds_a_resource_everyone_sees(calendar: RunningService, club: Club) -> None:
    created = (await calendar.graphql.execute(CREATE, {"input": RINK}, as_=club.equipment_manager)).ok()
    assert created["createCalendarResource"] | {"id": None} == {**RINK, "id": None, "isActive": True}
    await make_resource(calendar, club=club, name="Gym", kind=ResourceKind.GYM)
    for reader in (club.player, club.parent, club.coach):
        rows = (await calendar.graphql.execute(RESOURCES, as_=reader)).ok()["calendarResources"]
        assert rows == [{"name": "Gym", "kind": "GYM"}, {"name": "Main Rink", "kind": "ICE_RINK"}]
    assert (await calendar.graphql.execute(RESOURCES, as_=club.outsider)).ok()["calendarResources"] == []


async def test_coaches_and_players_may_not_add_resources(calendar: RunningService, club: Club) -> None:
    for caller in (club.coach, club.player):
        response = await calendar.graphql.execute(CREATE, {"input": RINK}, as_=caller)
        assert response.codes == ["FORBIDDEN"]


async def test_a_duplicate_name_or_bad_capacity_is_refused_naming_the_field(
    calendar: RunningService, club: Club
) -> None:
    (await calendar.graphql.execute(CREATE, {"input": RINK}, as_=club.admin)).ok()
    duplicate = await calendar.graphql.execute(CREATE, {"input": RINK}, as_=club.admin)
    assert duplicate.error("CONFLICT")["extensions"]["field"] == "name"
    for field, value in (("capacity", 0), ("name", " "), ("kind", "CASTLE")):
        response = await calendar.graphql.execute(
            CREATE, {"input": {**RINK, "name": "Other", field: value}}, as_=club.admin
        )
        assert response.codes == ["BAD_USER_INPUT"], field
        if field != "kind":  # an unknown enum value is refused by GraphQL itself
            assert response.errors[0]["extensions"]["field"] == field


async def test_a_retired_resource_leaves_the_list(calendar: RunningService, club: Club) -> None:
    rink = await make_resource(calendar, club=club, name="Old Rink")
    retired = (
        await calendar.graphql.execute(
            UPDATE, {"id": str(rink.id), "input": {"isActive": False, "capacity": None}}, as_=club.admin
        )
    ).ok()["updateCalendarResource"]
    assert (retired["isActive"], retired["capacity"]) == (False, None)
    assert (await calendar.graphql.execute(RESOURCES, as_=club.coach)).ok()["calendarResources"] == []
    everything = (await calendar.graphql.execute(RESOURCES, {"includeInactive": True}, as_=club.coach)).ok()[
        "calendarResources"
    ]
    assert [row["name"] for row in everything] == ["Old Rink"]
    unknown = await calendar.graphql.execute(UPDATE, {"id": str(uuid.uuid4()), "input": {}}, as_=club.admin)
    assert unknown.codes == ["NOT_FOUND"]
    by_outsider = await calendar.graphql.execute(UPDATE, {"id": str(rink.id), "input": {}}, as_=club.outsider)
    assert by_outsider.codes == ["NOT_FOUND"]
