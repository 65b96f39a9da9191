"""A calendar feed is fetched without signing in, so it carries its owner's access as it was when it was
made; the user service's events keep it from outliving that access: a deactivated account's feeds end,
changed roles and a team left narrow them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from shared.auth.principal import Role
from subgraphs.user import service as user_service
from subgraphs.user.models import ParentRelationship
from tests.conftest import ServiceFactory
from tests.support.event_flow import USER_EVENTS, FlowClub, carried, make_flow_club, processed, published_ids
from tests.support.services import RunningService
from tests.support.waiting import eventually
from tests.user.factories import ADMIN, as_principal, make_user

ACCOUNT_EVENTS = (*USER_EVENTS, "user.updated", "user.deactivated", "parent.linked", "parent.unlinked")
SCHEDULE = """
mutation Schedule($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { event { id } } }
"""
NEW_FEED = "mutation Feed($teamId: ID) { createCalendarFeed(teamId: $teamId) { token } }"
ENTITIES = """
query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on CalendarEvent { title } }
}
"""
EVENTS = "query Events($from: DateTime!, $to: DateTime!) { calendarEvents(from: $from, to: $to) { title } }"


@pytest.fixture
async def services(service: ServiceFactory) -> AsyncIterator[tuple[RunningService, RunningService]]:
    user, calendar = await service("user"), await service("calendar")
    async with carried(user, [calendar], ACCOUNT_EVENTS):
        yield user, calendar


async def _schedule(calendar: RunningService, club: FlowClub, title: str, **values: object) -> str:
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    event = {"kind": "MEETING", "title": title, "startsAt": starts.isoformat(), **values}
    event["endsAt"] = (starts + timedelta(hours=1)).isoformat()
    # the physical trainer organizes them: the coach sees them by role and team only, not as an attendee
    made = await calendar.graphql.execute(SCHEDULE, {"input": event}, as_=club.trainer.principal)
    event_id: str = made.ok()["createCalendarEvent"]["event"]["id"]
    return event_id


def _coming_weeks() -> dict[str, str]:
    now = datetime.now(UTC)
    return {"from": now.isoformat(), "to": (now + timedelta(days=14)).isoformat()}


async def _titles(calendar: RunningService, token: str) -> set[str] | None:
    """The feed's event titles; None once it is gone."""
    response = await calendar.http.get(f"/calendar/feeds/{token}.ics")
    if response.status_code == 404:
        return None
    assert response.status_code == 200, response.text
    return {str(event["SUMMARY"]) for event in Calendar.from_ical(response.text).walk("VEVENT")}


async def _taken_in(user: RunningService, calendar: RunningService, type: str) -> None:
    """Wait until the calendar has taken in every `type` event the user service published."""
    for event_id in await published_ids(user, type):
        await eventually(lambda event_id=event_id: processed(calendar, event_id))  # type: ignore[misc]


async def test_feeds_follow_their_owners_account_roles_and_teams(
    services: tuple[RunningService, RunningService],
) -> None:
    user, calendar = services
    club = await make_flow_club(user)
    await _taken_in(user, calendar, "player.added")
    # given a coaches' meeting and a senior team practice, and feeds of the coach and two senior players
    await _schedule(calendar, club, "Coaches' meeting", visibility="ROLES", visibleToRoles=["coach"])
    await _schedule(calendar, club, "Senior practice", teamId=str(club.senior.id), visibility="TEAM")
    feeds = {}
    for name in ("coach", "player", "teammate"):
        made = await calendar.graphql.execute(NEW_FEED, {}, as_=club.everyone[name].principal)
        feeds[name] = made.ok()["createCalendarFeed"]["token"]
    assert await _titles(calendar, feeds["coach"]) == {"Coaches' meeting", "Senior practice"}
    assert await _titles(calendar, feeds["player"]) == {"Senior practice"}

    async with user.runtime.sessions() as session, session.begin():
        # when the teammate's account is deactivated, the player leaves the roster, and the coach becomes
        # a player of the club (no longer staff), still on the senior team's staff list
        await user_service.update_user(session, ADMIN, club.teammate.id, {"is_active": False})
        await user_service.remove_player(session, ADMIN, club.player_entry.id)
        await user_service.update_user(session, ADMIN, club.coach.id, {"roles": [Role.PLAYER]})
    for type in ("user.deactivated", "user.updated", "player.removed"):
        await _taken_in(user, calendar, type)
    # then the teammate's feed is gone, the player's shows no team event, the coach's no coaches' meeting
    assert await _titles(calendar, feeds["teammate"]) is None
    assert await _titles(calendar, feeds["player"]) == set()
    assert await _titles(calendar, feeds["coach"]) == {"Senior practice"}

    # and once the coach leaves the senior team's staff, its events leave the coach's feed too
    async with user.runtime.sessions() as session, session.begin():
        await user_service.remove_team_staff(session, ADMIN, team_id=club.senior.id, user_id=club.coach.id)
    await _taken_in(user, calendar, "team.staff_removed")
    assert await _titles(calendar, feeds["coach"]) == set()


async def test_a_parent_follows_their_childs_team_until_unlinked(
    services: tuple[RunningService, RunningService],
) -> None:
    user, calendar = services
    club = await make_flow_club(user)
    # given a parent of the junior player, and a practice of each team
    parent = await make_user(user, organization=club.organization, roles=(Role.PARENT,), first_name="Karin")
    async with user.runtime.sessions() as session, session.begin():
        await user_service.link_parent(
            session,
            ADMIN,
            parent_user_id=parent.id,
            player_id=club.junior_player_entry.id,
            relationship=ParentRelationship.MOTHER,
        )
    await _taken_in(user, calendar, "player.added")
    u18 = await _schedule(calendar, club, "U18 practice", teamId=str(club.junior.id), visibility="TEAM")
    senior = await _schedule(calendar, club, "Senior practice", teamId=str(club.senior.id), visibility="TEAM")
    mother = await as_principal(user, parent)
    # then the parent sees the child's team schedule, in the app and in feeds of their own and of the team
    seen = await calendar.graphql.execute(EVENTS, _coming_weeks(), as_=mother)
    assert {event["title"] for event in seen.ok()["calendarEvents"]} == {"U18 practice"}
    entities = [{"__typename": "CalendarEvent", "id": event_id} for event_id in (u18, senior)]
    resolved = await calendar.graphql.execute(ENTITIES, {"representations": entities}, as_=mother)
    assert resolved.data["_entities"][0] == {"title": "U18 practice"}
    assert resolved.data["_entities"][1] is None  # the other team's practice is not the parent's to see
    feeds = {}
    for name, who, team in (
        ("junior", club.junior_player.principal, None),
        ("parent", mother, None),
        ("u18", mother, str(club.junior.id)),
    ):
        made = await calendar.graphql.execute(NEW_FEED, {"teamId": team}, as_=who)
        feeds[name] = made.ok()["createCalendarFeed"]["token"]
        assert await _titles(calendar, feeds[name]) == {"U18 practice"}, name
    refused = await calendar.graphql.execute(NEW_FEED, {"teamId": str(club.senior.id)}, as_=mother)
    assert refused.codes == ["FORBIDDEN"]

    # when the junior player moves up to the senior team
    async with user.runtime.sessions() as session, session.begin():
        await user_service.update_player(session, ADMIN, club.junior_player_entry.id, {"team_id": club.senior.id})
    await _taken_in(user, calendar, "player.updated")
    # then the player's own feed shows the old team no more (a new feed shows the new one), the parent's
    # follows the child to the senior team, and the U18 team's feed the parent made ends
    assert await _titles(calendar, feeds["junior"]) == set()
    assert await _titles(calendar, feeds["parent"]) == {"Senior practice"}
    assert await _titles(calendar, feeds["u18"]) is None

    # and once the parent is unlinked, their feeds follow the child no more
    async with user.runtime.sessions() as session, session.begin():
        await user_service.unlink_parent(
            session, ADMIN, parent_user_id=parent.id, player_id=club.junior_player_entry.id
        )
    await _taken_in(user, calendar, "parent.unlinked")
    assert await _titles(calendar, feeds["parent"]) == set()
