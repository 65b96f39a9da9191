"""Game plans: a team's lineups per line type, matchups, notes per period, and the review after the game.

A lineup is stored as slots (line type, group, unit, position, player). Each line type has its own shape
(`SHAPES`): even strength has forward lines of three and defence pairs; special-teams units pair the n-th
forward group with the n-th defence group. A player appears at most once per line type (checked here and
by a unique constraint), but may play even strength and the power play.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.database.integrity import flush
from shared.errors import Conflict, Forbidden, InvalidInput, not_found
from subgraphs.planning import events, repository
from subgraphs.planning.models import LINEUP_PLAYER_ONCE, GamePlan, LineType, LineupGroup, LineupSlot
from subgraphs.planning.permissions import can_plan_practice, can_view_team_plans
from subgraphs.planning.service.common import acting_organization, require_team_players, today

MAX_GAME_PLANS = 200
OVERTIME = 4


@dataclass(frozen=True, slots=True)
class Shape:
    units: int
    """At most this many lines (forwards) / pairs (defence) / units (special teams)."""
    forwards: tuple[int, int]
    defence: tuple[int, int]
    skaters: int | None
    """Special teams: forwards + defence of each unit; None for even strength (lines and pairs apart)."""
    goalies: int


SHAPES = {
    LineType.EVEN_STRENGTH: Shape(units=4, forwards=(3, 3), defence=(2, 2), skaters=None, goalies=3),
    LineType.POWER_PLAY: Shape(units=2, forwards=(3, 4), defence=(1, 2), skaters=5, goalies=0),
    LineType.PENALTY_KILL: Shape(units=3, forwards=(2, 2), defence=(2, 2), skaters=4, goalies=0),
    LineType.EXTRA_ATTACKER: Shape(units=2, forwards=(3, 5), defence=(1, 3), skaters=6, goalies=0),
}
_LABELS = {
    LineType.EVEN_STRENGTH: "even strength",
    LineType.POWER_PLAY: "power play",
    LineType.PENALTY_KILL: "penalty kill",
    LineType.EXTRA_ATTACKER: "extra attacker",
}
_PLAYER_TWICE = {LINEUP_PLAYER_ONCE: Conflict("a player was put twice in the lineup at the same time")}
_GAME_TAKEN = {"uq_game_plans_team_id_game_id": Conflict("the team already has a plan for that game", field="gameId")}


@dataclass(frozen=True, slots=True)
class LineupSpec:
    line_type: LineType
    forward_lines: Sequence[Sequence[uuid.UUID]] = ()
    defence_pairs: Sequence[Sequence[uuid.UUID]] = ()
    goalies: Sequence[uuid.UUID] = ()


@dataclass(frozen=True, slots=True)
class PeriodNote:
    period: int
    """1-3, or 4 for overtime."""
    note: str


@dataclass(frozen=True, slots=True)
class Matchup:
    line_type: LineType
    unit: int
    opponent: str
    note: str | None = None


@dataclass(slots=True)
class Lineup:
    line_type: LineType
    forward_lines: list[list[uuid.UUID]] = field(default_factory=list)
    defence_pairs: list[list[uuid.UUID]] = field(default_factory=list)
    goalies: list[uuid.UUID] = field(default_factory=list)


def lineups(slots: Sequence[LineupSlot]) -> list[Lineup]:
    """Slots (ordered by line type, group, unit, position) back into lineups, in line-type order."""
    found: dict[LineType, Lineup] = {}
    for slot in slots:
        lineup = found.setdefault(slot.line_type, Lineup(slot.line_type))
        if slot.group is LineupGroup.GOALIES:
            lineup.goalies.append(slot.player_id)
            continue
        groups = lineup.forward_lines if slot.group is LineupGroup.FORWARDS else lineup.defence_pairs
        while len(groups) < slot.unit:
            groups.append([])
        groups[slot.unit - 1].append(slot.player_id)
    return [found[kind] for kind in LineType if kind in found]


def _check_shape(spec: LineupSpec) -> None:
    shape, label = SHAPES[spec.line_type], _LABELS[spec.line_type]
    for groups, (low, high), name in (
        (spec.forward_lines, shape.forwards, "forwardLines"),
        (spec.defence_pairs, shape.defence, "defencePairs"),
    ):
        if len(groups) > shape.units:
            raise InvalidInput(f"the {label} lineup has at most {shape.units} {name}", field=name)
        for group in groups:
            if not low <= len(group) <= high:
                size = str(low) if low == high else f"{low} to {high}"
                raise InvalidInput(f"each of the {label} {name} has {size} players", field=name)
    if len(spec.goalies) > shape.goalies:
        raise InvalidInput(f"the {label} lineup takes at most {shape.goalies} goalies", field="goalies")
    if shape.skaters is not None:
        if len(spec.forward_lines) != len(spec.defence_pairs):
            raise InvalidInput(f"each {label} unit has forwards and defence", field="defencePairs")
        for forwards, defence in zip(spec.forward_lines, spec.defence_pairs, strict=True):
            if len(forwards) + len(defence) != shape.skaters:
                raise InvalidInput(f"a {label} unit has {shape.skaters} skaters", field="forwardLines")
    players = [p for group in (*spec.forward_lines, *spec.defence_pairs) for p in group] + list(spec.goalies)
    if twice := sorted({str(p) for p in players if players.count(p) > 1}):
        raise InvalidInput(
            f"a player is at most once in the {label} lineup: {', '.join(twice)}",
            field="lineup",
            details={"playerIds": twice},
        )


def _slots(game_plan_id: uuid.UUID, spec: LineupSpec) -> list[LineupSlot]:
    slots: list[LineupSlot] = []
    for group, units in (
        (LineupGroup.FORWARDS, spec.forward_lines),
        (LineupGroup.DEFENCE, spec.defence_pairs),
        (LineupGroup.GOALIES, [spec.goalies] if spec.goalies else []),
    ):
        for unit, players in enumerate(units, start=1):
            slots.extend(
                LineupSlot(
                    game_plan_id=game_plan_id,
                    line_type=spec.line_type,
                    group=group,
                    unit=unit,
                    position=position,
                    player_id=player_id,
                )
                for position, player_id in enumerate(players, start=1)
            )
    return slots


def _period_notes(notes: Sequence[PeriodNote]) -> list[dict[str, Any]]:
    periods = [validation.integer(n.period, field="periodNotes", minimum=1, maximum=OVERTIME) for n in notes]
    if len(set(periods)) != len(periods):
        raise InvalidInput("one note per period", field="periodNotes")
    return sorted(
        ({"period": n.period, "note": validation.text(n.note, field="periodNotes", max_length=2000)} for n in notes),
        key=lambda entry: entry["period"],
    )


def _matchups(matchups: Sequence[Matchup]) -> list[dict[str, Any]]:
    if len(matchups) > 16:
        raise InvalidInput("at most 16 matchups", field="matchups")
    result = []
    for m in matchups:
        unit = validation.integer(m.unit, field="matchups", minimum=1, maximum=SHAPES[m.line_type].units)
        result.append(
            {
                "line_type": m.line_type.value,
                "unit": unit,
                "opponent": validation.text(m.opponent, field="matchups", max_length=120),
                "note": validation.optional_text(m.note, field="matchups", max_length=500),
            }
        )
    return result


def period_notes_of(plan: GamePlan) -> list[PeriodNote]:
    return [PeriodNote(n["period"], n["note"]) for n in plan.period_notes]


def matchups_of(plan: GamePlan) -> list[Matchup]:
    return [Matchup(LineType(m["line_type"]), m["unit"], m["opponent"], m.get("note")) for m in plan.matchups]


async def get_game_plan(
    session: AsyncSession, actor: Principal, game_plan_id: uuid.UUID, *, for_update: bool = False
) -> GamePlan:
    plan = await repository.game_plan(session, game_plan_id, for_update=for_update)
    if plan is None or not can_view_team_plans(actor, plan.organization_id, plan.team_id):
        raise not_found("GamePlan", game_plan_id)
    return plan


async def list_game_plans(
    session: AsyncSession,
    actor: Principal,
    *,
    team_id: uuid.UUID | None = None,
    start: date | None = None,
    end: date | None = None,
    limit: int = 50,
    organization_id: uuid.UUID | None = None,
) -> list[GamePlan]:
    """Staff: the club's; players: their teams'."""
    organization = acting_organization(actor, organization_id)
    if start is not None and end is not None and end < start:
        raise InvalidInput("to must not be before from", field="to")
    team_ids: list[uuid.UUID] | None = [team_id] if team_id is not None else None
    if not (actor.is_staff or actor.is_platform_admin):
        team_ids = [t for t in (team_ids or sorted(actor.team_ids)) if can_view_team_plans(actor, organization, t)]
    return await repository.game_plans(
        session,
        organization_id=organization,
        team_ids=team_ids,
        start=start,
        end=end,
        limit=validation.integer(limit, field="limit", minimum=1, maximum=MAX_GAME_PLANS),
    )


async def create_game_plan(
    session: AsyncSession,
    actor: Principal,
    *,
    team_id: uuid.UUID,
    game_id: uuid.UUID,
    game_date: date,
    opponent: str,
    objectives: str | None = None,
    period_notes: Sequence[PeriodNote] = (),
    matchups: Sequence[Matchup] = (),
    organization_id: uuid.UUID | None = None,
) -> GamePlan:
    organization = acting_organization(actor, organization_id)
    if not can_plan_practice(actor, organization, team_id):
        raise Forbidden("only the team's coaches and the club administrator plan its games")
    plan = GamePlan(
        id=uuid.uuid4(),
        organization_id=organization,
        team_id=team_id,
        game_id=game_id,
        game_date=game_date,
        opponent=validation.text(opponent, field="opponent", max_length=120),
        objectives=validation.optional_text(objectives, field="objectives", max_length=4000),
        period_notes=_period_notes(period_notes),
        matchups=_matchups(matchups),
        created_by_user_id=actor.user_id,
    )
    session.add(plan)
    await flush(session, violations=_GAME_TAKEN)
    return plan


async def _plan_for_change(session: AsyncSession, actor: Principal, game_plan_id: uuid.UUID) -> GamePlan:
    plan = await get_game_plan(session, actor, game_plan_id, for_update=True)
    if not can_plan_practice(actor, plan.organization_id, plan.team_id):
        raise Forbidden("only the team's coaches and the club administrator change its game plans")
    return plan


async def update_game_plan(
    session: AsyncSession, actor: Principal, game_plan_id: uuid.UUID, changes: Mapping[str, Any]
) -> GamePlan:
    plan = await _plan_for_change(session, actor, game_plan_id)
    if "opponent" in changes:
        plan.opponent = validation.text(validation.required(changes, "opponent"), field="opponent", max_length=120)
    if "game_date" in changes:
        plan.game_date = validation.required(changes, "game_date")
    if "objectives" in changes:
        plan.objectives = validation.optional_text(changes["objectives"], field="objectives", max_length=4000)
    if "period_notes" in changes:
        plan.period_notes = _period_notes(validation.required(changes, "period_notes"))
    if "matchups" in changes:
        plan.matchups = _matchups(validation.required(changes, "matchups"))
    await session.flush()
    return plan


async def set_lineup(session: AsyncSession, actor: Principal, game_plan_id: uuid.UUID, spec: LineupSpec) -> GamePlan:
    """Replace the plan's lineup of one line type; an empty lineup clears it."""
    plan = await _plan_for_change(session, actor, game_plan_id)
    _check_shape(spec)
    slots = _slots(plan.id, spec)
    await require_team_players(
        session,
        organization_id=plan.organization_id,
        team_id=plan.team_id,
        player_ids=[slot.player_id for slot in slots],
        field="lineup",
    )
    await repository.remove_slots(session, game_plan_id=plan.id, line_type=spec.line_type)
    session.add_all(slots)
    await flush(session, violations=_PLAYER_TWICE)
    await events.lineup_set(session, plan, spec.line_type, slots)
    return plan


async def review_game(session: AsyncSession, actor: Principal, game_plan_id: uuid.UUID, *, review: str) -> GamePlan:
    """The post-game review, once the game day has come; writing it again replaces it."""
    plan = await _plan_for_change(session, actor, game_plan_id)
    if plan.game_date > today():
        raise Conflict(f"the game is on {plan.game_date}; review it after it is played", field="id")
    plan.review = validation.text(review, field="review", max_length=8000)
    plan.reviewed_at = datetime.now(UTC)
    plan.reviewed_by_user_id = actor.user_id
    await session.flush()
    return plan


async def slots(session: AsyncSession, game_plan_ids: Sequence[uuid.UUID]) -> list[LineupSlot]:
    return await repository.slots_of_game_plans(session, game_plan_ids)
