"""Agility drills as players did them: timed attempts with their errors, checked against the workout's
drills, and each player's history of one drill across workouts.

An attempt counts when its errors are within the drill's allowed errors (always, when the drill allows any
number); it meets the target when it counts and is no slower than the target time.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.errors import InvalidInput
from subgraphs.training import content, repository
from subgraphs.training.execution import repository as execution_repository
from subgraphs.training.models import PerformedDrillAttempt, PlayerWorkout

MAX_ATTEMPTS = 50
MAX_SECONDS = 600
MAX_ERRORS = 100


@dataclass(frozen=True)
class AttemptDraft:
    seconds: float
    errors: int = 0


@dataclass(frozen=True)
class DrillDraft:
    drill_index: int
    attempts: tuple[AttemptDraft, ...]


def _hundredths(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def attempt_rows(
    drafts: Sequence[DrillDraft], *, drills: Sequence[content.AgilityDrill], row: PlayerWorkout
) -> list[PerformedDrillAttempt]:
    """The rows of the reported drills; `drills` are the workout's, by position."""
    if not drills:
        raise InvalidInput("the workout has no drills to report", field="performance.drills")
    seen: set[int] = set()
    rows: list[PerformedDrillAttempt] = []
    for index, draft in enumerate(drafts):
        path = f"performance.drills[{index}]"
        if not 0 <= draft.drill_index < len(drills):
            raise InvalidInput(
                f"drillIndex must name one of the workout's {len(drills)} drills (0-{len(drills) - 1})",
                field=f"{path}.drillIndex",
            )
        if draft.drill_index in seen:
            raise InvalidInput("the drill is reported twice", field=f"{path}.drillIndex")
        seen.add(draft.drill_index)
        if not draft.attempts:
            raise InvalidInput("report at least one attempt", field=f"{path}.attempts")
        if len(draft.attempts) > MAX_ATTEMPTS:
            raise InvalidInput(f"report at most {MAX_ATTEMPTS} attempts", field=f"{path}.attempts")
        drill = drills[draft.drill_index]
        for number, attempt in enumerate(draft.attempts):
            here = f"{path}.attempts[{number}]"
            if not 0 < attempt.seconds <= MAX_SECONDS:
                raise InvalidInput(f"seconds must be more than 0 and at most {MAX_SECONDS}", field=f"{here}.seconds")
            validation.integer(attempt.errors, field=f"{here}.errors", minimum=0, maximum=MAX_ERRORS)
            rows.append(
                PerformedDrillAttempt(
                    id=uuid.uuid4(),
                    player_workout_id=row.id,
                    organization_id=row.organization_id,
                    player_id=row.player_id,
                    drill_index=draft.drill_index,
                    drill_name=drill.name,
                    target_seconds=_hundredths(drill.target_seconds),
                    allowed_errors=drill.allowed_errors,
                    attempt_number=number + 1,
                    seconds=_hundredths(attempt.seconds),
                    errors=attempt.errors,
                )
            )
    return rows


def counts(attempt: PerformedDrillAttempt) -> bool:
    return attempt.allowed_errors is None or attempt.errors <= attempt.allowed_errors


def meets_target(attempt: PerformedDrillAttempt) -> bool:
    return counts(attempt) and attempt.seconds <= attempt.target_seconds


def best_seconds(attempts: Sequence[PerformedDrillAttempt]) -> float | None:
    """The fastest attempt that counts."""
    return min((float(one.seconds) for one in attempts if counts(one)), default=None)


async def record_drill_attempts(session: AsyncSession, row: PlayerWorkout, drafts: Sequence[DrillDraft]) -> None:
    """Stores the drills of a player's workout as done; the caller has just completed it for them."""
    workout = await repository.workout(session, row.workout_id)
    assert workout is not None  # player workouts cascade with their workout
    drills = content.from_document(workout.content).drills or ()
    await repository.add(session, *attempt_rows(drafts, drills=drills, row=row))


async def drill_history(
    session: AsyncSession,
    player_ids: Sequence[uuid.UUID],
    *,
    drill_name: str,
    organization_id: uuid.UUID | None,
) -> list[tuple[PerformedDrillAttempt, PlayerWorkout]]:
    """Every attempt of the players at drills of this name (case ignored), with its workout, by day done."""
    name = validation.text(drill_name, field="drill", max_length=120)
    return await execution_repository.drill_attempts(
        session, player_ids, drill_name=name, organization_id=organization_id
    )
