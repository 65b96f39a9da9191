"""The demo club's games: five played by the senior team over the last weeks, two by the U18 team, and
the senior team's next game.

Every stat line follows from a goal-by-goal account of the game, so the numbers agree with the score:
each goal has a scorer and at most two assists from teammates on the ice, even-strength goals move
the plus/minus of the five skaters on the ice, power-play goals do not, and the goalie's saves are the
shots he faced minus the goals charged to him.
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
from subgraphs.statistics.models import Game, GameDecision, GameStatus, GoalieGameStats, PlayerGameStats

REGULATION_SECONDS = 3600
OVERTIME_SECONDS = 300


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
class _Line:
    goals: int = 0
    assists: int = 0
    plus_minus: int = 0
    shots: int = 0


@dataclass
class _Lineup:
    """Who dressed: four forward lines (C, LW, RW), three defence pairs, the starting goalie."""

    forward_lines: list[list[DemoPlayer]]
    defence_pairs: list[list[DemoPlayer]]
    goalie: DemoPlayer
    lines: dict[uuid.UUID, _Line] = field(default_factory=lambda: defaultdict(_Line))

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


def _goal(rng: random.Random, lineup: _Lineup, *, overtime: bool) -> None:
    """A goal for: a scorer and up to two assists among the skaters on the ice."""
    power_play = not overtime and rng.random() < 0.25
    forwards = lineup.forward_lines[0 if overtime else rng.choices(range(4), weights=(40, 30, 20, 10))[0]]
    defence = lineup.defence_pairs[0 if power_play or overtime else rng.choices(range(3), weights=(45, 35, 20))[0]]
    on_ice = forwards[:2] + defence[:1] if overtime else forwards + defence
    scorer = rng.choices(on_ice, weights=[4 if p.position != "defense" else 1 for p in on_ice])[0]
    helpers = [p for p in on_ice if p is not scorer]
    assists = rng.sample(helpers, rng.choice((0, 1, 1, 2, 2, 2, 2)))
    lineup.lines[scorer.id].goals += 1
    for player in assists:
        lineup.lines[player.id].assists += 1
    if not power_play:
        for player in on_ice:
            lineup.lines[player.id].plus_minus += 1


def _goal_against(rng: random.Random, lineup: _Lineup, *, overtime: bool) -> None:
    """A goal against: the skaters on the ice at even strength go minus one; a power-play goal does not."""
    if not overtime and rng.random() < 0.25:
        return
    forwards = lineup.forward_lines[0 if overtime else rng.choices(range(4), weights=(35, 30, 20, 15))[0]]
    defence = lineup.defence_pairs[0 if overtime else rng.choice(range(3))]
    for player in forwards[:2] + defence[:1] if overtime else forwards + defence:
        lineup.lines[player.id].plus_minus -= 1


def _time_on_ice(rng: random.Random, lineup: _Lineup, player: DemoPlayer) -> int:
    for index, unit in enumerate(lineup.forward_lines):
        if player in unit:
            return (19, 16, 13, 10)[index] * 60 + rng.randint(-75, 75)
    for index, unit in enumerate(lineup.defence_pairs):
        if player in unit:
            return (23, 20, 16)[index] * 60 + rng.randint(-75, 75)
    raise ValueError(f"{player.full_name} is not in the lineup")


def _played(
    rng: random.Random, game: Game, roster: list[DemoPlayer], game_index: int
) -> list[PlayerGameStats | GoalieGameStats]:
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
    for player in lineup.skaters:
        line = lineup.lines[player.id]
        extra = rng.choices(range(6), weights=(20, 25, 22, 15, 10, 8))[0]
        line.shots = line.goals + (extra if player.position != "defense" else extra // 2)
    rows: list[PlayerGameStats | GoalieGameStats] = [
        PlayerGameStats(
            id=demo_id("statistics", "skater-line", game.id, player.id),
            organization_id=game.organization_id,
            game_id=game.id,
            player_id=player.id,
            goals=lineup.lines[player.id].goals,
            assists=lineup.lines[player.id].assists,
            plus_minus=lineup.lines[player.id].plus_minus,
            penalty_minutes=rng.choices((0, 2, 4), weights=(80, 16, 4))[0],
            shots=lineup.lines[player.id].shots,
            time_on_ice_seconds=_time_on_ice(rng, lineup, player),
        )
        for player in lineup.skaters
    ]
    shots_against = conceded + rng.randint(19, 31)
    overtime = 0
    if game.decided_in is GameDecision.OVERTIME:
        overtime = rng.randint(40, 280)
    elif shootout:
        overtime = OVERTIME_SECONDS
    rows.append(
        GoalieGameStats(
            id=demo_id("statistics", "goalie-line", game.id, lineup.goalie.id),
            organization_id=game.organization_id,
            game_id=game.id,
            player_id=lineup.goalie.id,
            shots_against=shots_against,
            saves=shots_against - conceded,
            goals_against=conceded,
            time_on_ice_seconds=REGULATION_SECONDS + overtime,
        )
    )
    return rows


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
                session.add_all(_played(rng, game, roster, index))
                await session.flush()
    return True
