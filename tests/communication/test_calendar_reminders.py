"""The calendar's reminders become in-app notifications: the calendar's scheduler records
`calendar.reminder.due` once per reminder, and the communication service notifies each person it names,
once even when the event is delivered again."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from shared.auth.principal import Principal, Role
from shared.events import Event
from subgraphs.calendar.scheduler import ReminderScheduler
from tests.conftest import ServiceFactory
from tests.support.event_flow import carried, processed, published_ids
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.support.waiting import eventually

REMINDER_DUE = "calendar.reminder.due"
START = datetime(2031, 2, 1, 17, 0, tzinfo=UTC)
"""Far ahead, so the running calendar's own scheduler never sends this test's reminders."""

MY_NOTIFICATIONS = "query { myNotifications(first: 50) { items { kind title body link } } }"
SCHEDULE = """
mutation Schedule($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { event { id } } }
"""


@dataclass
class Pair:
    calendar: RunningService
    communication: RunningService


@pytest.fixture
async def pair(service: ServiceFactory) -> AsyncIterator[Pair]:
    running = Pair(calendar=await service("calendar"), communication=await service("communication"))
    async with carried(running.calendar, [running.communication], (REMINDER_DUE,)):
        yield running


async def _inbox(communication: RunningService, who: Principal) -> list[dict[str, Any]]:
    """Someone's reminders (with the message broker, the invitation arrives too: not this test's concern)."""
    items: list[dict[str, Any]] = (await communication.graphql.execute(MY_NOTIFICATIONS, as_=who)).ok()[
        "myNotifications"
    ]["items"]
    return [item for item in items if item["title"].startswith("Starts in")]


async def test_a_reminder_reaches_each_attendee_once(pair: Pair) -> None:
    # given a practice on the Lakeside rink with a player invited
    organization = uuid.uuid4()
    coach = principal(Role.COACH, organization_id=organization)
    player = principal(Role.PLAYER, organization_id=organization)
    practice = {
        "kind": "PRACTICE",
        "title": "Power play practice",
        "startsAt": START.isoformat(),
        "endsAt": (START + timedelta(hours=1)).isoformat(),
        "location": "Lakeside",
        "attendeeIds": [str(player.user_id)],
    }
    made = await pair.calendar.graphql.execute(SCHEDULE, {"input": practice}, as_=coach)
    event_id = made.ok()["createCalendarEvent"]["event"]["id"]
    # when two scheduler ticks race an hour before it
    relay = pair.calendar.runtime.relay
    assert relay is not None
    ticks = [ReminderScheduler(pair.calendar.runtime.sessions, interval=0, sent=relay.wake) for _ in range(2)]
    now = START - timedelta(minutes=59)
    await asyncio.gather(*(tick.tick(now) for tick in ticks))
    # then the player and the coach each get one reminder saying when and where
    expected = {
        "kind": "EVENT_REMINDER",
        "title": "Starts in 1 hour: Power play practice",
        "body": "Practice on Sat 01 Feb 2031, 17:00-18:00 UTC at Lakeside.",
        "link": f"/calendar/{event_id}",
    }

    async def delivered() -> list[dict[str, Any]] | None:
        items = await _inbox(pair.communication, player)
        return items or None

    assert await eventually(delivered) == [expected]
    assert await _inbox(pair.communication, coach) == [expected]
    # and the same event delivered again changes nothing
    [sent_id] = await published_ids(pair.calendar, REMINDER_DUE)
    assert await eventually(lambda: processed(pair.communication, sent_id))
    again = Event(
        id=sent_id,
        type=REMINDER_DUE,
        producer="calendar",
        organization_id=organization,
        data={
            "event_id": event_id,
            "occurrence_id": event_id,
            "title": "Power play practice",
            "kind": "practice",
            "starts_at": START.isoformat(),
            "ends_at": (START + timedelta(hours=1)).isoformat(),
            "minutes_before": 60,
            "user_ids": [str(player.user_id)],
        },
    )
    await pair.communication.runtime.bus.publish(again)
    # (a fresh event published after it, once handled, shows the queue got past the duplicate)
    marker = dataclasses.replace(again, id=uuid.uuid4(), data={**again.data, "user_ids": [str(coach.user_id)]})
    await pair.communication.runtime.bus.publish(marker)
    assert await eventually(lambda: processed(pair.communication, marker.id))
    assert await _inbox(pair.communication, player) == [expected]
    assert len(await _inbox(pair.communication, coach)) == 2
