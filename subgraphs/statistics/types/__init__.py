"""GraphQL types of the statistics service: games, stat lines, and the season numbers on `Player`."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import Private

from shared.errors import not_found
from shared.graphql import Ctx, TeamReference, actor, parse_id, to_id
from shared.validation import integer
from subgraphs.statistics import loaders, models, permissions, workload
from subgraphs.statistics.rates import as_float, percentage
from subgraphs.statistics.workload_types import TrainingDay

if TYPE_CHECKING:
    from subgraphs.statistics.types.sheets import GameGoal, GamePenalty, TeamNumbers

_SHEET_TYPES = "subgraphs.statistics.types.sheets"

strawberry.enum(models.GameStatus, name="GameStatus", description="SCHEDULED until the final score is in, then FINAL.")
strawberry.enum(
    models.GameDecision,
    name="GameDecision",
    description="How a game level after regulation was decided: in overtime or by a shootout.",
)
strawberry.enum(
    models.GameOutcome,
    name="GameOutcome",
    description="The result of a final game for the team: a win, a loss, a loss after regulation, or a tie.",
)

MAX_GAME_LOG = 100


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@strawberry.federation.type(keys=["id"], description="A game of one of the club's teams, with its score.")
class Game:
    id: strawberry.ID = strawberry.field(description="The game's id.")
    season_id: strawberry.ID = strawberry.field(description="The season (of the planning service) it belongs to.")
    opponent_name: str = strawberry.field(description="The opposing team.")
    is_home: bool = strawberry.field(description="True for a home game, false for an away game.")
    starts_at: datetime = strawberry.field(description="Puck drop.")
    status: models.GameStatus = strawberry.field(description="Scheduled, or final once the score is in.")
    goals_for: int = strawberry.field(description="Goals the team scored (a shootout win counts as one).")
    goals_against: int = strawberry.field(description="Goals the team conceded.")
    decided_in: models.GameDecision | None = strawberry.field(
        description="Overtime or shootout; null for a game decided in regulation or not yet played."
    )
    row: Private[models.Game]

    @classmethod
    def from_row(cls, row: models.Game) -> Game:
        return cls(
            id=to_id(row.id),
            season_id=to_id(row.season_id),
            opponent_name=row.opponent_name,
            is_home=row.is_home,
            starts_at=row.starts_at,
            status=row.status,
            goals_for=row.goals_for,
            goals_against=row.goals_against,
            decided_in=row.decided_in,
            row=row,
        )

    @strawberry.field(description="The team that played the game.")
    def team(self) -> TeamReference:
        return TeamReference.from_id(self.row.team_id)

    @strawberry.field(description="The result for the team; null until the game is final.")
    def outcome(self) -> models.GameOutcome | None:
        return models.outcome_of(self.row)

    @strawberry.field(description="The team's skater lines, most points first.")
    async def player_stats(self, info: Ctx) -> list[PlayerGameStats]:
        rows = await loaders.player_lines_of_game(info).load(self.row.id)
        return [PlayerGameStats.from_row(row, game=self.row) for row in rows]

    @strawberry.field(description="The team's goalie lines, most ice time first.")
    async def goalie_stats(self, info: Ctx) -> list[GoalieGameStats]:
        rows = await loaders.goalie_lines_of_game(info).load(self.row.id)
        return [GoalieGameStats.from_row(row, game=self.row) for row in rows]

    @strawberry.field(description="True once the game's full sheet is recorded (recordGameSheet).")
    def has_sheet(self) -> bool:
        return self.row.sheet_recorded_at is not None

    @strawberry.field(description="The goals of the game's sheet in order; empty without a sheet.")
    async def goals(self, info: Ctx) -> list[Annotated[GameGoal, strawberry.lazy(_SHEET_TYPES)]]:
        from subgraphs.statistics.types.sheets import GameGoal

        return [GameGoal.from_row(row) for row in await loaders.goals_of_game(info).load(self.row.id)]

    @strawberry.field(description="The penalties of the game's sheet in order; empty without a sheet.")
    async def penalties(self, info: Ctx) -> list[Annotated[GamePenalty, strawberry.lazy(_SHEET_TYPES)]]:
        from subgraphs.statistics.types.sheets import GamePenalty

        return [GamePenalty.from_row(row) for row in await loaders.penalties_of_game(info).load(self.row.id)]

    @strawberry.field(description="Shot attempts and special teams of the game's sheet; null without a sheet.")
    async def team_stats(self, info: Ctx) -> Annotated[TeamNumbers, strawberry.lazy(_SHEET_TYPES)] | None:
        from subgraphs.statistics.types.sheets import TeamNumbers, team_numbers_of

        row = await loaders.team_stats_of_game(info).load(self.row.id)
        return None if row is None else TeamNumbers.from_numbers(team_numbers_of(row))

    @classmethod
    async def resolve_reference(cls, info: Ctx, id: strawberry.ID) -> Game:
        row = await loaders.games(info).load(parse_id(id))
        if row is None or not permissions.can_view_game(actor(info), row):
            raise not_found("Game", id)
        return cls.from_row(row)


@strawberry.type(description="A skater's line in one game.")
class PlayerGameStats:
    id: strawberry.ID = strawberry.field(description="The stat line's id.")
    goals: int = strawberry.field(description="Goals scored.")
    assists: int = strawberry.field(description="Assists (at most two per goal of the team).")
    plus_minus: int = strawberry.field(
        description="Even-strength and shorthanded goals for minus against while on the ice."
    )
    penalty_minutes: int = strawberry.field(description="Penalty minutes.")
    shots: int = strawberry.field(description="Shots on goal, goals included.")
    time_on_ice_seconds: int = strawberry.field(description="Time on ice, in seconds.")
    jersey_number: int | None = strawberry.field(description="Jersey worn, when the sheet gave it.")
    missed_shots: int = strawberry.field(description="Shot attempts that missed the net (from a game sheet).")
    blocked_attempts: int = strawberry.field(description="The player's attempts an opponent blocked.")
    blocks: int = strawberry.field(description="Opponents' attempts the player blocked.")
    hits: int = strawberry.field(description="Hits given.")
    faceoff_wins: int = strawberry.field(description="Faceoffs won.")
    faceoff_losses: int = strawberry.field(description="Faceoffs lost.")
    power_play_goals: int = strawberry.field(description="Goals on the power play.")
    shorthanded_goals: int = strawberry.field(description="Goals while shorthanded.")
    row: Private[models.PlayerGameStats]
    game_row: Private[models.Game | None]

    @classmethod
    def from_row(cls, row: models.PlayerGameStats, *, game: models.Game | None = None) -> PlayerGameStats:
        return cls(
            id=to_id(row.id),
            goals=row.goals,
            assists=row.assists,
            plus_minus=row.plus_minus,
            penalty_minutes=row.penalty_minutes,
            shots=row.shots,
            time_on_ice_seconds=row.time_on_ice_seconds,
            jersey_number=row.jersey_number,
            missed_shots=row.missed_shots,
            blocked_attempts=row.blocked_attempts,
            blocks=row.blocks,
            hits=row.hits,
            faceoff_wins=row.faceoff_wins,
            faceoff_losses=row.faceoff_losses,
            power_play_goals=row.power_play_goals,
            shorthanded_goals=row.shorthanded_goals,
            row=row,
            game_row=game,
        )

    @strawberry.field(description="Corsi: every shot attempt (on goal, missed, blocked).")
    def shot_attempts(self) -> int:
        return self.shots + self.missed_shots + self.blocked_attempts

    @strawberry.field(description="Faceoffs won / taken, out of 100, to one decimal; null without faceoffs.")
    def faceoff_percentage(self) -> float | None:
        return as_float(percentage(self.faceoff_wins, self.faceoff_wins + self.faceoff_losses))

    @strawberry.field(description="Goals plus assists.")
    def points(self) -> int:
        return self.goals + self.assists

    @strawberry.field(description="The player.")
    def player(self) -> Player:
        return Player(id=to_id(self.row.player_id))

    @strawberry.field(description="The game.")
    async def game(self, info: Ctx) -> Game:
        return Game.from_row(await _game(info, self.game_row, self.row.game_id))


@strawberry.type(description="A goalie's line in one game.")
class GoalieGameStats:
    id: strawberry.ID = strawberry.field(description="The stat line's id.")
    shots_against: int = strawberry.field(description="Shots on goal faced.")
    saves: int = strawberry.field(description="Shots stopped.")
    goals_against: int = strawberry.field(description="Goals conceded: shots against minus saves.")
    time_on_ice_seconds: int = strawberry.field(description="Time in goal, in seconds.")
    jersey_number: int | None = strawberry.field(description="Jersey worn, when the sheet gave it.")
    row: Private[models.GoalieGameStats]
    game_row: Private[models.Game | None]

    @classmethod
    def from_row(cls, row: models.GoalieGameStats, *, game: models.Game | None = None) -> GoalieGameStats:
        return cls(
            id=to_id(row.id),
            shots_against=row.shots_against,
            saves=row.saves,
            goals_against=row.goals_against,
            time_on_ice_seconds=row.time_on_ice_seconds,
            jersey_number=row.jersey_number,
            row=row,
            game_row=game,
        )

    @strawberry.field(description="Saves / shots against, e.g. 0.923; null without shots against.")
    def save_percentage(self) -> float | None:
        if self.shots_against == 0:
            return None
        return round(self.saves / self.shots_against, 3)

    @strawberry.field(description="The goalie.")
    def player(self) -> Player:
        return Player(id=to_id(self.row.player_id))

    @strawberry.field(description="The game.")
    async def game(self, info: Ctx) -> Game:
        return Game.from_row(await _game(info, self.game_row, self.row.game_id))


async def _game(info: Ctx, known: models.Game | None, game_id: uuid.UUID) -> models.Game:
    if known is not None:
        return known
    row = await loaders.games(info).load(game_id)
    if row is None:
        raise not_found("Game", game_id)
    return row


@strawberry.type(description="A skater's totals over the final games of a season.")
class SkaterSeasonStats:
    games_played: int = strawberry.field(description="Final games with a stat line.")
    goals: int = strawberry.field(description="Goals.")
    assists: int = strawberry.field(description="Assists.")
    points: int = strawberry.field(description="Goals plus assists.")
    points_per_game: float = strawberry.field(description="Points / games played, to two decimals.")
    plus_minus: int = strawberry.field(description="Sum of the games' plus/minus.")
    penalty_minutes: int = strawberry.field(description="Penalty minutes.")
    shots: int = strawberry.field(description="Shots on goal.")
    shooting_percentage: float | None = strawberry.field(
        description="Goals per 100 shots, to one decimal (e.g. 12.5); null without shots."
    )
    average_time_on_ice_seconds: int = strawberry.field(
        description="Mean time on ice per game played, in whole seconds."
    )
    seasons: int = strawberry.field(description="Seasons with a final game (1 for a season's totals).")
    power_play_goals: int = strawberry.field(description="Power-play goals (from game sheets).")
    shorthanded_goals: int = strawberry.field(description="Shorthanded goals (from game sheets).")
    shot_attempts: int = strawberry.field(description="Every attempt: on goal, missed, blocked (Corsi).")
    hits: int = strawberry.field(description="Hits given.")
    blocks: int = strawberry.field(description="Opponents' attempts blocked.")
    faceoff_wins: int = strawberry.field(description="Faceoffs won.")
    faceoff_losses: int = strawberry.field(description="Faceoffs lost.")

    @strawberry.field(description="Faceoffs won / taken, out of 100, to one decimal; null without faceoffs.")
    def faceoff_percentage(self) -> float | None:
        return as_float(percentage(self.faceoff_wins, self.faceoff_wins + self.faceoff_losses))

    @classmethod
    def from_row(cls, row: models.SkaterSeason) -> SkaterSeasonStats:
        return cls(
            seasons=row.seasons,
            power_play_goals=row.power_play_goals,
            shorthanded_goals=row.shorthanded_goals,
            shot_attempts=row.shot_attempts,
            hits=row.hits,
            blocks=row.blocks,
            faceoff_wins=row.faceoff_wins,
            faceoff_losses=row.faceoff_losses,
            games_played=row.games_played,
            goals=row.goals,
            assists=row.assists,
            points=row.points,
            points_per_game=float(row.points_per_game),
            plus_minus=row.plus_minus,
            penalty_minutes=row.penalty_minutes,
            shots=row.shots,
            shooting_percentage=_float(row.shooting_percentage),
            average_time_on_ice_seconds=row.average_time_on_ice_seconds,
        )


@strawberry.type(description="A goalie's totals over the final games of a season.")
class GoalieSeasonStats:
    games_played: int = strawberry.field(description="Final games with a goalie line.")
    shots_against: int = strawberry.field(description="Shots on goal faced.")
    saves: int = strawberry.field(description="Shots stopped.")
    goals_against: int = strawberry.field(description="Goals conceded.")
    time_on_ice_seconds: int = strawberry.field(description="Time in goal, in seconds.")
    save_percentage: float | None = strawberry.field(
        description="Saves / shots against, to three decimals (e.g. 0.915); null without shots against."
    )
    goals_against_average: float | None = strawberry.field(
        description="Goals against x 3600 / seconds in goal, to two decimals; null without ice time."
    )
    shutouts: int = strawberry.field(
        description="Final games the goalie played alone without conceding, empty-net goals included."
    )
    seasons: int = strawberry.field(description="Seasons with a final game (1 for a season's totals).")

    @classmethod
    def from_row(cls, row: models.GoalieSeason) -> GoalieSeasonStats:
        return cls(
            seasons=row.seasons,
            games_played=row.games_played,
            shots_against=row.shots_against,
            saves=row.saves,
            goals_against=row.goals_against,
            time_on_ice_seconds=row.time_on_ice_seconds,
            save_percentage=_float(row.save_percentage),
            goals_against_average=_float(row.goals_against_average),
            shutouts=row.shutouts,
        )


@strawberry.type(description="A player's season: a skater line, a goalie line, or both (null when none).")
class PlayerSeasonStats:
    season_id: strawberry.ID = strawberry.field(description="The season.")
    player_id: Private[uuid.UUID]

    @strawberry.field(description="Totals as a skater; null without a skater line in a final game.")
    async def skater(self, info: Ctx) -> SkaterSeasonStats | None:
        scope = permissions.readable_organization(actor(info))
        row = await loaders.skater_seasons(info, scope).load((parse_id(self.season_id), self.player_id))
        return SkaterSeasonStats.from_row(row) if row else None

    @strawberry.field(description="Totals as a goalie; null without a goalie line in a final game.")
    async def goalie(self, info: Ctx) -> GoalieSeasonStats | None:
        scope = permissions.readable_organization(actor(info))
        row = await loaders.goalie_seasons(info, scope).load((parse_id(self.season_id), self.player_id))
        return GoalieSeasonStats.from_row(row) if row else None


@strawberry.type(description="A player's totals over every final game of every season in the club.")
class PlayerCareerStats:
    player_id: Private[uuid.UUID]

    @strawberry.field(description="Career totals as a skater; null without a skater line in a final game.")
    async def skater(self, info: Ctx) -> SkaterSeasonStats | None:
        scope = permissions.readable_organization(actor(info))
        row = await loaders.skater_careers(info, scope).load(self.player_id)
        return SkaterSeasonStats.from_row(row) if row else None

    @strawberry.field(description="Career totals as a goalie; null without a goalie line in a final game.")
    async def goalie(self, info: Ctx) -> GoalieSeasonStats | None:
        scope = permissions.readable_organization(actor(info))
        row = await loaders.goalie_careers(info, scope).load(self.player_id)
        return GoalieSeasonStats.from_row(row) if row else None


def _log_length(last: int | None) -> int | None:
    return None if last is None else integer(last, field="last", minimum=1, maximum=MAX_GAME_LOG)


@strawberry.federation.type(keys=["id"], description="A player on the club's roster.")
class Player:
    id: strawberry.ID = strawberry.field(description="The player's id.")

    @strawberry.field(description="The player's totals over the final games of a season.")
    def season_stats(self, season_id: strawberry.ID) -> PlayerSeasonStats:
        return PlayerSeasonStats(season_id=to_id(parse_id(season_id, field="seasonId")), player_id=parse_id(self.id))

    @strawberry.field(description="The player's totals over every season (career).")
    def career_stats(self) -> PlayerCareerStats:
        return PlayerCareerStats(player_id=parse_id(self.id))

    @strawberry.field(description="The player's skater lines in final games of a season, newest first.")
    async def game_log(
        self,
        info: Ctx,
        season_id: strawberry.ID,
        last: Annotated[int | None, strawberry.argument(description="Only the latest N games (1-100).")] = None,
    ) -> list[PlayerGameStats]:
        scope = permissions.readable_organization(actor(info))
        loader = loaders.player_game_logs(info, scope, _log_length(last))
        rows = await loader.load((parse_id(season_id, field="seasonId"), parse_id(self.id)))
        return [PlayerGameStats.from_row(line, game=game) for line, game in rows]

    @strawberry.field(description="The player's goalie lines in final games of a season, newest first.")
    async def goalie_game_log(
        self,
        info: Ctx,
        season_id: strawberry.ID,
        last: Annotated[int | None, strawberry.argument(description="Only the latest N games (1-100).")] = None,
    ) -> list[GoalieGameStats]:
        scope = permissions.readable_organization(actor(info))
        loader = loaders.goalie_game_logs(info, scope, _log_length(last))
        rows = await loader.load((parse_id(season_id, field="seasonId"), parse_id(self.id)))
        return [GoalieGameStats.from_row(line, game=game) for line, game in rows]

    @strawberry.field(
        description=(
            "The player's training load per day, every day of the range (zero without training), from the "
            "training service's completed workouts. For the club's staff, the player and their parents: "
            "null with a FORBIDDEN error for anyone else."
        )
    )
    async def training_load(
        self,
        info: Ctx,
        start: Annotated[
            date | None, strawberry.argument(name="from", description="First day; default 27 days before `to`.")
        ] = None,
        end: Annotated[
            date | None, strawberry.argument(name="to", description="Last day (at most 366 days); default today.")
        ] = None,
    ) -> list[TrainingDay] | None:
        player_id = parse_id(self.id)
        scope = permissions.training_load_scope(actor(info), player_id)
        end = end or workload.today()
        start = start or end - timedelta(days=workload.CHRONIC_DAYS - 1)
        workload.check_day_range(start, end)
        rows = await loaders.training_days(info, scope, start, end).load(player_id)
        return [TrainingDay.from_row(row) for row in workload.every_day(rows, player_id, start=start, end=end)]

    @strawberry.field(
        description=(
            "The player's acute:chronic workload ratio and its flag. Visible as trainingLoad is: null with a "
            "FORBIDDEN error for others."
        )
    )
    async def workload_ratio(
        self,
        info: Ctx,
        as_of: Annotated[
            date | None, strawberry.argument(description="The day to look back from; default today.")
        ] = None,
    ) -> WorkloadRatio | None:
        player_id = parse_id(self.id)
        scope = permissions.training_load_scope(actor(info), player_id)
        return WorkloadRatio.from_row(await loaders.workloads(info, scope, as_of or workload.today()).load(player_id))

    @classmethod
    def resolve_reference(cls, info: Ctx, id: strawberry.ID) -> Player:
        # No query: the fields batch their own reads, scoped to the caller's club.
        actor(info)
        return cls(id=to_id(parse_id(id)))


@strawberry.type(description="A player's place in a team's points race.")
class SeasonLeader:
    rank: int = strawberry.field(description="1 for the most points; players level on points share a rank.")
    games_played: int = strawberry.field(description="Final games with a stat line.")
    goals: int = strawberry.field(description="Goals.")
    assists: int = strawberry.field(description="Assists.")
    points: int = strawberry.field(description="Goals plus assists.")
    points_per_game: float = strawberry.field(description="Points / games played, to two decimals.")
    player_id: Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: models.Leader) -> SeasonLeader:
        return cls(
            rank=row.rank,
            games_played=row.games_played,
            goals=row.goals,
            assists=row.assists,
            points=row.points,
            points_per_game=float(row.points_per_game),
            player_id=row.player_id,
        )

    @strawberry.field(description="The player.")
    def player(self) -> Player:
        return Player(id=to_id(self.player_id))


@strawberry.type(description="A team's record over the final games of a season.")
class TeamSeasonRecord:
    season_id: strawberry.ID = strawberry.field(description="The season.")
    team: TeamReference = strawberry.field(description="The team.")
    games_played: int = strawberry.field(description="Final games.")
    wins: int = strawberry.field(description="Wins, in regulation, overtime or a shootout.")
    losses: int = strawberry.field(description="Losses in regulation.")
    overtime_losses: int = strawberry.field(description="Losses in overtime or a shootout.")
    ties: int = strawberry.field(description="Games that ended level.")
    goals_for: int = strawberry.field(description="Goals scored.")
    goals_against: int = strawberry.field(description="Goals conceded.")

    @classmethod
    def from_row(cls, row: models.TeamRecord, *, season_id: uuid.UUID, team_id: uuid.UUID) -> TeamSeasonRecord:
        return cls(
            season_id=to_id(season_id),
            team=TeamReference.from_id(team_id),
            games_played=row.games_played,
            wins=row.wins,
            losses=row.losses,
            overtime_losses=row.overtime_losses,
            ties=row.ties,
            goals_for=row.goals_for,
            goals_against=row.goals_against,
        )

    @strawberry.field(description="Goals for minus goals against.")
    def goal_differential(self) -> int:
        return self.goals_for - self.goals_against

    @strawberry.field(description="Standings points: two per win, one per overtime loss or tie.")
    def points(self) -> int:
        return 2 * self.wins + self.overtime_losses + self.ties


@strawberry.type(
    description=(
        "A player's acute:chronic workload ratio (rolling averages, coupled): the load of the last 7 days "
        "against the average weekly load of the last 28 days."
    )
)
class WorkloadRatio:
    as_of: date = strawberry.field(description="The last day of both windows.")
    acute_load: int = strawberry.field(description="Load of the 7 days ending on asOf.")
    chronic_load: float = strawberry.field(
        description="Average weekly load of the 28 days ending on asOf (their sum / 4), to two decimals."
    )
    ratio: float | None = strawberry.field(
        description="acuteLoad / chronicLoad, to two decimals; null without load in the 28 days."
    )
    flag: models.WorkloadFlag = strawberry.field(description="Spike, under-training, in range, or no baseline.")
    in_target_band: bool = strawberry.field(description="The ratio lies in the 0.8-1.3 band trainers aim for.")
    monotony: float | None = strawberry.field(
        description=(
            "Foster's monotony of the last 7 days (rest days as zero): mean daily load / its population "
            "standard deviation, to two decimals; null when every day's load was the same. Above 2 is a warning."
        )
    )
    strain: float | None = strawberry.field(description="acuteLoad x monotony, to two decimals.")
    row: Private[models.Workload]

    @classmethod
    def from_row(cls, row: models.Workload) -> WorkloadRatio:
        return cls(
            as_of=row.as_of,
            acute_load=row.acute_load,
            chronic_load=float(row.chronic_load),
            ratio=None if row.ratio is None else float(row.ratio),
            flag=row.flag,
            in_target_band=row.in_target_band,
            monotony=as_float(row.monotony),
            strain=as_float(row.strain),
            row=row,
        )

    @strawberry.field(description="The player.")
    def player(self) -> Player:
        return Player(id=to_id(self.row.player_id))


@strawberry.type(description="A team's place in the standings of the club's teams in a season.")
class TeamStanding:
    rank: int = strawberry.field(
        description=(
            "1 for the top: most points, then fewer games played, more wins, better goal differential, more "
            "goals for; teams level on all of these share a rank."
        )
    )
    record: TeamSeasonRecord = strawberry.field(description="The team's record, points and goal differential.")

    @classmethod
    def from_row(cls, row: models.Standing, *, season_id: uuid.UUID) -> TeamStanding:
        return cls(
            rank=row.rank, record=TeamSeasonRecord.from_row(row.record, season_id=season_id, team_id=row.team_id)
        )


__all__ = [
    "Game",
    "GoalieGameStats",
    "GoalieSeasonStats",
    "Player",
    "PlayerCareerStats",
    "PlayerGameStats",
    "PlayerSeasonStats",
    "SeasonLeader",
    "SkaterSeasonStats",
    "TeamSeasonRecord",
    "TeamStanding",
    "TrainingDay",
    "WorkloadRatio",
]
