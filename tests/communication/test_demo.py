"""The demo club's conversations and notifications, read back through GraphQL as its people."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from shared.auth.principal import Principal, Role
from shared.demo import DemoClub, DemoPerson, demo_club
from subgraphs.communication.demo import load_demo
from tests.support.services import RunningService

CONVERSATIONS = """
query {
  conversations {
    id kind name team { id } unreadCount lastMessage { body sentAt } participants { user { id } }
  }
}
"""
MESSAGES = """
query Messages($id: ID!) {
  chatMessages(conversationId: $id, first: 100) { items { body sentAt sender { id } replyTo { id } } hasMore }
}
"""
PREFERENCES = "query { myNotificationPreferences { timeZone } }"
NOTIFICATIONS = "query { myNotifications { items { kind title isRead link } } unreadNotificationCount }"


def _as(person: DemoPerson, club: DemoClub, *, player_id: uuid.UUID | None = None) -> Principal:
    return Principal(
        user_id=person.id,
        organization_id=club.organization_id,
        roles=frozenset(person.roles),
        team_ids=frozenset(person.team_ids),
        player_id=player_id,
    )


async def test_the_demo_reads_back_as_its_people(communication: RunningService) -> None:
    club = demo_club()
    async with communication.runtime.sessions() as session, session.begin():
        assert await load_demo(session, club) is True
    async with communication.runtime.sessions() as session, session.begin():
        assert await load_demo(session, club) is False
    coach = club.person("coach@lynx.example")
    trainer = club.person("trainer@lynx.example")
    senior, junior = club.teams

    # the senior coach sees the team thread, the direct conversation with the trainer and the staff group
    listed = (await communication.graphql.execute(CONVERSATIONS, as_=_as(coach, club))).ok()["conversations"]
    kinds = {c["kind"]: c for c in listed}
    assert set(kinds) == {"TEAM", "DIRECT", "GROUP"}
    assert kinds["TEAM"]["team"] == {"id": str(senior.id)}
    assert {p["user"]["id"] for p in kinds["DIRECT"]["participants"]} == {str(coach.id), str(trainer.id)}
    assert kinds["GROUP"]["name"] == "Coaching & support staff"
    assert [kinds[k]["unreadCount"] for k in ("TEAM", "DIRECT", "GROUP")] == [2, 1, 1]
    now = datetime.now(UTC)
    assert all(datetime.fromisoformat(c["lastMessage"]["sentAt"]) < now for c in listed)
    # and quiet hours and digests count in the club's time zone for whoever chose none of their own
    zone = (await communication.graphql.execute(PREFERENCES, as_=_as(coach, club))).ok()
    assert zone["myNotificationPreferences"]["timeZone"] == club.time_zone

    # the team thread is a conversation between coaches and players, with replies, in the last days
    thread = (await communication.graphql.execute(MESSAGES, {"id": kinds["TEAM"]["id"]}, as_=_as(coach, club))).ok()[
        "chatMessages"
    ]["items"]
    senders = {m["sender"]["id"] for m in thread}
    roster = {str(player.user.id) for player in club.roster(senior.id)}
    assert str(coach.id) in senders
    assert senders & roster
    assert any(m["replyTo"] for m in thread)
    assert (now - datetime.fromisoformat(thread[-1]["sentAt"])).days < 8

    # a U18 player sees their own team's thread, not the senior one
    junior_player = club.roster(junior.id)[0]
    as_junior = _as(junior_player.user, club, player_id=junior_player.id)
    theirs = (await communication.graphql.execute(CONVERSATIONS, as_=as_junior)).ok()["conversations"]
    assert [c["team"] for c in theirs] == [{"id": str(junior.id)}]

    # the coach and a senior player have read and unread notifications
    for person in (coach, club.roster(senior.id)[0].user):
        data = (await communication.graphql.execute(NOTIFICATIONS, as_=_as(person, club))).ok()
        states = {n["isRead"] for n in data["myNotifications"]["items"]}
        assert states == {True, False}
        assert data["unreadNotificationCount"] == sum(not n["isRead"] for n in data["myNotifications"]["items"])
    assert Role.COACH in coach.roles


async def test_the_demo_shows_pins_reactions_and_a_broadcast(communication: RunningService) -> None:
    club = demo_club()
    async with communication.runtime.sessions() as session, session.begin():
        assert await load_demo(session, club) is True
    coach = club.person("coach@lynx.example")
    senior = club.teams[0]
    team = (await communication.graphql.execute(CONVERSATIONS, as_=_as(coach, club))).ok()["conversations"]
    [thread] = [c for c in team if c["kind"] == "TEAM"]
    pinned = (
        await communication.graphql.execute(
            "query($id: ID!) { conversation(id: $id) { pinnedMessages { body reactions { emoji count } } } }",
            {"id": thread["id"]},
            as_=_as(coach, club),
        )
    ).ok()["conversation"]["pinnedMessages"]
    assert [(r["emoji"], r["count"]) for r in pinned[0]["reactions"]] == [("👍", 3), ("🔥", 1)]
    sent = (
        await communication.graphql.execute(
            "query { sentBroadcasts { title acknowledgedCount pendingCount } }", as_=_as(coach, club)
        )
    ).ok()["sentBroadcasts"]
    assert sent == [{"title": "Team photo on Thursday", "acknowledgedCount": 3, "pendingCount": 3}]
    assert len(club.roster(senior.id)) >= 6
