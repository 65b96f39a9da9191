"""Training load and the acute:chronic workload ratio (ACWR): the rules, and the reads built on them.

Load of one session, in arbitrary units (AU):
- with the player's RPE (CR-10 scale, 1-10): RPE x minutes, Foster's session-RPE (Foster et al. 2001),
  the rule the training service itself uses for the `load` of its event;
- without RPE (a live session's `workout.completed` has none): minutes x the typical session RPE of the
  workout's kind (`INTENSITY_BY_KIND`), marked ESTIMATED;
- without minutes there is no load to record.

ACWR, rolling averages, coupled (Hulin et al. 2014, Gabbett 2016): acute = load of the 7 days ending on
the day asked about, chronic = average weekly load of the 28 days ending on it (their sum / 4, the acute
week included); ratio = acute / chronic. The flag: above 1.5 a SPIKE (Gabbett's "danger zone"), below
0.8 UNDER_TRAINING, in between IN_RANGE, and NO_BASELINE without any load in the 28 days. The flag is
decided on the exact ratio; the two-decimal ratio shown can read 1.50 for a ratio just above 1.5.

Nothing here is stored but the sessions: loads are summed per day in SQL when asked for, so events
arriving late or out of order change no result other than by adding their session.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import Principal
from shared.errors import Forbidden, InvalidInput
from subgraphs.statistics import workload_repository
from subgraphs.statistics.models import LoadSource, LoadWindows, TrainingDay, Workload, WorkloadFlag
from subgraphs.statistics.permissions import can_view_team_workload, readable_organization

ACUTE_DAYS = 7
CHRONIC_DAYS = 28
WEEKS_PER_CHRONIC_WINDOW = CHRONIC_DAYS // ACUTE_DAYS
SPIKE_ABOVE = Fraction(3, 2)
UNDER_TRAINING_BELOW = Fraction(4, 5)
TARGET_BAND = (Fraction(4, 5), Fraction(13, 10))
"""The "sweet spot" of Gabbett (2016): ratios from 0.8 to 1.3."""
HIGH_MONOTONY_ABOVE = Decimal(2)
"""Foster (1998): a week with monotony above 2 is too uniform, a known illness and overtraining risk."""

INTENSITY_BY_KIND = {"strength": 6, "conditioning": 7, "hybrid": 7, "agility": 5}
"""Typical session RPE of a workout of each kind of the training service, for sessions without RPE."""
DEFAULT_INTENSITY = 5
"""CR-10 "hard": a kind the table does not know yet."""

MAX_LOAD_DAYS = 366
_TWO_PLACES = Decimal("0.01")

FLAG_ORDER = (WorkloadFlag.SPIKE, WorkloadFlag.UNDER_TRAINING, WorkloadFlag.IN_RANGE, WorkloadFlag.NO_BASELINE)
"""The team view lists spikes first, then under-training: who needs the staff's attention."""


def today() -> date:
    return date.today()  # noqa: DTZ011 (a calendar day, as the training service dates its sessions)


def session_load(*, minutes: int, rpe: int | None, workout_kind: str) -> tuple[int, LoadSource]:
    if rpe is not None:
        return rpe * minutes, LoadSource.SESSION_RPE
    return INTENSITY_BY_KIND.get(workout_kind, DEFAULT_INTENSITY) * minutes, LoadSource.ESTIMATED


def _two_places(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(_TWO_PLACES, ROUND_HALF_UP)


def monotony_of(acute: int, squares: int) -> Decimal | None:
    """Foster's monotony of the acute week, rest days as zeros: mean / population standard deviation.

    With n days, sum S and sum of squares Q: mean = S/n, variance = Q/n - (S/n)^2, so mean / sd =
    S / sqrt(n*Q - S^2). None when every day had the same load (no deviation to divide by).
    """
    spread = ACUTE_DAYS * squares - acute * acute
    if spread <= 0:
        return None
    return (Decimal(acute) / Decimal(spread).sqrt()).quantize(_TWO_PLACES, ROUND_HALF_UP)


def workload_of(player_id: uuid.UUID, windows: LoadWindows | None, *, as_of: date) -> Workload:
    acute, chronic_sum = (windows.acute, windows.chronic) if windows is not None else (0, 0)
    monotony = monotony_of(acute, windows.acute_squares) if windows is not None else None
    chronic = Fraction(chronic_sum, WEEKS_PER_CHRONIC_WINDOW)
    ratio = Fraction(acute) / chronic if chronic else None
    if ratio is None:
        flag = WorkloadFlag.NO_BASELINE
    elif ratio > SPIKE_ABOVE:
        flag = WorkloadFlag.SPIKE
    elif ratio < UNDER_TRAINING_BELOW:
        flag = WorkloadFlag.UNDER_TRAINING
    else:
        flag = WorkloadFlag.IN_RANGE
    return Workload(
        player_id=player_id,
        as_of=as_of,
        acute_load=acute,
        chronic_load=_two_places(chronic),
        ratio=None if ratio is None else _two_places(ratio),
        flag=flag,
        monotony=monotony,
        # Strain from the rounded monotony, so that a hand check of acute x monotony gives the same number.
        strain=None if monotony is None else (acute * monotony).quantize(_TWO_PLACES, ROUND_HALF_UP),
        in_target_band=ratio is not None and TARGET_BAND[0] <= ratio <= TARGET_BAND[1],
    )


def check_day_range(start: date, end: date) -> None:
    if end < start:
        raise InvalidInput("`to` must not be before `from`", field="to")
    if (end - start).days >= MAX_LOAD_DAYS:
        raise InvalidInput(f"ask for at most {MAX_LOAD_DAYS} days at once", field="to")


def every_day(rows: list[TrainingDay], player_id: uuid.UUID, *, start: date, end: date) -> list[TrainingDay]:
    """One entry per day of [start, end], zero on days without training, as a load chart plots them."""
    trained = {row.day: row for row in rows}
    days = (start + timedelta(days=offset) for offset in range((end - start).days + 1))
    return [trained.get(day) or TrainingDay(player_id=player_id, day=day, load=0, sessions=0) for day in days]


async def workloads(
    session: AsyncSession, player_ids: list[uuid.UUID], *, organization_id: uuid.UUID | None, as_of: date
) -> list[Workload]:
    """The players' ratios on `as_of`, in the order asked: one statement."""
    rows = await workload_repository.load_windows(
        session,
        player_ids,
        organization_id=organization_id,
        as_of=as_of,
        acute_days=ACUTE_DAYS,
        chronic_days=CHRONIC_DAYS,
    )
    found = {row.player_id: row for row in rows}
    return [workload_of(player_id, found.get(player_id), as_of=as_of) for player_id in player_ids]


def _attention_first(workload: Workload) -> tuple[int, Decimal]:
    # Within a flag the biggest deviation from 1 comes first: highest ratio among spikes, lowest below.
    ratio = workload.ratio or Decimal(0)
    return FLAG_ORDER.index(workload.flag), -ratio if workload.flag is not WorkloadFlag.UNDER_TRAINING else ratio


async def team_workload(
    session: AsyncSession, actor: Principal, *, team_id: uuid.UUID, as_of: date | None = None
) -> list[Workload]:
    """Every active player of the team (on the roster copy) with their ratio: spikes first, then
    under-training, in range, and players without a baseline last; two statements."""
    if not can_view_team_workload(actor):
        raise Forbidden("the team's workload is for the club's staff")
    organization = readable_organization(actor)
    players = await workload_repository.active_team_players(session, team_id, organization_id=organization)
    ratios = await workloads(
        session, [player.player_id for player in players], organization_id=organization, as_of=as_of or today()
    )
    return sorted(ratios, key=_attention_first)  # stable: players level on both stay by name


def needs_attention(workload: Workload) -> bool:
    """Flagged for the trainer: a spike, under-training, or a week of high monotony."""
    if workload.flag in (WorkloadFlag.SPIKE, WorkloadFlag.UNDER_TRAINING):
        return True
    return workload.monotony is not None and workload.monotony > HIGH_MONOTONY_ABOVE


async def flagged_players(
    session: AsyncSession, actor: Principal, *, team_id: uuid.UUID, as_of: date | None = None
) -> list[Workload]:
    """The team's players who need the trainer's attention, in the team view's order."""
    return [row for row in await team_workload(session, actor, team_id=team_id, as_of=as_of) if needs_attention(row)]


@dataclass(frozen=True, slots=True)
class TeamLoad:
    """A team's training load on one day, from its active players' windows."""

    as_of: date
    players: int
    with_baseline: int
    acute_load: Decimal | None
    """Mean acute (7-day) load of the players with a baseline, to two decimals."""
    chronic_load: Decimal | None
    """Mean chronic weekly load of the same players, to two decimals."""
    ratio: Decimal | None
    """Their summed acute load / their summed chronic weekly load, to two decimals."""
    flags: dict[WorkloadFlag, int]
    in_target_band: int
    flagged: int


def team_load_of(rows: list[Workload], *, as_of: date) -> TeamLoad:
    based = [row for row in rows if row.flag is not WorkloadFlag.NO_BASELINE]
    acute = sum(row.acute_load for row in based)
    # Each chronic_load is its 28-day sum / 4: exact in cents, so the sum loses nothing.
    chronic = sum((row.chronic_load for row in based), Decimal(0))
    count = len(based)
    return TeamLoad(
        as_of=as_of,
        players=len(rows),
        with_baseline=count,
        acute_load=_two_places(Fraction(acute, count)) if count else None,
        chronic_load=(chronic / count).quantize(_TWO_PLACES, ROUND_HALF_UP) if count else None,
        ratio=(Decimal(acute) / chronic).quantize(_TWO_PLACES, ROUND_HALF_UP) if chronic else None,
        flags={flag: sum(1 for row in rows if row.flag is flag) for flag in FLAG_ORDER},
        in_target_band=sum(1 for row in rows if row.in_target_band),
        flagged=sum(1 for row in rows if needs_attention(row)),
    )


async def team_load(
    session: AsyncSession, actor: Principal, *, team_id: uuid.UUID, as_of: date | None = None
) -> TeamLoad:
    day = as_of or today()
    return team_load_of(await team_workload(session, actor, team_id=team_id, as_of=day), as_of=day)
