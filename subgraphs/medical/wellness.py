"""Daily wellness check-ins: each player's morning answers (sleep, energy, stress, soreness, mood, resting
heart rate, HRV, where it hurts), one per day, and what the staff see of them: a team summary and alerts.

A check-in is health data: the player, a minor's parents and medical staff see it whole. The team's
coaches and trainers see the summary (averages, response count) and the alerts, which name the player,
the metric, the value and the player's own baseline, and never the free text.

An alert fires on a fixed threshold (`THRESHOLDS`), an HRV more than 20 % below the player's 28-day
mean, or a value more than two standard deviations from that mean in the worrying direction (with at
least `MIN_BASELINE` earlier check-ins, so a new player's first week does not alarm anyone).
"""

from __future__ import annotations

import statistics
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.errors import Forbidden, InvalidInput, NotFound
from shared.roster import roster_entries, team_roster
from subgraphs.medical import repository, service
from subgraphs.medical.models import BodyPart, WellnessCheckIn
from subgraphs.medical.permissions import (
    can_record_wellness,
    can_view_health_records,
    can_view_team_board,
    subject_organization,
)
from subgraphs.medical.repository import wellness as wellness_sql

BASELINE_DAYS = 28
MIN_BASELINE = 7
HRV_DROP = 0.20
LATE_DAYS = 7
"""How many days back a forgotten check-in may still be entered."""
MAX_RANGE_DAYS = 366


class WellnessMetric(StrEnum):
    SLEEP_HOURS = "sleep_hours"
    SLEEP_QUALITY = "sleep_quality"
    ENERGY = "energy"
    STRESS = "stress"
    SORENESS = "soreness"
    MOOD = "mood"
    RESTING_HEART_RATE = "resting_heart_rate"
    HRV = "hrv_ms"
    PAIN = "pain_areas"


class AlertRule(StrEnum):
    THRESHOLD = "threshold"
    HRV_DROP = "hrv_drop"
    BASELINE_DEVIATION = "baseline_deviation"
    PAIN_REPORTED = "pain_reported"


HIGHER_IS_WORSE = frozenset({WellnessMetric.STRESS, WellnessMetric.SORENESS, WellnessMetric.RESTING_HEART_RATE})
NUMERIC = [metric for metric in WellnessMetric if metric is not WellnessMetric.PAIN]
THRESHOLDS: dict[WellnessMetric, Callable[[float], bool]] = {
    WellnessMetric.SLEEP_HOURS: lambda value: value < 6,
    WellnessMetric.SORENESS: lambda value: value >= 8,
    WellnessMetric.STRESS: lambda value: value >= 8,
}


@dataclass(frozen=True, slots=True)
class WellnessAlert:
    player_id: uuid.UUID
    day: date
    metric: WellnessMetric
    rule: AlertRule
    value: float | None
    baseline: float | None
    """The player's mean over the previous 28 days, when there is one."""
    pain_areas: list[BodyPart]


@dataclass(frozen=True, slots=True)
class TeamWellness:
    team_id: uuid.UUID
    day: date
    players: int
    responses: int
    averages: dict[WellnessMetric, float | None]
    alerts: list[WellnessAlert]


def _value(check_in: WellnessCheckIn, metric: WellnessMetric) -> float | None:
    value = getattr(check_in, metric.value)
    return None if value is None else float(value)


def _scale(value: int, field: str) -> int:
    return validation.integer(value, field=field, minimum=1, maximum=10)


async def record_check_in(
    session: AsyncSession,
    actor: Principal,
    *,
    player_id: uuid.UUID,
    sleep_hours: float,
    sleep_quality: int,
    energy: int,
    stress: int,
    soreness: int,
    mood: int,
    day: date | None = None,
    resting_heart_rate: int | None = None,
    hrv_ms: int | None = None,
    pain_areas: Sequence[BodyPart] = (),
    notes: str | None = None,
) -> WellnessCheckIn:
    """The player's check-in for `day` (default today); a second one the same day replaces the first."""
    entries = await roster_entries(session, [player_id])
    roster = entries[0] if entries else None
    if roster is not None and not actor.in_organization(roster.organization_id):
        raise NotFound(f"Player {player_id} does not exist", field="playerId", details={"entity": "Player"})
    organization = subject_organization(actor, roster.organization_id if roster else None)
    if organization is None or not can_record_wellness(actor, player_id=player_id, organization_id=organization):
        raise Forbidden("a player checks in for themselves (or medical staff for them)")
    today = service.today()
    day = day or today
    if day > today:
        raise InvalidInput("day must not be in the future", field="day")
    if day < today - timedelta(days=LATE_DAYS):
        raise InvalidInput(f"a check-in can be entered up to {LATE_DAYS} days late", field="day")
    values = {
        "organization_id": organization,
        "player_id": player_id,
        "team_id": roster.team_id if roster else None,
        "day": day,
        "sleep_hours": round(validation.number(sleep_hours, field="sleepHours", minimum=0, maximum=24), 1),
        "sleep_quality": _scale(sleep_quality, "sleepQuality"),
        "energy": _scale(energy, "energy"),
        "stress": _scale(stress, "stress"),
        "soreness": _scale(soreness, "soreness"),
        "mood": _scale(mood, "mood"),
        "resting_heart_rate": None
        if resting_heart_rate is None
        else validation.integer(resting_heart_rate, field="restingHeartRate", minimum=20, maximum=250),
        "hrv_ms": None if hrv_ms is None else validation.integer(hrv_ms, field="hrvMs", minimum=1, maximum=500),
        "pain_areas": list(dict.fromkeys(pain_areas)),
        "notes": validation.optional_text(notes, field="notes", max_length=2000),
        "recorded_by": actor.user_id,
    }
    check_in = await wellness_sql.upsert(session, values)
    given = [validation.camel(name) for name, value in values.items() if value is not None and name in _HEALTH_FIELDS]
    await service.log_write(
        session, actor, "recordWellnessCheckIn", given, player_id=player_id, organization_id=organization
    )
    return check_in


_HEALTH_FIELDS = frozenset({metric.value for metric in WellnessMetric} | {"notes"})


async def check_ins(
    session: AsyncSession,
    actor: Principal,
    *,
    player_id: uuid.UUID,
    first: date,
    last: date,
    fields: Sequence[str] = (),
) -> list[WellnessCheckIn]:
    """One player's check-ins, oldest first: the player, a minor's parents, medical staff; logged."""
    validation.date_range(first, last, field="to")
    if (last - first).days > MAX_RANGE_DAYS:
        raise InvalidInput(f"ask for at most {MAX_RANGE_DAYS} days", field="to")
    entries = await roster_entries(session, [player_id])
    roster = entries[0].organization_id if entries else None
    organization = subject_organization(actor, roster)
    if not can_view_health_records(actor, player_id=player_id, organization_id=organization):
        raise Forbidden("wellness check-ins are for the player, a minor's parents and medical staff")
    assert organization is not None  # the rule holds only within an organization
    rows = await wellness_sql.of_players(
        session, [player_id], scope=repository.Scope(organization), first=first, last=last
    )
    if rows:
        await repository.log_access(
            session,
            service.access_log(actor, "wellnessCheckIns", fields),
            player_id=player_id,
            organization_id=organization,
        )
    return rows


async def team_summary(
    session: AsyncSession, actor: Principal, *, team_id: uuid.UUID, day: date | None = None
) -> TeamWellness:
    if not can_view_team_board(actor, team_id):
        raise Forbidden("the team's wellness is for its coaches, trainers and medical staff")
    day = day or service.today()
    organization = actor.organization_id
    players = [
        entry.player_id
        for entry in await team_roster(session, team_id)
        if entry.is_active and entry.organization_id == organization
    ]
    if organization is None or not players:
        return TeamWellness(team_id, day, len(players), 0, dict.fromkeys(NUMERIC), [])
    rows = await wellness_sql.of_players(
        session,
        players,
        scope=repository.Scope(organization),
        first=day - timedelta(days=BASELINE_DAYS),
        last=day,
    )
    today = [row for row in rows if row.day == day]
    history: dict[uuid.UUID, list[WellnessCheckIn]] = {}
    for row in rows:
        if row.day < day:
            history.setdefault(row.player_id, []).append(row)
    alerts = [alert for row in today for alert in alerts_of(row, history.get(row.player_id, []))]
    # The alerts show single players' values: those reads are logged like any other.
    alerted = dict.fromkeys(alert.player_id for alert in alerts)
    shown = sorted({validation.camel(alert.metric.value) for alert in alerts})
    await repository.log_accesses(
        session,
        service.access_log(actor, "teamWellness", shown),
        [(player_id, organization, None) for player_id in alerted],
    )
    return TeamWellness(
        team_id=team_id,
        day=day,
        players=len(players),
        responses=len(today),
        averages={metric: _mean([_value(row, metric) for row in today]) for metric in NUMERIC},
        alerts=alerts,
    )


def _mean(values: Sequence[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return round(statistics.fmean(present), 1) if present else None


def alerts_of(check_in: WellnessCheckIn, baseline: Sequence[WellnessCheckIn]) -> list[WellnessAlert]:
    """What is worrying about one check-in, against the player's earlier ones: one alert per metric."""
    alerts: list[WellnessAlert] = []
    for metric in NUMERIC:
        value = _value(check_in, metric)
        if value is None:
            continue
        earlier = [v for v in (_value(row, metric) for row in baseline) if v is not None]
        mean = statistics.fmean(earlier) if earlier else None
        rule: AlertRule | None = None
        if metric in THRESHOLDS and THRESHOLDS[metric](value):
            rule = AlertRule.THRESHOLD
        elif metric is WellnessMetric.HRV and mean is not None and len(earlier) >= 3 and value < mean * (1 - HRV_DROP):
            rule = AlertRule.HRV_DROP
        elif mean is not None and len(earlier) >= MIN_BASELINE:
            spread = statistics.pstdev(earlier)
            worse = value - mean if metric in HIGHER_IS_WORSE else mean - value
            if spread > 0 and worse > 2 * spread:
                rule = AlertRule.BASELINE_DEVIATION
        if rule is not None:
            baseline_mean = None if mean is None else round(mean, 1)
            alerts.append(WellnessAlert(check_in.player_id, check_in.day, metric, rule, value, baseline_mean, []))
    if check_in.pain_areas:
        alerts.append(
            WellnessAlert(
                check_in.player_id,
                check_in.day,
                WellnessMetric.PAIN,
                AlertRule.PAIN_REPORTED,
                None,
                None,
                list(check_in.pain_areas),
            )
        )
    return alerts
