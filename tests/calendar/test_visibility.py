"""Visibility over GraphQL: public events reach the whole club, team events (the default) its staff, the
team and the invited, private ones the organizer and the invited, role-restricted ones the invited and
holders of the roles; lists and single reads agree."""

from __future__ import annotations

from shared.auth.principal import Principal, Role
from tests.calendar.factories import Club
from tests.support.principals import principal
from tests.support.services import RunningService

CREATE = """
mutation Create($input: CreateCalendarEventInput!) {
  createCalendarEvent(input: $input) { event { id visibility visibleToRoles } }
}
"""
EVENTS = """
query Events($from: DateTime!, $to: DateTime!) { calendarEvents(from: $from, to: $to) { title } }
"""
EVENT = "query Event($id: ID!) { calendarEvent(id: $id) { title } }"
WEEK = {"from": "2026-03-02T00:00:00Z", "to": "2026-03-09T00:00:00Z"}


async def _titles(calendar: RunningService, who: Principal) -> set[str]:
    rows = (await calendar.graphql.execute(EVENTS, WEEK, as_=who)).ok()["calendarEvents"]
    return {row["title"] for row in rows}


async def test_each_visibility_reaches_its_readers(calendar: RunningService, club: Club) -> None:
    medic = principal(Role.MEDICAL_STAFF, organization_id=club.organization_id)
    assert club.player.user_id

    async def schedule(title: str, by: Principal = club.coach, **extra: object) -> str:
        made = await calendar.graphql.execute(
            CREATE,
            {
                "input": {
                    "kind": "MEETING",
                    "title": title,
                    "startsAt": "2026-03-03T18:00:00+01:00",
                    "endsAt": "2026-03-03T19:00:00+01:00",
                    "teamId": str(club.senior),
                    **extra,
                }
            },
            as_=by,
        )
        event_id: str = made.ok()["createCalendarEvent"]["event"]["id"]
        return event_id

    # given one event of each visibility for the senior team
    ids = {
        "Club party": await schedule("Club party", visibility="PUBLIC"),
        "Team meeting": await schedule("Team meeting"),
        "Contract talk": await schedule("Contract talk", visibility="PRIVATE", attendeeIds=[str(club.player.user_id)]),
        "Medical review": await schedule(
            "Medical review", by=club.admin, visibility="ROLES", visibleToRoles=["medical_staff"]
        ),
    }
    # then each reader sees what their place in the club allows
    expected = {
        "coach (organizer)": (club.coach, {"Club party", "Team meeting", "Contract talk"}),
        "admin (staff)": (club.admin, {"Club party", "Team meeting", "Medical review"}),
        "medic (the role)": (medic, {"Club party", "Team meeting", "Medical review"}),
        "player (invited)": (club.player, {"Club party", "Team meeting", "Contract talk"}),
        "junior player": (club.junior_player, {"Club party"}),
        "other club": (club.outsider, set()),
    }
    for who, (reader, titles) in expected.items():
        assert await _titles(calendar, reader) == titles, who
        for title, event_id in ids.items():
            response = await calendar.graphql.execute(EVENT, {"id": event_id}, as_=reader)
            if title in titles:
                assert response.ok()["calendarEvent"]["title"] == title, (who, title)
            else:
                assert response.codes == ["NOT_FOUND"], (who, title)


async def test_role_visibility_names_known_roles(calendar: RunningService, club: Club) -> None:
    base = {
        "kind": "MEETING",
        "title": "Board",
        "startsAt": "2026-03-03T18:00:00+01:00",
        "endsAt": "2026-03-03T19:00:00+01:00",
        "visibility": "ROLES",
    }
    for extra in ({}, {"visibleToRoles": ["captain"]}):
        response = await calendar.graphql.execute(CREATE, {"input": {**base, **extra}}, as_=club.coach)
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == "visibleToRoles"
    made = await calendar.graphql.execute(
        CREATE, {"input": {**base, "visibleToRoles": ["coach", "club_admin", "coach"]}}, as_=club.coach
    )
    assert made.ok()["createCalendarEvent"]["event"]["visibleToRoles"] == ["club_admin", "coach"]
