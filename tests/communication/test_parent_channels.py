"""Private parent-coach channels and meeting requests through GraphQL over HTTP."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from shared.auth.principal import Principal, Role
from tests.communication.factories import Club, know_roster, user_of
from tests.support.principals import principal
from tests.support.services import RunningService

OPEN = """
mutation Open($playerId: ID!, $coachUserId: ID!) {
  openParentCoachConversation(playerId: $playerId, coachUserId: $coachUserId) { id participants { user { id } } }
}
"""
REQUEST = """
mutation Ask($input: RequestMeetingInput!) {
  requestMeeting(input: $input) { id topic status proposedTimes requestedBy { id } requestedOf { id } }
}
"""
RESPOND = """
mutation Answer($id: ID!, $acceptTime: DateTime) {
  respondToMeetingRequest(id: $id, acceptTime: $acceptTime) { id status acceptedTime respondedAt }
}
"""
REQUESTS = "query Requests($id: ID!) { conversation(id: $id) { meetingRequests { id topic status } } }"
INBOX = "query { myNotifications { items { title body } } }"


@pytest.fixture
async def parent(communication: RunningService, club: Club) -> Principal:
    assert club.player.player_id is not None
    await know_roster(communication, club, players=[club.player], staff=[(club.coach, "coach")])
    return principal(Role.PARENT, organization_id=club.organization_id, children=[club.player.player_id])


async def _open(communication: RunningService, club: Club, parent: Principal) -> str:
    variables = {"playerId": str(club.player.player_id), "coachUserId": str(user_of(club.coach))}
    opened: str = (await communication.graphql.execute(OPEN, variables, as_=parent)).ok()[
        "openParentCoachConversation"
    ]["id"]
    return opened


def _later(hours: int) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).replace(microsecond=0).isoformat()


async def test_a_parent_opens_one_private_channel_with_the_coach(
    communication: RunningService, club: Club, parent: Principal
) -> None:
    first = await _open(communication, club, parent)
    again = await _open(communication, club, parent)
    assert first == again
    seen = (await communication.graphql.execute(REQUESTS, {"id": first}, as_=club.coach)).ok()
    assert seen["conversation"]["meetingRequests"] == []
    # nobody else in the club reads it, not even the player
    for other in (club.player, club.teammate, club.admin):
        assert (await communication.graphql.execute(REQUESTS, {"id": first}, as_=other)).codes == ["FORBIDDEN"]


async def test_who_may_open_a_channel(communication: RunningService, club: Club, parent: Principal) -> None:
    variables = {"playerId": str(club.player.player_id), "coachUserId": str(user_of(club.coach))}
    # a parent of another child, and a coach, may not
    stranger = principal(Role.PARENT, organization_id=club.organization_id, children=[uuid.uuid4()])
    assert (await communication.graphql.execute(OPEN, variables, as_=stranger)).codes == ["FORBIDDEN"]
    assert (await communication.graphql.execute(OPEN, variables, as_=club.coach)).codes == ["FORBIDDEN"]
    # only with a coach of the child's team
    not_coach = {**variables, "coachUserId": str(user_of(club.assistant))}
    response = await communication.graphql.execute(OPEN, not_coach, as_=parent)
    assert response.error("BAD_USER_INPUT")["extensions"]["field"] == "coachUserId"


async def test_meeting_requests_are_proposed_and_answered(
    communication: RunningService, club: Club, parent: Principal
) -> None:
    channel = await _open(communication, club, parent)
    times = [_later(48), _later(24)]
    asked = (
        await communication.graphql.execute(
            REQUEST, {"input": {"conversationId": channel, "topic": "Ice time", "proposedTimes": times}}, as_=parent
        )
    ).ok()["requestMeeting"]
    assert asked["status"] == "PENDING"
    assert [datetime.fromisoformat(t) for t in asked["proposedTimes"]] == sorted(
        datetime.fromisoformat(t) for t in times
    )
    assert asked["requestedOf"] == {"id": str(user_of(club.coach))}
    [notice] = (await communication.graphql.execute(INBOX, {}, as_=club.coach)).ok()["myNotifications"]["items"]
    assert notice["title"] == "Meeting request"
    # the parent may not answer their own request; a time not proposed is refused
    own = await communication.graphql.execute(RESPOND, {"id": asked["id"], "acceptTime": times[0]}, as_=parent)
    assert own.codes == ["FORBIDDEN"]
    wrong = await communication.graphql.execute(RESPOND, {"id": asked["id"], "acceptTime": _later(5)}, as_=club.coach)
    assert wrong.error("BAD_USER_INPUT")["extensions"]["field"] == "acceptTime"
    # the coach accepts one of the times, once
    accepted = (
        await communication.graphql.execute(RESPOND, {"id": asked["id"], "acceptTime": times[1]}, as_=club.coach)
    ).ok()["respondToMeetingRequest"]
    assert accepted["status"] == "ACCEPTED"
    assert datetime.fromisoformat(accepted["acceptedTime"]) == datetime.fromisoformat(times[1])
    twice = await communication.graphql.execute(RESPOND, {"id": asked["id"]}, as_=club.coach)
    assert twice.codes == ["CONFLICT"]
    [answer] = (await communication.graphql.execute(INBOX, {}, as_=parent)).ok()["myNotifications"]["items"]
    assert answer["title"] == "Meeting request answered"
    # a second request, declined
    other = (
        await communication.graphql.execute(
            REQUEST,
            {"input": {"conversationId": channel, "topic": "Lines", "proposedTimes": [_later(3)]}},
            as_=club.coach,
        )
    ).ok()["requestMeeting"]
    declined = (await communication.graphql.execute(RESPOND, {"id": other["id"]}, as_=parent)).ok()
    assert declined["respondToMeetingRequest"]["status"] == "DECLINED"
    listed = (await communication.graphql.execute(REQUESTS, {"id": channel}, as_=parent)).ok()
    assert [(r["topic"], r["status"]) for r in listed["conversation"]["meetingRequests"]] == [
        ("Lines", "DECLINED"),
        ("Ice time", "ACCEPTED"),
    ]


async def test_meeting_request_input(communication: RunningService, club: Club, parent: Principal) -> None:
    channel = await _open(communication, club, parent)
    base = {"conversationId": channel, "topic": "Talk", "proposedTimes": [_later(2)]}
    for changes, field in (
        ({"topic": " "}, "topic"),
        ({"proposedTimes": []}, "proposedTimes"),
        ({"proposedTimes": [_later(n) for n in range(1, 7)]}, "proposedTimes"),
        ({"proposedTimes": [_later(-1)]}, "proposedTimes"),
    ):
        response = await communication.graphql.execute(REQUEST, {"input": {**base, **changes}}, as_=parent)
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field, changes
    # not in an ordinary conversation
    team = (
        await communication.graphql.execute(
            "mutation($t: ID!) { openTeamConversation(teamId: $t) { id } }", {"t": str(club.team_id)}, as_=club.coach
        )
    ).ok()["openTeamConversation"]["id"]
    elsewhere = await communication.graphql.execute(
        REQUEST, {"input": {**base, "conversationId": team}}, as_=club.coach
    )
    assert elsewhere.error("BAD_USER_INPUT")["extensions"]["field"] == "conversationId"
