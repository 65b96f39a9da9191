"""Broadcasts through GraphQL over HTTP: to a team, a role or chosen people; a notification each; who
acknowledged and who not."""

from __future__ import annotations

import uuid

from shared.auth.principal import Role
from tests.communication.factories import Club, know_roster, user_of
from tests.support.principals import principal
from tests.support.services import RunningService

SEND = """
mutation Send($input: SendBroadcastInput!) {
  sendBroadcast(input: $input) {
    id title audience role team { id } sender { id }
    acknowledgedCount pendingCount recipients { user { id } isAcknowledged }
  }
}
"""
READ = """
query Broadcast($id: ID!) {
  broadcast(id: $id) {
    id title acknowledgedCount pendingCount recipients { user { id } acknowledgedAt isAcknowledged }
  }
}
"""
ACK = """
mutation Ack($id: ID!) {
  acknowledgeBroadcast(id: $id) { id acknowledgedCount recipients { user { id } isAcknowledged } }
}
"""
INBOX = "query Inbox { myNotifications { items { kind title link isRead sender { id } } } }"
SENT = "query Sent { sentBroadcasts { id title } }"


def _input(**changes: object) -> dict[str, object]:
    return {"input": {"title": "Game moved", "body": "Saturday's game starts at 19:00.", **changes}}


async def test_a_coach_broadcasts_to_the_team_and_sees_who_acknowledged(
    communication: RunningService, club: Club
) -> None:
    # given a team with two players and a trainer, as the user service announced them
    trainer = principal(Role.PHYSICAL_TRAINER, organization_id=club.organization_id, teams=[club.team_id])
    await know_roster(
        communication,
        club,
        players=[club.player, club.teammate],
        staff=[(club.coach, "coach"), (trainer, "physical_trainer")],
    )
    # when the coach broadcasts to the team
    sent = (
        await communication.graphql.execute(SEND, _input(audience="TEAM", teamId=str(club.team_id)), as_=club.coach)
    ).ok()["sendBroadcast"]
    # then everyone on the team but the coach is a recipient, none acknowledged yet
    everyone = sorted(str(user_of(who)) for who in (club.player, club.teammate, trainer))
    assert sorted(r["user"]["id"] for r in sent["recipients"]) == everyone
    assert (sent["acknowledgedCount"], sent["pendingCount"]) == (0, 3)
    assert sent["audience"] == "TEAM"
    # and each got a notification leading to it
    for who in (club.player, club.teammate, trainer):
        [notice] = (await communication.graphql.execute(INBOX, {}, as_=who)).ok()["myNotifications"]["items"]
        assert (notice["kind"], notice["title"], notice["link"], notice["isRead"]) == (
            "ANNOUNCEMENT",
            "Game moved",
            f"/broadcasts/{sent['id']}",
            False,
        )
    # when the player acknowledges (twice: the first time counts)
    first = (await communication.graphql.execute(ACK, {"id": sent["id"]}, as_=club.player)).ok()
    again = (await communication.graphql.execute(ACK, {"id": sent["id"]}, as_=club.player)).ok()
    # then the player sees only their own receipt, and their notification is read
    assert first["acknowledgeBroadcast"]["recipients"] == [
        {"user": {"id": str(user_of(club.player))}, "isAcknowledged": True}
    ]
    assert again == first
    [notice] = (await communication.graphql.execute(INBOX, {}, as_=club.player)).ok()["myNotifications"]["items"]
    assert notice["isRead"] is True
    # and the coach sees who acknowledged and who not
    seen = (await communication.graphql.execute(READ, {"id": sent["id"]}, as_=club.coach)).ok()["broadcast"]
    assert (seen["acknowledgedCount"], seen["pendingCount"]) == (1, 2)
    acknowledged = {r["user"]["id"]: r["isAcknowledged"] for r in seen["recipients"]}
    assert acknowledged == {
        str(user_of(club.player)): True,
        str(user_of(club.teammate)): False,
        str(user_of(trainer)): False,
    }
    assert seen["recipients"][-1]["user"]["id"] == str(user_of(club.player))  # acknowledged last
    # so does the club administrator
    admin = (await communication.graphql.execute(READ, {"id": sent["id"]}, as_=club.admin)).ok()["broadcast"]
    assert admin["acknowledgedCount"] == 1
    sent_list = (await communication.graphql.execute(SENT, {}, as_=club.coach)).ok()["sentBroadcasts"]
    assert [b["id"] for b in sent_list] == [sent["id"]]


async def test_an_administrator_broadcasts_to_a_role(communication: RunningService, club: Club) -> None:
    other_team = uuid.uuid4()
    medic = principal(Role.MEDICAL_STAFF, organization_id=club.organization_id, teams=[club.team_id])
    other_medic = principal(Role.MEDICAL_STAFF, organization_id=club.organization_id, teams=[other_team])
    await know_roster(
        communication, club, players=[club.player], staff=[(medic, "medical_staff"), (club.coach, "coach")]
    )
    await know_roster(communication, club, staff=[(other_medic, "medical_staff")], team_id=other_team)
    sent = (
        await communication.graphql.execute(SEND, _input(audience="ROLE", role="MEDICAL_STAFF"), as_=club.admin)
    ).ok()["sendBroadcast"]
    assert sent["role"] == "MEDICAL_STAFF"
    assert sorted(r["user"]["id"] for r in sent["recipients"]) == sorted(
        [str(user_of(medic)), str(user_of(other_medic))]
    )
    players = (
        await communication.graphql.execute(
            SEND, _input(audience="ROLE", role="PLAYER", teamId=str(club.team_id)), as_=club.coach
        )
    ).ok()["sendBroadcast"]
    assert [r["user"]["id"] for r in players["recipients"]] == [str(user_of(club.player))]


async def test_chosen_people_and_who_sees_a_broadcast(communication: RunningService, club: Club) -> None:
    sent = (
        await communication.graphql.execute(
            SEND, _input(audience="PEOPLE", userIds=[str(user_of(club.player))]), as_=club.coach
        )
    ).ok()["sendBroadcast"]
    mine = (await communication.graphql.execute(READ, {"id": sent["id"]}, as_=club.player)).ok()["broadcast"]
    assert [r["user"]["id"] for r in mine["recipients"]] == [str(user_of(club.player))]
    for stranger in (club.teammate, club.assistant, club.outsider):
        assert (await communication.graphql.execute(READ, {"id": sent["id"]}, as_=stranger)).codes == ["NOT_FOUND"]
        assert (await communication.graphql.execute(ACK, {"id": sent["id"]}, as_=stranger)).codes == ["NOT_FOUND"]
    unknown = await communication.graphql.execute(READ, {"id": str(uuid.uuid4())}, as_=club.coach)
    assert unknown.codes == ["NOT_FOUND"]


async def test_broadcast_rules(communication: RunningService, club: Club) -> None:
    await know_roster(communication, club, players=[club.player])
    refused = await communication.graphql.execute(
        SEND, _input(audience="PEOPLE", userIds=[str(user_of(club.teammate))]), as_=club.player
    )
    assert refused.codes == ["FORBIDDEN"]
    other_team = await communication.graphql.execute(
        SEND, _input(audience="TEAM", teamId=str(uuid.uuid4())), as_=club.coach
    )
    assert other_team.codes == ["FORBIDDEN"]
    for changes, field in (
        ({"audience": "TEAM"}, "teamId"),
        ({"audience": "ROLE"}, "role"),
        ({"audience": "ROLE", "role": "PARENT"}, "role"),
        ({"audience": "PEOPLE"}, "userIds"),
        ({"audience": "PEOPLE", "userIds": [str(user_of(club.coach))]}, "audience"),
        ({"audience": "ROLE", "role": "EQUIPMENT_MANAGER"}, "audience"),
        ({"audience": "PEOPLE", "userIds": ["nope"]}, "userIds"),
        ({"audience": "TEAM", "teamId": str(club.team_id), "title": " "}, "title"),
        ({"audience": "TEAM", "teamId": str(club.team_id), "body": "x" * 2001}, "body"),
    ):
        response = await communication.graphql.execute(SEND, _input(**changes), as_=club.coach)
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field, changes
