"""The demo club's season with its four phases and their training blocks, a drill library, two weeks of
practice plans in sections, game plans with lines for the senior team's next and last game, a few
development goals, and the roster copy of every demo player.

Practice days and focuses follow the same weekly rhythm as the demo calendar: the senior team is on the
ice Monday, Tuesday, Thursday and (a short pre-game skate) Friday, the U18 Monday to Thursday; the senior
team plays Wednesdays and Saturdays. Practice sections that have a drill of the library link to it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import Role
from shared.demo import DemoClub, DemoPlayer, DemoTeam, demo_id
from shared.roster import copy_demo_roster
from subgraphs.planning.models import (
    BlockIntensity,
    DevelopmentGoal,
    DrillCategory,
    DrillDifficulty,
    DrillRating,
    GamePlan,
    GoalProgressUpdate,
    GoalStatus,
    LineType,
    LineupGroup,
    LineupSlot,
    PhaseBlock,
    PracticeDrill,
    PracticePlan,
    PracticePlanStatus,
    Season,
    SeasonPhase,
    SeasonPhaseKind,
    TrainingDay,
)
from subgraphs.planning.models import (
    Drill as LibraryDrill,
)

Drill = tuple[str, int, DrillCategory | None, str]

WARM_UP: Drill = (
    "Dynamic warm-up",
    10,
    DrillCategory.SKATING,
    "Edges, crossovers and stops, both directions.",
)
COOL_DOWN: Drill = ("Cool-down and stretch", 5, None, "Easy laps, then stretching on the bench.")

# Six practices, one per focus, each filling 85 of 90 minutes (the rest is water breaks).
PRACTICES: tuple[tuple[str, str, tuple[Drill, ...]], ...] = (
    (
        "Breakouts",
        "Breakouts and neutral-zone regroups.",
        (
            WARM_UP,
            ("Breakout 5-on-0", 15, DrillCategory.TEAM_SYSTEMS, "Strong-side, reverse and wheel options."),
            (
                "D-to-D regroup and stretch pass",
                15,
                DrillCategory.PASSING,
                "Timing of the far winger's stretch.",
            ),
            ("Neutral-zone 3-on-2 rushes", 20, DrillCategory.POSITIONING, "Support and the trailer's lane."),
            (
                "Half-ice 2-on-2 battles",
                20,
                DrillCategory.SMALL_AREA_GAMES,
                "Win the puck, move it out fast.",
            ),
            COOL_DOWN,
        ),
    ),
    (
        "Power play",
        "Power-play entries and net-front battles.",
        (
            WARM_UP,
            ("Drop-pass entry", 15, DrillCategory.TEAM_SYSTEMS, "Two entries, read the red-line pressure."),
            ("Umbrella puck movement", 15, DrillCategory.PASSING, "One-touch passes, shooting lanes."),
            (
                "Net-front tips and screens",
                15,
                DrillCategory.SHOOTING,
                "Sticks on the ice, eyes on the puck.",
            ),
            ("5-on-4 live", 25, DrillCategory.TEAM_SYSTEMS, "Two-minute shifts, PK kills the clock."),
            COOL_DOWN,
        ),
    ),
    (
        "D-zone coverage",
        "Defensive-zone coverage and shot blocking.",
        (
            WARM_UP,
            ("Box-plus-one coverage walk-through", 15, DrillCategory.POSITIONING, "Switches below the dots."),
            ("Gap control 1-on-1s", 15, DrillCategory.CHECKING, "Stick on puck, body through the hands."),
            (
                "Shot-blocking lanes",
                10,
                DrillCategory.POSITIONING,
                "Block with the shin pads, not the hands.",
            ),
            ("Goalie screens and rebounds", 10, DrillCategory.GOALIE, "Goalie tracks through traffic."),
            ("3-on-3 down low", 20, DrillCategory.SMALL_AREA_GAMES, "Defend the slot, win the rebound."),
            COOL_DOWN,
        ),
    ),
    (
        "Forecheck",
        "2-1-2 forecheck and puck battles along the boards.",
        (
            WARM_UP,
            ("2-1-2 forecheck pattern", 15, DrillCategory.TEAM_SYSTEMS, "F1 angles, F2 reads, F3 high."),
            ("Wall battles", 15, DrillCategory.CHECKING, "Pin, win, support."),
            ("Cycle and shoot", 15, DrillCategory.SHOOTING, "Low-to-high, shots through traffic."),
            ("Forecheck vs breakout, live", 25, DrillCategory.TEAM_SYSTEMS, "Full ice, five on five."),
            COOL_DOWN,
        ),
    ),
    (
        "Skating",
        "Skating: edges, crossovers and transition speed.",
        (
            WARM_UP,
            ("Edge work circuit", 15, DrillCategory.SKATING, "Inside and outside edges through the cones."),
            ("Transition skating", 15, DrillCategory.SKATING, "Forward to backward at the blue lines."),
            ("Pass and skate relay", 15, DrillCategory.PASSING, "Hard passes at top speed."),
            ("Small-area 3-on-3 cross-ice", 20, DrillCategory.SMALL_AREA_GAMES, "Short shifts, high tempo."),
            ("Goalie post-to-post", 5, DrillCategory.GOALIE, "Goalies with the goalie coach at the far end."),
            COOL_DOWN,
        ),
    ),
    (
        "Special teams",
        "Special teams and faceoff plays.",
        (
            WARM_UP,
            ("Faceoff plays", 15, DrillCategory.TEAM_SYSTEMS, "Offensive-zone set plays off a clean win."),
            ("Penalty kill diamond", 15, DrillCategory.POSITIONING, "Pressure on the half wall."),
            ("Power play vs penalty kill", 25, DrillCategory.TEAM_SYSTEMS, "Live, both units."),
            ("Shooting gallery", 15, DrillCategory.SHOOTING, "Quick release from the slot."),
            COOL_DOWN,
        ),
    ),
)

PRE_GAME_SKATE: tuple[Drill, ...] = (
    ("Easy warm-up", 10, DrillCategory.SKATING, "Loosen up, no contact."),
    ("Line rushes", 15, DrillCategory.TEAM_SYSTEMS, "Each line twice, finish on net."),
    ("Power-play walk-through", 15, DrillCategory.TEAM_SYSTEMS, "Set plays for tomorrow's opponent."),
    ("Shooting and goalie warm-up", 15, DrillCategory.GOALIE, "Goalies see every kind of shot."),
)

SENIOR_DAYS = {0: 90, 1: 90, 3: 90, 4: 60}
JUNIOR_DAYS = {0: 90, 1: 90, 2: 90, 3: 90}

PHASE_FOCUS = {
    SeasonPhaseKind.PRE_SEASON: "Aerobic base and strength, then systems installed before the first game.",
    SeasonPhaseKind.REGULAR_SEASON: "Game rhythm: two games a week, load managed around them.",
    SeasonPhaseKind.PLAYOFFS: "Recovery between games, special teams, opponent-specific video.",
    SeasonPhaseKind.OFF_SEASON: "Rest, then individual strength and skills programmes.",
}


def _phases(club: DemoClub) -> list[SeasonPhase]:
    year = club.season_start.year
    bounds = (
        (SeasonPhaseKind.PRE_SEASON, club.season_start, date(year, 9, 15)),
        (SeasonPhaseKind.REGULAR_SEASON, date(year, 9, 16), date(year + 1, 3, 1) - timedelta(days=1)),
        (SeasonPhaseKind.PLAYOFFS, date(year + 1, 3, 1), date(year + 1, 4, 15)),
        (SeasonPhaseKind.OFF_SEASON, date(year + 1, 4, 16), club.season_end),
    )
    return [
        SeasonPhase(
            id=demo_id("planning", "phase", club.season_id, kind.value),
            season_id=club.season_id,
            organization_id=club.organization_id,
            kind=kind,
            focus=PHASE_FOCUS[kind],
            start_date=start,
            end_date=end,
        )
        for kind, start, end in bounds
    ]


def _section(position: int, drill_name: str) -> str:
    if position == 1:
        return "Warm-up"
    return "Cool-down" if drill_name == COOL_DOWN[0] else "Main"


# The library: drills of the practices above, with what a coach needs to run them.
LIBRARY: tuple[tuple[str, DrillCategory, DrillDifficulty, int, int, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "Dynamic warm-up",
        DrillCategory.SKATING,
        DrillDifficulty.BEGINNER,
        1,
        10,
        ("Cones",),
        ("Knees bent, full extension", "Both directions"),
    ),
    (
        "Breakout 5-on-0",
        DrillCategory.TEAM_SYSTEMS,
        DrillDifficulty.INTERMEDIATE,
        5,
        15,
        ("Pucks",),
        ("D shoulder-checks before the puck", "Wingers on the wall, stick on the ice"),
    ),
    (
        "Neutral-zone 3-on-2 rushes",
        DrillCategory.POSITIONING,
        DrillDifficulty.ADVANCED,
        10,
        20,
        ("Pucks", "Two nets"),
        ("Drive the middle lane", "Trailer late and high"),
    ),
    (
        "Gap control 1-on-1s",
        DrillCategory.CHECKING,
        DrillDifficulty.INTERMEDIATE,
        2,
        15,
        ("Pucks",),
        ("Stick on puck", "Match speed at the blue line"),
    ),
    (
        "Net-front tips and screens",
        DrillCategory.SHOOTING,
        DrillDifficulty.INTERMEDIATE,
        4,
        15,
        ("Pucks", "Net"),
        ("Blade on the ice", "Eyes on the puck, not the shooter"),
    ),
    (
        "Half-ice 2-on-2 battles",
        DrillCategory.SMALL_AREA_GAMES,
        DrillDifficulty.ADVANCED,
        4,
        20,
        ("Pucks", "Two nets"),
        ("Win the puck, move it fast", "Short shifts"),
    ),
    (
        "Goalie post-to-post",
        DrillCategory.GOALIE,
        DrillDifficulty.BEGINNER,
        1,
        5,
        ("Net",),
        ("Lead with the eyes", "Seal the post"),
    ),
    (
        "Umbrella puck movement",
        DrillCategory.PASSING,
        DrillDifficulty.ADVANCED,
        5,
        15,
        ("Pucks", "Net"),
        ("One-touch when the lane is open", "Shoot for tips"),
    ),
)
LIBRARY_NAMES = frozenset(name for name, *_ in LIBRARY)

# The breakout drawn on the rink: D1 behind the net, wingers on the walls, centre low; in feet.
BREAKOUT_DIAGRAM = {
    "markers": [
        {"kind": "player", "x": 8.0, "y": 42.5, "label": "D1"},
        {"kind": "player", "x": 25.0, "y": 10.0, "label": "LW"},
        {"kind": "player", "x": 25.0, "y": 75.0, "label": "RW"},
        {"kind": "player", "x": 30.0, "y": 42.5, "label": "C"},
        {"kind": "net", "x": 11.0, "y": 42.5, "label": None},
    ],
    "arrows": [
        {"kind": "pass", "from_x": 8.0, "from_y": 42.5, "to_x": 25.0, "to_y": 10.0},
        {"kind": "skate", "from_x": 30.0, "from_y": 42.5, "to_x": 60.0, "to_y": 20.0},
        {"kind": "pass", "from_x": 25.0, "from_y": 10.0, "to_x": 60.0, "to_y": 20.0},
    ],
}


def _library_id(club: DemoClub, name: str) -> uuid.UUID:
    return demo_id("planning", "library-drill", club.organization_id, name)


def _library(club: DemoClub) -> tuple[list[LibraryDrill], list[DrillRating]]:
    coaches = [person.id for person in club.staff if person.staff_role is Role.COACH]
    drills: list[LibraryDrill] = []
    ratings: list[DrillRating] = []
    for index, (name, category, difficulty, players, minutes, equipment, points) in enumerate(LIBRARY):
        drill_id = _library_id(club, name)
        drills.append(
            LibraryDrill(
                id=drill_id,
                organization_id=club.organization_id,
                name=name,
                category=category,
                difficulty=difficulty,
                players_needed=players,
                duration_minutes=minutes,
                equipment=list(equipment),
                coaching_points=list(points),
                diagram=BREAKOUT_DIAGRAM if name == "Breakout 5-on-0" else None,
                created_by_user_id=coaches[0],
            )
        )
        ratings.extend(
            DrillRating(
                id=demo_id("planning", "drill-rating", drill_id, coach),
                drill_id=drill_id,
                user_id=coach,
                stars=5 - (index + number) % 3,
            )
            for number, coach in enumerate(coaches)
        )
    return drills, ratings


def _blocks(club: DemoClub, phases: list[SeasonPhase]) -> list[PhaseBlock]:
    """Pre-season: a base block then a peak into the first game; the regular season: a loading block, a
    recovery week, then game rhythm to the end of the phase."""
    pre, regular = phases[0], phases[1]
    game_week = [
        {"weekday": 1, "activity": TrainingDay.PRACTICE.value, "note": None},
        {"weekday": 2, "activity": TrainingDay.PRACTICE.value, "note": None},
        {"weekday": 3, "activity": TrainingDay.GAME.value, "note": None},
        {"weekday": 4, "activity": TrainingDay.PRACTICE.value, "note": None},
        {"weekday": 5, "activity": TrainingDay.PRACTICE.value, "note": "Pre-game skate"},
        {"weekday": 6, "activity": TrainingDay.GAME.value, "note": None},
        {"weekday": 7, "activity": TrainingDay.REST.value, "note": None},
    ]
    mid = pre.start_date + (pre.end_date - pre.start_date) // 2
    specs = (
        (pre, "Aerobic base", BlockIntensity.MEDIUM, pre.start_date, mid, ["Aerobic base", "Strength"]),
        (pre, "Camp and systems", BlockIntensity.PEAK, mid + timedelta(days=1), pre.end_date, ["Team systems"]),
        (
            regular,
            "Early season load",
            BlockIntensity.HIGH,
            regular.start_date,
            regular.start_date + timedelta(days=41),
            ["Special teams", "Conditioning"],
        ),
        (
            regular,
            "Recovery week",
            BlockIntensity.RECOVERY,
            regular.start_date + timedelta(days=42),
            regular.start_date + timedelta(days=48),
            ["Recovery"],
        ),
        (
            regular,
            "Game rhythm",
            BlockIntensity.MEDIUM,
            regular.start_date + timedelta(days=49),
            regular.end_date,
            ["Special teams", "Opponent video"],
        ),
    )
    return [
        PhaseBlock(
            id=demo_id("planning", "block", phase.id, name),
            phase_id=phase.id,
            organization_id=club.organization_id,
            name=name,
            intensity=intensity,
            focus_areas=focus,
            start_date=start,
            end_date=end,
            weekly_structure=game_week,
        )
        for phase, name, intensity, start, end, focus in specs
    ]


# As the demo calendar names the senior team's opponents (it picks one by the day's ordinal).
OPPONENTS = (
    "Northside Wolves",
    "Harbor City Hawks",
    "Ridgeview Rangers",
    "Pinecrest Bears",
    "Eastport Eagles",
    "Valley Vipers",
)
SENIOR_GAME_DAYS = (2, 5)


def _senior_game(club: DemoClub, *, after: bool) -> date:
    step = 1 if after else -1
    day = club.today if after else club.today - timedelta(days=1)
    while day.weekday() not in SENIOR_GAME_DAYS:
        day += timedelta(days=step)
    return day


def _lines(game_plan_id: uuid.UUID, team_players: list[DemoPlayer]) -> list[LineupSlot]:
    """Even strength: four lines (LW, C, RW), three pairs, two goalies; power play: two units of 3F + 2D;
    penalty kill: two units of 2F + 2D."""

    def of(position: str) -> list[DemoPlayer]:
        return [p for p in team_players if p.position == position]

    lw, c, rw, d, g = of("left_wing"), of("center"), of("right_wing"), of("defense"), of("goalie")
    units: list[tuple[LineType, LineupGroup, int, list[DemoPlayer]]] = [
        *((LineType.EVEN_STRENGTH, LineupGroup.FORWARDS, n + 1, [lw[n], c[n], rw[n]]) for n in range(4)),
        *((LineType.EVEN_STRENGTH, LineupGroup.DEFENCE, n + 1, d[2 * n : 2 * n + 2]) for n in range(3)),
        (LineType.EVEN_STRENGTH, LineupGroup.GOALIES, 1, g),
        *((LineType.POWER_PLAY, LineupGroup.FORWARDS, n + 1, [lw[n], c[n], rw[n]]) for n in range(2)),
        *((LineType.POWER_PLAY, LineupGroup.DEFENCE, n + 1, d[2 * n : 2 * n + 2]) for n in range(2)),
        *((LineType.PENALTY_KILL, LineupGroup.FORWARDS, n + 1, [c[n + 2], rw[n + 2]]) for n in range(2)),
        *((LineType.PENALTY_KILL, LineupGroup.DEFENCE, n + 1, d[2 * n + 2 : 2 * n + 4]) for n in range(2)),
    ]
    return [
        LineupSlot(
            id=demo_id("planning", "lineup", game_plan_id, kind.value, group.value, unit, position),
            game_plan_id=game_plan_id,
            line_type=kind,
            group=group,
            unit=unit,
            position=position,
            player_id=player.id,
        )
        for kind, group, unit, players in units
        for position, player in enumerate(players, start=1)
    ]


def _game_plans(club: DemoClub) -> tuple[list[GamePlan], list[LineupSlot]]:
    senior = next(team for team in club.teams if team.category == "senior")
    coach = _head_coach(club, senior)
    plans: list[GamePlan] = []
    slots: list[LineupSlot] = []
    for after in (True, False):
        day = _senior_game(club, after=after)
        plan_id = demo_id("planning", "game-plan", senior.id, day.isoformat())
        played = day < club.today
        plans.append(
            GamePlan(
                id=plan_id,
                organization_id=club.organization_id,
                team_id=senior.id,
                game_id=demo_id("calendar", "event", senior.id, day.isoformat(), "game"),
                game_date=day,
                opponent=OPPONENTS[day.toordinal() % len(OPPONENTS)],
                objectives="Win the neutral zone; shots from the slot; stay out of the box.",
                period_notes=[
                    {"period": 1, "note": "Simple first ten minutes: pucks deep, finish checks."},
                    {"period": 2, "note": "Long change: quick ups, no cross-ice passes at our blue line."},
                    {"period": 3, "note": "Protect the lead with the third line; PK unit 1 first."},
                ],
                matchups=[
                    {"line_type": LineType.EVEN_STRENGTH.value, "unit": 1, "opponent": "Their top line", "note": None},
                    {
                        "line_type": LineType.PENALTY_KILL.value,
                        "unit": 1,
                        "opponent": "Their first power-play unit",
                        "note": "Pressure the half wall.",
                    },
                ],
                review="Good start, won the neutral zone; the power play needs a second entry." if played else None,
                reviewed_at=datetime.combine(day + timedelta(days=1), time(9), tzinfo=UTC) if played else None,
                reviewed_by_user_id=coach if played else None,
                created_by_user_id=coach,
            )
        )
        slots.extend(_lines(plan_id, club.roster(senior.id)))
    return plans, slots


def _head_coach(club: DemoClub, team: DemoTeam) -> uuid.UUID:
    return next(p.id for p in club.staff if team.id in p.team_ids and p.staff_role is Role.COACH)


def _practice_plans(club: DemoClub) -> tuple[list[PracticePlan], list[PracticeDrill]]:
    plans: list[PracticePlan] = []
    drills: list[PracticeDrill] = []
    for team in club.teams:
        days = SENIOR_DAYS if team.category == "senior" else JUNIOR_DAYS
        for offset in range(-7, 8):
            day = club.today + timedelta(days=offset)
            duration = days.get(day.weekday())
            if duration is None:
                continue
            if duration == 90:
                name, focus, template = PRACTICES[day.toordinal() % len(PRACTICES)]
                title = f"{name} ({team.age_group})"
            else:
                focus, template, title = (
                    "Pre-game skate before Saturday's game.",
                    PRE_GAME_SKATE,
                    "Pre-game skate",
                )
            plan_id = demo_id("planning", "practice", team.id, day.isoformat())
            status = PracticePlanStatus.COMPLETED if day < club.today else PracticePlanStatus.PLANNED
            plans.append(
                PracticePlan(
                    id=plan_id,
                    organization_id=club.organization_id,
                    team_id=team.id,
                    title=title,
                    practice_date=day,
                    duration_minutes=duration,
                    focus=focus,
                    status=status,
                    created_by_user_id=_head_coach(club, team),
                )
            )
            drills.extend(
                PracticeDrill(
                    id=demo_id("planning", "drill", plan_id, position),
                    practice_plan_id=plan_id,
                    position=position,
                    name=drill_name,
                    minutes=minutes,
                    category=category,
                    description=description,
                    drill_id=_library_id(club, drill_name) if drill_name in LIBRARY_NAMES else None,
                    section=_section(position, drill_name),
                )
                for position, (drill_name, minutes, category, description) in enumerate(template, start=1)
            )
    return plans, drills


@dataclass(frozen=True, slots=True)
class _Goal:
    key: str
    title: str
    metric: str
    unit: str
    start: str
    target: str
    measurements: tuple[str, ...]
    """Oldest first; the last one is the current value."""
    team: DemoTeam | None = None
    player: DemoPlayer | None = None


def _first(club: DemoClub, team: DemoTeam, position: str) -> DemoPlayer:
    return next(p for p in club.roster(team.id) if p.position == position)


def _goal_specs(club: DemoClub) -> list[_Goal]:
    senior, junior = club.teams
    return [
        _Goal(
            "pp",
            "Power-play efficiency",
            "Power-play conversion",
            "%",
            "16.0",
            "22.0",
            ("17.5", "19.4"),
            team=senior,
        ),
        _Goal(
            "ga",
            "Fewer goals against",
            "Goals against per game",
            "goals",
            "3.20",
            "2.50",
            ("2.95", "2.80"),
            team=senior,
        ),
        _Goal(
            "shots",
            "More shots on goal",
            "Shots on goal per game",
            "shots",
            "26.0",
            "32.0",
            ("27.5", "29.5"),
            team=junior,
        ),
        _Goal(
            "faceoffs",
            "Win more faceoffs",
            "Faceoff win rate",
            "%",
            "47.0",
            "55.0",
            ("49.0", "51.2"),
            player=_first(club, senior, "center"),
        ),
        _Goal(
            "deadlift",
            "Off-ice strength",
            "Trap-bar deadlift, one-rep max",
            "kg",
            "140",
            "160",
            ("150", "162"),
            player=_first(club, senior, "defense"),
        ),
        _Goal(
            "sprint",
            "First-step speed",
            "40 m sprint",
            "s",
            "5.85",
            "5.55",
            ("5.78", "5.70"),
            player=_first(club, junior, "left_wing"),
        ),
        _Goal(
            "saves",
            "Save percentage",
            "Save percentage",
            "%",
            "88.5",
            "91.0",
            ("89.6", "90.2"),
            player=_first(club, junior, "goalie"),
        ),
    ]


def _goals(club: DemoClub) -> tuple[list[DevelopmentGoal], list[GoalProgressUpdate]]:
    goals: list[DevelopmentGoal] = []
    updates: list[GoalProgressUpdate] = []
    for index, spec in enumerate(_goal_specs(club)):
        goal_id = demo_id("planning", "goal", club.season_id, spec.key)
        team = spec.team or next(t for t in club.teams if spec.player and t.id == spec.player.team_id)
        start, target = Decimal(spec.start), Decimal(spec.target)
        current = Decimal(spec.measurements[-1])
        reached = current >= target if target > start else current <= target
        goals.append(
            DevelopmentGoal(
                id=goal_id,
                organization_id=club.organization_id,
                team_id=spec.team.id if spec.team else None,
                player_id=spec.player.id if spec.player else None,
                title=spec.title,
                metric=spec.metric,
                unit=spec.unit,
                start_value=start,
                target_value=target,
                current_value=current,
                due_date=club.today + timedelta(days=60 + 15 * index),
                status=GoalStatus.ACHIEVED if reached else GoalStatus.ACTIVE,
                created_by_user_id=_head_coach(club, team),
            )
        )
        count = len(spec.measurements)
        updates.extend(
            GoalProgressUpdate(
                id=demo_id("planning", "goal-progress", goal_id, number),
                goal_id=goal_id,
                value=Decimal(value),
                note="Monthly check-in" if number < count - 1 else "Latest measurement",
                recorded_on=club.today - timedelta(days=7 + 28 * (count - 1 - number)),
                recorded_by_user_id=_head_coach(club, team),
            )
            for number, value in enumerate(spec.measurements)
        )
    return goals, updates


async def load_demo(session: AsyncSession, club: DemoClub) -> bool:
    if await session.get(Season, club.season_id) is not None:
        return False
    session.add(
        Season(
            id=club.season_id,
            organization_id=club.organization_id,
            name=club.season_name,
            start_date=club.season_start,
            end_date=club.season_end,
        )
    )
    await session.flush()
    loaded_at = datetime.now(UTC)
    await copy_demo_roster(session, club, occurred_at=loaded_at)
    phases = _phases(club)
    session.add_all(phases)
    library, ratings = _library(club)
    session.add_all(library)
    plans, drills = _practice_plans(club)
    session.add_all(plans)
    goals, updates = _goals(club)
    session.add_all(goals)
    game_plans, slots = _game_plans(club)
    session.add_all(game_plans)
    await session.flush()
    session.add_all(_blocks(club, phases))
    session.add_all(ratings)
    session.add_all(drills)
    session.add_all(updates)
    session.add_all(slots)
    await session.flush()
    return True
