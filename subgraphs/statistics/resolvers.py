"""Queries and mutations of the statistics service: parse input, call the service, wrap the result."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import strawberry

from shared.graphql import Ctx, actor, mutation, parse_id, provided, requires_sign_in
from subgraphs.statistics import analytics, reports, service, sheets, workload
from subgraphs.statistics.models import GameDecision, GameStatus, LeaderCategory
from subgraphs.statistics.types import (
    Game,
    GoalieGameStats,
    PlayerGameStats,
    SeasonLeader,
    TeamSeasonRecord,
    TeamStanding,
    WorkloadRatio,
)
from subgraphs.statistics.types.analytics import LinePerformance, StatLeader, TeamSeasonStats
from subgraphs.statistics.types.reports import GenerateReportInput, StoredReport
from subgraphs.statistics.types.sheets import GameSheetInput
from subgraphs.statistics.workload_types import TeamLoadSummary


@strawberry.input(description="A game of one of the club's teams.")
class RecordGameInput:
    season_id: strawberry.ID = strawberry.field(description="The season it belongs to.")
    team_id: strawberry.ID = strawberry.field(description="The club's team that plays it.")
    opponent_name: str = strawberry.field(description="The opposing team.")
    is_home: bool = strawberry.field(description="True for a home game.")
    starts_at: datetime = strawberry.field(description="Puck drop, with a time zone offset.")
    status: GameStatus = strawberry.field(
        default=GameStatus.SCHEDULED, description="FINAL records a game already played, with its score."
    )
    goals_for: int = strawberry.field(default=0, description="Goals the team scored.")
    goals_against: int = strawberry.field(default=0, description="Goals the team conceded.")
    decided_in: GameDecision | None = strawberry.field(
        default=None, description="Overtime or shootout, for a game decided after regulation."
    )
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="The club (platform administrators only; others record for their own)."
    )


@strawberry.input(description="Changes to a game; omitted fields stay as they are.")
class UpdateGameInput:
    opponent_name: str | None = strawberry.field(default=strawberry.UNSET, description="The opposing team.")
    is_home: bool | None = strawberry.field(default=strawberry.UNSET, description="True for a home game.")
    starts_at: datetime | None = strawberry.field(
        default=strawberry.UNSET, description="Puck drop, with a time zone offset."
    )
    goals_for: int | None = strawberry.field(
        default=strawberry.UNSET, description="Corrected goals for; must cover the recorded stat lines."
    )
    goals_against: int | None = strawberry.field(
        default=strawberry.UNSET, description="Corrected goals against; must cover the goalie lines."
    )
    decided_in: GameDecision | None = strawberry.field(
        default=strawberry.UNSET, description="Overtime, shootout, or null for regulation."
    )


@strawberry.input(description="The final score of a game.")
class FinalizeGameInput:
    goals_for: int = strawberry.field(description="Goals the team scored (a shootout win counts as one).")
    goals_against: int = strawberry.field(description="Goals the team conceded.")
    decided_in: GameDecision | None = strawberry.field(
        default=None, description="Overtime or shootout; omit for a regulation result."
    )


@strawberry.input(description="A skater's line in one game.")
class RecordPlayerGameStatsInput:
    game_id: strawberry.ID = strawberry.field(description="The game.")
    player_id: strawberry.ID = strawberry.field(description="The player; one line per player and game.")
    goals: int = strawberry.field(default=0, description="Goals scored.")
    assists: int = strawberry.field(default=0, description="Assists.")
    plus_minus: int = strawberry.field(default=0, description="Plus/minus.")
    penalty_minutes: int = strawberry.field(default=0, description="Penalty minutes.")
    shots: int = strawberry.field(default=0, description="Shots on goal, goals included.")
    time_on_ice_seconds: int = strawberry.field(default=0, description="Time on ice, in seconds.")


@strawberry.input(description="Corrections to a skater's line; omitted fields stay as they are.")
class UpdatePlayerGameStatsInput:
    goals: int | None = strawberry.field(default=strawberry.UNSET, description="Goals scored.")
    assists: int | None = strawberry.field(default=strawberry.UNSET, description="Assists.")
    plus_minus: int | None = strawberry.field(default=strawberry.UNSET, description="Plus/minus.")
    penalty_minutes: int | None = strawberry.field(default=strawberry.UNSET, description="Penalty minutes.")
    shots: int | None = strawberry.field(default=strawberry.UNSET, description="Shots on goal.")
    time_on_ice_seconds: int | None = strawberry.field(default=strawberry.UNSET, description="Time on ice, in seconds.")


@strawberry.input(description="A goalie's line in one game.")
class RecordGoalieGameStatsInput:
    game_id: strawberry.ID = strawberry.field(description="The game.")
    player_id: strawberry.ID = strawberry.field(description="The goalie; one line per goalie and game.")
    shots_against: int = strawberry.field(description="Shots on goal faced.")
    saves: int = strawberry.field(description="Shots stopped.")
    goals_against: int = strawberry.field(description="Goals conceded; must equal shots against minus saves.")
    time_on_ice_seconds: int = strawberry.field(description="Time in goal, in seconds.")


@strawberry.input(description="Corrections to a goalie's line; omitted fields stay as they are.")
class UpdateGoalieGameStatsInput:
    shots_against: int | None = strawberry.field(default=strawberry.UNSET, description="Shots on goal faced.")
    saves: int | None = strawberry.field(default=strawberry.UNSET, description="Shots stopped.")
    goals_against: int | None = strawberry.field(
        default=strawberry.UNSET,
        description="Goals conceded; derived from shots against and saves when omitted.",
    )
    time_on_ice_seconds: int | None = strawberry.field(
        default=strawberry.UNSET, description="Time in goal, in seconds."
    )


def _ids(values: dict[str, Any], **fields: str) -> dict[str, Any]:
    """Parse the ID fields among input values (Python name -> API name); null stays null."""
    for name, label in fields.items():
        if values.get(name) is not None:
            values[name] = parse_id(str(values[name]), field=label)
    return values


@strawberry.type(description="Reads of games and statistics.")
class Query:
    @strawberry.field(
        description="The games of a season in the caller's club, by start time.",
        extensions=[requires_sign_in()],
    )
    async def games(
        self,
        info: Ctx,
        season_id: strawberry.ID,
        team_id: Annotated[strawberry.ID | None, strawberry.argument(description="Only this team's games.")] = None,
        status: Annotated[
            GameStatus | None, strawberry.argument(description="Only scheduled or only final games.")
        ] = None,
    ) -> list[Game]:
        rows = await service.list_games(
            info.context.session,
            actor(info),
            season_id=parse_id(season_id, field="seasonId"),
            team_id=parse_id(team_id, field="teamId") if team_id is not None else None,
            status=status,
        )
        return [Game.from_row(row) for row in rows]

    @strawberry.field(description="One game, with its stat lines.", extensions=[requires_sign_in()])
    async def game(self, info: Ctx, id: strawberry.ID) -> Game:
        return Game.from_row(await service.get_game(info.context.session, actor(info), parse_id(id)))

    @strawberry.field(
        description="A team's points leaders over the final games of a season.",
        extensions=[requires_sign_in()],
    )
    async def season_leaders(
        self,
        info: Ctx,
        season_id: strawberry.ID,
        team_id: strawberry.ID,
        first: Annotated[int, strawberry.argument(description="How many leaders (1-100).")] = 10,
    ) -> list[SeasonLeader]:
        rows = await service.season_leaders(
            info.context.session,
            actor(info),
            season_id=parse_id(season_id, field="seasonId"),
            team_id=parse_id(team_id, field="teamId"),
            first=first,
        )
        return [SeasonLeader.from_row(row) for row in rows]

    @strawberry.field(
        description="A team's wins, losses and goals over the final games of a season.",
        extensions=[requires_sign_in()],
    )
    async def team_season_record(self, info: Ctx, season_id: strawberry.ID, team_id: strawberry.ID) -> TeamSeasonRecord:
        season, team = parse_id(season_id, field="seasonId"), parse_id(team_id, field="teamId")
        row = await service.team_record(info.context.session, actor(info), season_id=season, team_id=team)
        return TeamSeasonRecord.from_row(row, season_id=season, team_id=team)

    @strawberry.field(
        description=(
            "A team's season: record, team save percentage and goals-against average, and the shot attempts "
            "(Corsi, Fenwick) and special teams (power play, penalty kill) of its games with a sheet."
        ),
        extensions=[requires_sign_in()],
    )
    async def team_season_stats(self, info: Ctx, season_id: strawberry.ID, team_id: strawberry.ID) -> TeamSeasonStats:
        season, team = parse_id(season_id, field="seasonId"), parse_id(team_id, field="teamId")
        row = await analytics.team_season(info.context.session, actor(info), season_id=season, team_id=team)
        return TeamSeasonStats.from_row(row, season_id=season, team_id=team)

    @strawberry.field(
        description="A team's leaders of a season in one category, best first.", extensions=[requires_sign_in()]
    )
    async def stat_leaders(
        self,
        info: Ctx,
        season_id: strawberry.ID,
        team_id: strawberry.ID,
        category: LeaderCategory,
        minimum_games: Annotated[int, strawberry.argument(description="Only players with this many games.")] = 1,
        first: Annotated[int, strawberry.argument(description="How many leaders (1-100).")] = 10,
    ) -> list[StatLeader]:
        rows = await analytics.stat_leaders(
            info.context.session,
            actor(info),
            season_id=parse_id(season_id, field="seasonId"),
            team_id=parse_id(team_id, field="teamId"),
            category=category,
            minimum_games=minimum_games,
            first=first,
        )
        return [StatLeader.from_row(row) for row in rows]

    @strawberry.field(
        description=(
            "Goals for and against while all of these skaters were on the ice, over a season's final games "
            "whose sheets record who was on the ice."
        ),
        extensions=[requires_sign_in()],
    )
    async def line_performance(
        self, info: Ctx, season_id: strawberry.ID, team_id: strawberry.ID, player_ids: list[strawberry.ID]
    ) -> LinePerformance:
        team = parse_id(team_id, field="teamId")
        row = await analytics.line_performance(
            info.context.session,
            actor(info),
            season_id=parse_id(season_id, field="seasonId"),
            team_id=team,
            player_ids=[parse_id(one, field=f"playerIds[{index}]") for index, one in enumerate(player_ids)],
        )
        return LinePerformance.from_row(row, team_id=team)

    @strawberry.field(
        description=(
            "The standings of the club's teams over the final games of a season, best first: two points a "
            "win, one an overtime or shootout loss (or a tie). Up to date as soon as a game is final."
        ),
        extensions=[requires_sign_in()],
    )
    async def team_standings(
        self,
        info: Ctx,
        season_id: Annotated[strawberry.ID, strawberry.argument(description="The season (of the planning service).")],
    ) -> list[TeamStanding]:
        season = parse_id(season_id, field="seasonId")
        rows = await service.standings(info.context.session, actor(info), season_id=season)
        return [TeamStanding.from_row(row, season_id=season) for row in rows]

    @strawberry.field(
        description=(
            "The acute:chronic workload ratio of every active player of a team, for the club's staff: spikes "
            "first (highest ratio first), then under-training (lowest first), in range, and no baseline."
        ),
        extensions=[requires_sign_in()],
    )
    async def team_workload(
        self,
        info: Ctx,
        team_id: Annotated[strawberry.ID, strawberry.argument(description="The team; its active players are listed.")],
        as_of: Annotated[
            date | None, strawberry.argument(description="The day to look back from; default today.")
        ] = None,
    ) -> list[WorkloadRatio]:
        rows = await workload.team_workload(
            info.context.session, actor(info), team_id=parse_id(team_id, field="teamId"), as_of=as_of
        )
        return [WorkloadRatio.from_row(row) for row in rows]

    @strawberry.field(
        description=(
            "The team's players who need the trainer's attention: a workload spike (ratio above 1.5), "
            "under-training (below 0.8) or a week of monotony above 2; spikes first. For the club's staff."
        ),
        extensions=[requires_sign_in()],
    )
    async def flagged_players(
        self,
        info: Ctx,
        team_id: strawberry.ID,
        as_of: Annotated[
            date | None, strawberry.argument(description="The day to look back from; default today.")
        ] = None,
    ) -> list[WorkloadRatio]:
        rows = await workload.flagged_players(
            info.context.session, actor(info), team_id=parse_id(team_id, field="teamId"), as_of=as_of
        )
        return [WorkloadRatio.from_row(row) for row in rows]

    @strawberry.field(
        description="A team's training load summary for the club's staff: mean loads, team ratio, flag counts.",
        extensions=[requires_sign_in()],
    )
    async def team_load_summary(
        self,
        info: Ctx,
        team_id: strawberry.ID,
        as_of: Annotated[
            date | None, strawberry.argument(description="The day to look back from; default today.")
        ] = None,
    ) -> TeamLoadSummary:
        row = await workload.team_load(
            info.context.session, actor(info), team_id=parse_id(team_id, field="teamId"), as_of=as_of
        )
        return TeamLoadSummary.from_row(row)

    @strawberry.field(
        description="Stored reports of the caller's club, newest first (the club's staff).",
        extensions=[requires_sign_in()],
    )
    async def statistics_reports(
        self,
        info: Ctx,
        subject_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only the reports of this player or team.")
        ] = None,
        first: Annotated[int, strawberry.argument(description="How many (1-100).")] = 20,
    ) -> list[StoredReport]:
        rows = await reports.list_reports(
            info.context.session,
            actor(info),
            subject_id=None if subject_id is None else parse_id(subject_id, field="subjectId"),
            first=first,
        )
        return [StoredReport.from_row(row) for row in rows]


@strawberry.type(description="Recording games and their statistics.")
class Mutation:
    @mutation(description="Record a game of a team (its coaches and club administrators).")
    async def record_game(self, info: Ctx, input: RecordGameInput) -> Game:
        values = _ids(provided(input), season_id="seasonId", team_id="teamId", organization_id="organizationId")
        return Game.from_row(await service.record_game(info.context.session, actor(info), **values))

    @mutation(description="Change a game's details or correct its score.")
    async def update_game(self, info: Ctx, id: strawberry.ID, input: UpdateGameInput) -> Game:
        row = await service.update_game(info.context.session, actor(info), parse_id(id), provided(input))
        return Game.from_row(row)

    @mutation(description="Record the final score: the game then counts in season statistics.")
    async def finalize_game(self, info: Ctx, id: strawberry.ID, input: FinalizeGameInput) -> Game:
        row = await service.finalize_game(
            info.context.session,
            actor(info),
            parse_id(id),
            goals_for=input.goals_for,
            goals_against=input.goals_against,
            decided_in=input.decided_in,
        )
        return Game.from_row(row)

    @mutation(
        description=(
            "Record a played game's whole sheet (the team's coaches and club administrators): roster with "
            "tallies, goals, penalties. Replaces any previous sheet and the game's stat lines, sets the score "
            "and makes the game final, all in one transaction."
        )
    )
    async def record_game_sheet(self, info: Ctx, game_id: strawberry.ID, input: GameSheetInput) -> Game:
        row = await sheets.record_game_sheet(
            info.context.session, actor(info), parse_id(game_id, field="gameId"), input.to_sheet()
        )
        return Game.from_row(row)

    @mutation(description="Remove a scheduled game that will not be played.")
    async def remove_game(self, info: Ctx, id: strawberry.ID) -> bool:
        return await service.remove_game(info.context.session, actor(info), parse_id(id))

    @mutation(description="Record a skater's line in a game.")
    async def record_player_game_stats(self, info: Ctx, input: RecordPlayerGameStatsInput) -> PlayerGameStats:
        values = _ids(provided(input), game_id="gameId", player_id="playerId")
        return PlayerGameStats.from_row(await service.record_player_stats(info.context.session, actor(info), **values))

    @mutation(description="Correct a skater's line.")
    async def update_player_game_stats(
        self, info: Ctx, id: strawberry.ID, input: UpdatePlayerGameStatsInput
    ) -> PlayerGameStats:
        row = await service.update_player_stats(info.context.session, actor(info), parse_id(id), provided(input))
        return PlayerGameStats.from_row(row)

    @mutation(description="Remove a skater's line.")
    async def remove_player_game_stats(self, info: Ctx, id: strawberry.ID) -> bool:
        return await service.remove_player_stats(info.context.session, actor(info), parse_id(id))

    @mutation(description="Record a goalie's line in a game.")
    async def record_goalie_game_stats(self, info: Ctx, input: RecordGoalieGameStatsInput) -> GoalieGameStats:
        values = _ids(provided(input), game_id="gameId", player_id="playerId")
        return GoalieGameStats.from_row(await service.record_goalie_stats(info.context.session, actor(info), **values))

    @mutation(description="Correct a goalie's line.")
    async def update_goalie_game_stats(
        self, info: Ctx, id: strawberry.ID, input: UpdateGoalieGameStatsInput
    ) -> GoalieGameStats:
        row = await service.update_goalie_stats(info.context.session, actor(info), parse_id(id), provided(input))
        return GoalieGameStats.from_row(row)

    @mutation(description="Remove a goalie's line.")
    async def remove_goalie_game_stats(self, info: Ctx, id: strawberry.ID) -> bool:
        return await service.remove_goalie_stats(info.context.session, actor(info), parse_id(id))

    @mutation(
        description=(
            "Generate a player's or a team's report now and keep it (the club's staff); download it from its "
            "downloadPath. Anyone who may read the numbers can also download a fresh report directly from "
            "/reports/players/{id}.pdf or /reports/teams/{id}.csv."
        )
    )
    async def generate_statistics_report(self, info: Ctx, input: GenerateReportInput) -> StoredReport:
        row = await reports.generate_report(
            info.context.session,
            actor(info),
            kind=input.kind,
            subject_id=parse_id(input.subject_id, field="subjectId"),
            season_id=parse_id(input.season_id, field="seasonId"),
            format=input.format,
        )
        return StoredReport.from_row(row)
