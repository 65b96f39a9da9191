"""Recurring events over GraphQL: a weekly practice keeps its local time across the daylight-saving
change, and one occurrence, it and the following ones, or the whole series can be changed or cancelled,
each occurrence keeping its id (series id and original start)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from tests.calendar.factories import Club, make_resource
from tests.support.services import RunningService

STOCKHOLM = ZoneInfo("Europe/Stockholm")

CREATE = """
mutation Create($input: CreateCalendarEventInput!) {
  createCalendarEvent(input: $input) {
    event { id seriesId recurrenceRule timeZone startsAt endsAt }
    warnings { attendee { id } clashes { id } }
  }
}
"""

EVENTS = """
query Events($from: DateTime!, $to: DateTime!, $includeCancelled: Boolean! = false) {
  calendarEvents(from: $from, to: $to, includeCancelled: $includeCancelled) {
    id seriesId title status startsAt endsAt originalStartsAt recurrenceRule
  }
}
"""

EVENT = "query Event($id: ID!) { calendarEvent(id: $id) { id title status startsAt seriesId } }"

MOVE = """
mutation Move($id: ID!, $startsAt: DateTime!, $endsAt: DateTime!, $scope: EditScope) {
  moveCalendarEvent(id: $id, startsAt: $startsAt, endsAt: $endsAt, scope: $scope) {
    event { id startsAt endsAt seriesId }
  }
}
"""

UPDATE = """
mutation Update($id: ID!, $input: UpdateCalendarEventInput!, $scope: EditScope) {
  updateCalendarEvent(id: $id, input: $input, scope: $scope) { event { id title seriesId } }
}
"""

CANCEL = """
mutation Cancel($id: ID!, $scope: EditScope) {
  cancelCalendarEvent(id: $id, scope: $scope) { event { id status } }
}
"""

SETTINGS = "mutation Zone($tz: String!) { updateCalendarSettings(timeZone: $tz) { timeZone } }"

MARCH_AND_APRIL = {"from": "2026-03-01T00:00:00+00:00", "to": "2026-04-30T00:00:00+00:00"}


def _weekly(club: Club, **overrides: object) -> dict[str, object]:
    """Tuesdays 18:00-19:30 in Stockholm from 17 March, six times: the clocks go forward on 29 March."""
    return {
        "kind": "PRACTICE",
        "title": "Practice: Senior",
        "startsAt": "2026-03-17T18:00:00+01:00",
        "endsAt": "2026-03-17T19:30:00+01:00",
        "teamId": str(club.senior),
        "recurrence": "FREQ=WEEKLY;BYDAY=TU;COUNT=6",
        **overrides,
    }


def _local(value: str) -> str:
    return datetime.fromisoformat(value).astimezone(STOCKHOLM).strftime("%m-%d %H:%M")


async def _series(calendar: RunningService, club: Club, **overrides: object) -> dict[str, Any]:
    made = await calendar.graphql.execute(CREATE, {"input": _weekly(club, **overrides)}, as_=club.coach)
    event: dict[str, Any] = made.ok()["createCalendarEvent"]["event"]
    return event


async def _listed(calendar: RunningService, club: Club, **extra: object) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = (
        await calendar.graphql.execute(EVENTS, {**MARCH_AND_APRIL, **extra}, as_=club.coach)
    ).ok()["calendarEvents"]
    return rows


async def test_a_weekly_practice_stays_at_six_local_across_daylight_saving(
    calendar: RunningService, club: Club
) -> None:
    # given a weekly practice at 18:00 Stockholm time
    series = await _series(calendar, club)
    assert series["recurrenceRule"] == "FREQ=WEEKLY;BYDAY=TU;COUNT=6"
    assert series["timeZone"] == "Europe/Stockholm"
    assert series["seriesId"] == series["id"]
    # when the calendar of March and April is read
    rows = await _listed(calendar, club)
    # then six occurrences, all at 18:00 local: 17:00 UTC before the change, 16:00 UTC after it
    assert [_local(row["startsAt"]) for row in rows] == [
        "03-17 18:00", "03-24 18:00", "03-31 18:00", "04-07 18:00", "04-14 18:00", "04-21 18:00"
    ]  # fmt: skip
    assert [row["startsAt"][11:16] for row in rows] == ["17:00", "17:00", "16:00", "16:00", "16:00", "16:00"]
    assert all(_local(row["endsAt"])[6:] == "19:30" for row in rows)
    # and each has a stable id: the series and its original start in UTC
    assert rows[2]["id"] == f"{series['id']}:20260331T160000Z"
    assert {row["seriesId"] for row in rows} == {series["id"]}
    # and an occurrence can be read by that id
    one = (await calendar.graphql.execute(EVENT, {"id": rows[2]["id"]}, as_=club.coach)).ok()["calendarEvent"]
    assert one["startsAt"] == rows[2]["startsAt"]


async def test_moving_one_occurrence_leaves_the_others(calendar: RunningService, club: Club) -> None:
    # given the weekly practice
    series = await _series(calendar, club)
    occurrence = f"{series['id']}:20260324T170000Z"
    # when only the 24 March practice moves an hour later
    moved = (
        await calendar.graphql.execute(
            MOVE,
            {"id": occurrence, "startsAt": "2026-03-24T19:00:00+01:00", "endsAt": "2026-03-24T20:30:00+01:00"},
            as_=club.coach,
        )
    ).ok()["moveCalendarEvent"]["event"]
    # then it keeps its id and moves; the others stay at 18:00
    assert moved["id"] == occurrence
    rows = await _listed(calendar, club)
    assert [(_local(row["startsAt"]), row["id"] == occurrence) for row in rows][:3] == [
        ("03-17 18:00", False),
        ("03-24 19:00", True),
        ("03-31 18:00", False),
    ]
    assert rows[1]["originalStartsAt"] == "2026-03-24T17:00:00+00:00"
    assert len(rows) == 6


async def test_moving_this_and_following_across_daylight_saving_splits_the_series(
    calendar: RunningService, club: Club
) -> None:
    # given the weekly practice, with its 7 April occurrence already given its own title
    series = await _series(calendar, club)
    april_7 = f"{series['id']}:20260407T160000Z"
    (await calendar.graphql.execute(UPDATE, {"id": april_7, "input": {"title": "Video + ice"}}, as_=club.coach)).ok()
    # when from 24 March (before the clocks change) on, the practice moves to 19:00
    moved = (
        await calendar.graphql.execute(
            MOVE,
            {
                "id": f"{series['id']}:20260324T170000Z",
                "startsAt": "2026-03-24T19:00:00+01:00",
                "endsAt": "2026-03-24T20:00:00+01:00",
                "scope": "THIS_AND_FOLLOWING",
            },
            as_=club.coach,
        )
    ).ok()["moveCalendarEvent"]["event"]
    # then the first stays at 18:00 and the rest are at 19:00 local, also after the change (17:00 UTC)
    rows = await _listed(calendar, club)
    assert [(_local(row["startsAt"]), _local(row["endsAt"])[6:]) for row in rows] == [
        ("03-17 18:00", "19:30"),
        ("03-24 19:00", "20:00"),
        ("03-31 19:00", "20:00"),
        ("04-07 18:00", "19:30"),  # the exception keeps its own times
        ("04-14 19:00", "20:00"),
        ("04-21 19:00", "20:00"),
    ]
    assert rows[2]["startsAt"] == "2026-03-31T17:00:00+00:00"
    # and the later ones form a new series sharing the six occurrences' COUNT
    new_series = moved["seriesId"]
    assert new_series != series["id"]
    assert [row["seriesId"] == series["id"] for row in rows] == [True, False, False, False, False, False]
    assert {row["recurrenceRule"] for row in rows if row["seriesId"] == new_series} == {
        "FREQ=WEEKLY;BYDAY=TU;COUNT=5",
        None,  # the exception
    }
    # and the exception moved with them, its title kept, under the new series and its new original time
    assert rows[3]["title"] == "Video + ice"
    assert rows[3]["id"] == f"{new_series}:20260407T170000Z"


async def test_changing_all_retitles_every_occurrence_and_exception(calendar: RunningService, club: Club) -> None:
    # given the series with its 31 March practice moved
    series = await _series(calendar, club)
    occurrence = f"{series['id']}:20260331T160000Z"
    await calendar.graphql.execute(
        MOVE,
        {"id": occurrence, "startsAt": "2026-03-31T17:00:00+02:00", "endsAt": "2026-03-31T18:30:00+02:00"},
        as_=club.coach,
    )
    # when the title of all occurrences changes through one of them
    result = await calendar.graphql.execute(
        UPDATE,
        {"id": f"{series['id']}:20260414T160000Z", "input": {"title": "Senior ice"}, "scope": "ALL"},
        as_=club.coach,
    )
    # then every occurrence has it, the moved one included, which keeps its time
    assert result.ok()["updateCalendarEvent"]["event"]["seriesId"] == series["id"]
    rows = await _listed(calendar, club)
    assert {row["title"] for row in rows} == {"Senior ice"}
    assert _local(rows[2]["startsAt"]) == "03-31 17:00"


async def test_a_series_ending_on_a_date_keeps_its_last_occurrence_when_moved_later(
    calendar: RunningService, club: Club
) -> None:
    # given six Tuesdays ending at the last one's start (UNTIL, not COUNT)
    series = await _series(calendar, club, recurrence="FREQ=WEEKLY;BYDAY=TU;UNTIL=20260421T180000")
    assert len(await _listed(calendar, club)) == 6
    # when the whole series moves a day and an hour later, through its second occurrence
    moved = await calendar.graphql.execute(
        MOVE,
        {
            "id": f"{series['id']}:20260324T170000Z",
            "startsAt": "2026-03-25T19:00:00+01:00",
            "endsAt": "2026-03-25T20:30:00+01:00",
            "scope": "ALL",
        },
        as_=club.coach,
    )
    moved.ok()
    # then all six are still there, on Wednesdays at 19:00 local, the last one included
    rows = await _listed(calendar, club)
    assert [_local(row["startsAt"]) for row in rows] == [
        "03-18 19:00",
        "03-25 19:00",
        "04-01 19:00",
        "04-08 19:00",
        "04-15 19:00",
        "04-22 19:00",
    ]


async def test_cancelling_one_occurrence_is_an_exception(calendar: RunningService, club: Club) -> None:
    # given the series
    series = await _series(calendar, club)
    occurrence = f"{series['id']}:20260407T160000Z"
    # when the 7 April practice is cancelled
    cancelled = (await calendar.graphql.execute(CANCEL, {"id": occurrence}, as_=club.coach)).ok()
    assert cancelled["cancelCalendarEvent"]["event"] == {"id": occurrence, "status": "CANCELLED"}
    # then the calendar shows five, or six with the cancelled one when asked
    assert len(await _listed(calendar, club)) == 5
    everything = await _listed(calendar, club, includeCancelled=True)
    assert [(row["id"], row["status"]) for row in everything if row["status"] == "CANCELLED"] == [
        (occurrence, "CANCELLED")
    ]
    # and its id still reads it
    one = (await calendar.graphql.execute(EVENT, {"id": occurrence}, as_=club.coach)).ok()["calendarEvent"]
    assert one["status"] == "CANCELLED"


async def test_cancelling_this_and_following_ends_the_series(calendar: RunningService, club: Club) -> None:
    series = await _series(calendar, club)
    await calendar.graphql.execute(
        CANCEL, {"id": f"{series['id']}:20260407T160000Z", "scope": "THIS_AND_FOLLOWING"}, as_=club.coach
    )
    assert [_local(row["startsAt"]) for row in await _listed(calendar, club)] == [
        "03-17 18:00",
        "03-24 18:00",
        "03-31 18:00",
    ]


async def test_cancelling_the_series_cancels_everything(calendar: RunningService, club: Club) -> None:
    series = await _series(calendar, club)
    await calendar.graphql.execute(
        MOVE,
        {
            "id": f"{series['id']}:20260331T160000Z",
            "startsAt": "2026-03-31T17:00:00+02:00",
            "endsAt": "2026-03-31T18:00:00+02:00",
        },
        as_=club.coach,
    )
    (await calendar.graphql.execute(CANCEL, {"id": series["id"]}, as_=club.coach)).ok()
    assert await _listed(calendar, club) == []


async def test_rules_are_checked_and_bounded(calendar: RunningService, club: Club) -> None:
    cases = (
        ({"recurrence": "FREQ=HOURLY;COUNT=3"}, "recurrence"),
        ({"recurrence": "FREQ=WEEKLY;BYDAY=XX"}, "recurrence"),
        ({"recurrence": "FREQ=WEEKLY;COUNT=2;UNTIL=20260601"}, "recurrence"),
        ({"recurrence": "DTSTART:20260101T000000Z"}, "recurrence"),
        ({"recurrence": "FREQ=WEEKLY;BYDAY=WE"}, "startsAt"),  # the 17th is a Tuesday
    )
    for overrides, field in cases:
        response = await calendar.graphql.execute(CREATE, {"input": _weekly(club, **overrides)}, as_=club.coach)
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field, overrides
    # an open-ended rule ends two years on; a local UNTIL becomes UTC
    open_ended = await _series(calendar, club, recurrence="FREQ=WEEKLY;BYDAY=TU")
    assert open_ended["recurrenceRule"] == "FREQ=WEEKLY;BYDAY=TU;UNTIL=20280317T170000Z"
    until = await _series(calendar, club, recurrence="RRULE:freq=weekly;until=20260331", title="Other")
    assert until["recurrenceRule"] == "FREQ=WEEKLY;UNTIL=20260331T215959Z"


async def test_an_unknown_occurrence_is_not_found(calendar: RunningService, club: Club) -> None:
    series = await _series(calendar, club)
    for missing in (f"{series['id']}:20260318T170000Z", f"{series['id']}:20260505T160000Z"):
        response = await calendar.graphql.execute(EVENT, {"id": missing}, as_=club.coach)
        assert response.codes == ["NOT_FOUND"]
    assert (await calendar.graphql.execute(EVENT, {"id": "x:y"}, as_=club.coach)).codes == ["BAD_USER_INPUT"]


async def test_series_repeat_in_the_clubs_time_zone(calendar: RunningService, club: Club) -> None:
    # given a club in New York (whose clocks change on 8 March)
    zone = (await calendar.graphql.execute(SETTINGS, {"tz": "America/New_York"}, as_=club.admin)).ok()
    assert zone["updateCalendarSettings"] == {"timeZone": "America/New_York"}
    assert (await calendar.graphql.execute(SETTINGS, {"tz": "Mars/Olympus"}, as_=club.admin)).codes == [
        "BAD_USER_INPUT"
    ]
    assert (await calendar.graphql.execute(SETTINGS, {"tz": "UTC"}, as_=club.coach)).codes == ["FORBIDDEN"]
    # when a daily 7 am practice is scheduled over the change
    series = await _series(
        calendar,
        club,
        startsAt="2026-03-06T07:00:00-05:00",
        endsAt="2026-03-06T08:00:00-05:00",
        recurrence="FREQ=DAILY;COUNT=4",
    )
    assert series["timeZone"] == "America/New_York"
    # then it stays at 7 am New York time
    rows = await _listed(calendar, club)
    assert [row["startsAt"] for row in rows] == [
        "2026-03-06T12:00:00+00:00",
        "2026-03-07T12:00:00+00:00",
        "2026-03-08T11:00:00+00:00",
        "2026-03-09T11:00:00+00:00",
    ]


async def test_a_series_cannot_take_a_booked_rink(calendar: RunningService, club: Club) -> None:
    # given a rink with a game booked on the fourth Tuesday's practice time
    rink = await make_resource(calendar, club=club, name="Main Rink")
    game = await calendar.graphql.execute(
        CREATE,
        {
            "input": {
                "kind": "GAME",
                "title": "Cup game",
                "startsAt": "2026-04-07T18:30:00+02:00",
                "endsAt": "2026-04-07T20:30:00+02:00",
                "resourceId": str(rink.id),
            }
        },
        as_=club.admin,
    )
    game_id = game.ok()["createCalendarEvent"]["event"]["id"]
    # when the weekly practice is scheduled on the rink
    refused = await calendar.graphql.execute(CREATE, {"input": _weekly(club, resourceId=str(rink.id))}, as_=club.coach)
    # then it is refused, naming the game
    error = refused.error("CONFLICT")
    assert [c["id"] for c in error["extensions"]["details"]["clashes"]] == [game_id]
    # and once the series holds the rink, a booking on a later occurrence is refused, naming that occurrence
    series = await _series(calendar, club, resourceId=str(rink.id), recurrence="FREQ=WEEKLY;BYDAY=TU;COUNT=3")
    clash = await calendar.graphql.execute(
        CREATE,
        {
            "input": {
                "kind": "MEETING",
                "title": "Skating school",
                "startsAt": "2026-03-31T19:00:00+02:00",
                "endsAt": "2026-03-31T20:00:00+02:00",
                "resourceId": str(rink.id),
            }
        },
        as_=club.admin,
    )
    assert [c["id"] for c in clash.error("CONFLICT")["extensions"]["conflicts"]] == [f"{series['id']}:20260331T160000Z"]
    # and moving one occurrence of the series onto the game is refused too
    onto_game = await calendar.graphql.execute(
        MOVE,
        {
            "id": f"{series['id']}:20260324T170000Z",
            "startsAt": "2026-04-07T18:00:00+02:00",
            "endsAt": "2026-04-07T19:00:00+02:00",
        },
        as_=club.coach,
    )
    assert [c["id"] for c in onto_game.error("CONFLICT")["extensions"]["conflicts"]] == [game_id]


ENTITIES = """
query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on CalendarEvent { id title startsAt seriesId } }
}
"""


async def test_an_occurrence_resolves_as_an_entity(calendar: RunningService, club: Club) -> None:
    # given the series, as the router would ask for two of its occurrences and a missing one
    series = await _series(calendar, club)
    ids = [f"{series['id']}:20260331T160000Z", f"{series['id']}:20260317T170000Z", f"{series['id']}:20260318T170000Z"]
    representations = [{"__typename": "CalendarEvent", "id": occurrence} for occurrence in ids]
    response = await calendar.graphql.execute(ENTITIES, {"representations": representations}, as_=club.player)
    # then the two occurrences resolve with their own times, the made-up one alone fails
    first, second, missing = response.data["_entities"]
    assert (first["id"], first["startsAt"], first["seriesId"]) == (ids[0], "2026-03-31T16:00:00+00:00", series["id"])
    assert second["startsAt"] == "2026-03-17T17:00:00+00:00"
    assert missing is None
    assert response.codes == ["NOT_FOUND"]
    # and someone of another club gets none of them
    away = await calendar.graphql.execute(ENTITIES, {"representations": representations}, as_=club.outsider)
    assert away.data["_entities"] == [None, None, None]


async def test_attendees_busy_in_some_occurrence_are_warned(calendar: RunningService, club: Club) -> None:
    # given a trainer who scheduled (and so attends) a gym session on the third Tuesday only
    trainer = club.coach
    (
        await calendar.graphql.execute(
            CREATE,
            {
                "input": {
                    "kind": "TRAINING",
                    "title": "Gym",
                    "startsAt": "2026-03-31T18:30:00+02:00",
                    "endsAt": "2026-03-31T19:30:00+02:00",
                }
            },
            as_=trainer,
        )
    ).ok()
    # when a weekly practice is scheduled by the club administrator with the trainer invited
    made = await calendar.graphql.execute(
        CREATE, {"input": _weekly(club, attendeeIds=[str(trainer.user_id)])}, as_=club.admin
    )
    # then it is scheduled, and the trainer's double booking that one Tuesday comes back as a warning
    [warning] = made.ok()["createCalendarEvent"]["warnings"]
    assert warning["attendee"] == {"id": str(trainer.user_id)}
    assert len(warning["clashes"]) == 1


async def test_two_series_racing_for_one_rink_cannot_both_win(calendar: RunningService, club: Club) -> None:
    # given a free rink, and two weekly series that meet only on their third occurrence
    rink = await make_resource(calendar, club=club, name="Practice Rink")
    tuesdays = _weekly(club, resourceId=str(rink.id), title="Tuesdays", recurrence="FREQ=WEEKLY;COUNT=3")
    once = {
        **_weekly(club, resourceId=str(rink.id), title="Clinic", recurrence="FREQ=DAILY;COUNT=1"),
        "startsAt": "2026-03-31T19:00:00+02:00",
        "endsAt": "2026-03-31T20:00:00+02:00",
    }
    # when both are booked at the same moment
    responses = await asyncio.gather(
        calendar.graphql.execute(CREATE, {"input": tuesdays}, as_=club.coach),
        calendar.graphql.execute(CREATE, {"input": once}, as_=club.admin),
    )
    # then exactly one holds the rink, and the other is a CONFLICT
    assert sorted(bool(response.errors) for response in responses) == [False, True]
    loser = next(response for response in responses if response.errors)
    assert loser.codes == ["CONFLICT"]
