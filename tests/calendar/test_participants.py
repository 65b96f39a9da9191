"""Participants over GraphQL: roles, answers (tentative included), the organizer accepted from the start,
check-in by staff or by the attendee, and answers to one occurrence of a series."""

from __future__ import annotations

import uuid
from typing import Any

from shared.auth.principal import Role
from tests.calendar.factories import Club
from tests.support.principals import principal
from tests.support.services import RunningService

ATTENDEES = "attendees { user { id } role status checkedInAt isOrganizer }"
CREATE = f"""
mutation Create($input: CreateCalendarEventInput!) {{
  createCalendarEvent(input: $input) {{ event {{ id {ATTENDEES} }} }}
}}
"""
INVITE = f"""
mutation Invite($id: ID!, $userIds: [ID!]!, $role: AttendeeRole!) {{
  inviteToCalendarEvent(id: $id, userIds: $userIds, role: $role) {{ event {{ {ATTENDEES} }} }}
}}
"""
RESPOND = """
mutation Respond($id: ID!, $status: RsvpStatus!) {
  respondToCalendarEvent(id: $id, status: $status) { event { id myRsvp } }
}
"""
CHECK_IN = f"""
mutation CheckIn($id: ID!, $userId: ID) {{
  checkInToCalendarEvent(id: $id, userId: $userId) {{ event {{ id {ATTENDEES} }} }}
}}
"""
EVENTS = """
query Events($from: DateTime!, $to: DateTime!) {
  calendarEvents(from: $from, to: $to) { id startsAt myRsvp }
}
"""


def _input(club: Club, **overrides: object) -> dict[str, object]:
    return {
        "kind": "GAME",
        "title": "Home game",
        "startsAt": "2026-03-07T15:00:00+01:00",
        "endsAt": "2026-03-07T17:30:00+01:00",
        "teamId": str(club.senior),
        **overrides,
    }


def _people(event: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {a["user"]["id"]: (a["role"], a["status"]) for a in event["attendees"]}


async def test_attendees_have_roles_and_the_organizer_is_accepted(calendar: RunningService, club: Club) -> None:
    # given a player and an assistant coach
    assert club.player.user_id
    assistant = uuid.uuid4()
    # when the coach schedules a game inviting the player as required and the assistant as staff
    made = await calendar.graphql.execute(
        CREATE,
        {
            "input": _input(
                club,
                attendees=[
                    {"userId": str(club.player.user_id)},
                    {"userId": str(assistant), "role": "STAFF"},
                ],
            )
        },
        as_=club.coach,
    )
    event = made.ok()["createCalendarEvent"]["event"]
    # then the coach organizes it, accepted; the others are pending in their roles
    assert _people(event) == {
        str(club.coach.user_id): ("ORGANIZER", "ACCEPTED"),
        str(club.player.user_id): ("REQUIRED", "PENDING"),
        str(assistant): ("STAFF", "PENDING"),
    }
    # and more people can be invited as optional, but nobody as a second organizer
    parent = uuid.uuid4()
    invited = await calendar.graphql.execute(
        INVITE, {"id": event["id"], "userIds": [str(parent)], "role": "OPTIONAL"}, as_=club.coach
    )
    assert _people(invited.ok()["inviteToCalendarEvent"]["event"])[str(parent)] == ("OPTIONAL", "PENDING")
    refused = await calendar.graphql.execute(
        INVITE, {"id": event["id"], "userIds": [str(parent)], "role": "ORGANIZER"}, as_=club.coach
    )
    assert refused.error("BAD_USER_INPUT")["extensions"]["field"] == "role"
    # and the player may answer tentatively
    answer = await calendar.graphql.execute(RESPOND, {"id": event["id"], "status": "TENTATIVE"}, as_=club.player)
    assert answer.ok()["respondToCalendarEvent"]["event"]["myRsvp"] == "TENTATIVE"


async def test_check_in_by_staff_or_by_oneself(calendar: RunningService, club: Club) -> None:
    # given a game with two players invited
    assert club.player.user_id
    other = principal(Role.PLAYER, organization_id=club.organization_id, teams=(club.senior,))
    assert other.user_id
    event = (
        await calendar.graphql.execute(
            CREATE,
            {"input": _input(club, attendeeIds=[str(club.player.user_id), str(other.user_id)])},
            as_=club.coach,
        )
    ).ok()["createCalendarEvent"]["event"]

    def checked(result: Any) -> dict[str, bool]:
        rows = result.ok()["checkInToCalendarEvent"]["event"]["attendees"]
        return {a["user"]["id"]: a["checkedInAt"] is not None for a in rows}

    # when the player checks themselves in
    mine = await calendar.graphql.execute(CHECK_IN, {"id": event["id"]}, as_=club.player)
    assert checked(mine)[str(club.player.user_id)] is True
    assert checked(mine)[str(other.user_id)] is False
    # then they cannot check in a teammate, but the coach can
    refused = await calendar.graphql.execute(
        CHECK_IN, {"id": event["id"], "userId": str(other.user_id)}, as_=club.player
    )
    assert refused.codes == ["FORBIDDEN"]
    by_coach = await calendar.graphql.execute(
        CHECK_IN, {"id": event["id"], "userId": str(other.user_id)}, as_=club.coach
    )
    assert checked(by_coach)[str(other.user_id)] is True
    # and someone not invited cannot be checked in
    stranger = await calendar.graphql.execute(
        CHECK_IN, {"id": event["id"], "userId": str(uuid.uuid4())}, as_=club.coach
    )
    assert stranger.error("NOT_FOUND")["extensions"]["field"] == "userId"


async def test_an_answer_to_one_occurrence_stays_with_it(calendar: RunningService, club: Club) -> None:
    # given a weekly practice with the player invited
    assert club.player.user_id
    series = (
        await calendar.graphql.execute(
            CREATE,
            {
                "input": _input(
                    club,
                    kind="PRACTICE",
                    startsAt="2026-03-03T18:00:00+01:00",
                    endsAt="2026-03-03T19:00:00+01:00",
                    recurrence="FREQ=WEEKLY;COUNT=3",
                    attendeeIds=[str(club.player.user_id)],
                )
            },
            as_=club.coach,
        )
    ).ok()["createCalendarEvent"]["event"]
    second = f"{series['id']}:20260310T170000Z"
    # when the player declines the second one
    answer = await calendar.graphql.execute(RESPOND, {"id": second, "status": "DECLINED"}, as_=club.player)
    assert answer.ok()["respondToCalendarEvent"]["event"] == {"id": second, "myRsvp": "DECLINED"}
    # then the other two are still waiting for an answer
    rows = (
        await calendar.graphql.execute(
            EVENTS, {"from": "2026-03-01T00:00:00Z", "to": "2026-03-31T00:00:00Z"}, as_=club.player
        )
    ).ok()["calendarEvents"]
    assert [(row["id"] == second, row["myRsvp"]) for row in rows] == [
        (False, "PENDING"),
        (True, "DECLINED"),
        (False, "PENDING"),
    ]


async def test_check_in_is_per_occurrence(calendar: RunningService, club: Club) -> None:
    # given a daily practice, three times
    assert club.player.user_id
    series = (
        await calendar.graphql.execute(
            CREATE,
            {
                "input": _input(
                    club,
                    kind="PRACTICE",
                    startsAt="2026-03-03T18:00:00+01:00",
                    endsAt="2026-03-03T19:00:00+01:00",
                    recurrence="FREQ=DAILY;COUNT=3",
                    attendeeIds=[str(club.player.user_id)],
                )
            },
            as_=club.coach,
        )
    ).ok()["createCalendarEvent"]["event"]
    # when the player checks in to the second one
    second = f"{series['id']}:20260304T170000Z"
    checked = await calendar.graphql.execute(CHECK_IN, {"id": second}, as_=club.player)
    rows = checked.ok()["checkInToCalendarEvent"]["event"]["attendees"]
    assert {a["user"]["id"]: a["checkedInAt"] is not None for a in rows}[str(club.player.user_id)] is True
    # then the first is untouched, and the series as a whole takes no check-in
    first = await calendar.graphql.execute(
        CHECK_IN, {"id": f"{series['id']}:20260303T170000Z", "userId": str(club.coach.user_id)}, as_=club.coach
    )
    first_rows = first.ok()["checkInToCalendarEvent"]["event"]["attendees"]
    assert {a["user"]["id"]: a["checkedInAt"] is not None for a in first_rows}[str(club.player.user_id)] is False
    whole = await calendar.graphql.execute(CHECK_IN, {"id": series["id"]}, as_=club.player)
    assert whole.error("BAD_USER_INPUT")["extensions"]["field"] == "id"
