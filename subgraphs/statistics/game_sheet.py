"""A game's sheet: what a stats-keeper records, checked for consistency and turned into the rows the
season numbers are summed from. Plain values in and out: no SQL, no GraphQL.

The sheet is recorded whole (`recordGameSheet` replaces the previous one): a stats-keeper's app keeps the
sheet on the bench tablet and sends it after each period or at the end, and replacing it is idempotent.

What the sheet holds, from the club's team's point of view:
- the game roster: skaters and goalies with their tallies (shots on goal, missed and blocked attempts,
  blocks, hits, faceoffs won and lost, time on ice; shots against and saves for goalies);
- goals of both sides in order (period, time, strength from the scorer's side; scorer, up to two
  assists and optionally the skaters on the ice for the team's own goals);
- penalties of both sides (the team's own name the player);
- the opponent's missed attempts (its shots on goal are what the goalies faced plus empty-net goals; its
  blocked attempts are the team's blocks).

Power plays follow from the penalties: the penalties called at one moment of the game (same period and
time) cancel out minor for minor; if the opponent is left with more power-play penalties (2, 4 or 5
minutes; misconducts create none) the team gets one power-play opportunity, and the other way round it is
shorthanded once. Plus/minus counts every goal except power-play goals, for the skaters on the ice.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from shared import validation
from shared.errors import InvalidInput
from subgraphs.statistics.models import GameDecision, GameSide, GoalStrength

REGULATION_PERIODS = 3
OVERTIME_PERIOD = 4
MAX_ON_ICE = 6
"""Five skaters, six with the goalie pulled."""
POWER_PLAY_MINUTES = frozenset({2, 4, 5})
PENALTY_MINUTES = frozenset({2, 4, 5, 10, 20})
"""Minor, double minor, major, misconduct, game misconduct or match penalty."""
MAX_GOALS = 99
MAX_COUNT = 200
MAX_FACEOFFS = 100
MAX_TIME_ON_ICE_SECONDS = 4 * 3600
MAX_JERSEY = 99


@dataclass(frozen=True, slots=True)
class SkaterEntry:
    player_id: uuid.UUID
    jersey_number: int | None = None
    shots: int = 0
    missed_shots: int = 0
    blocked_attempts: int = 0
    blocks: int = 0
    hits: int = 0
    faceoff_wins: int = 0
    faceoff_losses: int = 0
    time_on_ice_seconds: int = 0


@dataclass(frozen=True, slots=True)
class GoalieEntry:
    player_id: uuid.UUID
    shots_against: int
    saves: int
    time_on_ice_seconds: int
    jersey_number: int | None = None


@dataclass(frozen=True, slots=True)
class GoalEntry:
    side: GameSide
    period: int
    time: str
    """Elapsed in the period, "MM:SS"."""
    strength: GoalStrength = GoalStrength.EVEN
    scorer_id: uuid.UUID | None = None
    assist_ids: Sequence[uuid.UUID] = ()
    on_ice: Sequence[uuid.UUID] = ()


@dataclass(frozen=True, slots=True)
class PenaltyEntry:
    side: GameSide
    minutes: int
    infraction: str
    period: int
    time: str
    player_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class GameSheet:
    goals_for: int
    goals_against: int
    decided_in: GameDecision | None = None
    skaters: Sequence[SkaterEntry] = ()
    goalies: Sequence[GoalieEntry] = ()
    goals: Sequence[GoalEntry] = ()
    penalties: Sequence[PenaltyEntry] = ()
    opponent_missed_shots: int = 0
    period_minutes: int = 20
    overtime_minutes: int = 5


@dataclass(frozen=True, slots=True)
class Goal:
    sequence: int
    side: GameSide
    period: int
    period_seconds: int
    strength: GoalStrength
    scorer_id: uuid.UUID | None
    primary_assist_id: uuid.UUID | None
    secondary_assist_id: uuid.UUID | None
    on_ice: list[uuid.UUID]


@dataclass(frozen=True, slots=True)
class Penalty:
    sequence: int
    side: GameSide
    player_id: uuid.UUID | None
    minutes: int
    infraction: str
    period: int
    period_seconds: int


@dataclass(slots=True)
class SkaterLine:
    """A skater's derived line: the sheet's tallies plus what the goals and penalties give them."""

    entry: SkaterEntry
    goals: int = 0
    assists: int = 0
    plus_minus: int = 0
    penalty_minutes: int = 0
    power_play_goals: int = 0
    shorthanded_goals: int = 0


@dataclass(frozen=True, slots=True)
class TeamNumbers:
    shots_for: int
    shots_against: int
    missed_for: int
    missed_against: int
    blocked_for: int
    blocked_against: int
    power_play_goals: int
    power_play_opportunities: int
    power_play_goals_against: int
    times_shorthanded: int
    faceoff_wins: int
    faceoff_losses: int
    penalty_minutes: int


@dataclass(frozen=True, slots=True)
class CheckedSheet:
    goals_for: int
    goals_against: int
    decided_in: GameDecision | None
    skaters: list[SkaterLine]
    goalies: list[GoalieEntry]
    goals: list[Goal]
    penalties: list[Penalty]
    team: TeamNumbers


def parse_clock(value: str, *, field: str, period_seconds: int) -> int:
    """ "MM:SS" elapsed in the period -> seconds, within the period's length."""
    minutes, colon, seconds = value.strip().partition(":")
    if not colon or not minutes.isdigit() or not seconds.isdigit() or len(seconds) != 2 or int(seconds) > 59:
        raise InvalidInput(f"{value!r} is not a game clock time like 12:34", field=field)
    elapsed = int(minutes) * 60 + int(seconds)
    if elapsed > period_seconds:
        raise InvalidInput(f"{value} is past the end of the period ({period_seconds // 60}:00)", field=field)
    return elapsed


def _count(value: int, *, field: str, maximum: int = MAX_COUNT) -> int:
    return validation.integer(value, field=field, minimum=0, maximum=maximum)


def _jersey(value: int | None, *, field: str) -> int | None:
    return None if value is None else validation.integer(value, field=field, minimum=0, maximum=MAX_JERSEY)


def _check_roster(sheet: GameSheet) -> tuple[dict[uuid.UUID, SkaterLine], list[GoalieEntry]]:
    seen: dict[uuid.UUID, str] = {}
    jerseys: dict[int, str] = {}

    def enter(player_id: uuid.UUID, jersey: int | None, path: str) -> None:
        if player_id in seen:
            raise InvalidInput(
                f"the player is on the game roster twice (also {seen[player_id]})", field=f"{path}.playerId"
            )
        seen[player_id] = path
        if jersey is not None:
            if jersey in jerseys:
                raise InvalidInput(
                    f"jersey {jersey} is worn twice (also {jerseys[jersey]})", field=f"{path}.jerseyNumber"
                )
            jerseys[jersey] = path

    skaters: dict[uuid.UUID, SkaterLine] = {}
    for index, skater in enumerate(sheet.skaters):
        path = f"skaters[{index}]"
        enter(skater.player_id, _jersey(skater.jersey_number, field=f"{path}.jerseyNumber"), path)
        for name, label in (
            ("shots", "shots"),
            ("missed_shots", "missedShots"),
            ("blocked_attempts", "blockedAttempts"),
            ("blocks", "blocks"),
            ("hits", "hits"),
        ):
            _count(getattr(skater, name), field=f"{path}.{label}")
        _count(skater.faceoff_wins, field=f"{path}.faceoffWins", maximum=MAX_FACEOFFS)
        _count(skater.faceoff_losses, field=f"{path}.faceoffLosses", maximum=MAX_FACEOFFS)
        _count(skater.time_on_ice_seconds, field=f"{path}.timeOnIceSeconds", maximum=MAX_TIME_ON_ICE_SECONDS)
        skaters[skater.player_id] = SkaterLine(entry=skater)
    goalies: list[GoalieEntry] = []
    for index, goalie in enumerate(sheet.goalies):
        path = f"goalies[{index}]"
        enter(goalie.player_id, _jersey(goalie.jersey_number, field=f"{path}.jerseyNumber"), path)
        _count(goalie.shots_against, field=f"{path}.shotsAgainst")
        _count(goalie.saves, field=f"{path}.saves")
        _count(goalie.time_on_ice_seconds, field=f"{path}.timeOnIceSeconds", maximum=MAX_TIME_ON_ICE_SECONDS)
        if goalie.saves > goalie.shots_against:
            raise InvalidInput("saves cannot exceed shots against", field=f"{path}.saves")
        goalies.append(goalie)
    return skaters, goalies


def _period(value: int, *, field: str, decided_in: GameDecision | None) -> int:
    period = validation.integer(value, field=field, minimum=1, maximum=OVERTIME_PERIOD)
    if period == OVERTIME_PERIOD and decided_in is None:
        raise InvalidInput("period 4 is overtime, and this game was decided in regulation", field=field)
    return period


def _period_length(sheet: GameSheet, period: int) -> int:
    return (sheet.overtime_minutes if period == OVERTIME_PERIOD else sheet.period_minutes) * 60


def _check_goal(
    sheet: GameSheet, index: int, goal: GoalEntry, skaters: dict[uuid.UUID, SkaterLine], goalie_ids: set[uuid.UUID]
) -> Goal:
    path = f"goals[{index}]"
    period = _period(goal.period, field=f"{path}.period", decided_in=sheet.decided_in)
    seconds = parse_clock(goal.time, field=f"{path}.time", period_seconds=_period_length(sheet, period))
    assists = list(goal.assist_ids)
    on_ice = list(goal.on_ice)
    roster = skaters.keys() | goalie_ids
    if goal.side is GameSide.OPPONENT:
        if goal.scorer_id is not None or assists:
            raise InvalidInput(
                "the opponent's players are not tracked: leave scorer and assists empty", field=f"{path}.scorerId"
            )
    else:
        if goal.scorer_id is None:
            raise InvalidInput("the team's goal needs its scorer", field=f"{path}.scorerId")
        if goal.scorer_id not in roster:
            raise InvalidInput("the scorer is not on the team's game roster", field=f"{path}.scorerId")
        if len(assists) > 2:
            raise InvalidInput("a goal has at most two assists", field=f"{path}.assistIds")
        for position, assist in enumerate(assists):
            if assist == goal.scorer_id:
                raise InvalidInput("the scorer cannot also assist on the goal", field=f"{path}.assistIds[{position}]")
            if assist not in roster:
                raise InvalidInput("the assist is not on the team's game roster", field=f"{path}.assistIds[{position}]")
        if len(set(assists)) != len(assists):
            raise InvalidInput("the same player is credited with both assists", field=f"{path}.assistIds")
    if on_ice:
        if len(set(on_ice)) != len(on_ice):
            raise InvalidInput("a player is listed twice on the ice", field=f"{path}.onIce")
        if len(on_ice) > MAX_ON_ICE:
            raise InvalidInput(f"at most {MAX_ON_ICE} skaters are on the ice", field=f"{path}.onIce")
        for position, player_id in enumerate(on_ice):
            if player_id not in skaters:
                raise InvalidInput(
                    "only the team's skaters of the game count on the ice", field=f"{path}.onIce[{position}]"
                )
        involved = [goal.scorer_id, *assists] if goal.side is GameSide.TEAM else []
        if any(player_id not in on_ice for player_id in involved if player_id in skaters):
            raise InvalidInput("the scorer and the assists must be among the skaters on the ice", field=f"{path}.onIce")
    return Goal(
        sequence=index,
        side=goal.side,
        period=period,
        period_seconds=seconds,
        strength=goal.strength,
        scorer_id=goal.scorer_id,
        primary_assist_id=assists[0] if assists else None,
        secondary_assist_id=assists[1] if len(assists) > 1 else None,
        on_ice=on_ice,
    )


def _check_penalty(sheet: GameSheet, index: int, penalty: PenaltyEntry, roster: set[uuid.UUID]) -> Penalty:
    path = f"penalties[{index}]"
    period = _period(penalty.period, field=f"{path}.period", decided_in=sheet.decided_in)
    seconds = parse_clock(penalty.time, field=f"{path}.time", period_seconds=_period_length(sheet, period))
    if penalty.minutes not in PENALTY_MINUTES:
        allowed = ", ".join(str(minutes) for minutes in sorted(PENALTY_MINUTES))
        raise InvalidInput(f"penalty minutes are one of {allowed}", field=f"{path}.minutes")
    if penalty.side is GameSide.TEAM:
        if penalty.player_id is None:
            raise InvalidInput("the team's penalty needs the player who took it", field=f"{path}.playerId")
        if penalty.player_id not in roster:
            raise InvalidInput("the player is not on the team's game roster", field=f"{path}.playerId")
    elif penalty.player_id is not None:
        raise InvalidInput("the opponent's players are not tracked: leave playerId empty", field=f"{path}.playerId")
    return Penalty(
        sequence=index,
        side=penalty.side,
        player_id=penalty.player_id,
        minutes=penalty.minutes,
        infraction=validation.text(penalty.infraction, field=f"{path}.infraction", max_length=60),
        period=period,
        period_seconds=seconds,
    )


def _check_order(events: Sequence[Goal | Penalty], path: str) -> None:
    """The sheet lists events as they happened, so that reading them back tells the game's story."""
    for index in range(1, len(events)):
        before, after = events[index - 1], events[index]
        if (after.period, after.period_seconds) < (before.period, before.period_seconds):
            raise InvalidInput(f"list the {path} in the order they happened", field=f"{path}[{index}].time")


def _check_score(sheet: GameSheet, goals: list[Goal]) -> tuple[int, int]:
    scored = validation.integer(sheet.goals_for, field="goalsFor", minimum=0, maximum=MAX_GOALS)
    conceded = validation.integer(sheet.goals_against, field="goalsAgainst", minimum=0, maximum=MAX_GOALS)
    if sheet.decided_in is not None and abs(scored - conceded) != 1:
        raise InvalidInput("a game decided in overtime or a shootout is won by exactly one goal", field="decidedIn")
    # A shootout win counts as one goal in the score, but no one scored it during play.
    shootout_for = int(sheet.decided_in is GameDecision.SHOOTOUT and scored > conceded)
    shootout_against = int(sheet.decided_in is GameDecision.SHOOTOUT and conceded > scored)
    for side, expected, label in (
        (GameSide.TEAM, scored - shootout_for, "goalsFor"),
        (GameSide.OPPONENT, conceded - shootout_against, "goalsAgainst"),
    ):
        listed = sum(1 for goal in goals if goal.side is side)
        if listed != expected:
            raise InvalidInput(
                f"the sheet lists {listed} goals of the {side.value}, and {label} says {expected}"
                + (
                    " (the shootout winner's extra goal is not listed)"
                    if sheet.decided_in is GameDecision.SHOOTOUT
                    else ""
                ),
                field="goals",
            )
    in_overtime = [goal for goal in goals if goal.period == OVERTIME_PERIOD]
    if sheet.decided_in is GameDecision.SHOOTOUT and in_overtime:
        raise InvalidInput("a game decided by a shootout has no overtime goal", field="goals")
    if sheet.decided_in is GameDecision.OVERTIME:
        winner = GameSide.TEAM if scored > conceded else GameSide.OPPONENT
        if len(in_overtime) != 1 or in_overtime[0].side is not winner:
            raise InvalidInput("an overtime win has exactly one overtime goal, by the winner", field="goals")
    return scored, conceded


def _power_plays(penalties: list[Penalty]) -> tuple[int, int]:
    """(power-play opportunities, times shorthanded): see the module's docstring."""
    at_moment: dict[tuple[int, int], Counter[GameSide]] = defaultdict(Counter)
    for penalty in penalties:
        if penalty.minutes in POWER_PLAY_MINUTES:
            at_moment[(penalty.period, penalty.period_seconds)][penalty.side] += 1
    opportunities = shorthanded = 0
    for sides in at_moment.values():
        balance = sides[GameSide.OPPONENT] - sides[GameSide.TEAM]
        opportunities += balance > 0
        shorthanded += balance < 0
    return opportunities, shorthanded


def check_sheet(sheet: GameSheet) -> CheckedSheet:
    """The sheet, checked: every problem is an InvalidInput naming the input field's path."""
    validation.integer(sheet.period_minutes, field="periodMinutes", minimum=1, maximum=20)
    validation.integer(sheet.overtime_minutes, field="overtimeMinutes", minimum=1, maximum=20)
    opponent_missed = _count(sheet.opponent_missed_shots, field="opponentMissedShots")
    skaters, goalies = _check_roster(sheet)
    goalie_ids = {goalie.player_id for goalie in goalies}
    goals = [_check_goal(sheet, index, goal, skaters, goalie_ids) for index, goal in enumerate(sheet.goals)]
    roster = skaters.keys() | goalie_ids
    penalties = [_check_penalty(sheet, index, penalty, roster) for index, penalty in enumerate(sheet.penalties)]
    _check_order(goals, "goals")
    _check_order(penalties, "penalties")
    scored, conceded = _check_score(sheet, goals)

    for goal in goals:
        sign = 1 if goal.side is GameSide.TEAM else -1
        if goal.scorer_id in skaters:
            line = skaters[goal.scorer_id]
            line.goals += 1
            line.power_play_goals += goal.strength is GoalStrength.POWER_PLAY
            line.shorthanded_goals += goal.strength is GoalStrength.SHORTHANDED
        for assist in (goal.primary_assist_id, goal.secondary_assist_id):
            if assist in skaters:
                skaters[assist].assists += 1
        if goal.strength is not GoalStrength.POWER_PLAY:
            for player_id in goal.on_ice:
                skaters[player_id].plus_minus += sign
    for penalty in penalties:
        if penalty.player_id in skaters:
            skaters[penalty.player_id].penalty_minutes += penalty.minutes
    for index, line in enumerate(skaters.values()):
        if line.goals > line.entry.shots:
            raise InvalidInput(
                f"the player scored {line.goals} goals, and every goal is a shot on goal: shots must be at least that",
                field=f"skaters[{index}].shots",
            )

    goalie_goals = sum(goalie.shots_against - goalie.saves for goalie in goalies)
    against_a_goalie = sum(
        1 for goal in goals if goal.side is GameSide.OPPONENT and goal.strength is not GoalStrength.EMPTY_NET
    )
    if goalies and goalie_goals != against_a_goalie:
        raise InvalidInput(
            f"the goalies conceded {goalie_goals} goals (shots against minus saves), and the sheet lists "
            f"{against_a_goalie} goals of the opponent not into an empty net",
            field="goalies",
        )
    empty_net_against = sum(
        1 for goal in goals if goal.side is GameSide.OPPONENT and goal.strength is GoalStrength.EMPTY_NET
    )
    opportunities, shorthanded = _power_plays(penalties)
    lines = list(skaters.values())
    team = TeamNumbers(
        shots_for=sum(line.entry.shots for line in lines),
        shots_against=sum(goalie.shots_against for goalie in goalies) + empty_net_against,
        missed_for=sum(line.entry.missed_shots for line in lines),
        missed_against=opponent_missed,
        blocked_for=sum(line.entry.blocked_attempts for line in lines),
        blocked_against=sum(line.entry.blocks for line in lines),
        power_play_goals=sum(
            1 for goal in goals if goal.side is GameSide.TEAM and goal.strength is GoalStrength.POWER_PLAY
        ),
        power_play_opportunities=opportunities,
        power_play_goals_against=sum(
            1 for goal in goals if goal.side is GameSide.OPPONENT and goal.strength is GoalStrength.POWER_PLAY
        ),
        times_shorthanded=shorthanded,
        faceoff_wins=sum(line.entry.faceoff_wins for line in lines),
        faceoff_losses=sum(line.entry.faceoff_losses for line in lines),
        penalty_minutes=sum(penalty.minutes for penalty in penalties if penalty.side is GameSide.TEAM),
    )
    return CheckedSheet(
        goals_for=scored,
        goals_against=conceded,
        decided_in=sheet.decided_in,
        skaters=lines,
        goalies=goalies,
        goals=goals,
        penalties=penalties,
        team=team,
    )
