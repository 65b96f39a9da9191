"""Conflict detection: a resource is never double-booked, even by racing requests; a person may be,
with a warning."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import Role
from shared.errors import Conflict
from subgraphs.calendar import service as calendar_service
from subgraphs.calendar.models import CalendarEventKind, CalendarResource, RsvpStatus
from tests.calendar.factories import Club, at, make_event, make_resource
from tests.support.principals import principal
from tests.support.services import RunningService

BOOK = """
mutation Book($input: CreateCalendarEventInput!) {
  createCalendarEvent(input: $input) {
    event { id title }
    warnings { message attendee { id } clashes { id title startsAt endsAt } }
  }
}
"""

MOVE = """
mutation Move($id: ID!, $startsAt: DateTime!, $endsAt: DateTime!) {
  moveCalendarEvent(id: $id, startsAt: $startsAt, endsAt: $endsAt) {
    event { id }
    warnings { attendee { id } clashes { id } }
  }
}
"""

RESPOND = """
mutation Respond($id: ID!, $status: RsvpStatus!) {
  respondToCalendarEvent(id: $id, status: $status) { warnings { attendee { id } clashes { id } } }
}
"""

SCHEDULE = """
query Schedule($resourceId: ID!, $from: DateTime!, $to: DateTime!) {
  resourceSchedule(resourceId: $resourceId, from: $from, to: $to) { id title }
}
"""


def _booking(resource: CalendarResource, starts_at: datetime, hours: float, title: str) -> dict[str, object]:
    return {
        "input": {
            "kind": "PRACTICE",
            "title": title,
            "startsAt": starts_at.isoformat(),
            "endsAt": (starts_at + timedelta(hours=hours)).isoformat(),
            "resourceId": str(resource.id),
        }
    }


async def test_double_booking_a_resource_is_a_conflict_listing_the_clashes(
    calendar: RunningService, club: Club
) -> None:
    # given the main rink booked 16:00-17:30 and 18:00-19:00
    rink = await make_resource(calendar, club=club, name="Main Rink")
    first = await make_event(calendar, club=club, starts_at=at(0), hours=1.5, title="U18 practice", resource=rink)
    second = await make_event(calendar, club=club, starts_at=at(2), hours=1, title="Skills", resource=rink)
    # when someone books 17:00-18:30 on it
    response = await calendar.graphql.execute(BOOK, _booking(rink, at(1), 1.5, "Senior practice"), as_=club.admin)
    # then it is refused, naming both clashing events
    error = response.error("CONFLICT")
    assert "Main Rink" in error["message"]
    assert "U18 practice" in error["message"]
    assert "Skills" in error["message"]
    assert error["extensions"]["conflicts"] == [
        {
            "id": str(first.event.id),
            "title": "U18 practice",
            "startsAt": first.event.starts_at.isoformat(),
            "endsAt": first.event.ends_at.isoformat(),
        },
        {
            "id": str(second.event.id),
            "title": "Skills",
            "startsAt": second.event.starts_at.isoformat(),
            "endsAt": second.event.ends_at.isoformat(),
        },
    ]
    assert response.data is None
    schedule = (
        await calendar.graphql.execute(
            SCHEDULE,
            {"resourceId": str(rink.id), "from": at(-1).isoformat(), "to": at(5).isoformat()},
            as_=club.coach,
        )
    ).ok()["resourceSchedule"]
    assert [row["title"] for row in schedule] == ["U18 practice", "Skills"]  # nothing half-written


async def test_back_to_back_bookings_and_other_resources_are_fine(calendar: RunningService, club: Club) -> None:
    rink, gym = await make_resource(calendar, club=club), await make_resource(calendar, club=club)
    await make_event(calendar, club=club, starts_at=at(0), hours=1, resource=rink)
    after = await calendar.graphql.execute(BOOK, _booking(rink, at(1), 1, "Right after"), as_=club.coach)
    elsewhere = await calendar.graphql.execute(BOOK, _booking(gym, at(0), 1, "Gym"), as_=club.coach)
    no_resource = await calendar.graphql.execute(
        BOOK,
        {"input": {**_booking(rink, at(0), 1, "Video")["input"], "resourceId": None}},  # type: ignore[dict-item]
        as_=club.coach,
    )
    after.ok()
    elsewhere.ok()
    no_resource.ok()


async def test_a_cancelled_booking_frees_the_resource(calendar: RunningService, club: Club) -> None:
    rink = await make_resource(calendar, club=club)
    booked = await make_event(calendar, club=club, starts_at=at(0), resource=rink)
    async with calendar.runtime.sessions() as session, session.begin():
        await calendar_service.cancel_event(session, club.coach, booked.event.id)
    (await calendar.graphql.execute(BOOK, _booking(rink, at(0), 1.5, "Replacement"), as_=club.coach)).ok()


async def test_moving_onto_a_booked_slot_is_a_conflict(calendar: RunningService, club: Club) -> None:
    rink = await make_resource(calendar, club=club)
    taken = await make_event(calendar, club=club, starts_at=at(0), hours=1, title="Taken", resource=rink)
    mine = await make_event(calendar, club=club, starts_at=at(3), hours=1, resource=rink)
    response = await calendar.graphql.execute(
        MOVE,
        {"id": str(mine.event.id), "startsAt": at(0.5).isoformat(), "endsAt": at(1.5).isoformat()},
        as_=club.coach,
    )
    assert [c["id"] for c in response.error("CONFLICT")["extensions"]["conflicts"]] == [str(taken.event.id)]
    # moving within its own slot never clashes with itself
    (
        await calendar.graphql.execute(
            MOVE,
            {"id": str(mine.event.id), "startsAt": at(3.5).isoformat(), "endsAt": at(4.5).isoformat()},
            as_=club.coach,
        )
    ).ok()


async def test_two_simultaneous_bookings_cannot_both_win(calendar: RunningService, club: Club) -> None:
    # given a free rink
    rink = await make_resource(calendar, club=club, name="Practice Rink")
    # when two coaches book overlapping slots at the same moment
    responses = await asyncio.gather(
        calendar.graphql.execute(BOOK, _booking(rink, at(0), 1.5, "Senior"), as_=club.coach),
        calendar.graphql.execute(BOOK, _booking(rink, at(1), 1.5, "U18"), as_=club.admin),
    )
    # then exactly one gets the rink and the other a CONFLICT naming the winner
    winners = [r for r in responses if not r.errors]
    losers = [r for r in responses if r.errors]
    assert len(winners) == 1
    assert len(losers) == 1
    winner = winners[0].data["createCalendarEvent"]["event"]
    conflicts = losers[0].error("CONFLICT")["extensions"]["conflicts"]
    assert [(c["id"], c["title"]) for c in conflicts] == [(winner["id"], winner["title"])]


async def _backend_pid(session: AsyncSession) -> int:
    pid: int = await session.scalar(text("SELECT pg_backend_pid()"))
    return pid


async def _wait_for_lock_wait(calendar: RunningService, pid: int) -> None:
    """Until the backend `pid` waits on a lock. Nothing in this process can be awaited for that (the
    wait happens inside PostgreSQL), so this asks pg_stat_activity, briefly, with a deadline."""
    query = text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid")
    async with asyncio.timeout(10):
        while True:
            async with calendar.engine.connect() as connection:
                if await connection.scalar(query, {"pid": pid}) == "Lock":
                    return
            await asyncio.sleep(0.01)


async def test_the_database_refuses_a_booking_that_raced_past_the_check(calendar: RunningService, club: Club) -> None:
    # given a rink, and a first booking written but not yet committed
    rink = await make_resource(calendar, club=club, name="Main Rink")
    pid: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    async def second_booking() -> None:
        async with calendar.runtime.sessions() as session, session.begin():
            pid.set_result(await _backend_pid(session))
            await calendar_service.create_event(
                session,
                club.admin,
                kind=CalendarEventKind.GAME,
                title="Exhibition game",
                starts_at=at(1),
                ends_at=at(3),
                resource_id=rink.id,
            )

    async with calendar.runtime.sessions() as first, first.begin():
        winner = await calendar_service.create_event(
            first,
            club.coach,
            kind=CalendarEventKind.PRACTICE,
            title="Senior practice",
            starts_at=at(0),
            ends_at=at(1.5),
            resource_id=rink.id,
        )
        # when a second booking passes the service's check (it cannot see the uncommitted row) and
        # reaches the exclusion constraint, which makes it wait for the first transaction
        racing = asyncio.create_task(second_booking())
        await _wait_for_lock_wait(calendar, await pid)
    # then, once the first commits, the second is refused with the same CONFLICT naming the winner
    with pytest.raises(Conflict) as refused:
        await racing
    assert refused.value.details["conflicts"] == [
        {
            "id": str(winner.event.id),
            "title": "Senior practice",
            "startsAt": winner.event.starts_at.isoformat(),
            "endsAt": winner.event.ends_at.isoformat(),
        }
    ]
    assert "Senior practice" in refused.value.message


async def test_double_booked_attendees_come_back_as_warnings(calendar: RunningService, club: Club) -> None:
    # given a trainer who accepted a senior gym session, and a player invited but not answering
    as_trainer = principal(Role.PHYSICAL_TRAINER, organization_id=club.organization_id)
    trainer, quiet = as_trainer.user_id, uuid.uuid4()
    assert trainer
    gym = await make_event(calendar, club=club, starts_at=at(0), hours=1, title="Gym", attendees=[trainer, quiet])
    async with calendar.runtime.sessions() as session, session.begin():
        await calendar_service.respond(session, as_trainer, gym.event.id, status=RsvpStatus.ACCEPTED)
    # when a U18 practice overlapping it invites both
    response = await calendar.graphql.execute(
        BOOK,
        {
            "input": {
                "kind": "PRACTICE",
                "title": "U18 practice",
                "startsAt": at(0.5).isoformat(),
                "endsAt": at(2).isoformat(),
                "attendeeIds": [str(trainer), str(quiet)],
            }
        },
        as_=club.admin,
    )
    # then it is scheduled, with a warning naming the trainer and the gym session
    data = response.ok()["createCalendarEvent"]
    [warning] = data["warnings"]
    assert warning["attendee"] == {"id": str(trainer)}
    assert [c["title"] for c in warning["clashes"]] == ["Gym"]
    assert "Gym" in warning["message"]
    # and moving the gym session away from it clears the clash
    moved = (
        await calendar.graphql.execute(
            MOVE,
            {"id": str(gym.event.id), "startsAt": at(3).isoformat(), "endsAt": at(4).isoformat()},
            as_=club.coach,
        )
    ).ok()["moveCalendarEvent"]
    assert moved["warnings"] == []


async def test_accepting_an_overlapping_invitation_warns(calendar: RunningService, club: Club) -> None:
    assert club.player.user_id
    practice = await make_event(calendar, club=club, starts_at=at(0), title="Practice", attendees=[club.player.user_id])
    meeting = await make_event(calendar, club=club, starts_at=at(1), title="Meeting", attendees=[club.player.user_id])
    first = await calendar.graphql.execute(
        RESPOND, {"id": str(practice.event.id), "status": "ACCEPTED"}, as_=club.player
    )
    assert first.ok()["respondToCalendarEvent"]["warnings"] == []
    second = await calendar.graphql.execute(
        RESPOND, {"id": str(meeting.event.id), "status": "ACCEPTED"}, as_=club.player
    )
    [warning] = second.ok()["respondToCalendarEvent"]["warnings"]
    assert warning == {
        "attendee": {"id": str(club.player.user_id)},
        "clashes": [{"id": str(practice.event.id)}],
    }
