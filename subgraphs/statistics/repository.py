"""All SQL of the statistics service, season aggregates included.

`organization_id` arguments scope a read to one club; None reads every club (platform administrators).
Only FINAL games count towards season totals, game logs and leaders.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Numeric,
    Select,
    SQLColumnExpression,
    and_,
    case,
    delete,
    exists,
    false,
    func,
    null,
    select,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from subgraphs.statistics.models import (
    Game,
    GameStatus,
    GameTotals,
    GoalieGameStats,
    GoalieSeason,
    Leader,
    PlayerGameStats,
    SeasonPlayer,
    SkaterSeason,
    Standing,
    TeamRecord,
)

SECONDS_PER_GAME = 3600
"""Regulation length, the unit of the goals-against average."""


def _in_scope(column: SQLColumnExpression[uuid.UUID], organization_id: uuid.UUID | None) -> ColumnElement[bool]:
    return column == organization_id if organization_id is not None else column.is_not(None)


def _pairs(
    keys: Sequence[SeasonPlayer],
    season: SQLColumnExpression[uuid.UUID],
    player: SQLColumnExpression[uuid.UUID],
) -> ColumnElement[bool]:
    return tuple_(season, player).in_(list(keys)) if keys else false()


# Games -------------------------------------------------------------------------------------------------


async def games_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Game]:
    return list(await session.scalars(select(Game).where(Game.id.in_(ids))))


async def game_for_update(session: AsyncSession, game_id: uuid.UUID) -> Game | None:
    """The game, locked until the transaction ends: score changes and new lines of one game serialize,
    so the checks of their totals cannot race."""
    result = await session.scalars(
        select(Game).where(Game.id == game_id).with_for_update().execution_options(populate_existing=True)
    )
    return result.first()


async def games(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID | None,
    season_id: uuid.UUID,
    team_id: uuid.UUID | None,
    status: GameStatus | None,
) -> list[Game]:
    query = select(Game).where(_in_scope(Game.organization_id, organization_id), Game.season_id == season_id)
    if team_id is not None:
        query = query.where(Game.team_id == team_id)
    if status is not None:
        query = query.where(Game.status == status)
    return list(await session.scalars(query.order_by(Game.starts_at, Game.id)))


async def game_totals(
    session: AsyncSession,
    game_id: uuid.UUID,
    *,
    except_player_line: uuid.UUID | None = None,
    except_goalie_line: uuid.UUID | None = None,
) -> GameTotals:
    skaters = select(
        func.coalesce(func.sum(PlayerGameStats.goals), 0),
        func.coalesce(func.sum(PlayerGameStats.assists), 0),
        func.coalesce(func.max(PlayerGameStats.goals + PlayerGameStats.assists), 0),
        func.coalesce(func.max(PlayerGameStats.plus_minus), 0),
        func.coalesce(func.min(PlayerGameStats.plus_minus), 0),
    ).where(PlayerGameStats.game_id == game_id)
    if except_player_line is not None:
        skaters = skaters.where(PlayerGameStats.id != except_player_line)
    goalies = select(func.coalesce(func.sum(GoalieGameStats.goals_against), 0)).where(
        GoalieGameStats.game_id == game_id
    )
    if except_goalie_line is not None:
        goalies = goalies.where(GoalieGameStats.id != except_goalie_line)
    row = (await session.execute(skaters.add_columns(goalies.scalar_subquery()))).one()
    return GameTotals(*(int(value) for value in row))


async def delete_game(session: AsyncSession, game_id: uuid.UUID) -> None:
    await session.execute(delete(Game).where(Game.id == game_id))


# Stat lines --------------------------------------------------------------------------------------------


async def player_lines_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[PlayerGameStats]:
    return list(await session.scalars(select(PlayerGameStats).where(PlayerGameStats.id.in_(ids))))


async def goalie_lines_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[GoalieGameStats]:
    return list(await session.scalars(select(GoalieGameStats).where(GoalieGameStats.id.in_(ids))))


async def player_line_for_update(session: AsyncSession, line_id: uuid.UUID) -> PlayerGameStats | None:
    result = await session.scalars(
        select(PlayerGameStats)
        .where(PlayerGameStats.id == line_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return result.first()


async def goalie_line_for_update(session: AsyncSession, line_id: uuid.UUID) -> GoalieGameStats | None:
    result = await session.scalars(
        select(GoalieGameStats)
        .where(GoalieGameStats.id == line_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return result.first()


async def player_lines_of_games(session: AsyncSession, game_ids: Sequence[uuid.UUID]) -> list[PlayerGameStats]:
    return list(
        await session.scalars(
            select(PlayerGameStats)
            .where(PlayerGameStats.game_id.in_(game_ids))
            .order_by(
                (PlayerGameStats.goals + PlayerGameStats.assists).desc(),
                PlayerGameStats.goals.desc(),
                PlayerGameStats.player_id,
            )
        )
    )


async def goalie_lines_of_games(session: AsyncSession, game_ids: Sequence[uuid.UUID]) -> list[GoalieGameStats]:
    return list(
        await session.scalars(
            select(GoalieGameStats)
            .where(GoalieGameStats.game_id.in_(game_ids))
            .order_by(GoalieGameStats.time_on_ice_seconds.desc(), GoalieGameStats.player_id)
        )
    )


async def delete_player_line(session: AsyncSession, line_id: uuid.UUID) -> None:
    await session.execute(delete(PlayerGameStats).where(PlayerGameStats.id == line_id))


async def delete_goalie_line(session: AsyncSession, line_id: uuid.UUID) -> None:
    await session.execute(delete(GoalieGameStats).where(GoalieGameStats.id == line_id))


def _game_log(
    line: type[PlayerGameStats] | type[GoalieGameStats],
    keys: Sequence[SeasonPlayer],
    *,
    organization_id: uuid.UUID | None,
    last: int | None,
) -> Select[Any, Game]:
    """Each player's lines of FINAL games, newest first, at most `last` per player: one statement."""
    newest_first = (
        func.row_number()
        .over(partition_by=(Game.season_id, line.player_id), order_by=(Game.starts_at.desc(), Game.id.desc()))
        .label("position")
    )
    ranked = (
        select(line.id.label("line_id"), newest_first)
        .join(Game, Game.id == line.game_id)
        .where(
            Game.status == GameStatus.FINAL,
            _in_scope(line.organization_id, organization_id),
            _pairs(keys, Game.season_id, line.player_id),
        )
        .subquery()
    )
    query = (
        select(line, Game)
        .join(Game, Game.id == line.game_id)
        .join(ranked, ranked.c.line_id == line.id)
        .order_by(line.player_id, Game.starts_at.desc(), Game.id.desc())
    )
    if last is not None:
        query = query.where(ranked.c.position <= last)
    return query


async def player_game_logs(
    session: AsyncSession,
    keys: Sequence[SeasonPlayer],
    *,
    organization_id: uuid.UUID | None,
    last: int | None,
) -> list[tuple[PlayerGameStats, Game]]:
    rows = await session.execute(_game_log(PlayerGameStats, keys, organization_id=organization_id, last=last))
    return [(cast(PlayerGameStats, line), cast(Game, game)) for line, game in rows]


async def goalie_game_logs(
    session: AsyncSession,
    keys: Sequence[SeasonPlayer],
    *,
    organization_id: uuid.UUID | None,
    last: int | None,
) -> list[tuple[GoalieGameStats, Game]]:
    rows = await session.execute(_game_log(GoalieGameStats, keys, organization_id=organization_id, last=last))
    return [(cast(GoalieGameStats, line), cast(Game, game)) for line, game in rows]


# Season aggregates -------------------------------------------------------------------------------------


def _totals_scope(
    line: type[PlayerGameStats] | type[GoalieGameStats],
    keys: Sequence[SeasonPlayer] | None,
    player_ids: Sequence[uuid.UUID] | None,
) -> tuple[ColumnElement[bool], tuple[Any, ...]]:
    """Season totals (`keys`) group by season and player; career totals (`player_ids`) by player only."""
    if keys is not None:
        return _pairs(keys, Game.season_id, line.player_id), (Game.season_id, line.player_id)
    ids = list(player_ids or ())
    return (line.player_id.in_(ids) if ids else false()), (null().label("season_id"), line.player_id)


async def skater_seasons(
    session: AsyncSession,
    keys: Sequence[SeasonPlayer] | None,
    *,
    organization_id: uuid.UUID | None,
    player_ids: Sequence[uuid.UUID] | None = None,
) -> list[SkaterSeason]:
    """Skaters' totals over final games: per (season, player) for `keys`, or per career for `player_ids`."""
    line = PlayerGameStats
    where, keys_columns = _totals_scope(line, keys, player_ids)
    games_played = func.count(line.id)
    goals = func.sum(line.goals)
    points = func.sum(line.goals + line.assists)
    query = (
        select(
            *keys_columns,
            func.count(func.distinct(Game.season_id)),
            games_played,
            goals,
            func.sum(line.assists),
            points,
            func.round(points.cast(Numeric) / games_played, 2),
            func.sum(line.plus_minus),
            func.sum(line.penalty_minutes),
            func.sum(line.shots),
            func.round(100 * goals.cast(Numeric) / func.nullif(func.sum(line.shots), 0), 1),
            func.round(func.avg(line.time_on_ice_seconds)),
            func.sum(line.power_play_goals),
            func.sum(line.shorthanded_goals),
            func.sum(line.shots + line.missed_shots + line.blocked_attempts),
            func.sum(line.hits),
            func.sum(line.blocks),
            func.sum(line.faceoff_wins),
            func.sum(line.faceoff_losses),
        )
        .join(Game, Game.id == line.game_id)
        .where(Game.status == GameStatus.FINAL, _in_scope(line.organization_id, organization_id), where)
        .group_by(*(column for column in keys_columns if column is not keys_columns[0] or keys is not None))
    )
    return [
        SkaterSeason(
            season_id=season_id,
            player_id=player_id,
            seasons=int(seasons),
            games_played=int(gp),
            goals=int(g),
            assists=int(a),
            points=int(pts),
            points_per_game=ppg,
            plus_minus=int(pm),
            penalty_minutes=int(pim),
            shots=int(shots),
            shooting_percentage=pct,
            average_time_on_ice_seconds=int(toi),
            power_play_goals=int(ppg_count),
            shorthanded_goals=int(shg),
            shot_attempts=int(attempts),
            hits=int(hits),
            blocks=int(blocks),
            faceoff_wins=int(fow),
            faceoff_losses=int(fol),
        )
        for (
            season_id,
            player_id,
            seasons,
            gp,
            g,
            a,
            pts,
            ppg,
            pm,
            pim,
            shots,
            pct,
            toi,
            ppg_count,
            shg,
            attempts,
            hits,
            blocks,
            fow,
            fol,
        ) in await session.execute(query)
    ]


async def goalie_seasons(
    session: AsyncSession,
    keys: Sequence[SeasonPlayer] | None,
    *,
    organization_id: uuid.UUID | None,
    player_ids: Sequence[uuid.UUID] | None = None,
) -> list[GoalieSeason]:
    """Goalies' totals over final games: per (season, player) for `keys`, or per career for `player_ids`."""
    line = GoalieGameStats
    where, keys_columns = _totals_scope(line, keys, player_ids)
    other = aliased(GoalieGameStats)
    shots_against = func.sum(line.shots_against)
    saves = func.sum(line.saves)
    goals_against = func.sum(line.goals_against)
    time_on_ice = func.sum(line.time_on_ice_seconds)
    # A shutout: no goal charged to the goalie, none into an empty net, and no other goalie played.
    alone = ~exists().where(other.game_id == line.game_id, other.player_id != line.player_id)
    shutout = case((and_(line.goals_against == 0, Game.goals_against == 0, alone), 1), else_=0)
    query = (
        select(
            *keys_columns,
            func.count(func.distinct(Game.season_id)),
            func.count(line.id),
            shots_against,
            saves,
            goals_against,
            time_on_ice,
            func.round(saves.cast(Numeric) / func.nullif(shots_against, 0), 3),
            func.round(goals_against.cast(Numeric) * SECONDS_PER_GAME / func.nullif(time_on_ice, 0), 2),
            func.sum(shutout),
        )
        .join(Game, Game.id == line.game_id)
        .where(Game.status == GameStatus.FINAL, _in_scope(line.organization_id, organization_id), where)
        .group_by(*(column for column in keys_columns if column is not keys_columns[0] or keys is not None))
    )
    return [
        GoalieSeason(
            season_id=season_id,
            player_id=player_id,
            seasons=int(seasons),
            games_played=int(gp),
            shots_against=int(sa),
            saves=int(sv),
            goals_against=int(ga),
            time_on_ice_seconds=int(toi),
            save_percentage=sv_pct,
            goals_against_average=gaa,
            shutouts=int(so),
        )
        for season_id, player_id, seasons, gp, sa, sv, ga, toi, sv_pct, gaa, so in await session.execute(query)
    ]


async def points_leaders(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID | None,
    season_id: uuid.UUID,
    team_id: uuid.UUID,
    first: int,
) -> list[Leader]:
    line = PlayerGameStats
    games_played = func.count(line.id)
    goals = func.sum(line.goals)
    points = func.sum(line.goals + line.assists)
    query = (
        select(
            func.rank().over(order_by=points.desc()),
            line.player_id,
            games_played,
            goals,
            func.sum(line.assists),
            points,
            func.round(points.cast(Numeric) / games_played, 2),
        )
        .join(Game, Game.id == line.game_id)
        .where(
            Game.status == GameStatus.FINAL,
            Game.season_id == season_id,
            Game.team_id == team_id,
            _in_scope(Game.organization_id, organization_id),
        )
        .group_by(line.player_id)
        # Ties on points: more goals first, then fewer games; the id keeps the order stable.
        .order_by(points.desc(), goals.desc(), games_played, line.player_id)
        .limit(first)
    )
    return [
        Leader(
            rank=int(rank),
            player_id=player_id,
            games_played=int(gp),
            goals=int(g),
            assists=int(a),
            points=int(pts),
            points_per_game=ppg,
        )
        for rank, player_id, gp, g, a, pts, ppg in await session.execute(query)
    ]


async def team_record(
    session: AsyncSession, *, organization_id: uuid.UUID | None, season_id: uuid.UUID, team_id: uuid.UUID
) -> TeamRecord:
    won = Game.goals_for > Game.goals_against
    lost = Game.goals_for < Game.goals_against
    query = select(
        func.count(Game.id),
        func.count(Game.id).filter(won),
        func.count(Game.id).filter(lost, Game.decided_in.is_(None)),
        func.count(Game.id).filter(lost, Game.decided_in.is_not(None)),
        func.count(Game.id).filter(Game.goals_for == Game.goals_against),
        func.coalesce(func.sum(Game.goals_for), 0),
        func.coalesce(func.sum(Game.goals_against), 0),
    ).where(
        Game.status == GameStatus.FINAL,
        Game.season_id == season_id,
        Game.team_id == team_id,
        _in_scope(Game.organization_id, organization_id),
    )
    row = (await session.execute(query)).one()
    return TeamRecord(*(int(value) for value in row))


async def standings(
    session: AsyncSession, *, organization_id: uuid.UUID | None, season_id: uuid.UUID
) -> list[Standing]:
    """Every team of the club with a final game in the season, best first: one statement over the games,
    so a completed or corrected game is in the table the moment its transaction commits.

    Two points a win, one an overtime or shootout loss or a tie. Level on points, fewer games played goes
    first (a better points percentage), then more wins, the better goal differential, more goals for.
    """
    won = Game.goals_for > Game.goals_against
    lost = Game.goals_for < Game.goals_against
    games_played = func.count(Game.id)
    wins = func.count(Game.id).filter(won)
    overtime_losses = func.count(Game.id).filter(lost, Game.decided_in.is_not(None))
    ties = func.count(Game.id).filter(Game.goals_for == Game.goals_against)
    goals_for = func.sum(Game.goals_for)
    goals_against = func.sum(Game.goals_against)
    points = 2 * wins + overtime_losses + ties
    order = (points.desc(), games_played, wins.desc(), (goals_for - goals_against).desc(), goals_for.desc())
    query = (
        select(
            func.rank().over(order_by=order),
            Game.team_id,
            games_played,
            wins,
            func.count(Game.id).filter(lost, Game.decided_in.is_(None)),
            overtime_losses,
            ties,
            goals_for,
            goals_against,
        )
        .where(
            Game.status == GameStatus.FINAL,
            Game.season_id == season_id,
            _in_scope(Game.organization_id, organization_id),
        )
        .group_by(Game.team_id)
        .order_by(*order, Game.team_id)
    )
    return [
        Standing(rank=int(rank), team_id=team_id, record=TeamRecord(*(int(value) for value in record)))
        for rank, team_id, *record in await session.execute(query)
    ]
