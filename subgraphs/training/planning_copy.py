"""What training keeps of planning, from its events: the season's training blocks (whose intensity scales the
players' load targets) and each team's latest lineups (which assignments to a line expand through).

- `planning.phase.changed` (created, updated, removed): the phase and its blocks after the change.
- `lineup.set`: one line type's lineup of a game plan, as set.

Like the roster copy, each write carries its event's time, and an older event never undoes a newer one.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.events import Event
from shared.events.consumer import DomainHandler
from subgraphs.training.models import PlannedBlock, PlannedPhase, TeamLineup

logger = logging.getLogger(__name__)

PHASE_CHANGED = "planning.phase.changed"
LINEUP_SET = "lineup.set"

LOAD_TARGET_PERCENT: Mapping[str, int] = {"recovery": 60, "low": 75, "medium": 90, "high": 100, "peak": 105}
"""The share of the prescribed load a player's target is in a block of each intensity."""


@dataclass(frozen=True, slots=True)
class TrainingBlock:
    name: str
    intensity: str
    phase_kind: str
    starts_on: date
    ends_on: date

    @property
    def load_target_percent(self) -> int:
        return LOAD_TARGET_PERCENT.get(self.intensity, 100)


def _uuid(value: Any) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(str(value))


async def phase_changed(session: AsyncSession, event: Event) -> None:
    data = event.data
    phase_id = _uuid(data.get("phase_id"))
    if phase_id is None or event.organization_id is None:
        logger.warning("phase event without a phase or club ignored", extra={"event_id": str(event.id)})
        return
    statement = insert(PlannedPhase).values(
        phase_id=phase_id,
        organization_id=event.organization_id,
        kind=str(data.get("kind") or "")[:20],
        removed=data.get("change") == "removed",
        source_occurred_at=event.occurred_at,
    )
    written = await session.execute(
        statement.on_conflict_do_update(
            index_elements=[PlannedPhase.phase_id],
            set_={
                "kind": statement.excluded.kind,
                "removed": statement.excluded.removed,
                "source_occurred_at": statement.excluded.source_occurred_at,
            },
            where=PlannedPhase.source_occurred_at <= statement.excluded.source_occurred_at,
        ).returning(PlannedPhase.phase_id)
    )
    if written.first() is None:
        return  # a newer event wrote the phase already
    await session.execute(delete(PlannedBlock).where(PlannedBlock.phase_id == phase_id))
    if data.get("change") == "removed":
        return
    blocks = [
        {
            "block_id": uuid.UUID(str(block["block_id"])),
            "phase_id": phase_id,
            "organization_id": event.organization_id,
            "name": str(block.get("name") or "")[:80],
            "intensity": str(block.get("intensity") or "")[:20],
            "start_date": date.fromisoformat(str(block["start_date"])),
            "end_date": date.fromisoformat(str(block["end_date"])),
        }
        for block in data.get("blocks") or ()
    ]
    if blocks:
        await session.execute(insert(PlannedBlock).values(blocks).on_conflict_do_nothing())


async def lineup_set(session: AsyncSession, event: Event) -> None:
    data = event.data
    team_id, plan_id = _uuid(data.get("team_id")), _uuid(data.get("game_plan_id"))
    if team_id is None or plan_id is None or event.organization_id is None or not data.get("game_date"):
        logger.warning("lineup event without a team, plan or club ignored", extra={"event_id": str(event.id)})
        return
    statement = insert(TeamLineup).values(
        team_id=team_id,
        line_type=str(data.get("line_type") or "")[:20],
        organization_id=event.organization_id,
        game_plan_id=plan_id,
        game_date=date.fromisoformat(str(data["game_date"])),
        slots=[
            {
                "group": str(slot.get("group")),
                "unit": int(slot["unit"]),
                "position": int(slot.get("position") or 0),
                "player_id": str(slot["player_id"]),
            }
            for slot in data.get("slots") or ()
        ],
        source_occurred_at=event.occurred_at,
    )
    excluded = statement.excluded
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[TeamLineup.team_id, TeamLineup.line_type],
            set_={
                "organization_id": excluded.organization_id,
                "game_plan_id": excluded.game_plan_id,
                "game_date": excluded.game_date,
                "slots": excluded.slots,
                "source_occurred_at": excluded.source_occurred_at,
            },
            # The latest game's lineup; of one game, the latest change.
            where=tuple_(TeamLineup.game_date, TeamLineup.source_occurred_at)
            <= tuple_(excluded.game_date, excluded.source_occurred_at),
        )
    )


async def line_players(session: AsyncSession, team_id: uuid.UUID, line_type: str, unit: int) -> list[uuid.UUID]:
    """The skaters of one unit of the team's latest lineup of that line type, in lineup order."""
    lineup = await session.get(TeamLineup, (team_id, line_type))
    if lineup is None:
        return []
    # A line is skaters: the forwards and the defence pair of that unit, never the goalies.
    slots = sorted(
        (slot for slot in lineup.slots if slot["unit"] == unit and slot["group"] != "goalies"),
        key=lambda slot: (slot["group"], slot["position"]),
    )
    return [uuid.UUID(slot["player_id"]) for slot in slots]


async def blocks_on(
    session: AsyncSession, organization_ids: list[uuid.UUID], days: list[date]
) -> list[tuple[uuid.UUID, date, TrainingBlock]]:
    """(organization, day, block) for every block in force on one of the days in one of the clubs."""
    if not organization_ids or not days:
        return []
    rows = await session.execute(
        select(PlannedBlock, PlannedPhase.kind)
        .join(PlannedPhase, PlannedPhase.phase_id == PlannedBlock.phase_id)
        .where(
            PlannedBlock.organization_id.in_(organization_ids),
            PlannedBlock.start_date <= max(days),
            PlannedBlock.end_date >= min(days),
        )
        .order_by(PlannedBlock.start_date, PlannedBlock.block_id)
    )
    found: list[tuple[uuid.UUID, date, TrainingBlock]] = []
    for block, kind in rows:
        value = TrainingBlock(block.name, block.intensity, kind, block.start_date, block.end_date)
        found.extend((block.organization_id, day, value) for day in days if block.start_date <= day <= block.end_date)
    return found


EVENT_HANDLERS: dict[str, DomainHandler] = {PHASE_CHANGED: phase_changed, LINEUP_SET: lineup_set}
