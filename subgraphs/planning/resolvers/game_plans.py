"""Game plans: lineups, matchups, period notes and the post-game review."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry

from shared.graphql import Ctx, actor, mutation, parse_id, parse_ids, provided, requires_sign_in
from subgraphs.planning import service
from subgraphs.planning.models import LineType
from subgraphs.planning.resolvers.plans import optional_id
from subgraphs.planning.types import GamePlan


@strawberry.input(description="The coach's note for one period.")
class PeriodNoteInput:
    period: int = strawberry.field(description="1, 2 or 3; 4 is overtime. One note per period.")
    note: str = strawberry.field(description="What to do or change in that period.")


@strawberry.input(description="Which opponent line one of our units should face.")
class MatchupInput:
    line_type: LineType = strawberry.field(description="The line type of our unit.")
    unit: int = strawberry.field(description="Our line (pair, unit) number, within the line type's count.")
    opponent: str = strawberry.field(description="The opponent's line or players.")
    note: str | None = strawberry.field(default=None, description="How to play them.")


def _notes_and_matchups(values: dict[str, Any]) -> dict[str, Any]:
    if values.get("period_notes") is not None:
        values["period_notes"] = [service.PeriodNote(n.period, n.note) for n in values["period_notes"]]
    if values.get("matchups") is not None:
        values["matchups"] = [service.Matchup(m.line_type, m.unit, m.opponent, m.note) for m in values["matchups"]]
    return values


@strawberry.input(description="A new game plan; a team has one plan per game.")
class CreateGamePlanInput:
    team_id: strawberry.ID = strawberry.field(description="The team that plays.")
    game_id: strawberry.ID = strawberry.field(description="The game (the team's calendar event).")
    game_date: date = strawberry.field(description="The day of the game.")
    opponent: str = strawberry.field(description="Who we play.")
    objectives: str | None = strawberry.field(default=None, description="The game's keys.")
    period_notes: list[PeriodNoteInput] = strawberry.field(default_factory=list, description="Notes per period.")
    matchups: list[MatchupInput] = strawberry.field(default_factory=list, description="Whom our units face.")


@strawberry.input(description="Changes to a game plan; omitted fields stay as they are.")
class UpdateGamePlanInput:
    game_date: date | None = strawberry.field(default=strawberry.UNSET, description="The day of the game.")
    opponent: str | None = strawberry.field(default=strawberry.UNSET, description="Who we play.")
    objectives: str | None = strawberry.field(default=strawberry.UNSET, description="The keys, or null.")
    period_notes: list[PeriodNoteInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces the notes."
    )
    matchups: list[MatchupInput] | None = strawberry.field(default=strawberry.UNSET, description="Replaces them.")


@strawberry.input(description="A group of players: a forward line, a defence pair, or a unit's forwards or defence.")
class LineInput:
    players: list[strawberry.ID] = strawberry.field(description="In order, e.g. left wing, centre, right wing.")


@strawberry.input(
    description="The lineup of one line type. Even strength: forward lines of 3 and defence pairs of 2 (up to "
    "4 each) and up to 3 goalies. Special teams: the n-th forward group and n-th defence group form unit n "
    "(power play 5 skaters, 2 units; penalty kill 2 + 2, 3 units; extra attacker 6 skaters, 2 units). Each "
    "player at most once; all on the team's roster."
)
class LineupInput:
    line_type: LineType = strawberry.field(description="The game situation it is for.")
    forward_lines: list[LineInput] = strawberry.field(default_factory=list, description="Forward groups.")
    defence_pairs: list[LineInput] = strawberry.field(default_factory=list, description="Defence groups.")
    goalies: list[strawberry.ID] = strawberry.field(default_factory=list, description="Starter first.")

    def to_spec(self) -> service.LineupSpec:
        return service.LineupSpec(
            self.line_type,
            [parse_ids(line.players, field="forwardLines") for line in self.forward_lines],
            [parse_ids(line.players, field="defencePairs") for line in self.defence_pairs],
            parse_ids(self.goalies, field="goalies"),
        )


@strawberry.type(description="Reads of game plans.")
class GamePlansQuery:
    @strawberry.field(
        description="Game plans by game date: the club's staff see the club's, players their teams'.",
        extensions=[requires_sign_in()],
    )
    async def game_plans(
        self,
        info: Ctx,
        team_id: strawberry.ID | None = None,
        from_: Annotated[date | None, strawberry.argument(name="from", description="First day.")] = None,
        to: Annotated[date | None, strawberry.argument(description="Last day.")] = None,
        limit: Annotated[int, strawberry.argument(description="At most this many, up to 200.")] = 50,
    ) -> list[GamePlan]:
        rows = await service.list_game_plans(
            info.context.session,
            actor(info),
            team_id=optional_id(team_id, "teamId"),
            start=from_,
            end=to,
            limit=limit,
        )
        return [GamePlan.from_row(row) for row in rows]

    @strawberry.field(description="One game plan.", extensions=[requires_sign_in()])
    async def game_plan(self, info: Ctx, id: strawberry.ID) -> GamePlan:
        return GamePlan.from_row(await service.get_game_plan(info.context.session, actor(info), parse_id(id)))


@strawberry.type(description="Changes to game plans.")
class GamePlansMutation:
    @mutation(description="Plan a game (the team's coaches and club administrators).")
    async def create_game_plan(self, info: Ctx, input: CreateGamePlanInput) -> GamePlan:
        values = _notes_and_matchups(provided(input))
        values["team_id"] = parse_id(input.team_id, field="teamId")
        values["game_id"] = parse_id(input.game_id, field="gameId")
        return GamePlan.from_row(await service.create_game_plan(info.context.session, actor(info), **values))

    @mutation(description="Change a game plan's date, opponent, objectives, period notes or matchups.")
    async def update_game_plan(self, info: Ctx, id: strawberry.ID, input: UpdateGamePlanInput) -> GamePlan:
        values = _notes_and_matchups(provided(input))
        row = await service.update_game_plan(info.context.session, actor(info), parse_id(id), values)
        return GamePlan.from_row(row)

    @mutation(description="Set (replace) the lineup of one line type; an empty lineup clears it.")
    async def set_game_lineup(self, info: Ctx, id: strawberry.ID, input: LineupInput) -> GamePlan:
        row = await service.set_lineup(info.context.session, actor(info), parse_id(id), input.to_spec())
        return GamePlan.from_row(row)

    @mutation(description="Write the post-game review, once the game day has come; writing again replaces it.")
    async def review_game(self, info: Ctx, id: strawberry.ID, review: str) -> GamePlan:
        return GamePlan.from_row(
            await service.review_game(info.context.session, actor(info), parse_id(id), review=review)
        )
