"""The demo club's rinks, rooms and bus, and a month of its calendar around `club.today`.

Both teams practise most weekdays, play two games a week (home on the main rink, away with the team
bus), meet weekly in the video room and lift in the gym; one day is the medical check. The weekly plan
books every resource without overlaps (the exclusion constraint would refuse anything else), and
attendees answer as a real team does: most accept, a few decline, the far future is still pending.

It also shows the calendar's rules: the club's time zone setting, a weekly senior morning skate kept as
one series (RRULE) with one occurrence cancelled (an exception), the main rink's resurfacing buffer, the
gym's opening hours, and a team bus whose bookings need the equipment manager's approval.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import Role
from shared.database.models import utcnow
from shared.demo import DemoClub, DemoPerson, DemoPlayer, DemoTeam, demo_id
from shared.roster import copy_demo_roster
from subgraphs.calendar.models import (
    BookingStatus,
    CalendarEvent,
    CalendarEventKind,
    CalendarEventStatus,
    CalendarResource,
    CalendarSettings,
    EventAttendee,
    ResourceKind,
    RsvpStatus,
    UnavailabilityReason,
)
from subgraphs.calendar.service import recurrence
from subgraphs.calendar.service.availability import record_unavailability

DAYS_BEFORE = 14
DAYS_AFTER = 16

ARENA = "Lakeside Arena"
RESOURCES = (
    ("main-rink", "Main Rink", ResourceKind.ICE_RINK, 1800, f"{ARENA}, rink 1"),
    ("practice-rink", "Practice Rink", ResourceKind.ICE_RINK, 80, f"{ARENA}, rink 2"),
    ("gym", "Gym", ResourceKind.GYM, 30, f"{ARENA}, level 2"),
    ("video-room", "Video Room", ResourceKind.ROOM, 30, f"{ARENA}, level 2"),
    ("team-bus", "Team Bus", ResourceKind.VEHICLE, 52, f"{ARENA}, parking lot"),
)

OPPONENTS = (
    ("Northside Wolves", "Northside Ice Hall"),
    ("Harbor City Hawks", "Harbor City Arena"),
    ("Ridgeview Rangers", "Ridgeview Rink"),
    ("Pinecrest Bears", "Pinecrest Ice Center"),
    ("Eastport Eagles", "Eastport Arena"),
    ("Valley Vipers", "Valley Sports Hall"),
)

PRACTICE_FOCUS = (
    "Breakouts and neutral-zone regroups.",
    "Power-play entries and net-front battles.",
    "Defensive-zone coverage and shot blocking.",
    "2-1-2 forecheck and puck battles along the boards.",
    "Skating: edges, crossovers and transition speed.",
    "Special teams and faceoff plays.",
)

# Who comes to what, besides the team's players.
PRACTICE, GAME, MEETING, GYM, MEDICAL, TRAVEL = "practice", "game", "meeting", "gym", "medical", "travel"


@dataclass(frozen=True, slots=True)
class Slot:
    key: str
    kind: CalendarEventKind
    title: str
    start: time
    minutes: int
    resource: str | None
    audience: str
    description: str | None = None
    location: str | None = None


def _weekly_plan(team: DemoTeam, day: date, week_parity: int) -> list[Slot]:
    """The team's events on `day`. Senior away games on Saturdays fall in the weeks the U18 play at home,
    so the bus and the main rink are never wanted twice at once."""
    weekday = day.weekday()
    focus = PRACTICE_FOCUS[day.toordinal() % len(PRACTICE_FOCUS)]
    opponent = OPPONENTS[(day.toordinal() + (0 if team.category == "senior" else 3)) % len(OPPONENTS)]
    name = team.name

    def practice(start: time, minutes: int, rink: str) -> Slot:
        return Slot("practice", CalendarEventKind.PRACTICE, f"Practice: {name}", start, minutes, rink, PRACTICE, focus)

    if team.category == "senior":
        plan = {
            0: [practice(time(17), 90, "main-rink"), _gym(name, time(15, 30))],
            1: [practice(time(17), 90, "main-rink")],
            2: _game(name, opponent, time(19), home=week_parity == 1, bus_out=time(15, 30), bus_back=time(23, 45)),
            3: [practice(time(17), 90, "main-rink"), _gym(name, time(15, 30))],
            4: [_video(name, time(16), 60), practice(time(17, 30), 60, "practice-rink")],
            5: _game(name, opponent, time(16), home=week_parity == 1, bus_out=time(12), bus_back=time(21, 30)),
        }
    else:
        plan = {
            0: [practice(time(16), 90, "practice-rink")],
            1: [practice(time(16), 90, "practice-rink"), _gym(name, time(17, 45))],
            2: [practice(time(16), 90, "practice-rink")],
            3: [practice(time(16), 90, "practice-rink"), _video(name, time(18), 45)],
            5: _game(name, opponent, time(12), home=week_parity == 0, bus_out=time(8, 30), bus_back=time(16)),
            6: _game(name, opponent, time(13), home=week_parity == 1, bus_out=time(9, 30), bus_back=time(17, 30)),
        }
    return plan.get(weekday, [])


def _gym(team_name: str, start: time) -> Slot:
    return Slot(
        "gym",
        CalendarEventKind.TRAINING,
        f"Gym: {team_name}",
        start,
        60,
        "gym",
        GYM,
        "Strength block: lower body and core, then mobility.",
    )


def _video(team_name: str, start: time, minutes: int) -> Slot:
    return Slot(
        "video",
        CalendarEventKind.MEETING,
        f"Video meeting: {team_name}",
        start,
        minutes,
        "video-room",
        MEETING,
        "Review of last week's games and the next opponent's power play.",
    )


def _game(
    team_name: str, opponent: tuple[str, str], start: time, *, home: bool, bus_out: time, bus_back: time
) -> list[Slot]:
    rival, arena = opponent
    if home:
        return [
            Slot(
                "game",
                CalendarEventKind.GAME,
                f"{team_name} vs {rival}",
                start,
                150,
                "main-rink",
                GAME,
                "Home game. Players at the rink 90 minutes before puck drop.",
            )
        ]
    travel_minutes = (datetime.combine(date.min, bus_back) - datetime.combine(date.min, bus_out)).seconds // 60
    return [
        Slot(
            "game",
            CalendarEventKind.GAME,
            f"{team_name} at {rival}",
            start,
            150,
            None,
            GAME,
            "Away game.",
            location=arena,
        ),
        Slot(
            "bus",
            CalendarEventKind.OTHER,
            f"Team bus to {arena}",
            bus_out,
            travel_minutes,
            "team-bus",
            TRAVEL,
            "Bus leaves from the arena parking lot; be there 15 minutes early.",
        ),
    ]


def _medical_day(club: DemoClub) -> date:
    """The Tuesday of the week after `today`: the club's medical check day."""
    return club.today + timedelta(days=(1 - club.today.weekday()) % 7 + 7)


def _cancelled_gym_day(club: DemoClub) -> date:
    """A Thursday this coming week: the gym floor is being redone."""
    return club.today + timedelta(days=(3 - club.today.weekday()) % 7 or 7)


def _staff_of(club: DemoClub, team: DemoTeam, *roles: Role) -> list[DemoPerson]:
    return [person for person in club.staff if team.id in person.team_ids and person.staff_role in roles]


def _people(club: DemoClub, team: DemoTeam, audience: str) -> tuple[DemoPerson, list[DemoPerson]]:
    """(organizer, other staff attending) for an event of the team."""
    coaches = _staff_of(club, team, Role.COACH, Role.ASSISTANT_COACH)
    head = next(person for person in coaches if person.staff_role is Role.COACH)
    medical = _staff_of(club, team, Role.MEDICAL_STAFF)
    # The physiotherapist travels with the senior team, the doctor covers the U18 games.
    game_medic = medical[-1] if team.category == "senior" else medical[0]
    equipment = _staff_of(club, team, Role.EQUIPMENT_MANAGER) if team.category == "senior" else []
    if audience == GYM:
        return _staff_of(club, team, Role.PHYSICAL_TRAINER)[0], []
    if audience == MEDICAL:
        return medical[0], medical[1:]
    if audience in (GAME, TRAVEL):
        return head, [*coaches[1:], *equipment, game_medic]
    return head, [person for person in coaches if person is not head]


def _answer(rng: random.Random, *, starts_at: datetime, now: datetime) -> RsvpStatus:
    roll = rng.random()
    if starts_at < now:
        table = ((0.86, RsvpStatus.ACCEPTED), (0.94, RsvpStatus.DECLINED), (0.97, RsvpStatus.TENTATIVE))
    elif starts_at < now + timedelta(days=3):
        table = ((0.70, RsvpStatus.ACCEPTED), (0.80, RsvpStatus.TENTATIVE), (0.86, RsvpStatus.DECLINED))
    else:
        table = ((0.35, RsvpStatus.ACCEPTED), (0.41, RsvpStatus.TENTATIVE), (0.45, RsvpStatus.DECLINED))
    return next((status for limit, status in table if roll < limit), RsvpStatus.PENDING)


def _event(
    club: DemoClub,
    team: DemoTeam,
    day: date,
    slot: Slot,
    *,
    zone: ZoneInfo,
    resources: dict[str, CalendarResource],
    now: datetime,
) -> tuple[CalendarEvent, list[EventAttendee]]:
    event_id = demo_id("calendar", "event", team.id, day.isoformat(), slot.key)
    starts_at = datetime.combine(day, slot.start, zone).astimezone(UTC)
    ends_at = starts_at + timedelta(minutes=slot.minutes)
    resource = resources[slot.resource] if slot.resource else None
    organizer, staff = _people(club, team, slot.audience)
    event = CalendarEvent(
        id=event_id,
        organization_id=club.organization_id,
        kind=slot.kind,
        title=slot.title,
        description=slot.description,
        team_id=team.id,
        location=slot.location or (resource.location if resource else f"Medical room, {ARENA}"),
        resource_id=resource.id if resource else None,
        starts_at=starts_at,
        ends_at=ends_at,
        organizer_user_id=organizer.id,
        status=CalendarEventStatus.SCHEDULED,
        time_zone=club.time_zone,
        booking_status=BookingStatus.CONFIRMED if resource else None,
    )
    if slot.key == "gym" and team.category == "senior" and day == _cancelled_gym_day(club):
        event.status = CalendarEventStatus.CANCELLED
        event.cancelled_at = starts_at - timedelta(days=2)
        event.cancellation_reason = "The gym floor is being resurfaced; do the home programme instead."
    rng = random.Random(str(event_id))
    invited_at = starts_at - timedelta(days=10)
    attendees = [
        EventAttendee(event_id=event_id, user_id=organizer.id, status=RsvpStatus.ACCEPTED, responded_at=invited_at)
    ]
    for person in staff:
        attendees.append(
            EventAttendee(
                event_id=event_id,
                user_id=person.id,
                status=RsvpStatus.ACCEPTED if rng.random() < 0.9 else RsvpStatus.TENTATIVE,
                responded_at=invited_at + timedelta(hours=rng.randint(1, 48)),
            )
        )
    for player in club.roster(team.id):
        status = _answer(rng, starts_at=starts_at, now=now)
        responded = None
        if status is not RsvpStatus.PENDING:
            responded = min(invited_at + timedelta(hours=rng.randint(2, 200)), starts_at - timedelta(hours=2))
        attendees.append(
            EventAttendee(event_id=event_id, user_id=player.user.id, status=status, responded_at=responded)
        )
    return event, attendees


async def load_demo(session: AsyncSession, club: DemoClub) -> bool:
    if await session.get(CalendarResource, demo_id("calendar", "resource", "main-rink")) is not None:
        return False
    zone = ZoneInfo(club.time_zone)
    resources = {
        key: CalendarResource(
            id=demo_id("calendar", "resource", key),
            organization_id=club.organization_id,
            name=name,
            kind=kind,
            capacity=capacity,
            location=location,
            is_active=True,
            **RESOURCE_RULES.get(key, {}),
        )
        for key, name, kind, capacity, location in RESOURCES
    }
    session.add(CalendarSettings(organization_id=club.organization_id, time_zone=club.time_zone, updated_at=utcnow()))
    session.add_all(resources.values())
    await session.flush()
    now = datetime.combine(club.today, time(12), zone)
    all_events: list[CalendarEvent] = []
    all_attendees: list[EventAttendee] = []
    for offset in range(-DAYS_BEFORE, DAYS_AFTER + 1):
        day = club.today + timedelta(days=offset)
        parity = day.isocalendar().week % 2
        for team in club.teams:
            slots = _weekly_plan(team, day, parity)
            if day == _medical_day(club):
                slots = [*slots, _medical(team)]
            for slot in slots:
                event, attendees = _event(club, team, day, slot, zone=zone, resources=resources, now=now)
                all_events.append(event)
                all_attendees.extend(attendees)
    series, exception = _morning_skate(club, zone=zone, main_rink=resources["main-rink"])
    session.add_all([*all_events, series])
    await session.flush()
    session.add(exception)
    await session.flush()
    skaters = [person.id for person in _staff_of(club, club.teams[0], Role.COACH, Role.ASSISTANT_COACH)]
    skaters += [player.user.id for player in club.roster(club.teams[0].id)]
    for event_id in (series.id, exception.id):
        all_attendees += [
            EventAttendee(event_id=event_id, user_id=user_id, status=RsvpStatus.ACCEPTED) for user_id in skaters
        ]
    session.add_all(all_attendees)
    await session.flush()
    await _load_availability(session, club, loaded_at=now)
    return True


RESOURCE_RULES: dict[str, dict[str, object]] = {
    "main-rink": {"buffer_minutes": 15},
    "gym": {
        "opening_hours": [
            *({"weekday": day, "opens": "06:00", "closes": "22:00"} for day in range(5)),
            *({"weekday": day, "opens": "08:00", "closes": "20:00"} for day in (5, 6)),
        ]
    },
    "team-bus": {"requires_approval": True},
}
"""Resurfacing between bookings of the main rink, the gym's opening hours, and the bus only with the
equipment manager's approval (the demo's own bookings are confirmed)."""


def _morning_skate(
    club: DemoClub, *, zone: ZoneInfo, main_rink: CalendarResource
) -> tuple[CalendarEvent, CalendarEvent]:
    """A weekly senior morning skate on Wednesdays (game days) from two weeks back, four times, as one
    series; the one after today is cancelled (an exception row)."""
    senior = club.teams[0]
    first_day = club.today - timedelta(days=14)
    first_day += timedelta(days=(2 - first_day.weekday()) % 7)
    starts_at = datetime.combine(first_day, time(9, 30), zone).astimezone(UTC)
    head = _staff_of(club, senior, Role.COACH)[0]
    details = {
        "organization_id": club.organization_id,
        "kind": CalendarEventKind.PRACTICE,
        "title": f"Morning skate: {senior.name}",
        "description": "Game-day skate: 45 minutes, light, special teams last.",
        "team_id": senior.id,
        "location": main_rink.location,
        "resource_id": main_rink.id,
        "organizer_user_id": head.id,
        "time_zone": club.time_zone,
        "booking_status": BookingStatus.CONFIRMED,
        "reminder_minutes": [90],
    }
    rule = "FREQ=WEEKLY;BYDAY=WE;COUNT=4"
    series = CalendarEvent(
        id=demo_id("calendar", "series", "morning-skate"),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=45),
        recurrence_rule=rule,
        status=CalendarEventStatus.SCHEDULED,
        **details,
    )
    last = recurrence.last_start(rule, starts_at, club.time_zone)
    assert last is not None
    series.recurs_until = last + timedelta(minutes=45)
    skipped = next(s for s in recurrence.starts(rule, starts_at, club.time_zone) if s.date() > club.today)
    exception = CalendarEvent(
        id=demo_id("calendar", "series", "morning-skate", skipped.isoformat()),
        starts_at=skipped,
        ends_at=skipped + timedelta(minutes=45),
        series_id=series.id,
        original_starts_at=skipped,
        status=CalendarEventStatus.CANCELLED,
        cancelled_at=skipped - timedelta(days=3),
        cancellation_reason="Optional rest: back-to-back games this week.",
        **details,
    )
    return series, exception


def _forward(club: DemoClub, team_index: int, nth: int) -> DemoPlayer:
    roster = club.roster(club.teams[team_index].id)
    return [player for player in roster if player.position in ("center", "left_wing", "right_wing")][nth]


async def _load_availability(session: AsyncSession, club: DemoClub, *, loaded_at: datetime) -> None:
    """The roster copy, and the days out of the medical demo's injuries (`subgraphs/medical/demo.py`), as
    its events would have left them: a senior forward's knee, the demo parent's child's shoulder, and an
    ankle healed a month ago."""
    await copy_demo_roster(session, club, occurred_at=loaded_at)
    today = club.today
    injuries = (
        ("knee", _forward(club, 0, 2).id, today - timedelta(days=12), today + timedelta(days=240)),
        ("shoulder", club.parents[0].child_ids[0], today - timedelta(days=19), today + timedelta(days=9)),
        ("ankle", _forward(club, 0, 5).id, today - timedelta(days=46), today - timedelta(days=33)),
    )
    for key, player_id, starts_on, available_from in injuries:
        await record_unavailability(
            session,
            source_id=demo_id("medical", "injury", key),
            organization_id=club.organization_id,
            player_id=player_id,
            reason=UnavailabilityReason.INJURY,
            starts_on=starts_on,
            available_from=available_from,
            occurred_at=loaded_at,
        )


def _medical(team: DemoTeam) -> Slot:
    senior = team.category == "senior"
    return Slot(
        "medical",
        CalendarEventKind.MEDICAL,
        f"Medical check: {team.name}",
        time(9) if senior else time(13),
        180 if senior else 150,
        None,
        MEDICAL,
        "Season medical: blood pressure, ECG, concussion baseline test and a physio screening.",
    )
