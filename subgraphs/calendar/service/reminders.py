"""Reminders: each attendee (except those who declined) hears of an occurrence at the minutes before its
start its event asks for (the kind's defaults unless overridden), exactly once.

A scheduler tick finds the reminders due now and, for each, records `calendar.reminder.due` through the
outbox in the same transaction as the `calendar_reminders_sent` rows that say it was sent. The rows'
primary key (event, occurrence start, user, minutes) with INSERT .. ON CONFLICT DO NOTHING decides who
sends: a second tick, in this process or another, racing the first waits for its commit and then finds
nothing left to send. When several reminders of one occurrence are due at once (an event scheduled at
short notice, or the service was down), only the latest is sent and the earlier ones are marked as
passed. Moving an event re-arms its reminders (the key holds the start); changing one occurrence or
splitting a series carries the reminders already sent over to the new row, so nobody hears twice.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from shared.events import record_event
from subgraphs.calendar import repository
from subgraphs.calendar.events import PRODUCER, REMINDER_DUE
from subgraphs.calendar.models import RsvpStatus
from subgraphs.calendar.service.event_rules import MAX_REMINDER_MINUTES
from subgraphs.calendar.service.occurrences import Occurrence, expand_all, of_row
from subgraphs.calendar.service.reminder_rules import reminder_minutes_of

HORIZON = timedelta(minutes=MAX_REMINDER_MINUTES)
"""The longest a reminder may come before its occurrence: how far ahead a tick looks."""


@dataclass(frozen=True, slots=True)
class SentReminder:
    occurrence: Occurrence
    minutes: int
    user_ids: list[uuid.UUID]


async def upcoming(session: AsyncSession, now: datetime) -> list[Occurrence]:
    """Every club's occurrences starting after `now` and within the horizon."""
    rows = await repository.upcoming_events(session, after=now, before=now + HORIZON)
    singles = [of_row(row) for row in rows if row.recurrence_rule is None]
    series = [row for row in rows if row.recurrence_rule is not None]
    generated = await expand_all(session, series, starts=now, ends=now + HORIZON)
    return [o for o in [*singles, *generated] if now < o.starts_at <= now + HORIZON]


async def send_due(session: AsyncSession, now: datetime) -> list[SentReminder]:
    """Record the reminders due at `now` that no one has sent yet; the caller commits."""
    due: list[tuple[Occurrence, list[int]]] = []
    for occurrence in await upcoming(session, now):
        passed = [m for m in reminder_minutes_of(occurrence.row) if occurrence.starts_at - timedelta(minutes=m) <= now]
        if passed:
            due.append((occurrence, sorted(passed)))
    if not due:
        return []
    attendees = await repository.attendees_of_events(session, list({o.row.id for o, _ in due}))
    invited: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for attendee in attendees:
        if attendee.status is not RsvpStatus.DECLINED:
            invited[attendee.event_id].append(attendee.user_id)
    sent: list[SentReminder] = []
    for occurrence, passed in due:
        users = invited.get(occurrence.row.id, [])
        if not users:
            continue
        latest = passed[0]
        fresh = await repository.claim_reminders(
            session,
            event_id=occurrence.row.id,
            occurrence_starts_at=occurrence.starts_at,
            user_ids=users,
            minutes=passed,
            sending=latest,
            now=now,
        )
        if fresh:
            await record_event(
                session,
                producer=PRODUCER,
                type=REMINDER_DUE,
                organization_id=occurrence.row.organization_id,
                data=reminder_data(occurrence, latest, fresh),
            )
            sent.append(SentReminder(occurrence, latest, fresh))
    return sent


def reminder_data(occurrence: Occurrence, minutes: int, user_ids: list[uuid.UUID]) -> dict[str, object]:
    """`earliest`: this is the event's first reminder mark (the one a parent following the team hears)."""
    row = occurrence.row
    return {
        "event_id": row.id,
        "occurrence_id": occurrence.id,
        "series_id": occurrence.series_id,
        "team_id": row.team_id,
        "visibility": row.visibility.value,
        "earliest": minutes == max(reminder_minutes_of(row), default=minutes),
        "kind": row.kind.value,
        "title": row.title,
        "location": row.location,
        "starts_at": occurrence.starts_at,
        "ends_at": occurrence.ends_at,
        "minutes_before": minutes,
        "user_ids": user_ids,
    }
