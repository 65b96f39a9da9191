"""Facilities and machine reservations through GraphQL over HTTP: no double booking (count-aware, with
the clashes listed), cancelling, availability, and two concurrent bookings of the last machines."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from shared.auth.principal import Role
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.training.factories import Club

CREATE = """
mutation Facility($input: CreateFacilityInput!) {
  createFacility(input: $input) { id name machines { equipment count } }
}
"""

RESERVE = """
mutation Reserve($input: ReserveEquipmentInput!) {
  reserveEquipment(input: $input) { id equipment count startsAt endsAt cancelledAt facilityId }
}
"""

CANCEL = "mutation Cancel($id: ID!) { cancelEquipmentReservation(id: $id) { id cancelledAt } }"

AVAILABILITY = """
query Availability($facilityId: ID!, $from: DateTime!, $to: DateTime!) {
  equipmentAvailability(facilityId: $facilityId, from: $from, to: $to) {
    equipment count peakReserved available reservations { id count }
  }
}
"""

# Tomorrow 16:00 UTC: always in the future.
START = (datetime.now(UTC) + timedelta(days=1)).replace(hour=16, minute=0, second=0, microsecond=0)


def _at(minutes: int) -> str:
    return (START + timedelta(minutes=minutes)).isoformat()


@pytest.fixture
async def gym(training: RunningService, club: Club) -> str:
    variables = {
        "input": {
            "name": "Dryland room",
            "machines": [{"equipment": "BIKE", "count": 6}, {"equipment": "ROWER", "count": 2}],
        }
    }
    data = (await training.graphql.execute(CREATE, variables, as_=club.trainer)).ok()["createFacility"]
    assert sorted((row["equipment"], row["count"]) for row in data["machines"]) == [("BIKE", 6), ("ROWER", 2)]
    found: str = data["id"]
    return found


def _reservation(gym: str, count: int, start: int, end: int, equipment: str = "BIKE") -> dict[str, Any]:
    return {
        "input": {"facilityId": gym, "equipment": equipment, "count": count, "startsAt": _at(start), "endsAt": _at(end)}
    }


async def test_overlapping_reservations_count_machines(training: RunningService, club: Club, gym: str) -> None:
    coach = club.staff(Role.COACH, club.senior_id)
    # given 4 of the 6 bikes reserved 16:00-17:00
    first = (await training.graphql.execute(RESERVE, _reservation(gym, 4, 0, 60), as_=club.trainer)).ok()
    first_id = first["reserveEquipment"]["id"]
    # then 2 more at 16:30 fit, back to back at 17:00 all 6 fit
    second = (await training.graphql.execute(RESERVE, _reservation(gym, 2, 30, 90), as_=coach)).ok()
    second_id = second["reserveEquipment"]["id"]
    (await training.graphql.execute(RESERVE, _reservation(gym, 4, 90, 120), as_=coach)).ok()
    # but another 4 overlapping the first is a clash, listing the reservations it overlaps
    clash = await training.graphql.execute(RESERVE, _reservation(gym, 4, 45, 75), as_=coach)
    error = clash.error("CONFLICT")
    assert error["extensions"]["field"] == "startsAt"
    assert [(row["id"], row["count"]) for row in error["extensions"]["clashes"]] == [(first_id, 4), (second_id, 2)]
    # and even one bike 16:30-17:00 is too many (4 + 2 = 6 held), while rowers are free
    assert (await training.graphql.execute(RESERVE, _reservation(gym, 1, 40, 50), as_=coach)).codes == ["CONFLICT"]
    (await training.graphql.execute(RESERVE, _reservation(gym, 2, 0, 60, "ROWER"), as_=coach)).ok()
    # when the first is cancelled, its bikes are free again
    cancelled = (await training.graphql.execute(CANCEL, {"id": first_id}, as_=club.trainer)).ok()
    assert cancelled["cancelEquipmentReservation"]["cancelledAt"] is not None
    (await training.graphql.execute(RESERVE, _reservation(gym, 4, 45, 75), as_=coach)).ok()
    again = await training.graphql.execute(CANCEL, {"id": first_id}, as_=club.trainer)
    assert again.error("CONFLICT")["extensions"]["field"] == "id"


async def test_availability_shows_the_peak(training: RunningService, club: Club, gym: str) -> None:
    for count, start, end in ((3, 0, 60), (2, 30, 90), (1, 60, 120)):
        (await training.graphql.execute(RESERVE, _reservation(gym, count, start, end), as_=club.trainer)).ok()
    variables = {"facilityId": gym, "from": _at(0), "to": _at(120)}
    staff = club.staff(Role.ASSISTANT_COACH, club.senior_id)
    rows = (await training.graphql.execute(AVAILABILITY, variables, as_=staff)).ok()["equipmentAvailability"]
    by_kind = {row["equipment"]: row for row in rows}
    # 16:30-17:00 holds 3 + 2; at 17:00 the first ends as the third starts: 2 + 1
    assert (by_kind["BIKE"]["peakReserved"], by_kind["BIKE"]["available"]) == (5, 1)
    assert [row["count"] for row in by_kind["BIKE"]["reservations"]] == [3, 2, 1]
    assert (by_kind["ROWER"]["peakReserved"], by_kind["ROWER"]["available"], by_kind["ROWER"]["reservations"]) == (
        0,
        2,
        [],
    )
    # a later window sees only what overlaps it
    later = {"facilityId": gym, "from": _at(90), "to": _at(180)}
    rows = (await training.graphql.execute(AVAILABILITY, later, as_=staff)).ok()["equipmentAvailability"]
    assert [row["peakReserved"] for row in rows if row["equipment"] == "BIKE"] == [1]
    # players see no facilities
    player = club.player(club.senior_players[0])
    assert (await training.graphql.execute(AVAILABILITY, variables, as_=player)).codes == ["FORBIDDEN"]


async def test_bad_reservations_are_refused(training: RunningService, club: Club, gym: str) -> None:
    cases = [
        (_reservation(gym, 7, 0, 60), "count"),
        (_reservation(gym, 0, 0, 60), "count"),
        (_reservation(gym, 1, 60, 60), "endsAt"),
        (_reservation(gym, 1, 0, 13 * 60), "endsAt"),
        (_reservation(gym, 1, 0, 60, "TREADMILL"), "equipment"),
        (_reservation(gym, 1, -3 * 24 * 60, -3 * 24 * 60 + 30), "endsAt"),
    ]
    for variables, field in cases:
        response = await training.graphql.execute(RESERVE, variables, as_=club.trainer)
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field, variables
    unknown = _reservation(gym, 1, 0, 60)
    unknown["input"]["workoutId"] = "00000000-0000-0000-0000-000000000001"
    assert (await training.graphql.execute(RESERVE, unknown, as_=club.trainer)).error("NOT_FOUND")["extensions"][
        "field"
    ] == "workoutId"
    # a player may not reserve, and another club does not see the facility
    player = club.player(club.senior_players[0])
    assert (await training.graphql.execute(RESERVE, _reservation(gym, 1, 0, 60), as_=player)).codes == ["FORBIDDEN"]
    other = principal(Role.CLUB_ADMIN, organization_id=uuid.uuid4())
    assert (await training.graphql.execute(RESERVE, _reservation(gym, 1, 0, 60), as_=other)).codes == ["NOT_FOUND"]
    duplicate = {"input": {"name": "dryland ROOM", "machines": [{"equipment": "BIKE", "count": 1}]}}
    assert (await training.graphql.execute(CREATE, duplicate, as_=club.trainer)).error("CONFLICT")["extensions"][
        "field"
    ] == "name"


async def test_two_concurrent_reservations_of_the_last_machines_one_wins(
    training: RunningService, club: Club, gym: str
) -> None:
    (await training.graphql.execute(RESERVE, _reservation(gym, 4, 0, 60), as_=club.trainer)).ok()
    # when two coaches reserve the last two bikes at the same time, several times over
    for round_ in range(3):
        start = 120 * (round_ + 1)
        (await training.graphql.execute(RESERVE, _reservation(gym, 4, start, start + 60), as_=club.trainer)).ok()
        responses = await asyncio.gather(
            *(
                training.graphql.execute(RESERVE, _reservation(gym, 2, start + offset, start + 60), as_=club.trainer)
                for offset in (0, 10)
            )
        )
        # then exactly one wins, the other gets CONFLICT
        assert sorted(response.codes for response in responses) == [[], ["CONFLICT"]]
    variables = {"facilityId": gym, "from": _at(0), "to": _at(8 * 60)}
    rows = (await training.graphql.execute(AVAILABILITY, variables, as_=club.trainer)).ok()["equipmentAvailability"]
    assert [row["peakReserved"] for row in rows if row["equipment"] == "BIKE"] == [6]
