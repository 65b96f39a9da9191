"""Subscriptions and exports: a secret iCalendar feed per user and per team, fetched over plain HTTP the
way calendar apps do and parsed back with the icalendar package (RFC 5545), revocable; and CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from icalendar import Calendar

from tests.calendar.factories import Club
from tests.support.services import RunningService

STOCKHOLM = ZoneInfo("Europe/Stockholm")

CREATE = """
mutation Create($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { event { id } } }
"""
CANCEL = "mutation Cancel($id: ID!) { cancelCalendarEvent(id: $id) { event { id } } }"
MOVE = """
mutation Move($id: ID!, $startsAt: DateTime!, $endsAt: DateTime!) {
  moveCalendarEvent(id: $id, startsAt: $startsAt, endsAt: $endsAt) { event { id } }
}
"""
NEW_FEED = """
mutation Feed($teamId: ID) { createCalendarFeed(teamId: $teamId) { token url feed { id team { id } revokedAt } } }
"""
REVOKE = "mutation Revoke($id: ID!) { revokeCalendarFeed(id: $id) { id revokedAt } }"
FEEDS = "query { calendarFeeds { id revokedAt } }"
CSV = """
query Csv($from: DateTime!, $to: DateTime!) { calendarEventsCsv(from: $from, to: $to) }
"""


def _next_tuesday_at_six() -> datetime:
    """18:00 Stockholm time on a Tuesday one to two weeks ahead (the feed holds the coming months)."""
    today = date.today()  # noqa: DTZ011 (only a day near now is needed)
    day = today + timedelta(days=7 + (1 - today.weekday()) % 7)
    return datetime.combine(day, time(18, 0), tzinfo=STOCKHOLM)


async def _schedule(calendar: RunningService, club: Club, **values: Any) -> str:
    made = await calendar.graphql.execute(CREATE, {"input": values}, as_=club.coach)
    event_id: str = made.ok()["createCalendarEvent"]["event"]["id"]
    return event_id


async def _fetch(calendar: RunningService, token: str) -> Calendar:
    response = await calendar.http.get(f"/calendar/feeds/{token}.ics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    return Calendar.from_ical(response.text)


def _events(feed: Calendar) -> list[Any]:
    return list(feed.walk("VEVENT"))


async def test_a_players_feed_holds_what_they_see_with_rules_and_exceptions(
    calendar: RunningService, club: Club
) -> None:
    # given a weekly senior practice with its second occurrence cancelled and its third moved an hour
    first = _next_tuesday_at_six()
    series = await _schedule(
        calendar,
        club,
        kind="PRACTICE",
        title="Senior practice",
        startsAt=first.isoformat(),
        endsAt=(first + timedelta(hours=1)).isoformat(),
        teamId=str(club.senior),
        recurrence="FREQ=WEEKLY;COUNT=4",
        location="Main Rink",
    )

    def occurrence(week: int) -> str:
        start = (first + timedelta(weeks=week)).astimezone(UTC)
        return f"{series}:{start:%Y%m%dT%H%M%SZ}"

    (await calendar.graphql.execute(CANCEL, {"id": occurrence(1)}, as_=club.coach)).ok()
    third = first + timedelta(weeks=2)
    moved = {
        "id": occurrence(2),
        "startsAt": (third + timedelta(hours=1)).isoformat(),
        "endsAt": (third + timedelta(hours=2)).isoformat(),
    }
    (await calendar.graphql.execute(MOVE, moved, as_=club.coach)).ok()
    # and a single game of the team, and a private meeting of the staff the player is not invited to
    game_start = (first + timedelta(days=4)).astimezone(UTC)
    await _schedule(
        calendar,
        club,
        kind="GAME",
        title="Home game",
        startsAt=game_start.isoformat(),
        endsAt=(game_start + timedelta(hours=3)).isoformat(),
        teamId=str(club.senior),
    )
    await _schedule(
        calendar,
        club,
        kind="MEETING",
        title="Staff only",
        startsAt=game_start.isoformat(),
        endsAt=(game_start + timedelta(hours=1)).isoformat(),
        visibility="PRIVATE",
    )
    # when the player makes a feed and a calendar app fetches it
    made = (await calendar.graphql.execute(NEW_FEED, {}, as_=club.player)).ok()["createCalendarFeed"]
    assert made["url"].endswith(f"/calendar/feeds/{made['token']}.ics")
    assert made["feed"]["team"] is None
    feed = await _fetch(calendar, made["token"])
    # then it is a valid calendar with the series (rule, exception date, changed occurrence) and the game
    assert str(feed["VERSION"]) == "2.0"
    assert [str(tz["TZID"]) for tz in feed.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    by_title: dict[str, list[Any]] = {}
    for event in _events(feed):
        by_title.setdefault(str(event["SUMMARY"]), []).append(event)
    assert sorted(by_title) == ["Home game", "Senior practice"]
    master, changed = sorted(by_title["Senior practice"], key=lambda e: "RECURRENCE-ID" in e)
    assert master["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=4"
    start = master.decoded("DTSTART")
    assert start == first
    assert str(start.tzinfo) == "Europe/Stockholm"
    assert [d.dt for d in master["EXDATE"].dts] == [first + timedelta(weeks=1)]
    assert changed["UID"] == master["UID"]
    assert changed.decoded("RECURRENCE-ID") == third
    assert changed.decoded("DTSTART") == third + timedelta(hours=1)
    # and expanding it the way calendar apps do gives the same days at 18:00 local
    expanded = list(rrulestr(master["RRULE"].to_ical().decode(), dtstart=start))
    assert [d.astimezone(STOCKHOLM).strftime("%H:%M") for d in expanded] == ["18:00"] * 4
    [game] = by_title["Home game"]
    assert game.decoded("DTSTART") == game_start

    # when the player revokes it, then the URL stops working
    revoked = await calendar.graphql.execute(REVOKE, {"id": made["feed"]["id"]}, as_=club.player)
    assert revoked.ok()["revokeCalendarFeed"]["revokedAt"] is not None
    assert (await calendar.http.get(f"/calendar/feeds/{made['token']}.ics")).status_code == 404
    assert (await calendar.graphql.execute(FEEDS, as_=club.player)).ok()["calendarFeeds"][0]["revokedAt"]
    # and nobody else may revoke someone's feed, and a made-up token finds nothing
    other = (await calendar.graphql.execute(NEW_FEED, {}, as_=club.player)).ok()["createCalendarFeed"]
    assert (await calendar.graphql.execute(REVOKE, {"id": other["feed"]["id"]}, as_=club.coach)).codes == ["NOT_FOUND"]
    assert (await calendar.http.get("/calendar/feeds/not-a-token.ics")).status_code == 404


async def test_a_team_feed_holds_the_teams_public_and_team_events(calendar: RunningService, club: Club) -> None:
    start = _next_tuesday_at_six()
    common = {"kind": "PRACTICE", "startsAt": start.isoformat(), "endsAt": (start + timedelta(hours=1)).isoformat()}
    await _schedule(calendar, club, title="U18 practice", teamId=str(club.junior), **common)
    await _schedule(calendar, club, title="Senior practice", teamId=str(club.senior), **common)
    await _schedule(calendar, club, title="U18 talk", teamId=str(club.junior), visibility="PRIVATE", **common)
    # a player subscribes only to their own team; staff to any
    refused = await calendar.graphql.execute(NEW_FEED, {"teamId": str(club.junior)}, as_=club.player)
    assert refused.codes == ["FORBIDDEN"]
    made = await calendar.graphql.execute(NEW_FEED, {"teamId": str(club.junior)}, as_=club.junior_player)
    feed = await _fetch(calendar, made.ok()["createCalendarFeed"]["token"])
    assert [str(event["SUMMARY"]) for event in _events(feed)] == ["U18 practice"]


async def test_csv_export(calendar: RunningService, club: Club) -> None:
    start = datetime(2026, 3, 3, 17, 0, tzinfo=UTC)
    series = await _schedule(
        calendar,
        club,
        kind="PRACTICE",
        title='Practice, "A" group',
        startsAt=start.isoformat(),
        endsAt=(start + timedelta(hours=1)).isoformat(),
        recurrence="FREQ=DAILY;COUNT=2",
    )
    text = (
        await calendar.graphql.execute(
            CSV, {"from": "2026-03-01T00:00:00Z", "to": "2026-03-08T00:00:00Z"}, as_=club.coach
        )
    ).ok()["calendarEventsCsv"]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(row["id"], row["title"], row["starts_at"]) for row in rows] == [
        (f"{series}:20260303T170000Z", 'Practice, "A" group', "2026-03-03T17:00:00+00:00"),
        (f"{series}:20260304T170000Z", 'Practice, "A" group', "2026-03-04T17:00:00+00:00"),
    ]
    assert rows[0]["series_id"] == series
