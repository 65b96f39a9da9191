"""The calendar service's operations: resources, events, attendance.

Each anchor player's team has a practice next month with the player invited, made at setup by the
club administrator; writes work on events and resources made for the case.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from shared.demo import demo_id
from tests.authorization.cases import Case, Operation, Variables, today, unique
from tests.authorization.operations.common import entity
from tests.authorization.table import Caller
from tests.authorization.world import World

MAIN_RINK = str(demo_id("calendar", "resource", "main-rink"))
EVENT = "event { id title status }"
CREATE_EVENT = f"""
mutation Schedule($input: CreateCalendarEventInput!) {{ createCalendarEvent(input: $input) {{ {EVENT} }} }}
"""
CREATE_FEED = "mutation Feed { createCalendarFeed { token feed { id createdAt } } }"
CREATE_RESOURCE = """
mutation Resource($input: CreateCalendarResourceInput!) { createCalendarResource(input: $input) { id name kind } }
"""


def _slot(days: int, hour: int = 10) -> tuple[str, str]:
    start = datetime.now(UTC).replace(hour=hour, minute=0, second=0, microsecond=0) + timedelta(days=days)
    return start.isoformat(), (start + timedelta(hours=1)).isoformat()


def _event_input(team_id: str, user_id: str, *, days: int = 40) -> Variables:
    starts, ends = _slot(days)
    return {
        "kind": "PRACTICE",
        "title": unique("Power skating"),
        "startsAt": starts,
        "endsAt": ends,
        "teamId": team_id,
        "attendeeIds": [user_id],
    }


async def prepare(world: World) -> None:
    for subject in (world.junior, world.senior):
        made = await world.setup(
            "calendar",
            CREATE_EVENT,
            {"input": _event_input(str(subject.team_id), str(subject.user_id), days=35)},
            as_=Caller.CLUB_ADMIN,
        )
        world.found[f"{subject.name}.event"] = made["createCalendarEvent"]["event"]["id"]


async def _fresh_event(case: Case) -> str:
    """An event of the case's team with its player invited, scheduled by the club administrator."""
    made = await case.setup(
        "calendar",
        CREATE_EVENT,
        {"input": _event_input(case.team_id, str(case.subject.user_id))},
        as_=Caller.CLUB_ADMIN,
    )
    return str(made["createCalendarEvent"]["event"]["id"])


async def _fresh_resource(case: Case) -> str:
    made = await case.setup(
        "calendar", CREATE_RESOURCE, {"input": {"name": unique("Video room"), "kind": "ROOM"}}, as_=Caller.CLUB_ADMIN
    )
    return str(made["createCalendarResource"]["id"])


async def _window(case: Case) -> Variables:
    starts, _ = _slot(34)
    _, ends = _slot(36)
    return {"from": starts, "to": ends, "teamId": case.team_id}


async def _days(case: Case) -> Variables:
    """The coming month of the case's team: the demo has a player of each team out with an injury."""
    return {"teamId": case.team_id, "from": str(today()), "to": str(today() + timedelta(days=30))}


async def _event(case: Case) -> Variables:
    return {"id": case.found("event")}


async def _schedule(case: Case) -> Variables:
    starts, _ = _slot(0)
    _, ends = _slot(60)
    return {"resourceId": MAIN_RINK, "from": starts, "to": ends}


async def _create_resource(case: Case) -> Variables:
    return {"input": {"name": unique("Gym"), "kind": "GYM", "capacity": 20}}


async def _update_resource(case: Case) -> Variables:
    return {"id": await _fresh_resource(case), "input": {"capacity": 12}}


async def _create_event(case: Case) -> Variables:
    return {"input": _event_input(case.team_id, str(case.subject.user_id))}


async def _update_event(case: Case) -> Variables:
    return {"id": await _fresh_event(case), "input": {"title": unique("Edge work")}}


async def _move_event(case: Case) -> Variables:
    starts, ends = _slot(41, hour=12)
    return {"id": await _fresh_event(case), "startsAt": starts, "endsAt": ends}


async def _cancel_event(case: Case) -> Variables:
    return {"id": await _fresh_event(case)}


async def _invite(case: Case) -> Variables:
    return {"id": await _fresh_event(case), "userIds": [str(case.subject.user_id)]}


async def _remove_attendee(case: Case) -> Variables:
    return {"id": await _fresh_event(case), "userId": str(case.subject.user_id)}


async def _respond(case: Case) -> Variables:
    return {"id": await _fresh_event(case), "status": "ACCEPTED"}


async def _clash(case: Case) -> Variables:
    """Two overlapping events the club administrator organizes (so attends, accepted): a clash to list."""
    starts, ends = _slot(44, hour=8)
    for _ in range(2):
        await case.setup(
            "calendar",
            CREATE_EVENT,
            {"input": {"kind": "MEETING", "title": unique("Budget"), "startsAt": starts, "endsAt": ends}},
            as_=Caller.CLUB_ADMIN,
        )
    return {"from": starts, "to": ends}


async def _pending_booking(case: Case) -> str:
    """A coach's booking of a bus that needs approval, without a team (players and parents do not see it)."""
    made = await case.setup(
        "calendar",
        CREATE_RESOURCE,
        {"input": {"name": unique("Bus"), "kind": "VEHICLE", "requiresApproval": True}},
        as_=Caller.CLUB_ADMIN,
    )
    starts, ends = _slot(46, hour=6)
    booked = await case.setup(
        "calendar",
        CREATE_EVENT,
        {
            "input": {
                "kind": "OTHER",
                "title": unique("Away trip"),
                "startsAt": starts,
                "endsAt": ends,
                "resourceId": made["createCalendarResource"]["id"],
            }
        },
        as_=Caller.COACH,
    )
    return str(booked["createCalendarEvent"]["event"]["id"])


async def _pending(case: Case) -> Variables:
    await _pending_booking(case)
    return {}


async def _decide(case: Case) -> Variables:
    return {"id": await _pending_booking(case)}


async def _own_feed(case: Case) -> Variables:
    if case.caller not in (Caller.ANONYMOUS, Caller.PLATFORM_ADMIN):
        await case.setup("calendar", CREATE_FEED, as_=case.caller)
    return {}


async def _admins_feed(case: Case) -> Variables:
    made = await case.setup("calendar", CREATE_FEED, as_=Caller.CLUB_ADMIN)
    return {"id": made["createCalendarFeed"]["feed"]["id"]}


async def _check_in(case: Case) -> Variables:
    return {"id": await _fresh_event(case), "userId": str(case.subject.user_id)}


def _has_rows(data: Any) -> bool:
    """A CSV with lines beyond its header."""
    return bool(data) and str(data["calendarEventsCsv"]).count("\n") > 1


async def _event_key(case: Case) -> str:
    return str(case.found("event"))


async def _resource_key(case: Case) -> str:
    return MAIN_RINK


OPERATIONS = {
    "Query.calendarEvents": Operation(
        "query Events($from: DateTime!, $to: DateTime!, $teamId: ID) { calendarEvents(from: $from, to: $to, "
        "teamId: $teamId) { id title } }",
        _window,
    ),
    "Query.calendarEvent": Operation("query Event($id: ID!) { calendarEvent(id: $id) { id title status } }", _event),
    "Query.calendarResources": Operation("query Resources { calendarResources { id name kind } }"),
    "Query.resourceSchedule": Operation(
        "query Bookings($resourceId: ID!, $from: DateTime!, $to: DateTime!) { resourceSchedule(resourceId: "
        "$resourceId, from: $from, to: $to) { id title } }",
        _schedule,
    ),
    "Query.playerAvailability": Operation(
        "query Availability($teamId: ID!, $from: Date!, $to: Date!) { playerAvailability(teamId: $teamId, "
        "from: $from, to: $to) { player { id } reason startsOn availableFrom } }",
        _days,
    ),
    "Query.calendarConflicts": Operation(
        "query Clashes($from: DateTime!, $to: DateTime!) { calendarConflicts(from: $from, to: $to) { kind "
        "events { id title } } }",
        _clash,
    ),
    "Query.pendingCalendarBookings": Operation("query Pending { pendingCalendarBookings { id title } }", _pending),
    "Query.calendarSettings": Operation("query Settings { calendarSettings { timeZone } }"),
    "Query.calendarFeeds": Operation("query Feeds { calendarFeeds { id createdAt } }", _own_feed),
    "Query.calendarEventsCsv": Operation(
        "query Csv($from: DateTime!, $to: DateTime!, $teamId: ID) { calendarEventsCsv(from: $from, to: $to, "
        "teamId: $teamId) }",
        _window,
        substance=_has_rows,
    ),
    "Mutation.checkInToCalendarEvent": Operation(
        f"mutation CheckIn($id: ID!, $userId: ID) {{ checkInToCalendarEvent(id: $id, userId: $userId) {{ {EVENT} }} }}",
        _check_in,
    ),
    "Mutation.approveCalendarBooking": Operation(
        "mutation Approve($id: ID!) { approveCalendarBooking(id: $id) { event { id title bookingStatus } } }", _decide
    ),
    "Mutation.rejectCalendarBooking": Operation(
        "mutation Reject($id: ID!) { rejectCalendarBooking(id: $id) { event { id title bookingStatus } } }", _decide
    ),
    "Mutation.updateCalendarSettings": Operation(
        'mutation Zone { updateCalendarSettings(timeZone: "Europe/Stockholm") { timeZone } }'
    ),
    "Mutation.createCalendarFeed": Operation(CREATE_FEED),
    "Mutation.revokeCalendarFeed": Operation(
        "mutation Revoke($id: ID!) { revokeCalendarFeed(id: $id) { id revokedAt } }", _admins_feed
    ),
    "Mutation.createCalendarResource": Operation(CREATE_RESOURCE, _create_resource),
    "Mutation.updateCalendarResource": Operation(
        "mutation Resource($id: ID!, $input: UpdateCalendarResourceInput!) { updateCalendarResource(id: $id, "
        "input: $input) { id capacity } }",
        _update_resource,
    ),
    "Mutation.createCalendarEvent": Operation(CREATE_EVENT, _create_event),
    "Mutation.updateCalendarEvent": Operation(
        f"mutation Change($id: ID!, $input: UpdateCalendarEventInput!) {{ updateCalendarEvent(id: $id, "
        f"input: $input) {{ {EVENT} }} }}",
        _update_event,
    ),
    "Mutation.moveCalendarEvent": Operation(
        f"mutation Move($id: ID!, $startsAt: DateTime!, $endsAt: DateTime!) {{ moveCalendarEvent(id: $id, "
        f"startsAt: $startsAt, endsAt: $endsAt) {{ {EVENT} }} }}",
        _move_event,
    ),
    "Mutation.cancelCalendarEvent": Operation(
        f'mutation Cancel($id: ID!) {{ cancelCalendarEvent(id: $id, reason: "Ice maintenance") {{ {EVENT} }} }}',
        _cancel_event,
    ),
    "Mutation.inviteToCalendarEvent": Operation(
        f"mutation Invite($id: ID!, $userIds: [ID!]!) {{ inviteToCalendarEvent(id: $id, userIds: $userIds) "
        f"{{ {EVENT} }} }}",
        _invite,
    ),
    "Mutation.removeCalendarEventAttendee": Operation(
        f"mutation Uninvite($id: ID!, $userId: ID!) {{ removeCalendarEventAttendee(id: $id, userId: $userId) "
        f"{{ {EVENT} }} }}",
        _remove_attendee,
    ),
    "Mutation.respondToCalendarEvent": Operation(
        f"mutation Rsvp($id: ID!, $status: RsvpStatus!) {{ respondToCalendarEvent(id: $id, status: $status) "
        f"{{ {EVENT} }} }}",
        _respond,
    ),
    "_entities.CalendarEvent": entity("CalendarEvent", "id title status", key=_event_key),
    "_entities.CalendarResource": entity("CalendarResource", "id name kind", key=_resource_key),
}
