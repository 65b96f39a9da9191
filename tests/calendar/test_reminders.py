"""Reminders: defaults by kind, overridable per event, delivered through the outbox exactly once, even
when two scheduler ticks race (two processes), and the scheduler loop runs them on its own."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from shared.database.kernel import outbox_events
from subgraphs.calendar.scheduler import ReminderScheduler
from tests.calendar.factories import Club
from tests.support.services import RunningService
from tests.support.waiting import eventually

KICK_OFF = datetime(2031, 1, 11, 15, 0, tzinfo=UTC)
"""Years after anything the running scheduler could be reminding of: only the test's ticks send."""

CREATE = """
mutation Create($input: CreateCalendarEventInput!) {
  createCalendarEvent(input: $input) { event { id reminderMinutes } }
}
"""
UPDATE = """
mutation Update($id: ID!, $input: UpdateCalendarEventInput!) {
  updateCalendarEvent(id: $id, input: $input) { event { id reminderMinutes } }
}
"""
RESPOND = (
    "mutation R($id: ID!, $status: RsvpStatus!) { respondToCalendarEvent(id: $id, status: $status) { event { id } } }"
)


def _event(club: Club, kind: str, **overrides: object) -> dict[str, object]:
    return {
        "input": {
            "kind": kind,
            "title": f"{kind.capitalize()} vs Wolves",
            "startsAt": KICK_OFF.isoformat(),
            "endsAt": (KICK_OFF + timedelta(hours=2)).isoformat(),
            "attendeeIds": [str(club.player.user_id)],
            **overrides,
        }
    }


async def _reminders(calendar: RunningService) -> list[dict[str, Any]]:
    async with calendar.runtime.sessions() as session:
        rows = await session.scalars(
            select(outbox_events.c.data)
            .where(outbox_events.c.type == "calendar.reminder.due")
            .order_by(outbox_events.c.seq)
        )
        return list(rows)


def _ticks(calendar: RunningService) -> ReminderScheduler:
    """A scheduler of the test's own (its loop not started): only `tick` runs."""
    return ReminderScheduler(calendar.runtime.sessions, interval=0)


async def test_defaults_by_kind_and_overrides(calendar: RunningService, club: Club) -> None:
    expected = {"GAME": [120, 60, 15], "PRACTICE": [60, 15], "MEETING": [60, 5], "MEDICAL": [1440, 60]}
    for kind, minutes in expected.items():
        made = await calendar.graphql.execute(CREATE, _event(club, kind), as_=club.coach)
        assert made.ok()["createCalendarEvent"]["event"]["reminderMinutes"] == minutes, kind
    custom = await calendar.graphql.execute(
        CREATE, _event(club, "GAME", reminderMinutes=[30, 1440, 30]), as_=club.coach
    )
    event = custom.ok()["createCalendarEvent"]["event"]
    assert event["reminderMinutes"] == [1440, 30]
    back = await calendar.graphql.execute(
        UPDATE, {"id": event["id"], "input": {"reminderMinutes": None}}, as_=club.coach
    )
    assert back.ok()["updateCalendarEvent"]["event"]["reminderMinutes"] == [120, 60, 15]
    bad = await calendar.graphql.execute(CREATE, _event(club, "GAME", reminderMinutes=[-5]), as_=club.coach)
    assert bad.error("BAD_USER_INPUT")["extensions"]["field"] == "reminderMinutes"


async def test_a_due_reminder_is_sent_exactly_once_even_by_racing_ticks(calendar: RunningService, club: Club) -> None:
    # given a practice (reminders 60 and 15 minutes before) with the coach and a player
    made = await calendar.graphql.execute(CREATE, _event(club, "PRACTICE"), as_=club.coach)
    event_id = made.ok()["createCalendarEvent"]["event"]["id"]
    ticks = _ticks(calendar)
    # when a tick runs 61 minutes before, nothing is due
    assert await ticks.tick(KICK_OFF - timedelta(minutes=61)) == []
    # when two ticks race 59 minutes before (two processes, two transactions)
    now = KICK_OFF - timedelta(minutes=59)
    await asyncio.gather(ticks.tick(now), _ticks(calendar).tick(now))
    # then one reminder went out, to both, for 60 minutes
    [sent] = await _reminders(calendar)
    assert sent["event_id"] == event_id
    assert sent["occurrence_id"] == event_id
    assert sent["minutes_before"] == 60
    assert sorted(sent["user_ids"]) == sorted([str(club.coach.user_id), str(club.player.user_id)])
    assert sent["starts_at"] == KICK_OFF.isoformat()
    # and a later tick sends it no more; the 15-minute one comes once, and nothing after the start
    assert await ticks.tick(KICK_OFF - timedelta(minutes=30)) == []
    assert len(await ticks.tick(KICK_OFF - timedelta(minutes=14))) == 1
    assert await ticks.tick(KICK_OFF - timedelta(minutes=5)) == []
    assert await ticks.tick(KICK_OFF + timedelta(minutes=1)) == []
    assert [r["minutes_before"] for r in await _reminders(calendar)] == [60, 15]


async def test_short_notice_sends_only_the_latest_and_skips_those_who_declined(
    calendar: RunningService, club: Club
) -> None:
    # given a game whose player declined
    made = await calendar.graphql.execute(CREATE, _event(club, "GAME"), as_=club.coach)
    event_id = made.ok()["createCalendarEvent"]["event"]["id"]
    (await calendar.graphql.execute(RESPOND, {"id": event_id, "status": "DECLINED"}, as_=club.player)).ok()
    # when the first tick comes 30 minutes before (the 120 and 60 minute reminders both passed)
    await _ticks(calendar).tick(KICK_OFF - timedelta(minutes=30))
    # then one reminder, for 60 minutes, to the coach only; the 120 one is never sent
    assert [(r["minutes_before"], r["user_ids"]) for r in await _reminders(calendar)] == [
        (60, [str(club.coach.user_id)])
    ]
    await _ticks(calendar).tick(KICK_OFF - timedelta(minutes=29))
    assert len(await _reminders(calendar)) == 1


async def test_each_occurrence_of_a_series_is_reminded(calendar: RunningService, club: Club) -> None:
    made = await calendar.graphql.execute(
        CREATE, _event(club, "MEETING", recurrence="FREQ=DAILY;COUNT=3", reminderMinutes=[10]), as_=club.coach
    )
    series_id = made.ok()["createCalendarEvent"]["event"]["id"]
    for day in range(3):
        await _ticks(calendar).tick(KICK_OFF + timedelta(days=day, minutes=-5))
    assert [r["occurrence_id"] for r in await _reminders(calendar)] == [
        f"{series_id}:20310111T150000Z",
        f"{series_id}:20310112T150000Z",
        f"{series_id}:20310113T150000Z",
    ]


SCOPED_UPDATE = """
mutation Update($id: ID!, $input: UpdateCalendarEventInput!, $scope: EditScope) {
  updateCalendarEvent(id: $id, input: $input, scope: $scope) { event { id } }
}
"""


async def test_an_occurrence_changed_after_its_reminder_is_not_reminded_twice(
    calendar: RunningService, club: Club
) -> None:
    # given a daily series of meetings, reminded 60 minutes before each
    made = await calendar.graphql.execute(
        CREATE, _event(club, "MEETING", recurrence="FREQ=DAILY;COUNT=3", reminderMinutes=[60]), as_=club.coach
    )
    series_id = made.ok()["createCalendarEvent"]["event"]["id"]
    # when, for the first two days, the reminder goes out and then the coach retitles that occurrence alone
    # (day one), or it and the following ones (day two, splitting the series)
    for day, scope, title in ((0, "THIS", "Video: Wolves"), (1, "THIS_AND_FOLLOWING", "Video session")):
        await _ticks(calendar).tick(KICK_OFF + timedelta(days=day, minutes=-59))
        assert len(await _reminders(calendar)) == day + 1
        occurrence = f"{series_id}:{(KICK_OFF + timedelta(days=day)).strftime('%Y%m%dT%H%M%SZ')}"
        changed = await calendar.graphql.execute(
            SCOPED_UPDATE, {"id": occurrence, "input": {"title": title}, "scope": scope}, as_=club.coach
        )
        changed.ok()
        # then the next tick reminds no one again of the occurrence they already heard of
        await _ticks(calendar).tick(KICK_OFF + timedelta(days=day, minutes=-58))
        assert len(await _reminders(calendar)) == day + 1, scope
    # and the third day, of the split-off series, is reminded once, with its new title
    await _ticks(calendar).tick(KICK_OFF + timedelta(days=2, minutes=-59))
    assert [r["title"] for r in await _reminders(calendar)] == [
        "Meeting vs Wolves",
        "Meeting vs Wolves",
        "Video session",
    ]


async def test_the_scheduler_loop_sends_on_its_own(calendar: RunningService, club: Club) -> None:
    # given a practice and a scheduler ticking every 50 ms with a clock 10 minutes before it
    (await calendar.graphql.execute(CREATE, _event(club, "PRACTICE"), as_=club.coach)).ok()
    loop = ReminderScheduler(calendar.runtime.sessions, interval=0.05, clock=lambda: KICK_OFF - timedelta(minutes=10))
    loop.start()
    try:
        # then the 15-minute reminder goes out, once, however many ticks run
        async def sent() -> list[dict[str, Any]] | None:
            return await _reminders(calendar) or None

        assert [r["minutes_before"] for r in await eventually(sent)] == [15]
        await asyncio.sleep(0.2)
    finally:
        await loop.stop()
    assert len(await _reminders(calendar)) == 1
