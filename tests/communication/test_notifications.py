"""Notifications through GraphQL over HTTP: staff send them, each person reads and clears their own."""

from __future__ import annotations

from typing import Any

from shared.auth.principal import Principal, Role
from subgraphs.communication.events import NOTIFICATION_CREATED
from subgraphs.communication.models import NotificationKind
from tests.communication.factories import Club, notify, outbox, user_of
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.support.statements import count_statements

SEND_NOTIFICATION = """
mutation Notify($input: SendNotificationInput!) {
  sendNotification(input: $input) {
    recipientCount
    notifications { id kind title body link isRead sender { id } }
  }
}
"""

MINE = """
query Mine($unreadOnly: Boolean!, $first: Int!, $after: String) {
  myNotifications(unreadOnly: $unreadOnly, first: $first, after: $after) {
    items { id kind title readAt isRead }
    nextCursor
    hasMore
  }
  unreadNotificationCount
}
"""

MARK_ONE = "mutation Read($id: ID!) { markNotificationRead(id: $id) { id isRead readAt } }"
MARK_ALL = "mutation ReadAll { markAllNotificationsRead }"


def _notice(*recipients: str, **changes: object) -> dict[str, object]:
    return {
        "input": {
            "userIds": list(recipients),
            "title": "Practice moved to Rink B",
            "body": "On the ice 18:30, in the room by 17:45.",
            "kind": "EVENT_REMINDER",
            "link": "/calendar",
            **changes,
        }
    }


async def _mine(
    communication: RunningService,
    who: Principal,
    *,
    unread_only: bool = False,
    first: int = 20,
    after: str | None = None,
) -> Any:
    """The caller's notifications page and unread count."""
    variables = {"unreadOnly": unread_only, "first": first, "after": after}
    return (await communication.graphql.execute(MINE, variables, as_=who)).ok()


async def test_a_coach_notifies_players_who_see_it_unread(communication: RunningService, club: Club) -> None:
    # when the coach notifies two players
    sent = (
        await communication.graphql.execute(
            SEND_NOTIFICATION,
            _notice(str(user_of(club.player)), str(user_of(club.teammate))),
            as_=club.coach,
        )
    ).ok()["sendNotification"]
    # then each gets one unread notification from the coach
    assert sent["recipientCount"] == 2
    assert {(n["kind"], n["isRead"], n["sender"]["id"]) for n in sent["notifications"]} == {
        ("EVENT_REMINDER", False, str(user_of(club.coach)))
    }
    for player in (club.player, club.teammate):
        mine = await _mine(communication, player)
        assert mine["unreadNotificationCount"] == 1
        assert [n["title"] for n in mine["myNotifications"]["items"]] == ["Practice moved to Rink B"]
    # and nobody else sees it
    assert (await _mine(communication, club.admin))["unreadNotificationCount"] == 0
    # and one event per notification announces it, without its content
    events = await outbox(communication, NOTIFICATION_CREATED, organization_id=club.organization_id)
    assert sorted(event["user_id"] for event in events) == sorted(
        [str(user_of(club.player)), str(user_of(club.teammate))]
    )
    assert all(event["kind"] == "event_reminder" for event in events)
    assert "Rink B" not in str(events)


async def test_players_and_parents_may_not_send_notifications(communication: RunningService, club: Club) -> None:
    parent = principal(Role.PARENT, organization_id=club.organization_id)
    for caller in (club.player, parent):
        response = await communication.graphql.execute(SEND_NOTIFICATION, _notice(str(user_of(club.coach))), as_=caller)
        assert response.codes == ["FORBIDDEN"]
    assert await outbox(communication, NOTIFICATION_CREATED, organization_id=club.organization_id) == []


async def test_notification_input_errors_name_the_field(communication: RunningService, club: Club) -> None:
    to = str(user_of(club.player))
    for changes, field in (
        ({"userIds": []}, "userIds"),
        ({"userIds": ["x"]}, "userIds"),
        ({"title": ""}, "title"),
        ({"title": "t" * 201}, "title"),
        ({"body": "b" * 2001}, "body"),
        ({"kind": "MEDICAL_UPDATE"}, "kind"),
        ({"kind": "SYSTEM"}, "kind"),
        ({"link": "javascript:alert(1)"}, "link"),
        ({"link": "//evil.example/x"}, "link"),
        ({"link": "http://plain.example"}, "link"),
    ):
        response = await communication.graphql.execute(SEND_NOTIFICATION, _notice(to, **changes), as_=club.admin)
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field, changes
    other_club = await communication.graphql.execute(
        SEND_NOTIFICATION, _notice(to, organizationId=str(club.outsider.organization_id)), as_=club.admin
    )
    assert other_club.codes == ["FORBIDDEN"]


async def test_marking_read_one_and_all(communication: RunningService, club: Club) -> None:
    # given three notifications for the player
    for title in ("One", "Two", "Three"):
        await notify(communication, to=[club.player], by=club.coach, title=title)
    newest = (await _mine(communication, club.player))["myNotifications"]["items"][0]
    # when the player reads the newest, twice
    first = (await communication.graphql.execute(MARK_ONE, {"id": newest["id"]}, as_=club.player)).ok()
    second = (await communication.graphql.execute(MARK_ONE, {"id": newest["id"]}, as_=club.player)).ok()
    # then it is read, at the time of the first read, and the unread filter leaves it out
    assert first["markNotificationRead"]["isRead"] is True
    assert second["markNotificationRead"]["readAt"] == first["markNotificationRead"]["readAt"]
    unread = await _mine(communication, club.player, unread_only=True)
    assert [n["title"] for n in unread["myNotifications"]["items"]] == ["Two", "One"]
    assert unread["unreadNotificationCount"] == 2
    # and someone else cannot read it for them
    stranger = await communication.graphql.execute(MARK_ONE, {"id": newest["id"]}, as_=club.teammate)
    assert stranger.codes == ["NOT_FOUND"]
    malformed = await communication.graphql.execute(MARK_ONE, {"id": "nope"}, as_=club.player)
    assert malformed.error("BAD_USER_INPUT")["extensions"]["field"] == "id"
    # when the player reads all, then only the two unread ones change
    marked = (await communication.graphql.execute(MARK_ALL, as_=club.player)).ok()
    assert marked["markAllNotificationsRead"] == 2
    assert (await _mine(communication, club.player))["unreadNotificationCount"] == 0


async def test_notifications_page_newest_first(communication: RunningService, club: Club) -> None:
    for n in range(5):
        await notify(communication, to=[club.player], by=club.coach, title=f"n{n}")
    titles, cursor, pages = [], None, 0
    while True:
        with count_statements(communication.engine) as log:
            data = await _mine(communication, club.player, first=2, after=cursor)
        page = data["myNotifications"]
        titles += [n["title"] for n in page["items"]]
        pages += 1
        cursor = page["nextCursor"]
        assert log.count == 2  # the page and the unread count
        if cursor is None:
            break
    assert titles == ["n4", "n3", "n2", "n1", "n0"]
    assert pages == 3
    bad = await communication.graphql.execute(MINE, {"unreadOnly": False, "first": 2, "after": "!!"}, as_=club.player)
    assert bad.error("BAD_USER_INPUT")["extensions"]["field"] == "after"


async def test_another_clubs_notifications_stay_hidden(communication: RunningService, club: Club) -> None:
    # given a coach of another club who targets this club's player by id
    await notify(communication, to=[club.player], by=club.outsider, title="Come play for us")
    await notify(communication, to=[club.player], by=club.coach, title="Practice", kind=NotificationKind.EVENT_REMINDER)
    # then the player sees only their own club's notification, and cannot mark the other read
    mine = await _mine(communication, club.player)
    assert [n["title"] for n in mine["myNotifications"]["items"]] == ["Practice"]
    assert (await communication.graphql.execute(MARK_ALL, as_=club.player)).ok()["markAllNotificationsRead"] == 1
