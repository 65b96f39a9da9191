"""GraphQL types of wellness check-ins, and the team summary whose alerts carry no free text."""

from __future__ import annotations

import uuid
from datetime import date

import strawberry
from strawberry import Private

from shared.graphql import to_id
from subgraphs.medical import models, wellness
from subgraphs.medical.types.records import Player

strawberry.enum(wellness.WellnessMetric, name="WellnessMetric", description="A value of a wellness check-in.")
strawberry.enum(
    wellness.AlertRule,
    name="WellnessAlertRule",
    description="Why an alert fired: THRESHOLD (e.g. sleep under 6 h, soreness or stress 8 or more), HRV_DROP "
    "(more than 20 % under the player's 28-day mean), BASELINE_DEVIATION (more than two standard deviations "
    "from the player's 28-day mean, in the worrying direction), PAIN_REPORTED.",
)


@strawberry.type(description="A player's morning wellness check-in: health data.")
class WellnessCheckIn:
    id: strawberry.ID = strawberry.field(description="The check-in's id.")
    day: date = strawberry.field(description="The day it is for.")
    sleep_hours: float = strawberry.field(description="Hours slept, 0-24.")
    sleep_quality: int = strawberry.field(description="1 (awful) to 10 (excellent).")
    energy: int = strawberry.field(description="1 (exhausted) to 10 (full of energy).")
    stress: int = strawberry.field(description="1 (relaxed) to 10 (highly stressed).")
    soreness: int = strawberry.field(description="1 (none) to 10 (severe).")
    mood: int = strawberry.field(description="1 (very low) to 10 (excellent).")
    resting_heart_rate: int | None = strawberry.field(description="Resting heart rate, beats per minute.")
    hrv_ms: int | None = strawberry.field(description="Heart-rate variability (RMSSD), milliseconds.")
    pain_areas: list[models.BodyPart] = strawberry.field(description="Where it hurts.")
    notes: str | None = strawberry.field(description="The player's own words.")
    player_id: Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: models.WellnessCheckIn) -> WellnessCheckIn:
        return cls(
            id=to_id(row.id),
            day=row.day,
            sleep_hours=float(row.sleep_hours),
            sleep_quality=row.sleep_quality,
            energy=row.energy,
            stress=row.stress,
            soreness=row.soreness,
            mood=row.mood,
            resting_heart_rate=row.resting_heart_rate,
            hrv_ms=row.hrv_ms,
            pain_areas=list(row.pain_areas),
            notes=row.notes,
            player_id=row.player_id,
        )

    @strawberry.field(description="The player.")
    def player(self) -> Player:
        return Player(id=to_id(self.player_id))


@strawberry.type(description="Something worrying in one player's check-in: the value, never the free text.")
class WellnessAlert:
    player: Player = strawberry.field(description="The player.")
    day: date = strawberry.field(description="The check-in's day.")
    metric: wellness.WellnessMetric = strawberry.field(description="Which value.")
    rule: wellness.AlertRule = strawberry.field(description="Why it fired.")
    value: float | None = strawberry.field(description="The value (null for reported pain).")
    baseline: float | None = strawberry.field(description="The player's mean over the previous 28 days.")
    pain_areas: list[models.BodyPart] = strawberry.field(description="Where it hurts (for PAIN_REPORTED).")


@strawberry.type(description="Team averages of the day's check-ins (null when no one answered).")
class WellnessAverages:
    sleep_hours: float | None = strawberry.field(description="Hours slept.")
    sleep_quality: float | None = strawberry.field(description="Sleep quality, 1-10.")
    energy: float | None = strawberry.field(description="Energy, 1-10.")
    stress: float | None = strawberry.field(description="Stress, 1-10.")
    soreness: float | None = strawberry.field(description="Soreness, 1-10.")
    mood: float | None = strawberry.field(description="Mood, 1-10.")
    resting_heart_rate: float | None = strawberry.field(description="Resting heart rate, bpm.")
    hrv_ms: float | None = strawberry.field(description="HRV, ms.")


@strawberry.type(description="A team's wellness on one day: response count, averages and alerts.")
class TeamWellness:
    day: date = strawberry.field(description="The day.")
    players: int = strawberry.field(description="Active players on the team.")
    responses: int = strawberry.field(description="How many checked in.")
    averages: WellnessAverages = strawberry.field(description="Averages of the check-ins.")
    alerts: list[WellnessAlert] = strawberry.field(description="Values to look at, player by player.")

    @classmethod
    def from_summary(cls, summary: wellness.TeamWellness) -> TeamWellness:
        averages = {metric.value: value for metric, value in summary.averages.items()}
        return cls(
            day=summary.day,
            players=summary.players,
            responses=summary.responses,
            averages=WellnessAverages(**averages),
            alerts=[
                WellnessAlert(
                    player=Player(id=to_id(alert.player_id)),
                    day=alert.day,
                    metric=alert.metric,
                    rule=alert.rule,
                    value=alert.value,
                    baseline=alert.baseline,
                    pain_areas=alert.pain_areas,
                )
                for alert in summary.alerts
            ],
        )
