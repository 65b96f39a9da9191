"""Urgent medical alerts through GraphQL over HTTP, and their escalation: the team's staff first, its head
coaches after the timeout, then the club's administrators; each step once; none after an acknowledgement."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta

import pytest

from shared.auth.principal import Principal, Role
from subgraphs.communication import medical_alerts
from subgraphs.communication.escalation import EscalationScheduler
from tests.communication.factories import Club, know_roster, user_of
from tests.support.principals import principal
from tests.support.services import RunningService

SEND = """
mutation Alert($input: SendMedicalAlertInput!) {
  sendMedicalAlert(input: $input) {
    id title tier createdAt escalatesAt isAcknowledged team { id } playerId
    recipients { user { id } tier }
  }
}
"""
READ = """
query Alert($id: ID!) {
  medicalAlert(id: $id) { id tier escalatesAt isAcknowledged acknowledgedBy { id } recipients { user { id } tier } }
}
"""
ACK = """
mutation Ack($id: ID!) { acknowledgeMedicalAlert(id: $id) { id isAcknowledged escalatesAt acknowledgedBy { id } } }
"""
INBOX = "query Inbox { myNotifications { items { kind title link } } }"
TIMEOUT = timedelta(minutes=5)
"""The default escalation timeout (settings), which alerts sent over GraphQL get."""


class Staff:
    def __init__(self, club: Club):
        self.medic = principal(Role.MEDICAL_STAFF, organization_id=club.organization_id, teams=[club.team_id])
        self.trainer = principal(Role.PHYSICAL_TRAINER, organization_id=club.organization_id, teams=[club.team_id])
        self.coach = club.coach
        self.admin = club.admin


@pytest.fixture
async def staff(communication: RunningService, club: Club) -> Staff:
    people = Staff(club)
    await know_roster(
        communication,
        club,
        players=[club.player],
        staff=[
            (people.medic, "medical_staff"),
            (people.trainer, "physical_trainer"),
            (people.coach, "coach"),
            (people.admin, "club_admin"),
        ],
    )
    return people


async def _send(communication: RunningService, club: Club, staff: Staff) -> dict[str, object]:
    assert club.player.player_id is not None
    variables = {
        "input": {"playerId": str(club.player.player_id), "title": "Concussion protocol", "body": "Out today."}
    }
    sent: dict[str, object] = (await communication.graphql.execute(SEND, variables, as_=staff.medic)).ok()[
        "sendMedicalAlert"
    ]
    return sent


async def _inbox(communication: RunningService, who: Principal) -> list[dict[str, str]]:
    items: list[dict[str, str]] = (await communication.graphql.execute(INBOX, {}, as_=who)).ok()["myNotifications"][
        "items"
    ]
    return items


def _scheduler(communication: RunningService) -> EscalationScheduler:
    return EscalationScheduler(communication.runtime.sessions, interval=0, timeout=TIMEOUT)


async def test_an_alert_reaches_the_teams_staff_first(communication: RunningService, club: Club, staff: Staff) -> None:
    sent = await _send(communication, club, staff)
    # the trainer (team staff) is reached, not the sender, the head coach or the administrator yet
    assert sent["recipients"] == [{"user": {"id": str(user_of(staff.trainer))}, "tier": 0}]
    assert sent["tier"] == 0
    assert sent["team"] == {"id": str(club.team_id)}
    created = datetime.fromisoformat(str(sent["createdAt"]))
    assert datetime.fromisoformat(str(sent["escalatesAt"])) - created == TIMEOUT
    [notice] = await _inbox(communication, staff.trainer)
    assert notice == {
        "kind": "MEDICAL_UPDATE",
        "title": "Urgent: Concussion protocol",
        "link": f"/medical-alerts/{sent['id']}",
    }
    assert await _inbox(communication, staff.coach) == []


async def test_unacknowledged_it_escalates_once_per_step_after_the_timeout(
    communication: RunningService, club: Club, staff: Staff
) -> None:
    sent = await _send(communication, club, staff)
    created = datetime.fromisoformat(str(sent["createdAt"]))
    scheduler = _scheduler(communication)
    # a second before the timeout nothing happens
    assert await scheduler.tick(created + TIMEOUT - timedelta(seconds=1)) == []
    assert await _inbox(communication, staff.coach) == []
    # just after it, the head coach is reached: once, however often the loop looks
    first_step = created + TIMEOUT + timedelta(seconds=1)
    [step] = await scheduler.tick(first_step)
    assert (step.tier, step.notified) == (1, [user_of(staff.coach)])
    assert await scheduler.tick(first_step) == []
    assert await scheduler.tick(first_step + TIMEOUT - timedelta(seconds=1)) == []
    assert len(await _inbox(communication, staff.coach)) == 1
    seen = (await communication.graphql.execute(READ, {"id": sent["id"]}, as_=staff.medic)).ok()["medicalAlert"]
    assert seen["tier"] == 1
    assert datetime.fromisoformat(seen["escalatesAt"]) == first_step + TIMEOUT
    # after another timeout, the club's administrators; then it stops
    [last] = await scheduler.tick(first_step + TIMEOUT)
    assert (last.tier, last.notified) == (2, [user_of(staff.admin)])
    assert await scheduler.tick(first_step + 10 * TIMEOUT) == []
    seen = (await communication.graphql.execute(READ, {"id": sent["id"]}, as_=staff.admin)).ok()["medicalAlert"]
    assert (seen["tier"], seen["escalatesAt"]) == (2, None)
    assert [(r["user"]["id"], r["tier"]) for r in seen["recipients"]] == [
        (str(user_of(staff.trainer)), 0),
        (str(user_of(staff.coach)), 1),
        (str(user_of(staff.admin)), 2),
    ]
    assert len(await _inbox(communication, staff.admin)) == 1


async def test_concurrent_loops_take_each_step_once(communication: RunningService, club: Club, staff: Staff) -> None:
    sent = await _send(communication, club, staff)
    due = datetime.fromisoformat(str(sent["createdAt"])) + TIMEOUT + timedelta(seconds=1)
    results = await asyncio.gather(*(_scheduler(communication).tick(due) for _ in range(4)))
    steps = [step for result in results for step in result]
    assert [(step.tier, step.notified) for step in steps] == [(1, [user_of(staff.coach)])]
    assert len(await _inbox(communication, staff.coach)) == 1


async def test_an_acknowledgement_stops_the_escalation(communication: RunningService, club: Club, staff: Staff) -> None:
    sent = await _send(communication, club, staff)
    # the coach (not reached yet) and the player do not see it; the administrator may not acknowledge it yet
    for stranger in (staff.coach, club.player, club.outsider):
        assert (await communication.graphql.execute(ACK, {"id": sent["id"]}, as_=stranger)).codes == ["NOT_FOUND"]
        assert (await communication.graphql.execute(READ, {"id": sent["id"]}, as_=stranger)).codes == ["NOT_FOUND"]
    assert (await communication.graphql.execute(ACK, {"id": sent["id"]}, as_=staff.admin)).codes == ["FORBIDDEN"]
    # when the trainer acknowledges it
    acknowledged = (await communication.graphql.execute(ACK, {"id": sent["id"]}, as_=staff.trainer)).ok()
    assert acknowledged["acknowledgeMedicalAlert"] == {
        "id": sent["id"],
        "isAcknowledged": True,
        "escalatesAt": None,
        "acknowledgedBy": {"id": str(user_of(staff.trainer))},
    }
    # then it never escalates
    created = datetime.fromisoformat(str(sent["createdAt"]))
    assert await _scheduler(communication).tick(created + 10 * TIMEOUT) == []
    assert await _inbox(communication, staff.coach) == []


async def test_the_running_loop_escalates_after_a_short_timeout(
    communication: RunningService, club: Club, staff: Staff
) -> None:
    # given an alert with a timeout of a second and a half and the loop looking every 50 ms
    wait = timedelta(seconds=1.5)
    assert club.player.player_id is not None
    async with communication.runtime.sessions() as session, session.begin():
        alert = await medical_alerts.send_medical_alert(
            session, staff.medic, player_id=club.player.player_id, title="Allergic reaction", body="Epi used", wait=wait
        )
    loop = EscalationScheduler(communication.runtime.sessions, interval=0.05, timeout=wait)
    loop.start()
    try:
        # then the head coach is reached after the timeout, not before
        await asyncio.sleep(0.3)
        assert await _inbox(communication, staff.coach) == []
        for _ in range(120):
            if await _inbox(communication, staff.coach):
                break
            await asyncio.sleep(0.05)
        assert len(await _inbox(communication, staff.coach)) == 1
        # and the administrator after another
        for _ in range(120):
            if await _inbox(communication, staff.admin):
                break
            await asyncio.sleep(0.05)
        assert len(await _inbox(communication, staff.admin)) == 1
    finally:
        await loop.stop()
    seen = (
        await communication.graphql.execute(
            "query($id: ID!) { medicalAlert(id: $id) { tier createdAt recipients { tier notifiedAt } } }",
            {"id": str(alert.id)},
            as_=staff.medic,
        )
    ).ok()["medicalAlert"]
    assert seen["tier"] == 2
    # each tier was reached no sooner than a timeout after the one before
    created = datetime.fromisoformat(seen["createdAt"])
    reached = {r["tier"]: datetime.fromisoformat(r["notifiedAt"]) for r in seen["recipients"]}
    assert reached[1] - created >= wait
    assert reached[2] - reached[1] >= wait


async def test_alert_rules(communication: RunningService, club: Club, staff: Staff) -> None:
    assert club.player.player_id is not None
    base = {"playerId": str(club.player.player_id), "title": "Out", "body": "Knee"}
    refused = await communication.graphql.execute(SEND, {"input": base}, as_=staff.coach)
    assert refused.codes == ["FORBIDDEN"]
    elsewhere = principal(Role.MEDICAL_STAFF, organization_id=club.organization_id, teams=[uuid.uuid4()])
    assert (await communication.graphql.execute(SEND, {"input": base}, as_=elsewhere)).codes == ["FORBIDDEN"]
    for changes, field in (
        ({"playerId": str(uuid.uuid4())}, "teamId"),
        ({"playerId": "nope"}, "playerId"),
        ({"title": " "}, "title"),
        ({"body": "x" * 2001}, "body"),
    ):
        response = await communication.graphql.execute(SEND, {"input": {**base, **changes}}, as_=staff.medic)
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field, changes
