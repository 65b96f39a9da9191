"""The demo club's games: five played by the senior team over the last weeks, two by the U18 team, and
the senior team's next game.

Every played game is recorded as a full game sheet (game_sheet.py), checked like a stats-keeper's and
written the same way: goals in order with period, time, strength, scorer, assists and the skaters on the
ice; penalties of both sides (each power-play goal follows an opponent's penalty of the same period);
every skater's shots, missed and blocked attempts, blocks, hits, faceoffs and ice time; the goalie's
shots against and saves. So each game also shows its Corsi, Fenwick, power play and penalty kill.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from shared.demo import DemoClub, DemoPlayer, DemoTeam, demo_id
from shared.roster import copy_demo_roster
from subgraphs.statistics import repository
from subgraphs.statistics.game_sheet import (
    GameSheet,
    GoalEntry,
    GoalieEntry,
    PenaltyEntry,
    SkaterEntry,
    check_sheet,
)
from subgraphs.statistics.models import Game, GameDecision, GameSide, GameStatus, GoalStrength
from subgraphs.statistics.sheets import IdFactory, write_sheet

REGULATION_SECONDS = 3600
PERIOD_SECONDS = 1200
OVERTIME_SECONDS = 300
_INFRACTIONS = ("tripping", "hooking", "slashing", "interference", "holding", "roughing", "high-sticking")


@dataclass(frozen=True, slots=True)
class _Fixture:
    days_from_today: int
    opponent: str
    is_home: bool
    goals_for: int = 0
    goals_against: int = 0
    decided_in: GameDecision | None = None
    local_time: time = time(19, 0)


_SENIOR_PLAYED = (
    _Fixture(-24, "Northport Ravens", True, 4, 2),
    _Fixture(-19, "Eastvale Storm", False, 2, 3, GameDecision.OVERTIME),
    _Fixture(-13, "Granite City Miners", True, 3, 1),
    _Fixture(-8, "Westbrook Falcons", False, 1, 4),
    _Fixture(-3, "Harbor Hawks", True, 3, 2, GameDecision.SHOOTOUT),
)
_SENIOR_NEXT = _Fixture(4, "Pinecrest Grizzlies", False)
_JUNIOR_PLAYED = (
    _Fixture(-16, "Northport Ravens U18", False, 5, 3, local_time=time(14, 0)),
    _Fixture(-6, "Eastvale Storm U18", True, 2, 4, local_time=time(14, 0)),
)


@dataclass
class _Lineup:
    """Who dressed: four forward lines (C, LW, RW), three defence pairs, the starting goalie."""

    forward_lines: list[list[DemoPlayer]]
    defence_pairs: list[list[DemoPlayer]]
    goalie: DemoPlayer
    goals: list[tuple[int, GoalEntry]] = field(default_factory=list)
    """(seconds into the game, goal), in the order they were drawn."""
    penalties: list[PenaltyEntry] = field(default_factory=list)

    @property
    def skaters(self) -> list[DemoPlayer]:
        return [player for unit in (*self.forward_lines, *self.defence_pairs) for player in unit]


def _lineup(roster: list[DemoPlayer], game_index: int) -> _Lineup:
    def of(position: str) -> list[DemoPlayer]:
        return sorted((p for p in roster if p.position == position), key=lambda p: p.jersey_number)

    centers, left, right = of("center"), of("left_wing"), of("right_wing")
    defence = of("defense")
    scratched = defence[game_index % len(defence)]  # seven defencemen, six dress: they take turns
    dressed = [player for player in defence if player is not scratched]
    goalies = of("goalie")
    return _Lineup(
        forward_lines=[[centers[n], left[n], right[n]] for n in range(4)],
        defence_pairs=[dressed[n : n + 2] for n in range(0, 6, 2)],
        goalie=goalies[1] if game_index % 3 == 2 else goalies[0],
    )


def _clock(seconds: int) -> str:
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def _when(rng: random.Random, *, overtime: bool) -> tuple[int, int, int]:
    """(seconds into the game, period, seconds into the period) of a goal."""
    if overtime:
        into = rng.randint(20, OVERTIME_SECONDS - 10)
        return REGULATION_SECONDS + into, 4, into
    moment = rng.randint(30, REGULATION_SECONDS - 30)
    return moment, moment // PERIOD_SECONDS + 1, moment % PERIOD_SECONDS


def _penalty_before(
    rng: random.Random, lineup: _Lineup, side: GameSide, period: int, into: int, player: DemoPlayer | None
) -> None:
    """The penalty that gave the power play a goal was scored on: up to two minutes earlier, same period."""
    lineup.penalties.append(
        PenaltyEntry(
            side=side,
            minutes=2,
            infraction=rng.choice(_INFRACTIONS),
            period=period,
            time=_clock(max(into - rng.randint(5, 115), 0)),
            player_id=None if player is None else player.id,
        )
    )


def _goal(rng: random.Random, lineup: _Lineup, *, overtime: bool) -> None:
    """A goal for: a scorer and up to two assists among the skaters on the ice."""
    power_play = not overtime and rng.random() < 0.25
    forwards = lineup.forward_lines[0 if overtime else rng.choices(range(4), weights=(40, 30, 20, 10))[0]]
    defence = lineup.defence_pairs[0 if power_play or overtime else rng.choices(range(3), weights=(45, 35, 20))[0]]
    on_ice = forwards[:2] + defence[:1] if overtime else forwards + defence
    scorer = rng.choices(on_ice, weights=[4 if p.position != "defense" else 1 for p in on_ice])[0]
    helpers = [p for p in on_ice if p is not scorer]
    assists = rng.sample(helpers, rng.choice((0, 1, 1, 2, 2, 2, 2)))
    moment, period, into = _when(rng, overtime=overtime)
    if power_play:
        _penalty_before(rng, lineup, GameSide.OPPONENT, period, into, None)
    goal = GoalEntry(
        side=GameSide.TEAM,
        period=period,
        time=_clock(into),
        strength=GoalStrength.POWER_PLAY if power_play else GoalStrength.EVEN,
        scorer_id=scorer.id,
        assist_ids=[player.id for player in assists],
        on_ice=[player.id for player in on_ice],
    )
    lineup.goals.append((moment, goal))


def _goal_against(rng: random.Random, lineup: _Lineup, *, overtime: bool) -> None:
    """A goal against, with the skaters on the ice; on a power play one of the others sits in the box."""
    power_play = not overtime and rng.random() < 0.25
    forwards = lineup.forward_lines[0 if overtime else rng.choices(range(4), weights=(35, 30, 20, 15))[0]]
    defence = lineup.defence_pairs[0 if overtime else rng.choice(range(3))]
    on_ice = forwards[:2] + defence[:1] if overtime else forwards + defence
    moment, period, into = _when(rng, overtime=overtime)
    if power_play:
        off_ice = [player for player in lineup.skaters if player not in on_ice]
        _penalty_before(rng, lineup, GameSide.TEAM, period, into, rng.choice(off_ice))
    goal = GoalEntry(
        side=GameSide.OPPONENT,
        period=period,
        time=_clock(into),
        strength=GoalStrength.POWER_PLAY if power_play else GoalStrength.EVEN,
        on_ice=[player.id for player in on_ice],
    )
    lineup.goals.append((moment, goal))


def _time_on_ice(rng: random.Random, lineup: _Lineup, player: DemoPlayer) -> int:
    for index, unit in enumerate(lineup.forward_lines):
        if player in unit:
            return (19, 16, 13, 10)[index] * 60 + rng.randint(-75, 75)
    for index, unit in enumerate(lineup.defence_pairs):
        if player in unit:
            return (23, 20, 16)[index] * 60 + rng.randint(-75, 75)
    raise ValueError(f"{player.full_name} is not in the lineup")


def _played(rng: random.Random, game: Game, roster: list[DemoPlayer], game_index: int) -> GameSheet:
    lineup = _lineup(roster, game_index)
    won = game.goals_for > game.goals_against
    # A shootout adds one goal to the winner's score that no skater scored and no goalie conceded.
    shootout = game.decided_in is GameDecision.SHOOTOUT
    scored = game.goals_for - (1 if shootout and won else 0)
    conceded = game.goals_against - (1 if shootout and not won else 0)
    overtime_goal_for = game.decided_in is GameDecision.OVERTIME and won
    overtime_goal_against = game.decided_in is GameDecision.OVERTIME and not won
    for number in range(scored):
        _goal(rng, lineup, overtime=overtime_goal_for and number == scored - 1)
    for number in range(conceded):
        _goal_against(rng, lineup, overtime=overtime_goal_against and number == conceded - 1)
    for _ in range(rng.randint(1, 3)):  # penalties that gave no goal, minors and the odd misconduct
        side = rng.choice((GameSide.TEAM, GameSide.OPPONENT))
        lineup.penalties.append(
            PenaltyEntry(
                side=side,
                minutes=rng.choices((2, 2, 2, 4, 10))[0],
                infraction=rng.choice(_INFRACTIONS),
                period=rng.randint(1, 3),
                time=_clock(rng.randint(0, PERIOD_SECONDS - 1)),
                player_id=rng.choice(lineup.skaters).id if side is GameSide.TEAM else None,
            )
        )
    goals_by: defaultdict[uuid.UUID, int] = defaultdict(int)
    for _, goal in lineup.goals:
        if goal.scorer_id is not None:
            goals_by[goal.scorer_id] += 1
    skaters = []
    for player in lineup.skaters:
        center = player.position == "center"
        extra = rng.choices(range(6), weights=(20, 25, 22, 15, 10, 8))[0]
        faceoffs = rng.randint(8, 22) if center else 0
        wins = round(faceoffs * rng.uniform(0.4, 0.6))
        skaters.append(
            SkaterEntry(
                player_id=player.id,
                jersey_number=player.jersey_number,
                shots=goals_by[player.id] + (extra if player.position != "defense" else extra // 2),
                missed_shots=rng.randint(0, 3),
                blocked_attempts=rng.randint(0, 2),
                blocks=rng.randint(0, 4) if player.position == "defense" else rng.randint(0, 1),
                hits=rng.randint(0, 4),
                faceoff_wins=wins,
                faceoff_losses=faceoffs - wins,
                time_on_ice_seconds=_time_on_ice(rng, lineup, player),
            )
        )
    shots_against = conceded + rng.randint(19, 31)
    overtime = 0
    if game.decided_in is GameDecision.OVERTIME:
        overtime = rng.randint(40, 280)
    elif shootout:
        overtime = OVERTIME_SECONDS
    goalie = GoalieEntry(
        player_id=lineup.goalie.id,
        jersey_number=lineup.goalie.jersey_number,
        shots_against=shots_against,
        saves=shots_against - conceded,
        time_on_ice_seconds=REGULATION_SECONDS + overtime,
    )
    return GameSheet(
        goals_for=game.goals_for,
        goals_against=game.goals_against,
        decided_in=game.decided_in,
        skaters=skaters,
        goalies=[goalie],
        goals=[goal for _, goal in sorted(lineup.goals, key=lambda timed: timed[0])],
        penalties=sorted(lineup.penalties, key=lambda penalty: (penalty.period, penalty.time)),
        opponent_missed_shots=rng.randint(5, 14),
    )


def _ids_of(game: Game) -> IdFactory:
    def ids(kind: str, key: object) -> uuid.UUID:
        return demo_id("statistics", kind, game.id, key)

    return ids


def _game(club: DemoClub, team: DemoTeam, index: int, fixture: _Fixture) -> Game:
    day: date = club.today + timedelta(days=fixture.days_from_today)
    starts_at = datetime.combine(day, fixture.local_time, tzinfo=ZoneInfo(club.time_zone))
    final = fixture.days_from_today < 0
    return Game(
        id=demo_id("statistics", "game", team.id, index),
        organization_id=club.organization_id,
        season_id=club.season_id,
        team_id=team.id,
        opponent_name=fixture.opponent,
        is_home=fixture.is_home,
        starts_at=starts_at,
        status=GameStatus.FINAL if final else GameStatus.SCHEDULED,
        goals_for=fixture.goals_for,
        goals_against=fixture.goals_against,
        decided_in=fixture.decided_in,
        finalized_at=starts_at + timedelta(hours=2, minutes=40) if final else None,
    )


async def load_demo(session: AsyncSession, club: DemoClub) -> bool:
    senior = next(team for team in club.teams if team.category == "senior")
    junior = next(team for team in club.teams if team.age_group == "U18")
    first = demo_id("statistics", "game", senior.id, 0)
    if await repository.games_by_ids(session, [first]):
        return False
    await copy_demo_roster(session, club, occurred_at=datetime.now(UTC))
    rng = random.Random(2026)
    schedule = [
        (senior, [*_SENIOR_PLAYED, _SENIOR_NEXT]),
        (junior, list(_JUNIOR_PLAYED)),
    ]
    for team, fixtures in schedule:
        roster = club.roster(team.id)
        for index, fixture in enumerate(fixtures):
            game = _game(club, team, index, fixture)
            session.add(game)
            await session.flush()
            if game.status is GameStatus.FINAL:
                game.sheet_recorded_at = game.finalized_at
                write_sheet(session, game, check_sheet(_played(rng, game, roster, index)), ids=_ids_of(game))
                await session.flush()
    return True
