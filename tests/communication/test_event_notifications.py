"""Other services' events become notifications for the right people, and nobody else: injuries recorded at
the medical service reach the team's coaches and trainers without a medical detail, calendar changes reach
an event's attendees, and a final score reaches the team. Who is on which team the communication service
learns from the user service's events (players, their accounts, team staff)."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from shared.auth.principal import Principal, Role
from shared.demo import demo_club
from shared.events import Event
from subgraphs.calendar.scheduler import ReminderScheduler
from subgraphs.communication.demo import load_demo
from subgraphs.communication.models import Notification, NotificationKind, PlayerAccount, TeamStaffMember
from subgraphs.statistics import service as stats_service
from subgraphs.user import service as user_service
from subgraphs.user.models import ParentRelationship
from tests.conftest import ServiceFactory
from tests.support.event_flow import (
    CALENDAR_EVENTS,
    MEDICAL_EVENTS,
    STATISTICS_EVENTS,
    USER_EVENTS,
    FlowClub,
    carried,
    make_flow_club,
    processed,
    published_ids,
    roster_known,
)
from tests.support.principals import platform_admin
from tests.support.services import RunningService
from tests.support.waiting import eventually
from tests.user.factories import ADMIN, as_principal, make_user

TODAY = date.today()  # noqa: DTZ011 (the medical service's calendar day)

MY_NOTIFICATIONS = "query { myNotifications(first: 50) { items { kind title body link } } }"
RECORD_INJURY = "mutation Record($input: RecordInjuryInput!) { recordInjury(input: $input) { id } }"
UPDATE_INJURY = "mutation Update($id: ID!, $input: UpdateInjuryInput!) { updateInjury(id: $id, input: $input) { id } }"
RESOLVE_INJURY = "mutation Resolve($id: ID!) { resolveInjury(id: $id) { id } }"
SCHEDULE = (
    "mutation Schedule($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { event { id } } }"
)
MOVE = """
mutation Move($id: ID!, $startsAt: DateTime!, $endsAt: DateTime!) {
  moveCalendarEvent(id: $id, startsAt: $startsAt, endsAt: $endsAt) { event { id } }
}
"""
INVITE = (
    "mutation Invite($id: ID!, $userIds: [ID!]!) { inviteToCalendarEvent(id: $id, userIds: $userIds) { event { id } } }"
)
CANCEL = (
    'mutation Cancel($id: ID!) { cancelCalendarEvent(id: $id, reason: "Ice resurfacing broke down") { event { id } } }'
)
UNINVITE = """
mutation Uninvite($id: ID!, $userId: ID!) { removeCalendarEventAttendee(id: $id, userId: $userId) { event { id } } }
"""
REMOVE_STAFF = "mutation Remove($teamId: ID!, $userId: ID!) { removeTeamStaff(teamId: $teamId, userId: $userId) }"
FINALIZE_GAME = """
mutation Finalize($id: ID!, $input: FinalizeGameInput!) { finalizeGame(id: $id, input: $input) { id status } }
"""

DIAGNOSIS = "Grade II medial collateral ligament sprain"
NOTES = "Knee-on-knee hit in the neutral zone; valgus stress test positive."
MEDICAL_WORDS = ("ligament", "sprain", "knee", "valgus", "moderate", "neutral zone")


@dataclass
class Stack:
    user: RunningService
    medical: RunningService
    calendar: RunningService
    statistics: RunningService
    communication: RunningService


@pytest.fixture
async def stack(service: ServiceFactory) -> AsyncIterator[Stack]:
    running = Stack(
        user=await service("user"),
        medical=await service("medical"),
        calendar=await service("calendar"),
        statistics=await service("statistics"),
        communication=await service("communication"),
    )
    async with (
        carried(running.user, [running.medical, running.calendar, running.communication], USER_EVENTS),
        carried(running.medical, [running.communication], MEDICAL_EVENTS),
        carried(running.calendar, [running.communication], CALENDAR_EVENTS),
        carried(running.statistics, [running.communication], STATISTICS_EVENTS),
    ):
        yield running


async def _known(communication: RunningService, club: FlowClub) -> tuple[int, int]:
    """How many of the club's team staff and player accounts the communication service has heard of."""
    players = [club.player_entry.id, club.teammate_entry.id, club.junior_player_entry.id]
    async with communication.runtime.sessions() as session:
        staff = await session.scalar(
            select(func.count())
            .select_from(TeamStaffMember)
            .where(TeamStaffMember.team_id.in_([club.senior.id, club.junior.id]), TeamStaffMember.is_current)
        )
        accounts = await session.scalar(
            select(func.count()).select_from(PlayerAccount).where(PlayerAccount.player_id.in_(players))
        )
    return int(staff or 0), int(accounts or 0)


@pytest.fixture
async def club(stack: Stack) -> FlowClub:
    made = await make_flow_club(stack.user)
    await roster_known(stack.medical, made)
    await roster_known(stack.communication, made)

    async def staff_and_accounts_known() -> bool:
        return await _known(stack.communication, made) == (4, 3)

    await eventually(staff_and_accounts_known)
    return made


async def _inbox(stack: Stack, club: FlowClub, who: str) -> list[dict[str, Any]]:
    """Someone's notifications, newest first."""
    response = await stack.communication.graphql.execute(MY_NOTIFICATIONS, as_=club.everyone[who].principal)
    items: list[dict[str, Any]] = response.ok()["myNotifications"]["items"]
    return items


async def _inboxes(stack: Stack, club: FlowClub) -> dict[str, list[dict[str, Any]]]:
    return {who: await _inbox(stack, club, who) for who in club.everyone}


async def _until_counts(stack: Stack, club: FlowClub, expected: dict[str, int]) -> dict[str, list[dict[str, Any]]]:
    """Wait until everyone's inbox holds `expected` notifications (absent: none), then return them all."""
    wanted = {who: expected.get(who, 0) for who in club.everyone}

    async def reached() -> dict[str, list[dict[str, Any]]] | None:
        inboxes = await _inboxes(stack, club)
        return inboxes if {who: len(items) for who, items in inboxes.items()} == wanted else None

    return await eventually(reached)


def _day(value: date) -> str:
    return f"{value:%a %d %b %Y}"


# Injuries ----------------------------------------------------------------------------------------------


async def test_an_injury_tells_the_team_coach_and_trainer_who_is_out_and_until_when(
    stack: Stack, club: FlowClub
) -> None:
    # when the medical staff record the senior player's injury, expected back in ten days
    injury = {
        "playerId": str(club.player_entry.id),
        "bodyPart": "KNEE",
        "diagnosis": DIAGNOSIS,
        "severity": "MODERATE",
        "occurredOn": str(TODAY - timedelta(days=1)),
        "expectedReturnOn": str(TODAY + timedelta(days=10)),
        "notes": NOTES,
    }
    recorded = await stack.medical.graphql.execute(RECORD_INJURY, {"input": injury}, as_=club.medic.principal)
    injury_id = recorded.ok()["recordInjury"]["id"]
    # then the senior coach and physical trainer learn he is out until then, and nobody else hears of it:
    # not the medical staff (they wrote it), the junior coach, the player, his teammate or the junior player
    inboxes = await _until_counts(stack, club, {"coach": 1, "trainer": 1})
    for who in ("coach", "trainer"):
        assert inboxes[who] == [
            {
                "kind": "MEDICAL_UPDATE",
                "title": "Oskar Lindqvist is unavailable",
                "body": f"Oskar Lindqvist is unavailable until {_day(TODAY + timedelta(days=10))}.",
                "link": f"/players/{club.player_entry.id}",
            }
        ]
    # and no medical detail is in it
    assert not any(word in json.dumps(inboxes).lower() for word in MEDICAL_WORDS)

    # when the medical staff correct only the notes
    update = {"notes": "Swelling down; MRI booked."}
    (
        await stack.medical.graphql.execute(UPDATE_INJURY, {"id": injury_id, "input": update}, as_=club.medic.principal)
    ).ok()
    [corrected] = (await published_ids(stack.medical, "injury.updated"))[-1:]
    await eventually(lambda: processed(stack.communication, corrected))
    # then nobody is told anything new
    assert len(await _inbox(stack, club, "coach")) == 1
    # when the expected return moves out a week
    later = {"expectedReturnOn": str(TODAY + timedelta(days=17))}
    (
        await stack.medical.graphql.execute(UPDATE_INJURY, {"id": injury_id, "input": later}, as_=club.medic.principal)
    ).ok()
    # then the coach and trainer get the new date
    inboxes = await _until_counts(stack, club, {"coach": 2, "trainer": 2})
    assert inboxes["coach"][0]["body"] == f"Oskar Lindqvist is unavailable until {_day(TODAY + timedelta(days=17))}."

    # when the injury is resolved
    (await stack.medical.graphql.execute(RESOLVE_INJURY, {"id": injury_id}, as_=club.medic.principal)).ok()
    # then they hear he is available again, and still nobody else heard anything
    inboxes = await _until_counts(stack, club, {"coach": 3, "trainer": 3})
    for who in ("coach", "trainer"):
        assert (inboxes[who][0]["title"], inboxes[who][0]["body"]) == (
            "Oskar Lindqvist is available again",
            "Oskar Lindqvist is available again.",
        )
    assert not any(word in json.dumps(inboxes).lower() for word in MEDICAL_WORDS)


def _injury_event(club: FlowClub, injury_id: uuid.UUID, type: str, *, at: datetime, **data: object) -> Event:
    """An injury event as the medical service writes it (`subgraphs/medical/events.py`)."""
    return Event(
        type=type,
        producer="medical",
        organization_id=club.organization_id,
        occurred_at=at,
        data={
            "injury_id": str(injury_id),
            "player_id": str(club.teammate_entry.id),
            "status": "active",
            "occurred_on": str(TODAY),
            "expected_return_on": str(TODAY + timedelta(days=5)),
            "resolved_on": None,
            "medical_status": "injured",
            **data,
        },
    )


async def test_redelivered_and_late_injury_events_are_announced_once_and_in_order(stack: Stack, club: FlowClub) -> None:
    injury_id, now = uuid.uuid4(), datetime.now(UTC)
    created = _injury_event(club, injury_id, "injury.created", at=now - timedelta(minutes=5))
    extended = _injury_event(
        club, injury_id, "injury.updated", at=now - timedelta(minutes=3), expected_return_on=str(TODAY + timedelta(9))
    )
    resolved = _injury_event(
        club,
        injury_id,
        "injury.resolved",
        at=now,
        status="resolved",
        resolved_on=str(TODAY),
        medical_status="available",
    )
    bus = stack.communication.runtime.bus
    # when the injury arrives twice
    for event in (created, created):
        await bus.publish(event)
    await eventually(lambda: processed(stack.communication, created.id))
    # then the coach and trainer were told once
    await _until_counts(stack, club, {"coach": 1, "trainer": 1})
    # when the resolution arrives, then an older update late, then the resolution again
    await bus.publish(resolved)
    await eventually(lambda: processed(stack.communication, resolved.id))
    for event in (extended, resolved):
        await bus.publish(event)
    await eventually(lambda: processed(stack.communication, extended.id))
    # then they heard "available again" once, and the late update was not announced over it
    inboxes = await _until_counts(stack, club, {"coach": 2, "trainer": 2})
    assert [item["title"] for item in inboxes["coach"]] == ["Viktor Ek is available again", "Viktor Ek is unavailable"]
    async with stack.communication.runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Notification)) == 4


# Calendar ----------------------------------------------------------------------------------------------


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


async def test_calendar_changes_reach_the_attendees_and_only_them(stack: Stack, club: FlowClub) -> None:
    day = TODAY + timedelta(days=2)
    # when the coach schedules a practice with the two senior players and the trainer
    practice = {
        "kind": "PRACTICE",
        "title": "Power play practice",
        "startsAt": _at(day, 17).isoformat(),
        "endsAt": _at(day, 18).isoformat(),
        "teamId": str(club.senior.id),
        "location": "Main Rink",
        "attendeeIds": [str(club.player.id), str(club.teammate.id), str(club.trainer.id)],
    }
    created = await stack.calendar.graphql.execute(SCHEDULE, {"input": practice}, as_=club.coach.principal)
    event_id = created.ok()["createCalendarEvent"]["event"]["id"]
    # then the three invited get an invitation saying when and where; the organizer and the rest nothing
    invited = {"player": 1, "teammate": 1, "trainer": 1}
    inboxes = await _until_counts(stack, club, invited)
    assert inboxes["player"] == [
        {
            "kind": "EVENT_REMINDER",
            "title": "Invitation: Power play practice",
            "body": f"Practice on {_day(day)}, 17:00-18:00 UTC at Main Rink.",
            "link": f"/calendar/{event_id}",
        }
    ]

    # when the practice moves an hour later
    moved = {"id": event_id, "startsAt": _at(day, 18).isoformat(), "endsAt": _at(day, 19).isoformat()}
    (await stack.calendar.graphql.execute(MOVE, moved, as_=club.coach.principal)).ok()
    # then the attendees hear what changed and the new time
    inboxes = await _until_counts(stack, club, {"player": 2, "teammate": 2, "trainer": 2})
    assert (inboxes["teammate"][0]["title"], inboxes["teammate"][0]["body"]) == (
        "Changed (time): Power play practice",
        f"Now: Practice on {_day(day)}, 18:00-19:00 UTC at Main Rink.",
    )

    # when the junior coach is invited too
    invite = {"id": event_id, "userIds": [str(club.junior_coach.id)]}
    (await stack.calendar.graphql.execute(INVITE, invite, as_=club.coach.principal)).ok()
    # then only he gets an invitation
    inboxes = await _until_counts(stack, club, {"player": 2, "teammate": 2, "trainer": 2, "junior_coach": 1})
    assert inboxes["junior_coach"][0]["title"] == "Invitation: Power play practice"

    # when the teammate is taken off the list
    uninvite = {"id": event_id, "userId": str(club.teammate.id)}
    (await stack.calendar.graphql.execute(UNINVITE, uninvite, as_=club.coach.principal)).ok()
    # then only he hears of it
    inboxes = await _until_counts(stack, club, {"player": 2, "teammate": 3, "trainer": 2, "junior_coach": 1})
    assert inboxes["teammate"][0]["title"] == "No longer invited: Power play practice"

    # when the practice is cancelled
    (await stack.calendar.graphql.execute(CANCEL, {"id": event_id}, as_=club.coach.principal)).ok()
    # then every attendee but the organizer hears it, once; the teammate is no longer one
    inboxes = await _until_counts(stack, club, {"player": 3, "teammate": 3, "trainer": 3, "junior_coach": 2})
    assert (inboxes["player"][0]["title"], inboxes["player"][0]["body"]) == (
        "Cancelled: Power play practice",
        f"Practice on {_day(day)}, 18:00-19:00 UTC at Main Rink is cancelled.",
    )


RETITLE = """
mutation Retitle($id: ID!, $title: String!) { updateCalendarEvent(id: $id, input: {title: $title}) { event { id } } }
"""


async def test_parents_follow_their_childs_team_schedule(stack: Stack, club: FlowClub) -> None:
    # given a parent of the senior player, known to the communication service
    parent = await make_user(stack.user, organization=club.organization, roles=(Role.PARENT,), first_name="Karin")
    async with stack.user.runtime.sessions() as session, session.begin():
        await user_service.link_parent(
            session,
            ADMIN,
            parent_user_id=parent.id,
            player_id=club.player_entry.id,
            relationship=ParentRelationship.MOTHER,
        )
    [linked] = await published_ids(stack.user, "parent.linked")
    await eventually(lambda: processed(stack.communication, linked))
    mother = await as_principal(stack.user, parent)

    async def titles() -> list[str]:
        items = (await stack.communication.graphql.execute(MY_NOTIFICATIONS, as_=mother)).ok()["myNotifications"]
        return [item["title"] for item in items["items"]]

    async def until(count: int) -> list[str]:
        async def reached() -> list[str] | None:
            found = await titles()
            return found if len(found) >= count else None

        return await eventually(reached)

    day = TODAY + timedelta(days=3)
    practice = {
        "kind": "PRACTICE",
        "title": "Senior practice",
        "startsAt": _at(day, 17).isoformat(),
        "endsAt": _at(day, 18).isoformat(),
        "teamId": str(club.senior.id),
        "location": "Main Rink",
        "attendeeIds": [str(club.player.id)],
    }
    # when the coach schedules a team practice, renames it, then moves it an hour later
    created = await stack.calendar.graphql.execute(SCHEDULE, {"input": practice}, as_=club.coach.principal)
    event_id = created.ok()["createCalendarEvent"]["event"]["id"]
    assert await until(1) == ["New on the team's schedule: Senior practice"]
    # and its first reminder (an hour before) reaches the parent too; the later one (15 minutes) does not
    ticks = ReminderScheduler(stack.calendar.runtime.sessions, interval=0)
    assert len(await ticks.tick(_at(day, 17) - timedelta(minutes=59))) == 1
    assert (await until(2))[0] == "Starts in 1 hour: Senior practice"
    assert len(await ticks.tick(_at(day, 17) - timedelta(minutes=14))) == 1
    [reminded] = (await published_ids(stack.calendar, "calendar.reminder.due"))[-1:]
    await eventually(lambda: processed(stack.communication, reminded))
    assert len(await titles()) == 2
    retitled = {"id": event_id, "title": "Senior ice"}
    (await stack.calendar.graphql.execute(RETITLE, retitled, as_=club.coach.principal)).ok()
    moved = {"id": event_id, "startsAt": _at(day, 18).isoformat(), "endsAt": _at(day, 19).isoformat()}
    (await stack.calendar.graphql.execute(MOVE, moved, as_=club.coach.principal)).ok()
    # then the parent hears of the new time (a new title alone is no news to them), and of the cancellation
    assert (await until(3))[0] == "Changed (time): Senior ice"
    (await stack.calendar.graphql.execute(CANCEL, {"id": event_id}, as_=club.coach.principal)).ok()
    assert await until(4) == [
        "Cancelled: Senior ice",
        "Changed (time): Senior ice",
        "Starts in 1 hour: Senior practice",
        "New on the team's schedule: Senior practice",
    ]
    # and a private meeting of the team is not theirs to hear of; nor is the other team's schedule
    private = {**practice, "title": "Contract talk", "visibility": "PRIVATE", "kind": "MEETING"}
    junior = {**practice, "title": "U18 practice", "teamId": str(club.junior.id), "attendeeIds": []}
    for event in (private, junior):
        (await stack.calendar.graphql.execute(SCHEDULE, {"input": event}, as_=club.coach.principal)).ok()
    for event_id in await published_ids(stack.calendar, "event.created"):
        await eventually(lambda event_id=event_id: processed(stack.communication, event_id))  # type: ignore[misc]
    assert len(await titles()) == 4


# Games -------------------------------------------------------------------------------------------------


async def test_a_final_score_is_announced_to_the_team(stack: Stack, club: FlowClub) -> None:
    # given a senior game played yesterday
    async with stack.statistics.runtime.sessions() as session, session.begin():
        game = await stats_service.record_game(
            session,
            platform_admin(),
            season_id=uuid.uuid4(),
            team_id=club.senior.id,
            opponent_name="Northside Wolves",
            is_home=True,
            starts_at=datetime.now(UTC) - timedelta(days=1),
            organization_id=club.organization_id,
        )
    # and the physical trainer has left the senior team's staff
    removed = await stack.user.graphql.execute(
        REMOVE_STAFF, {"teamId": str(club.senior.id), "userId": str(club.trainer.id)}, as_=platform_admin()
    )
    assert removed.ok() == {"removeTeamStaff": True}

    async def trainer_gone() -> bool:
        return await _known(stack.communication, club) == (3, 3)

    await eventually(trainer_gone)
    # when the coach records the final score, won in overtime
    final = {"goalsFor": 3, "goalsAgainst": 2, "decidedIn": "OVERTIME"}
    finalized = await stack.statistics.graphql.execute(
        FINALIZE_GAME, {"id": str(game.id), "input": final}, as_=club.coach.principal
    )
    assert finalized.ok()["finalizeGame"]["status"] == "FINAL"
    # then the senior team's players and staff get the result; the junior team and the trainer who left
    # hear nothing
    senior = {"coach": 1, "medic": 1, "player": 1, "teammate": 1}
    inboxes = await _until_counts(stack, club, senior)
    assert inboxes["player"] == [
        {
            "kind": "ANNOUNCEMENT",
            "title": "Win against Northside Wolves, 3-2",
            "body": "Final score at home against Northside Wolves: 3-2 after overtime.",
            "link": f"/games/{game.id}",
        }
    ]


async def test_the_demo_club_knows_whom_to_tell(communication: RunningService) -> None:
    # given the demo club's communication data, with its teams' staff and players
    club = demo_club()
    async with communication.runtime.sessions() as session, session.begin():
        assert await load_demo(session, club) is True
    senior = club.teams[0]
    forward = next(player for player in club.roster(senior.id) if player.position == "center")
    # when an injury of a senior forward arrives
    event = Event(
        type="injury.created",
        producer="medical",
        organization_id=club.organization_id,
        data={
            "injury_id": str(uuid.uuid4()),
            "player_id": str(forward.id),
            "status": "active",
            "occurred_on": str(club.today),
            "expected_return_on": None,
            "resolved_on": None,
            "medical_status": "injured",
        },
    )
    await communication.runtime.bus.publish(event)
    await eventually(lambda: processed(communication, event.id))
    # then the senior team's coaches and physical trainers are told, and nobody else
    expected = {
        person.id
        for person in club.staff
        if senior.id in person.team_ids
        and person.staff_role in (Role.COACH, Role.ASSISTANT_COACH, Role.PHYSICAL_TRAINER)
    }
    async with communication.runtime.sessions() as session:
        told = set(
            await session.scalars(
                select(Notification.user_id).where(Notification.kind == NotificationKind.MEDICAL_UPDATE)
            )
        )
    assert told == expected
    assert len(expected) >= 2
    coach = club.person("coach@lynx.example")
    as_coach = Principal(user_id=coach.id, organization_id=club.organization_id, roles=frozenset(coach.roles))
    inbox = (await communication.graphql.execute(MY_NOTIFICATIONS, as_=as_coach)).ok()["myNotifications"]["items"]
    assert inbox[0]["body"] == f"{forward.first_name} {forward.last_name} is unavailable until further notice."
