"""Resource rules over GraphQL: buffer time, opening hours, bookings that need approval, and the
schedulers' conflicts query."""

from __future__ import annotations

from typing import Any

from tests.calendar.factories import Club
from tests.support.services import RunningService

CREATE_RESOURCE = """
mutation Create($input: CreateCalendarResourceInput!) {
  createCalendarResource(input: $input) {
    id bufferMinutes requiresApproval openingHours { weekday opens closes }
  }
}
"""
CREATE = """
mutation Create($input: CreateCalendarEventInput!) {
  createCalendarEvent(input: $input) { event { id title bookingStatus } }
}
"""
UPDATE_RESOURCE = """
mutation Update($id: ID!, $input: UpdateCalendarResourceInput!) { updateCalendarResource(id: $id, input: $input) {
  bufferMinutes } }
"""
APPROVE = "mutation Approve($id: ID!) { approveCalendarBooking(id: $id) { event { id bookingStatus } } }"
REJECT = "mutation Reject($id: ID!) { rejectCalendarBooking(id: $id) { event { id bookingStatus } } }"
PENDING = "query { pendingCalendarBookings { id title } }"
CONFLICTS = """
query Conflicts($from: DateTime!, $to: DateTime!) {
  calendarConflicts(from: $from, to: $to) { kind events { id title } resource { id } attendee { id } }
}
"""


async def _resource(calendar: RunningService, club: Club, **values: object) -> dict[str, Any]:
    made = await calendar.graphql.execute(
        CREATE_RESOURCE, {"input": {"name": "Main Rink", "kind": "ICE_RINK", **values}}, as_=club.admin
    )
    resource: dict[str, Any] = made.ok()["createCalendarResource"]
    return resource


def _booking(resource: dict[str, Any], title: str, starts: str, ends: str, **extra: object) -> dict[str, object]:
    return {
        "input": {
            "kind": "PRACTICE",
            "title": title,
            "startsAt": starts,
            "endsAt": ends,
            "resourceId": resource["id"],
            **extra,
        }
    }


async def test_the_buffer_keeps_time_free_between_bookings(calendar: RunningService, club: Club) -> None:
    # given a rink needing 15 minutes of resurfacing between bookings, booked 17:00-18:00
    rink = await _resource(calendar, club, bufferMinutes=15)
    assert rink["bufferMinutes"] == 15
    first = (
        await calendar.graphql.execute(
            CREATE, _booking(rink, "Senior", "2026-03-02T17:00:00+01:00", "2026-03-02T18:00:00+01:00"), as_=club.coach
        )
    ).ok()["createCalendarEvent"]["event"]
    # when a booking starts right after it, then it is a conflict naming the first
    refused = await calendar.graphql.execute(
        CREATE, _booking(rink, "U18", "2026-03-02T18:00:00+01:00", "2026-03-02T19:00:00+01:00"), as_=club.coach
    )
    assert [c["id"] for c in refused.error("CONFLICT")["extensions"]["details"]["clashes"]] == [first["id"]]
    # and one starting after the buffer is fine
    fine = await calendar.graphql.execute(
        CREATE, _booking(rink, "U18", "2026-03-02T18:15:00+01:00", "2026-03-02T19:00:00+01:00"), as_=club.coach
    )
    assert fine.ok()["createCalendarEvent"]["event"]["bookingStatus"] == "CONFIRMED"


async def test_bookings_fit_the_opening_hours(calendar: RunningService, club: Club) -> None:
    # given a gym open Mondays 07:00-22:00 (local) only
    gym = await _resource(
        calendar, club, name="Gym", kind="GYM", openingHours=[{"weekday": 0, "opens": "07:00", "closes": "22:00"}]
    )
    assert gym["openingHours"] == [{"weekday": 0, "opens": "07:00:00", "closes": "22:00:00"}]
    # then a Monday evening session fits; one running past closing or on a Tuesday does not
    ok = await calendar.graphql.execute(
        CREATE, _booking(gym, "Gym", "2026-03-02T20:00:00+01:00", "2026-03-02T22:00:00+01:00"), as_=club.coach
    )
    ok.ok()
    for starts, ends in (
        ("2026-03-09T21:00:00+01:00", "2026-03-09T22:30:00+01:00"),
        ("2026-03-03T10:00:00+01:00", "2026-03-03T11:00:00+01:00"),
    ):
        late = await calendar.graphql.execute(CREATE, _booking(gym, "Gym", starts, ends), as_=club.coach)
        assert late.error("BAD_USER_INPUT")["extensions"]["field"] == "startsAt"
    # and a window closing at 00:00 runs to midnight, not past it
    late_rink = await _resource(
        calendar, club, name="Late rink", openingHours=[{"weekday": 0, "opens": "18:00", "closes": "00:00"}]
    )
    until_midnight = _booking(late_rink, "Beer league", "2026-03-02T22:30:00+01:00", "2026-03-03T00:00:00+01:00")
    (await calendar.graphql.execute(CREATE, until_midnight, as_=club.coach)).ok()
    past_midnight = _booking(late_rink, "Beer league", "2026-03-09T23:00:00+01:00", "2026-03-10T00:30:00+01:00")
    refused = await calendar.graphql.execute(CREATE, past_midnight, as_=club.coach)
    assert refused.error("BAD_USER_INPUT")["extensions"]["field"] == "startsAt"
    # and a window closing before it opens is refused
    bad = await calendar.graphql.execute(
        CREATE_RESOURCE,
        {
            "input": {
                "name": "Room",
                "kind": "ROOM",
                "openingHours": [{"weekday": 1, "opens": "10:00", "closes": "09:00"}],
            }
        },
        as_=club.admin,
    )
    assert bad.error("BAD_USER_INPUT")["extensions"]["field"] == "openingHours"


async def test_a_booking_waits_for_approval_and_holds_the_resource(calendar: RunningService, club: Club) -> None:
    # given a bus that needs approval
    bus = await _resource(calendar, club, name="Team bus", kind="VEHICLE", requiresApproval=True)
    # when the coach books it for a trip
    trip = (
        await calendar.graphql.execute(
            CREATE, _booking(bus, "Away trip", "2026-03-07T09:00:00+01:00", "2026-03-07T20:00:00+01:00"), as_=club.coach
        )
    ).ok()["createCalendarEvent"]["event"]
    # then it is pending, listed for the equipment manager, and already holds the bus
    assert trip["bookingStatus"] == "PENDING"
    assert (await calendar.graphql.execute(PENDING, as_=club.equipment_manager)).ok()["pendingCalendarBookings"] == [
        {"id": trip["id"], "title": "Away trip"}
    ]
    assert (await calendar.graphql.execute(PENDING, as_=club.coach)).codes == ["FORBIDDEN"]
    clash = await calendar.graphql.execute(
        CREATE, _booking(bus, "Other trip", "2026-03-07T12:00:00+01:00", "2026-03-07T14:00:00+01:00"), as_=club.coach
    )
    assert [c["id"] for c in clash.error("CONFLICT")["extensions"]["conflicts"]] == [trip["id"]]
    # and the coach cannot approve it, the equipment manager can (once)
    assert (await calendar.graphql.execute(APPROVE, {"id": trip["id"]}, as_=club.coach)).codes == ["FORBIDDEN"]
    approved = await calendar.graphql.execute(APPROVE, {"id": trip["id"]}, as_=club.equipment_manager)
    assert approved.ok()["approveCalendarBooking"]["event"]["bookingStatus"] == "CONFIRMED"
    again = await calendar.graphql.execute(APPROVE, {"id": trip["id"]}, as_=club.equipment_manager)
    assert again.codes == ["CONFLICT"]
    # and a rejected request frees the bus
    second = (
        await calendar.graphql.execute(
            CREATE, _booking(bus, "Cup trip", "2026-03-08T09:00:00+01:00", "2026-03-08T20:00:00+01:00"), as_=club.coach
        )
    ).ok()["createCalendarEvent"]["event"]
    rejected = await calendar.graphql.execute(REJECT, {"id": second["id"]}, as_=club.admin)
    assert rejected.ok()["rejectCalendarBooking"]["event"]["bookingStatus"] == "REJECTED"
    free = await calendar.graphql.execute(
        CREATE, _booking(bus, "Cup trip", "2026-03-08T09:00:00+01:00", "2026-03-08T20:00:00+01:00"), as_=club.admin
    )
    assert free.ok()["createCalendarEvent"]["event"]["bookingStatus"] == "CONFIRMED"  # its manager's own booking


async def test_the_conflicts_query_lists_double_bookings(calendar: RunningService, club: Club) -> None:
    # given a player accepted (as organizer) for two overlapping events, and no resource clash
    rink = await _resource(calendar, club)
    await calendar.graphql.execute(
        CREATE, _booking(rink, "Practice", "2026-03-02T17:00:00+01:00", "2026-03-02T18:00:00+01:00"), as_=club.coach
    )
    await calendar.graphql.execute(
        CREATE,
        {
            "input": {
                "kind": "MEETING",
                "title": "Video",
                "startsAt": "2026-03-02T17:30:00+01:00",
                "endsAt": "2026-03-02T18:30:00+01:00",
            }
        },
        as_=club.coach,
    )
    window = {"from": "2026-03-01T00:00:00Z", "to": "2026-03-08T00:00:00Z"}
    # when a scheduler asks for the week's conflicts
    found = (await calendar.graphql.execute(CONFLICTS, window, as_=club.admin)).ok()["calendarConflicts"]
    # then the coach's double booking is listed, with both events
    assert found == [
        {
            "kind": "ATTENDEE",
            "events": [
                {"id": found[0]["events"][0]["id"], "title": "Practice"},
                {"id": found[0]["events"][1]["id"], "title": "Video"},
            ],
            "resource": None,
            "attendee": {"id": str(club.coach.user_id)},
        }
    ]
    # and players may not ask
    assert (await calendar.graphql.execute(CONFLICTS, window, as_=club.player)).codes == ["FORBIDDEN"]

    # when a later booking of the rink starts 15 minutes after the practice, and the rink then needs 30
    await calendar.graphql.execute(
        CREATE, _booking(rink, "U18", "2026-03-02T18:15:00+01:00", "2026-03-02T19:00:00+01:00"), as_=club.admin
    )
    changed = await calendar.graphql.execute(
        UPDATE_RESOURCE, {"id": rink["id"], "input": {"bufferMinutes": 30}}, as_=club.admin
    )
    assert changed.ok()["updateCalendarResource"]["bufferMinutes"] == 30
    # then the scheduler sees the two bookings clash on the rink
    found = (await calendar.graphql.execute(CONFLICTS, window, as_=club.admin)).ok()["calendarConflicts"]
    [rink_clash] = [clash for clash in found if clash["kind"] == "RESOURCE"]
    assert rink_clash["resource"] == {"id": rink["id"]}
    assert [event["title"] for event in rink_clash["events"]] == ["Practice", "U18"]


INVITE = """
mutation Invite($id: ID!, $userIds: [ID!]!) {
  inviteToCalendarEvent(id: $id, userIds: $userIds, role: REQUIRED) { event { id } }
}
"""
RESPOND = """
mutation Respond($id: ID!, $status: RsvpStatus!) { respondToCalendarEvent(id: $id, status: $status) { event { id } } }
"""
SHRINK = """
mutation Shrink($id: ID!, $input: UpdateCalendarResourceInput!) { updateCalendarResource(id: $id, input: $input) {
  id } }
"""
MOVE_TO = """
mutation Book($id: ID!, $resourceId: ID) {
  updateCalendarEvent(id: $id, input: {resourceId: $resourceId}) { event { id } }
}
"""


async def test_an_event_fits_the_room_it_books(calendar: RunningService, club: Club) -> None:
    # given a video room for three people, booked by the coach with the player invited
    room = await _resource(calendar, club, name="Video Room", kind="ROOM", capacity=3)
    evening = ("2031-03-04T19:00:00+01:00", "2031-03-04T20:00:00+01:00")
    player, junior = str(club.player.user_id), str(club.junior_player.user_id)
    made = await calendar.graphql.execute(
        CREATE, _booking(room, "Video session", *evening, attendeeIds=[player]), as_=club.coach
    )
    event = made.ok()["createCalendarEvent"]["event"]["id"]
    # a third person fits; a fourth does not, and the error says why
    (await calendar.graphql.execute(INVITE, {"id": event, "userIds": [junior]}, as_=club.coach)).ok()
    full = await calendar.graphql.execute(INVITE, {"id": event, "userIds": [str(club.parent.user_id)]}, as_=club.coach)
    refused = full.error("CONFLICT")
    assert (refused["extensions"]["capacity"], refused["extensions"]["attendees"]) == (3, 4)
    assert "Video Room holds 3" in refused["message"]
    # someone who declined frees a place, and cannot take it back once it is given away
    (await calendar.graphql.execute(RESPOND, {"id": event, "status": "DECLINED"}, as_=club.junior_player)).ok()
    (await calendar.graphql.execute(INVITE, {"id": event, "userIds": [str(club.parent.user_id)]}, as_=club.coach)).ok()
    back = await calendar.graphql.execute(RESPOND, {"id": event, "status": "ACCEPTED"}, as_=club.junior_player)
    assert back.codes == ["CONFLICT"]
    # an event too big for a room is refused at creation, and when moved into it
    crowd = [player, junior, str(club.parent.user_id)]
    too_many = await calendar.graphql.execute(
        CREATE, _booking(room, "Team video", *evening, attendeeIds=crowd), as_=club.coach
    )
    assert too_many.error("CONFLICT")["extensions"]["field"] == "resourceId"
    unbooked = await calendar.graphql.execute(
        CREATE,
        {
            "input": {
                "kind": "MEETING",
                "title": "Team talk",
                "startsAt": evening[0],
                "endsAt": evening[1],
                "attendeeIds": crowd,
            }
        },
        as_=club.coach,
    )
    talk = unbooked.ok()["createCalendarEvent"]["event"]["id"]
    moved = await calendar.graphql.execute(MOVE_TO, {"id": talk, "resourceId": room["id"]}, as_=club.coach)
    assert moved.error("CONFLICT")["extensions"]["capacity"] == 3
    # and the room cannot shrink below what the coming session expects (the coach, the player and the parent)
    shrink = {"id": room["id"], "input": {"capacity": 2}}
    smaller = (await calendar.graphql.execute(SHRINK, shrink, as_=club.admin)).error("CONFLICT")
    assert smaller["extensions"]["field"] == "capacity"
    assert [(e["id"], e["attendees"]) for e in smaller["extensions"]["events"]] == [(event, 3)]
    (await calendar.graphql.execute(SHRINK, {"id": room["id"], "input": {"capacity": 3}}, as_=club.admin)).ok()
