"""The drill library and its ratings."""

from __future__ import annotations

from typing import Any

import strawberry

from shared.graphql import Ctx, actor, mutation, parse_id, provided, requires_sign_in
from subgraphs.planning import service
from subgraphs.planning.models import DrillCategory, DrillDifficulty, RinkArrowKind, RinkMarkerKind
from subgraphs.planning.types import Drill


@strawberry.input(description="A marker on the rink, in feet: x 0-200 along the rink, y 0-85 across it.")
class RinkMarkerInput:
    kind: RinkMarkerKind = strawberry.field(description="What it is.")
    x: float = strawberry.field(description="Feet along the rink, 0 to 200.")
    y: float = strawberry.field(description="Feet across the rink, 0 to 85.")
    label: str | None = strawberry.field(default=None, description="Up to 20 characters, e.g. F1.")


@strawberry.input(description="An arrow on the rink, both ends on it and not the same point.")
class RinkArrowInput:
    kind: RinkArrowKind = strawberry.field(description="What it shows.")
    from_x: float = strawberry.field(description="Start, feet along the rink.")
    from_y: float = strawberry.field(description="Start, feet across the rink.")
    to_x: float = strawberry.field(description="End, feet along the rink.")
    to_y: float = strawberry.field(description="End, feet across the rink.")


@strawberry.input(description="A drill drawn on the rink: up to 60 markers and 80 arrows.")
class RinkDiagramInput:
    markers: list[RinkMarkerInput] = strawberry.field(default_factory=list, description="The markers.")
    arrows: list[RinkArrowInput] = strawberry.field(default_factory=list, description="The arrows.")

    def to_spec(self) -> service.RinkDiagram:
        return service.RinkDiagram(
            markers=[service.RinkMarker(m.kind, m.x, m.y, m.label) for m in self.markers],
            arrows=[service.RinkArrow(a.kind, a.from_x, a.from_y, a.to_x, a.to_y) for a in self.arrows],
        )


@strawberry.input(description="A new drill of the club's library.")
class CreateDrillInput:
    name: str = strawberry.field(description="Unique within the library.")
    category: DrillCategory = strawberry.field(description="What it mainly works on.")
    difficulty: DrillDifficulty = strawberry.field(description="How demanding it is.")
    players_needed: int = strawberry.field(description="Players it needs at least, 1 to 60.")
    duration_minutes: int = strawberry.field(description="Usual length, 1 to 120 minutes.")
    description: str | None = strawberry.field(default=None, description="Setup and how it runs.")
    equipment: list[str] = strawberry.field(default_factory=list, description="What to bring, up to 20.")
    coaching_points: list[str] = strawberry.field(default_factory=list, description="Coaching points, up to 20.")
    diagram: RinkDiagramInput | None = strawberry.field(default=None, description="The drill drawn on a rink.")


@strawberry.input(description="Changes to a drill; omitted fields stay as they are.")
class UpdateDrillInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="New name.")
    category: DrillCategory | None = strawberry.field(default=strawberry.UNSET, description="Category.")
    difficulty: DrillDifficulty | None = strawberry.field(default=strawberry.UNSET, description="Difficulty.")
    players_needed: int | None = strawberry.field(default=strawberry.UNSET, description="Players needed.")
    duration_minutes: int | None = strawberry.field(default=strawberry.UNSET, description="Usual length.")
    description: str | None = strawberry.field(default=strawberry.UNSET, description="Description, or null.")
    equipment: list[str] | None = strawberry.field(default=strawberry.UNSET, description="Replaces the list.")
    coaching_points: list[str] | None = strawberry.field(default=strawberry.UNSET, description="Replaces them.")
    diagram: RinkDiagramInput | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces the diagram; null removes it."
    )


def _values(input: CreateDrillInput | UpdateDrillInput) -> dict[str, Any]:
    values = provided(input)
    if values.get("diagram") is not None:
        values["diagram"] = values["diagram"].to_spec()
    return values


@strawberry.type(description="Reads of the drill library.")
class DrillsQuery:
    @strawberry.field(
        description="The club's drill library by name, optionally filtered.", extensions=[requires_sign_in()]
    )
    async def drills(
        self,
        info: Ctx,
        category: DrillCategory | None = None,
        difficulty: DrillDifficulty | None = None,
        search: str | None = None,
        limit: int = 100,
    ) -> list[Drill]:
        rows = await service.list_drills(
            info.context.session, actor(info), category=category, difficulty=difficulty, search=search, limit=limit
        )
        return [Drill.from_row(row) for row in rows]

    @strawberry.field(description="One drill of the club's library.", extensions=[requires_sign_in()])
    async def drill(self, info: Ctx, id: strawberry.ID) -> Drill:
        return Drill.from_row(await service.get_drill(info.context.session, actor(info), parse_id(id)))


@strawberry.type(description="Changes to the drill library.")
class DrillsMutation:
    @mutation(description="Add a drill to the club's library (coaches and club administrators).")
    async def create_drill(self, info: Ctx, input: CreateDrillInput) -> Drill:
        return Drill.from_row(await service.create_drill(info.context.session, actor(info), **_values(input)))

    @mutation(description="Change a drill of the library (coaches and club administrators).")
    async def update_drill(self, info: Ctx, id: strawberry.ID, input: UpdateDrillInput) -> Drill:
        row = await service.update_drill(info.context.session, actor(info), parse_id(id), _values(input))
        return Drill.from_row(row)

    @mutation(description="Remove a drill; practices built from it keep their sections. Returns its id.")
    async def remove_drill(self, info: Ctx, id: strawberry.ID) -> strawberry.ID:
        return strawberry.ID(str(await service.remove_drill(info.context.session, actor(info), parse_id(id))))

    @mutation(description="Rate a drill 1-5 (the club's staff); rating again replaces your rating.")
    async def rate_drill(self, info: Ctx, id: strawberry.ID, stars: int, comment: str | None = None) -> Drill:
        row = await service.rate_drill(info.context.session, actor(info), parse_id(id), stars=stars, comment=comment)
        return Drill.from_row(row)
