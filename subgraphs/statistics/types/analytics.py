"""GraphQL types of team numbers, stat leaders and line performance (analytics.py)."""

from __future__ import annotations

import uuid

import strawberry
from strawberry import Private

from shared.graphql import TeamReference, to_id
from subgraphs.statistics import analytics, models
from subgraphs.statistics.rates import as_float, percentage, ratio
from subgraphs.statistics.types import Player, TeamSeasonRecord
from subgraphs.statistics.types.sheets import TeamNumbers

strawberry.enum(
    models.LeaderCategory,
    name="LeaderCategory",
    description=(
        "What leaders are ranked by: skater totals (highest first), SAVE_PERCENTAGE (highest first) or "
        "GOALS_AGAINST_AVERAGE (lowest first) for goalies."
    ),
)


@strawberry.type(description="A team's season over its final games: record, goaltending, and sheet numbers.")
class TeamSeasonStats:
    record: TeamSeasonRecord = strawberry.field(description="Wins, losses, goals and standings points.")
    games_with_sheet: int = strawberry.field(description="Final games with a recorded sheet (what `numbers` sums).")
    numbers: TeamNumbers = strawberry.field(description="Shot attempts and special teams of the games with a sheet.")
    shots_against: int = strawberry.field(description="Shots the team's goalies faced.")
    saves: int = strawberry.field(description="Shots the team's goalies stopped.")
    row: Private[analytics.TeamSeason]

    @classmethod
    def from_row(cls, row: analytics.TeamSeason, *, season_id: uuid.UUID, team_id: uuid.UUID) -> TeamSeasonStats:
        return cls(
            record=TeamSeasonRecord.from_row(row.record, season_id=season_id, team_id=team_id),
            games_with_sheet=row.games_with_sheet,
            numbers=TeamNumbers.from_numbers(row.numbers),
            shots_against=row.shots_against,
            saves=row.saves,
            row=row,
        )

    @strawberry.field(description="Team save percentage: saves / shots against, to three decimals.")
    def save_percentage(self) -> float | None:
        return as_float(ratio(self.saves, self.shots_against))

    @strawberry.field(
        description="Team goals-against average: goalies' goals against x 3600 / their seconds, to two decimals."
    )
    def goals_against_average(self) -> float | None:
        return as_float(ratio(self.row.goals_against * analytics.SECONDS_PER_GAME, self.row.goalie_seconds, places=2))


@strawberry.type(description="A player's place among a team's leaders in one category.")
class StatLeader:
    rank: int = strawberry.field(description="1 for the best; players level share a rank.")
    games_played: int = strawberry.field(description="Final games with a line.")
    value: float = strawberry.field(description="The category's value (a count, or the goalie rate).")
    player_id: Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: models.StatLeader) -> StatLeader:
        return cls(rank=row.rank, games_played=row.games_played, value=float(row.value), player_id=row.player_id)

    @strawberry.field(description="The player.")
    def player(self) -> Player:
        return Player(id=to_id(self.player_id))


@strawberry.type(description="How a set of skaters did together: goals while all of them were on the ice.")
class LinePerformance:
    games_together: int = strawberry.field(description="Final games in which all of them played.")
    goals_for: int = strawberry.field(description="The team's goals with all of them on the ice.")
    goals_against: int = strawberry.field(description="The opponent's goals with all of them on the ice.")
    even_strength_goals_for: int = strawberry.field(description="Of the goals for, those at even strength.")
    even_strength_goals_against: int = strawberry.field(description="Of the goals against, those at even strength.")
    player_ids: Private[list[uuid.UUID]]
    team_id: Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: analytics.LinePerformance, *, team_id: uuid.UUID) -> LinePerformance:
        return cls(
            games_together=row.games_together,
            goals_for=row.goals_for,
            goals_against=row.goals_against,
            even_strength_goals_for=row.even_strength_goals_for,
            even_strength_goals_against=row.even_strength_goals_against,
            player_ids=row.player_ids,
            team_id=team_id,
        )

    @strawberry.field(description="The players of the line.")
    def players(self) -> list[Player]:
        return [Player(id=to_id(one)) for one in self.player_ids]

    @strawberry.field(description="The team.")
    def team(self) -> TeamReference:
        return TeamReference.from_id(self.team_id)

    @strawberry.field(description="Goals for / (for + against), out of 100, to one decimal.")
    def goals_for_percentage(self) -> float | None:
        return as_float(percentage(self.goals_for, self.goals_for + self.goals_against))
