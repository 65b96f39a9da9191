"""The benchmark's operation mix: which documents, with which variables, in what proportion.

The documents are the frontend's own (`schema/operations/`), plus `bench/operations/TeamRosterLoad.graphql`
(the roster with its training-load column: four subgraphs, 50 players). The weights are a guess at a
club app's traffic: the app shell, the roster and the notification bell dominate; profiles, schedules and
the training week follow; one write (an RSVP, repeated with the same answer so that it is idempotent).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
OPERATIONS = ROOT / "schema" / "operations"
BENCH_OPERATIONS = Path(__file__).resolve().parent / "operations"


@dataclass(frozen=True)
class Operation:
    name: str
    document: Path
    weight: int
    what: str
    """What it exercises, for the report."""


MIX: tuple[Operation, ...] = (
    Operation("MyTeams", OPERATIONS / "roster" / "MyTeams.graphql", 15, "app shell: user only, two root fields"),
    Operation(
        "TeamRosterLoad",
        BENCH_OPERATIONS / "TeamRosterLoad.graphql",
        25,
        "50 players; user -> medical, training, statistics entities; two fragments",
    ),
    Operation(
        "NotificationBell",
        OPERATIONS / "notifications" / "NotificationBell.graphql",
        20,
        "communication, then user entities (senders)",
    ),
    Operation(
        "TeamSchedule",
        OPERATIONS / "schedule" / "TeamSchedule.graphql",
        15,
        "calendar, then user entities (teams); a fragment",
    ),
    Operation(
        "PlayerProfile",
        OPERATIONS / "player" / "PlayerProfile.graphql",
        10,
        "one player from user, medical, statistics (and calendar games), planning",
    ),
    Operation(
        "TeamTrainingWeek",
        OPERATIONS / "workouts" / "TeamTrainingWeek.graphql",
        5,
        "training, then user and medical entities",
    ),
    Operation("SeasonLeaders", OPERATIONS / "stats" / "SeasonLeaders.graphql", 5, "statistics, then user entities"),
    Operation(
        "RespondToEvent",
        OPERATIONS / "schedule" / "RespondToEvent.graphql",
        5,
        "mutation (calendar); same answer each time",
    ),
)


@dataclass(frozen=True)
class Variant:
    """One request of the mix: an operation with one set of variables."""

    operation: str
    index: int
    variables: Mapping[str, Any]
    body: bytes = field(repr=False, default=b"")

    @property
    def label(self) -> str:
        return f"{self.operation}#{self.index}"


@dataclass
class Context:
    """What the variables are made of, discovered from the demo club on the real stack."""

    team_id: str
    season_id: str
    player_ids: list[str]
    event_id: str
    event_rsvp: str
    today: date

    def window(self) -> tuple[str, str]:
        """The training window: last week's Monday to this week's Sunday."""
        monday = self.today - timedelta(days=self.today.weekday())
        return (monday - timedelta(days=7)).isoformat(), (monday + timedelta(days=6)).isoformat()

    def schedule_range(self) -> tuple[str, str]:
        start = datetime.combine(self.today - timedelta(days=3), time(0), tzinfo=UTC)
        end = start + timedelta(days=14)
        return start.isoformat().replace("+00:00", "Z"), end.isoformat().replace("+00:00", "Z")


def _variables(context: Context) -> dict[str, list[dict[str, Any]]]:
    week_from, week_to = context.window()
    sched_from, sched_to = context.schedule_range()
    profiles = context.player_ids[:: max(1, len(context.player_ids) // 4)][:4]
    return {
        "MyTeams": [{}],
        "TeamRosterLoad": [
            {"teamId": context.team_id, "seasonId": context.season_id, "from": week_from, "to": week_to}
        ],
        "NotificationBell": [{}],
        "TeamSchedule": [{"from": sched_from, "to": sched_to, "teamId": context.team_id}],
        "PlayerProfile": [{"id": player, "seasonId": context.season_id} for player in profiles],
        "TeamTrainingWeek": [{"teamId": context.team_id, "from": week_from, "to": week_to}],
        "SeasonLeaders": [{"seasonId": context.season_id, "teamId": context.team_id}],
        "RespondToEvent": [{"id": context.event_id, "status": context.event_rsvp}],
    }


def build_variants(context: Context) -> list[Variant]:
    variants: list[Variant] = []
    by_name = _variables(context)
    for operation in MIX:
        document = operation.document.read_text()
        for index, variables in enumerate(by_name[operation.name]):
            body = orjson.dumps({"query": document, "variables": variables, "operationName": operation.name})
            variants.append(Variant(operation.name, index, variables, body))
    return variants


def weighted_sequence(variants: list[Variant], length: int = 1000) -> list[int]:
    """Indices into `variants`, interleaved smoothly by weight (deterministic, so every target gets the
    same sequence); an operation's variants take turns within its share."""
    weights = {operation.name: operation.weight for operation in MIX}
    per_operation: dict[str, list[int]] = {}
    for position, variant in enumerate(variants):
        per_operation.setdefault(variant.operation, []).append(position)
    cycles = {name: itertools.cycle(indices) for name, indices in per_operation.items()}
    total = sum(weights[name] for name in per_operation)
    current = dict.fromkeys(per_operation, 0)
    sequence: list[int] = []
    for _ in range(length):  # smooth weighted round robin (as nginx does)
        for name in current:
            current[name] += weights[name]
        chosen = max(current, key=lambda name: current[name])
        current[chosen] -= total
        sequence.append(next(cycles[chosen]))
    return sequence


def share(variants: list[Variant], sequence: list[int]) -> dict[str, float]:
    counts: dict[str, int] = {}
    for index in sequence:
        counts[variants[index].operation] = counts.get(variants[index].operation, 0) + 1
    return {name: counts[name] / len(sequence) for name in counts}
