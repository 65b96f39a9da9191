"""GraphQL types of game sheets: the sheet a stats-keeper sends, and the goals, penalties and team numbers
read back (the rules are in game_sheet.py)."""

from __future__ import annotations

import uuid

import strawberry
from strawberry import Private

from shared.graphql import parse_id, to_id
from subgraphs.statistics import game_sheet, models
from subgraphs.statistics.rates import as_float, percentage
from subgraphs.statistics.types import Player

strawberry.enum(
    models.GameSide,
    name="GameSide",
    description="TEAM for the club's team of the game, OPPONENT for the other side (whose players are not tracked).",
)
strawberry.enum(
    models.GoalStrength,
    name="GoalStrength",
    description=(
        "The scoring side's situation: EVEN, POWER_PLAY, SHORTHANDED, or EMPTY_NET (into a net without a goalie)."
    ),
)


def clock(seconds: int) -> str:
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


# The sheet sent ------------------------------------------------------------------------------------------


@strawberry.input(description="A skater on the team's game roster, with their tallies.")
class SheetSkaterInput:
    player_id: strawberry.ID = strawberry.field(description="The player.")
    jersey_number: int | None = strawberry.field(default=None, description="Jersey worn in this game (0-99).")
    shots: int = strawberry.field(default=0, description="Shots on goal, goals included.")
    missed_shots: int = strawberry.field(default=0, description="Shot attempts that missed the net.")
    blocked_attempts: int = strawberry.field(default=0, description="The player's attempts an opponent blocked.")
    blocks: int = strawberry.field(default=0, description="Opponents' attempts the player blocked.")
    hits: int = strawberry.field(default=0, description="Hits given.")
    faceoff_wins: int = strawberry.field(default=0, description="Faceoffs won.")
    faceoff_losses: int = strawberry.field(default=0, description="Faceoffs lost.")
    time_on_ice_seconds: int = strawberry.field(default=0, description="Time on ice, in seconds.")

    def to_entry(self, path: str) -> game_sheet.SkaterEntry:
        return game_sheet.SkaterEntry(
            player_id=parse_id(self.player_id, field=f"{path}.playerId"),
            jersey_number=self.jersey_number,
            shots=self.shots,
            missed_shots=self.missed_shots,
            blocked_attempts=self.blocked_attempts,
            blocks=self.blocks,
            hits=self.hits,
            faceoff_wins=self.faceoff_wins,
            faceoff_losses=self.faceoff_losses,
            time_on_ice_seconds=self.time_on_ice_seconds,
        )


@strawberry.input(description="A goalie on the team's game roster; goals against are shots against minus saves.")
class SheetGoalieInput:
    player_id: strawberry.ID = strawberry.field(description="The goalie.")
    jersey_number: int | None = strawberry.field(default=None, description="Jersey worn in this game (0-99).")
    shots_against: int = strawberry.field(description="Shots on goal faced.")
    saves: int = strawberry.field(description="Shots stopped.")
    time_on_ice_seconds: int = strawberry.field(description="Time in goal, in seconds.")

    def to_entry(self, path: str) -> game_sheet.GoalieEntry:
        return game_sheet.GoalieEntry(
            player_id=parse_id(self.player_id, field=f"{path}.playerId"),
            jersey_number=self.jersey_number,
            shots_against=self.shots_against,
            saves=self.saves,
            time_on_ice_seconds=self.time_on_ice_seconds,
        )


@strawberry.input(description="A goal of either side, in the order they were scored.")
class SheetGoalInput:
    side: models.GameSide = strawberry.field(description="Who scored.")
    period: int = strawberry.field(description="1-3, or 4 for overtime.")
    time: str = strawberry.field(description='Time elapsed in the period, "MM:SS".')
    strength: models.GoalStrength = strawberry.field(
        default=models.GoalStrength.EVEN, description="The scoring side's situation."
    )
    scorer_id: strawberry.ID | None = strawberry.field(
        default=None, description="The team's scorer (required for the team's goals, empty for the opponent's)."
    )
    assist_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Up to two assists, primary first (the team's goals only)."
    )
    on_ice: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="Optional: the team's skaters on the ice, for plus/minus and line performance.",
    )

    def to_entry(self, path: str) -> game_sheet.GoalEntry:
        return game_sheet.GoalEntry(
            side=self.side,
            period=self.period,
            time=self.time,
            strength=self.strength,
            scorer_id=None if self.scorer_id is None else parse_id(self.scorer_id, field=f"{path}.scorerId"),
            assist_ids=[parse_id(one, field=f"{path}.assistIds[{index}]") for index, one in enumerate(self.assist_ids)],
            on_ice=[parse_id(one, field=f"{path}.onIce[{index}]") for index, one in enumerate(self.on_ice)],
        )


@strawberry.input(description="A penalty of either side; the team's penalties name the player.")
class SheetPenaltyInput:
    side: models.GameSide = strawberry.field(description="The side penalized.")
    minutes: int = strawberry.field(description="2, 4, 5, 10 or 20.")
    infraction: str = strawberry.field(description='What for, e.g. "tripping".')
    period: int = strawberry.field(description="1-3, or 4 for overtime.")
    time: str = strawberry.field(description='Time elapsed in the period, "MM:SS".')
    player_id: strawberry.ID | None = strawberry.field(
        default=None, description="The team's player penalized (empty for the opponent)."
    )

    def to_entry(self, path: str) -> game_sheet.PenaltyEntry:
        return game_sheet.PenaltyEntry(
            side=self.side,
            minutes=self.minutes,
            infraction=self.infraction,
            period=self.period,
            time=self.time,
            player_id=None if self.player_id is None else parse_id(self.player_id, field=f"{path}.playerId"),
        )


@strawberry.input(
    description=(
        "A game's whole sheet. Recording it replaces the previous sheet, the stat lines included, and makes "
        "the game final with this score. Goals listed must add up to the score (a shootout win's extra goal "
        "is not listed)."
    )
)
class GameSheetInput:
    goals_for: int = strawberry.field(description="The team's final score (a shootout win counts as one).")
    goals_against: int = strawberry.field(description="The opponent's final score.")
    decided_in: models.GameDecision | None = strawberry.field(
        default=None, description="Overtime or shootout; omit for a regulation result."
    )
    period_minutes: int = strawberry.field(default=20, description="Length of a regulation period (1-20).")
    overtime_minutes: int = strawberry.field(default=5, description="Length of the overtime period (1-20).")
    skaters: list[SheetSkaterInput] = strawberry.field(default_factory=list, description="The team's skaters.")
    goalies: list[SheetGoalieInput] = strawberry.field(default_factory=list, description="The team's goalies.")
    goals: list[SheetGoalInput] = strawberry.field(default_factory=list, description="Every goal, in order.")
    penalties: list[SheetPenaltyInput] = strawberry.field(default_factory=list, description="Every penalty.")
    opponent_missed_shots: int = strawberry.field(
        default=0, description="The opponent's attempts that missed the net (for Corsi and Fenwick against)."
    )

    def to_sheet(self) -> game_sheet.GameSheet:
        return game_sheet.GameSheet(
            goals_for=self.goals_for,
            goals_against=self.goals_against,
            decided_in=self.decided_in,
            period_minutes=self.period_minutes,
            overtime_minutes=self.overtime_minutes,
            skaters=[one.to_entry(f"skaters[{index}]") for index, one in enumerate(self.skaters)],
            goalies=[one.to_entry(f"goalies[{index}]") for index, one in enumerate(self.goalies)],
            goals=[one.to_entry(f"goals[{index}]") for index, one in enumerate(self.goals)],
            penalties=[one.to_entry(f"penalties[{index}]") for index, one in enumerate(self.penalties)],
            opponent_missed_shots=self.opponent_missed_shots,
        )


# What is read back ---------------------------------------------------------------------------------------


def _player(player_id: uuid.UUID | None) -> Player | None:
    return None if player_id is None else Player(id=to_id(player_id))


@strawberry.type(description="A goal of a game's sheet.")
class GameGoal:
    side: models.GameSide = strawberry.field(description="Who scored.")
    period: int = strawberry.field(description="1-3, or 4 for overtime.")
    time: str = strawberry.field(description='Time elapsed in the period, "MM:SS".')
    strength: models.GoalStrength = strawberry.field(description="The scoring side's situation.")
    row: Private[models.GameGoal]

    @classmethod
    def from_row(cls, row: models.GameGoal) -> GameGoal:
        return cls(side=row.side, period=row.period, time=clock(row.period_seconds), strength=row.strength, row=row)

    @strawberry.field(description="The team's scorer; null for the opponent's goals.")
    def scorer(self) -> Player | None:
        return _player(self.row.scorer_id)

    @strawberry.field(description="The assists, primary first.")
    def assists(self) -> list[Player]:
        ids = (self.row.primary_assist_id, self.row.secondary_assist_id)
        return [Player(id=to_id(one)) for one in ids if one is not None]

    @strawberry.field(description="The team's skaters on the ice, when recorded.")
    def on_ice(self) -> list[Player]:
        return [Player(id=to_id(one)) for one in self.row.on_ice]


@strawberry.type(description="A penalty of a game's sheet.")
class GamePenalty:
    side: models.GameSide = strawberry.field(description="The side penalized.")
    minutes: int = strawberry.field(description="Penalty minutes.")
    infraction: str = strawberry.field(description="What for.")
    period: int = strawberry.field(description="1-3, or 4 for overtime.")
    time: str = strawberry.field(description='Time elapsed in the period, "MM:SS".')
    player_id: Private[uuid.UUID | None]

    @classmethod
    def from_row(cls, row: models.GamePenalty) -> GamePenalty:
        return cls(
            side=row.side,
            minutes=row.minutes,
            infraction=row.infraction,
            period=row.period,
            time=clock(row.period_seconds),
            player_id=row.player_id,
        )

    @strawberry.field(description="The team's player penalized; null for the opponent.")
    def player(self) -> Player | None:
        return _player(self.player_id)


@strawberry.type(
    description=(
        "Shot attempts both ways and special teams, of one game's sheet or summed over a season's games with "
        "a sheet. Percentages are out of 100, to one decimal; null when there is nothing to divide by."
    )
)
class TeamNumbers:
    shots_for: int = strawberry.field(description="The team's shots on goal.")
    shots_against: int = strawberry.field(description="The opponent's shots on goal (empty-net goals included).")
    missed_for: int = strawberry.field(description="The team's attempts that missed the net.")
    missed_against: int = strawberry.field(description="The opponent's attempts that missed the net.")
    blocked_for: int = strawberry.field(description="The team's attempts the opponent blocked.")
    blocked_against: int = strawberry.field(description="The opponent's attempts the team blocked.")
    power_play_goals: int = strawberry.field(description="The team's power-play goals.")
    power_play_opportunities: int = strawberry.field(description="Power plays the team was given.")
    power_play_goals_against: int = strawberry.field(description="Power-play goals the opponent scored.")
    times_shorthanded: int = strawberry.field(description="Power plays the opponent was given.")
    faceoff_wins: int = strawberry.field(description="Faceoffs won.")
    faceoff_losses: int = strawberry.field(description="Faceoffs lost.")
    penalty_minutes: int = strawberry.field(description="The team's penalty minutes.")

    @classmethod
    def from_numbers(cls, row: game_sheet.TeamNumbers) -> TeamNumbers:
        return cls(**{name: getattr(row, name) for name in game_sheet.TeamNumbers.__slots__})

    @strawberry.field(description="Corsi for: shots on goal + missed + blocked attempts of the team.")
    def corsi_for(self) -> int:
        return self.shots_for + self.missed_for + self.blocked_for

    @strawberry.field(description="Corsi against: every shot attempt of the opponent.")
    def corsi_against(self) -> int:
        return self.shots_against + self.missed_against + self.blocked_against

    @strawberry.field(description="Corsi for / (for + against), out of 100.")
    def corsi_percentage(self) -> float | None:
        return as_float(percentage(self.corsi_for(), self.corsi_for() + self.corsi_against()))

    @strawberry.field(description="Fenwick for: unblocked attempts of the team (shots on goal + missed).")
    def fenwick_for(self) -> int:
        return self.shots_for + self.missed_for

    @strawberry.field(description="Fenwick against: unblocked attempts of the opponent.")
    def fenwick_against(self) -> int:
        return self.shots_against + self.missed_against

    @strawberry.field(description="Fenwick for / (for + against), out of 100.")
    def fenwick_percentage(self) -> float | None:
        return as_float(percentage(self.fenwick_for(), self.fenwick_for() + self.fenwick_against()))

    @strawberry.field(description="Power-play goals / power-play opportunities, out of 100.")
    def power_play_percentage(self) -> float | None:
        return as_float(percentage(self.power_play_goals, self.power_play_opportunities))

    @strawberry.field(description="1 - power-play goals against / times shorthanded, out of 100.")
    def penalty_kill_percentage(self) -> float | None:
        killed = self.times_shorthanded - self.power_play_goals_against
        return as_float(percentage(killed, self.times_shorthanded))

    @strawberry.field(description="Faceoffs won / faceoffs taken, out of 100.")
    def faceoff_percentage(self) -> float | None:
        return as_float(percentage(self.faceoff_wins, self.faceoff_wins + self.faceoff_losses))


def team_numbers_of(row: models.GameTeamStats) -> game_sheet.TeamNumbers:
    return game_sheet.TeamNumbers(**{name: getattr(row, name) for name in game_sheet.TeamNumbers.__slots__})
