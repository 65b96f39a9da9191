"""Game plans: lineups per line type, matchups, notes per period, the post-game review."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import strawberry
from strawberry import Private

from shared.graphql import Ctx, TeamReference, UserReference, to_id
from subgraphs.planning import loaders, models, service
from subgraphs.planning.types.goals import Player


def _players(ids: list[uuid.UUID]) -> list[Player]:
    return [Player(id=to_id(player_id)) for player_id in ids]


@strawberry.type(description="A forward line, a defence pair, or one group of a special-teams unit.")
class Line:
    number: int = strawberry.field(description="1 for the first line (pair, unit), and so on.")
    players: list[Player] = strawberry.field(description="In order: e.g. left wing, centre, right wing.")


@strawberry.type(description="The lineup of one line type: forward lines, defence pairs and goalies.")
class Lineup:
    line_type: models.LineType = strawberry.field(description="The game situation it is for.")
    forward_lines: list[Line] = strawberry.field(description="Forward lines (units' forwards), first first.")
    defence_pairs: list[Line] = strawberry.field(description="Defence pairs (units' defence), first first.")
    goalies: list[Player] = strawberry.field(description="Dressed goalies, the starter first.")

    @classmethod
    def from_lineup(cls, lineup: service.Lineup) -> Lineup:
        return cls(
            line_type=lineup.line_type,
            forward_lines=[Line(number=n, players=_players(p)) for n, p in enumerate(lineup.forward_lines, start=1)],
            defence_pairs=[Line(number=n, players=_players(p)) for n, p in enumerate(lineup.defence_pairs, start=1)],
            goalies=_players(lineup.goalies),
        )


@strawberry.type(description="The coach's note for one period.")
class PeriodNote:
    period: int = strawberry.field(description="1, 2 or 3; 4 is overtime.")
    note: str = strawberry.field(description="What to do or change in that period.")


@strawberry.type(description="Which opponent line one of our units should face.")
class Matchup:
    line_type: models.LineType = strawberry.field(description="The line type of our unit.")
    unit: int = strawberry.field(description="Our line (pair, unit) number.")
    opponent: str = strawberry.field(description="The opponent's line or players, e.g. their top line.")
    note: str | None = strawberry.field(description="How to play them.")


@strawberry.type(description="A coach's plan for one game of a team, with the review after it.")
class GamePlan:
    id: strawberry.ID = strawberry.field(description="The game plan's id.")
    game_id: strawberry.ID = strawberry.field(description="The game (the team's calendar event) it is for.")
    game_date: date = strawberry.field(description="The day of the game.")
    opponent: str = strawberry.field(description="Who we play.")
    objectives: str | None = strawberry.field(description="The game's keys, e.g. win the neutral zone.")
    period_notes: list[PeriodNote] = strawberry.field(description="Notes per period, in order.")
    matchups: list[Matchup] = strawberry.field(description="Whom our units face.")
    review: str | None = strawberry.field(description="The post-game review, once written.")
    reviewed_at: datetime | None = strawberry.field(description="When the review was last written.")
    row: Private[models.GamePlan]

    @classmethod
    def from_row(cls, row: models.GamePlan) -> GamePlan:
        return cls(
            id=to_id(row.id),
            game_id=to_id(row.game_id),
            game_date=row.game_date,
            opponent=row.opponent,
            objectives=row.objectives,
            period_notes=[PeriodNote(period=n.period, note=n.note) for n in service.period_notes_of(row)],
            matchups=[
                Matchup(line_type=m.line_type, unit=m.unit, opponent=m.opponent, note=m.note)
                for m in service.matchups_of(row)
            ],
            review=row.review,
            reviewed_at=row.reviewed_at,
            row=row,
        )

    @strawberry.field(description="The team that plays.")
    def team(self) -> TeamReference:
        return TeamReference.from_id(self.row.team_id)

    @strawberry.field(description="Who wrote the review.")
    def reviewed_by(self) -> UserReference | None:
        return UserReference.from_id(self.row.reviewed_by_user_id) if self.row.reviewed_by_user_id else None

    @strawberry.field(description="The lineups set so far, in line-type order.")
    async def lineups(self, info: Ctx) -> list[Lineup]:
        slots = await loaders.slots_of_game_plan(info).load(self.row.id)
        return [Lineup.from_lineup(lineup) for lineup in service.lineups(slots)]

    @strawberry.field(description="The lineup of one line type, or null when not set.")
    async def lineup(self, info: Ctx, line_type: models.LineType) -> Lineup | None:
        slots = await loaders.slots_of_game_plan(info).load(self.row.id)
        return next(
            (Lineup.from_lineup(lineup) for lineup in service.lineups(slots) if lineup.line_type is line_type), None
        )
