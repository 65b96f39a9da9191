"""Events over GraphQL: scheduling, reading ranges, moving, cancelling, RSVPs, who may do what."""

from __future__ import annotations

import uuid
from datetime import timedelta

from shared.auth.principal import Role
from tests.calendar.factories import Club, at, make_event, make_resource, published
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.support.statements import count_statements

CREATE_EVENT = """
mutation Create($input: CreateCalendarEventInput!) {
  createCalendarEvent(input: $input) {
    event {
      id kind title location startsAt endsAt status durationMinutes
      team { id } organizer { id } resource { name }
      attendees { user { id } status isOrganizer respondedAt }
    }
    warnings { message attendee { id } clashes { id title } }
  }
}
"""

EVENTS = """
query Events($from: DateTime!, $to: DateTime!, $teamId: ID, $includeCancelled: Boolean! = false) {
  calendarEvents(from: $from, to: $to, teamId: $teamId, includeCancelled: $includeCancelled) {
    id title status startsAt myRsvp
    resource { name }
    attendees { user { id } status }
  }
}
"""

EVENT = """
query Event($id: ID!) { calendarEvent(id: $id) { id title status myRsvp team { id } } }
"""

UPDATE_EVENT = """
mutation Update($id: ID!, $input: UpdateCalendarEventInput!) {
  updateCalendarEvent(id: $id, input: $input) { event { id title location kind resource { name } } }
}
"""

MOVE_EVENT = """
mutation Move($id: ID!, $startsAt: DateTime!, $endsAt: DateTime!) {
  moveCalendarEvent(id: $id, startsAt: $startsAt, endsAt: $endsAt) {
    event { id startsAt endsAt }
    warnings { attendee { id } }
  }
}
"""

CANCEL_EVENT = """
mutation Cancel($id: ID!, $reason: String) {
  cancelCalendarEvent(id: $id, reason: $reason) { event { id status cancelledAt cancellationReason } }
}
"""

RESPOND = """
mutation Respond($id: ID!, $status: RsvpStatus!) {
  respondToCalendarEvent(id: $id, status: $status) {
    event { id myRsvp }
    warnings { attendee { id } clashes { id } }
  }
}
"""

INVITE = """
mutation Invite($id: ID!, $userIds: [ID!]!) {
  inviteToCalendarEvent(id: $id, userIds: $userIds) { event { attendees { user { id } status } } }
}
"""

UNINVITE = """
mutation Uninvite($id: ID!, $userId: ID!) {
  removeCalendarEventAttendee(id: $id, userId: $userId) { event { attendees { user { id } } } }
}
"""

WEEK = {"from": at(-16).isoformat(), "to": at(24 * 6).isoformat()}


def _practice(club: Club, **overrides: object) -> dict[str, object]:
    return {
        "kind": "PRACTICE",
        "title": "Practice: Senior",
        "startsAt": "2026-03-02T17:00:00+01:00",
        "endsAt": "2026-03-02T18:30:00+01:00",
        "teamId": str(club.senior),
        **overrides,
    }


async def test_coach_schedules_a_practice_with_attendees(calendar: RunningService, club: Club) -> None:
    # given a rink and a player to invite
    rink = await make_resource(calendar, club=club, name="Main Rink")
    assert club.player.user_id
    # when the coach schedules a practice on it
    data = (
        await calendar.graphql.execute(
            CREATE_EVENT,
            {"input": _practice(club, resourceId=str(rink.id), attendeeIds=[str(club.player.user_id)])},
            as_=club.coach,
        )
    ).ok()["createCalendarEvent"]
    # then it is scheduled, the coach organizes it (accepted) and the player is pending
    event = data["event"]
    assert event["status"] == "SCHEDULED"
    assert event["startsAt"] == "2026-03-02T16:00:00+00:00"
    assert event["durationMinutes"] == 90
    assert event["resource"] == {"name": "Main Rink"}
    assert event["location"] == "Lakeside Arena"  # taken from the resource
    assert event["team"] == {"id": str(club.senior)}
    assert event["organizer"] == {"id": str(club.coach.user_id)}
    assert [(a["user"]["id"], a["status"], a["isOrganizer"]) for a in event["attendees"]] == [
        (str(club.coach.user_id), "ACCEPTED", True),
        (str(club.player.user_id), "PENDING", False),
    ]
    assert data["warnings"] == []
    # and event.created is in the outbox with the attendees
    [(kind, payload)] = await published(calendar)
    assert kind == "event.created"
    assert payload["event_id"] == event["id"]
    assert set(payload["attendee_user_ids"]) == {str(club.coach.user_id), str(club.player.user_id)}


async def test_times_need_an_offset_and_the_end_after_the_start(calendar: RunningService, club: Club) -> None:
    cases = (
        ({"startsAt": "2026-03-02T17:00:00"}, "startsAt"),
        ({"endsAt": "2026-03-02T18:30:00"}, "endsAt"),
        ({"endsAt": "2026-03-02T17:00:00+01:00"}, "endsAt"),
        ({"endsAt": "2026-03-02T16:00:00+01:00"}, "endsAt"),
        ({"endsAt": "2026-04-02T16:00:00+01:00"}, "endsAt"),
        ({"title": "  "}, "title"),
        ({"teamId": "senior"}, "teamId"),
        ({"attendeeIds": ["nobody"]}, "attendeeIds"),
    )
    for overrides, field in cases:
        response = await calendar.graphql.execute(CREATE_EVENT, {"input": _practice(club, **overrides)}, as_=club.coach)
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field, overrides
    assert await published(calendar) == []


async def test_an_unknown_or_retired_resource_is_refused(calendar: RunningService, club: Club) -> None:
    unknown = await calendar.graphql.execute(
        CREATE_EVENT, {"input": _practice(club, resourceId=str(uuid.uuid4()))}, as_=club.coach
    )
    assert unknown.error("NOT_FOUND")["extensions"]["field"] == "resourceId"
    rink = await make_resource(calendar, club=club)
    retire = """mutation($id: ID!) { updateCalendarResource(id: $id, input: {isActive: false}) { isActive } }"""
    (await calendar.graphql.execute(retire, {"id": str(rink.id)}, as_=club.admin)).ok()
    retired = await calendar.graphql.execute(
        CREATE_EVENT, {"input": _practice(club, resourceId=str(rink.id))}, as_=club.coach
    )
    assert retired.error("BAD_USER_INPUT")["extensions"]["field"] == "resourceId"


async def test_players_and_parents_may_not_schedule(calendar: RunningService, club: Club) -> None:
    for caller in (club.player, club.parent):
        response = await calendar.graphql.execute(CREATE_EVENT, {"input": _practice(club)}, as_=caller)
        assert response.codes == ["FORBIDDEN"]
    anonymous = await calendar.graphql.execute(CREATE_EVENT, {"input": _practice(club)})
    assert anonymous.codes == ["UNAUTHENTICATED"]


async def test_staff_read_the_club_calendar_in_a_range(calendar: RunningService, club: Club) -> None:
    # given events this week and one the next month
    await make_event(calendar, club=club, starts_at=at(1), title="Senior practice", team=club.senior)
    await make_event(calendar, club=club, starts_at=at(0), title="U18 practice", team=club.junior)
    await make_event(calendar, club=club, starts_at=at(1, day=30), title="Later", team=club.senior)
    # when staff read the week
    rows = (await calendar.graphql.execute(EVENTS, WEEK, as_=club.admin)).ok()["calendarEvents"]
    # then they see both teams' events this week, in start order
    assert [row["title"] for row in rows] == ["U18 practice", "Senior practice"]
    only_senior = (await calendar.graphql.execute(EVENTS, {**WEEK, "teamId": str(club.senior)}, as_=club.admin)).ok()[
        "calendarEvents"
    ]
    assert [row["title"] for row in only_senior] == ["Senior practice"]


async def test_an_event_overlapping_the_range_edge_is_included(calendar: RunningService, club: Club) -> None:
    await make_event(calendar, club=club, starts_at=at(0), hours=2, title="Across the edge")
    inside = {"from": at(1).isoformat(), "to": at(3).isoformat()}
    after = {"from": at(2).isoformat(), "to": at(3).isoformat()}  # starts when the event ends
    assert len((await calendar.graphql.execute(EVENTS, inside, as_=club.coach)).ok()["calendarEvents"]) == 1
    assert (await calendar.graphql.execute(EVENTS, after, as_=club.coach)).ok()["calendarEvents"] == []


async def test_the_range_is_required_ordered_and_bounded(calendar: RunningService, club: Club) -> None:
    cases = (
        ({"from": at(2).isoformat(), "to": at(1).isoformat()}, "to"),
        ({"from": at(0).isoformat(), "to": (at(0) + timedelta(days=371)).isoformat()}, "to"),
        ({"from": "2026-03-02T00:00:00", "to": at(1).isoformat()}, "from"),
    )
    for variables, field in cases:
        response = await calendar.graphql.execute(EVENTS, variables, as_=club.coach)
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field
    missing = await calendar.graphql.execute(EVENTS, {"from": at(0).isoformat()}, as_=club.coach)
    assert missing.codes == ["BAD_USER_INPUT"]


async def test_players_see_their_teams_events_and_invitations(calendar: RunningService, club: Club) -> None:
    # given a senior event, a U18 event, and a U18 event the senior player is invited to
    assert club.player.user_id
    await make_event(calendar, club=club, starts_at=at(0), title="Senior", team=club.senior)
    await make_event(calendar, club=club, starts_at=at(2), title="U18", team=club.junior)
    invited = await make_event(
        calendar,
        club=club,
        starts_at=at(4),
        title="U18 scrimmage",
        team=club.junior,
        attendees=[club.player.user_id],
    )
    # when the senior player and a parent without teams read the week
    as_player = (await calendar.graphql.execute(EVENTS, WEEK, as_=club.player)).ok()["calendarEvents"]
    as_parent = (await calendar.graphql.execute(EVENTS, WEEK, as_=club.parent)).ok()["calendarEvents"]
    # then the player sees their team's event and the one they are invited to
    assert [(row["title"], row["myRsvp"]) for row in as_player] == [
        ("Senior", None),
        ("U18 scrimmage", "PENDING"),
    ]
    assert as_parent == []
    # and reading one event follows the same rule
    seen = await calendar.graphql.execute(EVENT, {"id": str(invited.event.id)}, as_=club.player)
    assert seen.ok()["calendarEvent"]["title"] == "U18 scrimmage"
    by_team = await calendar.graphql.execute(EVENT, {"id": str(invited.event.id)}, as_=club.junior_player)
    assert by_team.ok()["calendarEvent"]["team"] == {"id": str(club.junior)}
    [u18] = [row for row in as_player if row["title"] == "U18 scrimmage"]
    other = await calendar.graphql.execute(EVENT, {"id": u18["id"]}, as_=club.parent)
    assert other.codes == ["NOT_FOUND"]


async def test_another_club_sees_nothing(calendar: RunningService, club: Club) -> None:
    event = await make_event(calendar, club=club, team=club.senior)
    response = await calendar.graphql.execute(EVENT, {"id": str(event.event.id)}, as_=club.outsider)
    assert response.codes == ["NOT_FOUND"]
    assert (await calendar.graphql.execute(EVENTS, WEEK, as_=club.outsider)).ok()["calendarEvents"] == []
    cancel = await calendar.graphql.execute(CANCEL_EVENT, {"id": str(event.event.id)}, as_=club.outsider)
    assert cancel.codes == ["NOT_FOUND"]


async def test_a_malformed_or_unknown_id_is_a_typed_error(calendar: RunningService, club: Club) -> None:
    malformed = await calendar.graphql.execute(EVENT, {"id": "42"}, as_=club.coach)
    assert malformed.error("BAD_USER_INPUT")["extensions"]["field"] == "id"
    unknown = await calendar.graphql.execute(EVENT, {"id": str(uuid.uuid4())}, as_=club.coach)
    assert unknown.codes == ["NOT_FOUND"]


async def test_the_event_list_with_attendees_is_three_statements(calendar: RunningService, club: Club) -> None:
    # given 12 events on two rinks, each with 5 attendees
    rinks = [await make_resource(calendar, club=club) for _ in range(2)]
    people = [uuid.uuid4() for _ in range(5)]
    for n in range(12):
        await make_event(calendar, club=club, starts_at=at(2 * n), hours=1, resource=rinks[n % 2], attendees=people)
    # when staff read the week with attendees and resources
    with count_statements(calendar.engine) as log:
        rows = (await calendar.graphql.execute(EVENTS, WEEK, as_=club.coach)).ok()["calendarEvents"]
    # then one statement loads the events, one the attendees, one the resources
    assert len(rows) == 12
    assert all(len(row["attendees"]) == 6 for row in rows)
    assert log.count == 3, [s[:80] for s in log.statements]


async def test_staff_update_an_event(calendar: RunningService, club: Club) -> None:
    gym = await make_resource(calendar, club=club, name="Gym")
    event = await make_event(calendar, club=club, team=club.senior)
    data = (
        await calendar.graphql.execute(
            UPDATE_EVENT,
            {
                "id": str(event.event.id),
                "input": {
                    "title": "Dryland",
                    "kind": "TRAINING",
                    "resourceId": str(gym.id),
                    "location": None,
                },
            },
            as_=club.admin,
        )
    ).ok()["updateCalendarEvent"]["event"]
    assert (data["title"], data["kind"], data["resource"], data["location"]) == (
        "Dryland",
        "TRAINING",
        {"name": "Gym"},
        None,
    )
    cleared = await calendar.graphql.execute(
        UPDATE_EVENT, {"id": str(event.event.id), "input": {"title": None}}, as_=club.admin
    )
    assert cleared.error("BAD_USER_INPUT")["extensions"]["field"] == "title"
    changed = [payload for kind, payload in await published(calendar) if kind == "event.changed"]
    assert changed[-1]["changes"] == ["title", "kind", "location", "resource"]


async def test_moving_an_event_changes_its_times(calendar: RunningService, club: Club) -> None:
    event = await make_event(calendar, club=club, team=club.senior)
    moved = (
        await calendar.graphql.execute(
            MOVE_EVENT,
            {"id": str(event.event.id), "startsAt": at(24).isoformat(), "endsAt": at(25).isoformat()},
            as_=club.coach,
        )
    ).ok()["moveCalendarEvent"]["event"]
    assert moved["startsAt"] == at(24).isoformat()
    naive = await calendar.graphql.execute(
        MOVE_EVENT,
        {"id": str(event.event.id), "startsAt": "2026-03-03T10:00:00", "endsAt": at(25).isoformat()},
        as_=club.coach,
    )
    assert naive.error("BAD_USER_INPUT")["extensions"]["field"] == "startsAt"
    by_player = await calendar.graphql.execute(
        MOVE_EVENT,
        {"id": str(event.event.id), "startsAt": at(26).isoformat(), "endsAt": at(27).isoformat()},
        as_=club.player,
    )
    assert by_player.codes == ["FORBIDDEN"]  # the player sees their team's event but may not move it
    [created, changed] = await published(calendar)
    assert changed[0] == "event.changed"
    assert changed[1]["starts_at"].startswith("2026-03-03T16:00:00")
    assert created[0] == "event.created"


async def test_cancelling_hides_the_event_and_is_idempotent(calendar: RunningService, club: Club) -> None:
    event = await make_event(calendar, club=club, starts_at=at(1), team=club.senior)
    variables = {"id": str(event.event.id), "reason": "Ice resurfacing machine broke"}
    first = (await calendar.graphql.execute(CANCEL_EVENT, variables, as_=club.coach)).ok()
    assert first["cancelCalendarEvent"]["event"]["status"] == "CANCELLED"
    assert first["cancelCalendarEvent"]["event"]["cancellationReason"] == "Ice resurfacing machine broke"
    again = (await calendar.graphql.execute(CANCEL_EVENT, variables, as_=club.coach)).ok()
    assert again["cancelCalendarEvent"]["event"]["cancelledAt"] == first["cancelCalendarEvent"]["event"]["cancelledAt"]
    assert (await calendar.graphql.execute(EVENTS, WEEK, as_=club.coach)).ok()["calendarEvents"] == []
    with_cancelled = (await calendar.graphql.execute(EVENTS, {**WEEK, "includeCancelled": True}, as_=club.coach)).ok()[
        "calendarEvents"
    ]
    assert [row["status"] for row in with_cancelled] == ["CANCELLED"]
    moved = await calendar.graphql.execute(
        MOVE_EVENT,
        {"id": str(event.event.id), "startsAt": at(3).isoformat(), "endsAt": at(4).isoformat()},
        as_=club.coach,
    )
    assert moved.codes == ["CONFLICT"]
    assert [kind for kind, _ in await published(calendar)] == ["event.created", "event.cancelled"]


async def test_attendees_answer_for_themselves(calendar: RunningService, club: Club) -> None:
    assert club.player.user_id
    event = await make_event(calendar, club=club, team=club.senior, attendees=[club.player.user_id])
    answered = (
        await calendar.graphql.execute(RESPOND, {"id": str(event.event.id), "status": "TENTATIVE"}, as_=club.player)
    ).ok()["respondToCalendarEvent"]
    assert answered["event"]["myRsvp"] == "TENTATIVE"
    pending = await calendar.graphql.execute(RESPOND, {"id": str(event.event.id), "status": "PENDING"}, as_=club.player)
    assert pending.error("BAD_USER_INPUT")["extensions"]["field"] == "status"
    # a teammate who can see the event but is not invited may not answer
    teammate = principal(Role.PLAYER, organization_id=club.organization_id, teams=(club.senior,))
    not_invited = await calendar.graphql.execute(
        RESPOND, {"id": str(event.event.id), "status": "ACCEPTED"}, as_=teammate
    )
    assert not_invited.codes == ["FORBIDDEN"]


async def test_staff_invite_and_remove_attendees(calendar: RunningService, club: Club) -> None:
    event = await make_event(calendar, club=club, team=club.senior)
    newcomer, other = uuid.uuid4(), uuid.uuid4()
    invited = (
        await calendar.graphql.execute(
            INVITE,
            {"id": str(event.event.id), "userIds": [str(newcomer), str(other), str(newcomer)]},
            as_=club.coach,
        )
    ).ok()["inviteToCalendarEvent"]["event"]["attendees"]
    assert invited[0]["user"]["id"] == str(club.coach.user_id)  # the organizer comes first
    assert sorted(a["user"]["id"] for a in invited[1:]) == sorted([str(newcomer), str(other)])
    assert {a["status"] for a in invited[1:]} == {"PENDING"}
    removed = (
        await calendar.graphql.execute(UNINVITE, {"id": str(event.event.id), "userId": str(other)}, as_=club.coach)
    ).ok()["removeCalendarEventAttendee"]["event"]["attendees"]
    assert [a["user"]["id"] for a in removed] == [str(club.coach.user_id), str(newcomer)]
    organizer = await calendar.graphql.execute(
        UNINVITE, {"id": str(event.event.id), "userId": str(club.coach.user_id)}, as_=club.coach
    )
    assert organizer.error("BAD_USER_INPUT")["extensions"]["field"] == "userId"
    absent = await calendar.graphql.execute(UNINVITE, {"id": str(event.event.id), "userId": str(other)}, as_=club.coach)
    assert absent.error("NOT_FOUND")["extensions"]["field"] == "userId"
