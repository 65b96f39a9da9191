"""The demo club's season with its four phases, two weeks of practice plans and a few development goals.

Practice days and focuses follow the same weekly rhythm as the demo calendar: the senior team is on the
ice Monday, Tuesday, Thursday and (a short pre-game skate) Friday, the U18 Monday to Thursday.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import Role
from shared.demo import DemoClub, DemoPlayer, DemoTeam, demo_id
from subgraphs.planning.models import (
    DevelopmentGoal,
    DrillCategory,
    GoalProgressUpdate,
    GoalStatus,
    PracticeDrill,
    PracticePlan,
    PracticePlanStatus,
    Season,
    SeasonPhase,
    SeasonPhaseKind,
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
    session.add_all(_phases(club))
    plans, drills = _practice_plans(club)
    session.add_all(plans)
    goals, updates = _goals(club)
    session.add_all(goals)
    await session.flush()
    session.add_all(drills)
    session.add_all(updates)
    await session.flush()
    return True
