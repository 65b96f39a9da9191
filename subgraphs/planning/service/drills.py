"""The club's drill library: drills with coaching points, equipment and a rink diagram, and their ratings.

A rink diagram is structured data, not a picture: markers (players, pucks, cones...) and arrows (skating,
passes, shots) placed in feet on a standard 200 x 85 ft rink, origin at a corner, so any client can draw it.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.database.integrity import flush
from shared.errors import Conflict, Forbidden, InvalidInput, not_found
from subgraphs.planning import repository
from subgraphs.planning.models import (
    Drill,
    DrillCategory,
    DrillDifficulty,
    DrillRating,
    RinkArrowKind,
    RinkMarkerKind,
)
from subgraphs.planning.permissions import can_manage_drills, can_rate_drills, can_view_plans
from subgraphs.planning.service.common import acting_organization

RINK_LENGTH = 200.0
RINK_WIDTH = 85.0
MAX_MARKERS = 60
MAX_ARROWS = 80
MAX_LIST = 20
MAX_LIBRARY = 500
_NAME_TAKEN = {"uq_drills_organization_id_name": Conflict("the library already has a drill of that name", field="name")}


@dataclass(frozen=True, slots=True)
class RinkMarker:
    kind: RinkMarkerKind
    x: float
    y: float
    label: str | None = None


@dataclass(frozen=True, slots=True)
class RinkArrow:
    kind: RinkArrowKind
    from_x: float
    from_y: float
    to_x: float
    to_y: float


@dataclass(frozen=True, slots=True)
class RinkDiagram:
    markers: Sequence[RinkMarker] = ()
    arrows: Sequence[RinkArrow] = ()


def _on_rink(x: float, y: float) -> None:
    if not (math.isfinite(x) and math.isfinite(y) and 0 <= x <= RINK_LENGTH and 0 <= y <= RINK_WIDTH):
        raise InvalidInput(
            f"({x}, {y}) is off the rink: x runs 0 to {RINK_LENGTH:g} ft, y 0 to {RINK_WIDTH:g} ft",
            field="diagram",
        )


def _diagram(diagram: RinkDiagram | None) -> dict[str, Any] | None:
    if diagram is None:
        return None
    if len(diagram.markers) > MAX_MARKERS or len(diagram.arrows) > MAX_ARROWS:
        raise InvalidInput(f"a diagram has at most {MAX_MARKERS} markers and {MAX_ARROWS} arrows", field="diagram")
    markers = []
    for marker in diagram.markers:
        _on_rink(marker.x, marker.y)
        label = validation.optional_text(marker.label, field="diagram", max_length=20)
        markers.append({"kind": marker.kind.value, "x": marker.x, "y": marker.y, "label": label})
    arrows = []
    for arrow in diagram.arrows:
        _on_rink(arrow.from_x, arrow.from_y)
        _on_rink(arrow.to_x, arrow.to_y)
        if (arrow.from_x, arrow.from_y) == (arrow.to_x, arrow.to_y):
            raise InvalidInput("an arrow must go somewhere: its ends are the same point", field="diagram")
        arrows.append(
            {
                "kind": arrow.kind.value,
                "from_x": arrow.from_x,
                "from_y": arrow.from_y,
                "to_x": arrow.to_x,
                "to_y": arrow.to_y,
            }
        )
    return {"markers": markers, "arrows": arrows}


def diagram_of(drill: Drill) -> RinkDiagram | None:
    if drill.diagram is None:
        return None
    return RinkDiagram(
        markers=[
            RinkMarker(RinkMarkerKind(m["kind"]), m["x"], m["y"], m.get("label")) for m in drill.diagram["markers"]
        ],
        arrows=[
            RinkArrow(RinkArrowKind(a["kind"]), a["from_x"], a["from_y"], a["to_x"], a["to_y"])
            for a in drill.diagram["arrows"]
        ],
    )


def _texts(values: Sequence[str], *, field: str, max_length: int) -> list[str]:
    if len(values) > MAX_LIST:
        raise InvalidInput(f"at most {MAX_LIST} entries", field=field)
    return [validation.text(value, field=field, max_length=max_length) for value in values]


async def get_drill(session: AsyncSession, actor: Principal, drill_id: uuid.UUID) -> Drill:
    drill = await repository.drill(session, drill_id)
    if drill is None or not can_view_plans(actor, drill.organization_id):
        raise not_found("Drill", drill_id)
    return drill


async def list_drills(
    session: AsyncSession,
    actor: Principal,
    *,
    category: DrillCategory | None = None,
    difficulty: DrillDifficulty | None = None,
    search: str | None = None,
    limit: int = 100,
    organization_id: uuid.UUID | None = None,
) -> list[Drill]:
    return await repository.drill_library(
        session,
        organization_id=acting_organization(actor, organization_id),
        category=category,
        difficulty=difficulty,
        search=validation.optional_text(search, field="search", max_length=120),
        limit=validation.integer(limit, field="limit", minimum=1, maximum=MAX_LIBRARY),
    )


async def create_drill(
    session: AsyncSession,
    actor: Principal,
    *,
    name: str,
    category: DrillCategory,
    difficulty: DrillDifficulty,
    players_needed: int,
    duration_minutes: int,
    description: str | None = None,
    equipment: Sequence[str] = (),
    coaching_points: Sequence[str] = (),
    diagram: RinkDiagram | None = None,
    organization_id: uuid.UUID | None = None,
) -> Drill:
    organization = acting_organization(actor, organization_id)
    if not can_manage_drills(actor, organization):
        raise Forbidden("only coaches and club administrators keep the drill library")
    drill = Drill(
        id=uuid.uuid4(),
        organization_id=organization,
        name=validation.text(name, field="name", max_length=120),
        category=category,
        difficulty=difficulty,
        players_needed=validation.integer(players_needed, field="playersNeeded", minimum=1, maximum=60),
        duration_minutes=validation.integer(duration_minutes, field="durationMinutes", minimum=1, maximum=120),
        description=validation.optional_text(description, field="description", max_length=4000),
        equipment=_texts(equipment, field="equipment", max_length=80),
        coaching_points=_texts(coaching_points, field="coachingPoints", max_length=300),
        diagram=_diagram(diagram),
        created_by_user_id=actor.user_id,
    )
    session.add(drill)
    await flush(session, violations=_NAME_TAKEN)
    return drill


async def _drill_for_change(session: AsyncSession, actor: Principal, drill_id: uuid.UUID) -> Drill:
    drill = await get_drill(session, actor, drill_id)
    if not can_manage_drills(actor, drill.organization_id):
        raise Forbidden("only coaches and club administrators keep the drill library")
    return drill


async def update_drill(
    session: AsyncSession, actor: Principal, drill_id: uuid.UUID, changes: Mapping[str, Any]
) -> Drill:
    drill = await _drill_for_change(session, actor, drill_id)
    if "name" in changes:
        drill.name = validation.text(validation.required(changes, "name"), field="name", max_length=120)
    if "category" in changes:
        drill.category = validation.required(changes, "category")
    if "difficulty" in changes:
        drill.difficulty = validation.required(changes, "difficulty")
    if "players_needed" in changes:
        drill.players_needed = validation.integer(
            validation.required(changes, "players_needed"), field="playersNeeded", minimum=1, maximum=60
        )
    if "duration_minutes" in changes:
        drill.duration_minutes = validation.integer(
            validation.required(changes, "duration_minutes"), field="durationMinutes", minimum=1, maximum=120
        )
    if "description" in changes:
        drill.description = validation.optional_text(changes["description"], field="description", max_length=4000)
    if "equipment" in changes:
        drill.equipment = _texts(validation.required(changes, "equipment"), field="equipment", max_length=80)
    if "coaching_points" in changes:
        points = validation.required(changes, "coaching_points")
        drill.coaching_points = _texts(points, field="coachingPoints", max_length=300)
    if "diagram" in changes:
        drill.diagram = _diagram(changes["diagram"])
    await flush(session, violations=_NAME_TAKEN)
    return drill


async def remove_drill(session: AsyncSession, actor: Principal, drill_id: uuid.UUID) -> uuid.UUID:
    """Practices that used it keep their copy of its name and minutes; only the link goes."""
    drill = await _drill_for_change(session, actor, drill_id)
    await session.delete(drill)
    await session.flush()
    return drill.id


async def rate_drill(
    session: AsyncSession, actor: Principal, drill_id: uuid.UUID, *, stars: int, comment: str | None = None
) -> Drill:
    drill = await get_drill(session, actor, drill_id)
    if actor.user_id is None or not can_rate_drills(actor, drill.organization_id):
        raise Forbidden("only the club's staff rate drills")
    await repository.rate_drill(
        session,
        drill_id=drill.id,
        user_id=actor.user_id,
        stars=validation.integer(stars, field="stars", minimum=1, maximum=5),
        comment=validation.optional_text(comment, field="comment", max_length=500),
    )
    return drill


async def ratings(session: AsyncSession, drill_ids: Sequence[uuid.UUID]) -> list[DrillRating]:
    return await repository.ratings_of_drills(session, drill_ids)
