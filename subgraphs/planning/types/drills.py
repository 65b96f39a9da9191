"""The drill library: drills with their rink diagrams and ratings."""

from __future__ import annotations

import strawberry
from strawberry import Private

from shared.graphql import Ctx, UserReference, to_id
from subgraphs.planning import loaders, models, service


@strawberry.type(description="A marker on a rink diagram, in feet from the corner (x along the rink, 0-200; y 0-85).")
class RinkMarker:
    kind: models.RinkMarkerKind = strawberry.field(description="What it is.")
    x: float = strawberry.field(description="Feet along the rink, 0 to 200.")
    y: float = strawberry.field(description="Feet across the rink, 0 to 85.")
    label: str | None = strawberry.field(description="A short label, e.g. F1 or D2.")


@strawberry.type(description="An arrow on a rink diagram, from one point to another, in feet.")
class RinkArrow:
    kind: models.RinkArrowKind = strawberry.field(description="What it shows.")
    from_x: float = strawberry.field(description="Start, feet along the rink.")
    from_y: float = strawberry.field(description="Start, feet across the rink.")
    to_x: float = strawberry.field(description="End, feet along the rink.")
    to_y: float = strawberry.field(description="End, feet across the rink.")


@strawberry.type(description="A drill drawn on a standard 200 x 85 ft rink: markers and arrows.")
class RinkDiagram:
    markers: list[RinkMarker] = strawberry.field(description="Players, pucks, cones, nets.")
    arrows: list[RinkArrow] = strawberry.field(description="Skating, passes and shots.")

    @classmethod
    def from_spec(cls, spec: service.RinkDiagram) -> RinkDiagram:
        return cls(
            markers=[RinkMarker(kind=m.kind, x=m.x, y=m.y, label=m.label) for m in spec.markers],
            arrows=[
                RinkArrow(kind=a.kind, from_x=a.from_x, from_y=a.from_y, to_x=a.to_x, to_y=a.to_y) for a in spec.arrows
            ],
        )


@strawberry.type(description="One staff member's rating of a drill.")
class DrillRating:
    stars: int = strawberry.field(description="1 to 5.")
    comment: str | None = strawberry.field(description="What worked or did not.")
    row: Private[models.DrillRating]

    @strawberry.field(description="Who rated it.")
    def rated_by(self) -> UserReference:
        return UserReference.from_id(self.row.user_id)


@strawberry.type(description="A drill of the club's library, used to build practices.")
class Drill:
    id: strawberry.ID = strawberry.field(description="The drill's id.")
    name: str = strawberry.field(description="Unique within the club's library.")
    category: models.DrillCategory = strawberry.field(description="What it mainly works on.")
    difficulty: models.DrillDifficulty = strawberry.field(description="How demanding it is.")
    players_needed: int = strawberry.field(description="Players it needs at least.")
    duration_minutes: int = strawberry.field(description="Usual length; a practice section may differ.")
    description: str | None = strawberry.field(description="Setup and how it runs.")
    equipment: list[str] = strawberry.field(description="What to bring, e.g. pucks, cones, a net.")
    coaching_points: list[str] = strawberry.field(description="What the coaches watch and say.")
    diagram: RinkDiagram | None = strawberry.field(description="The drill drawn on a rink, if drawn.")
    row: Private[models.Drill]

    @classmethod
    def from_row(cls, row: models.Drill) -> Drill:
        diagram = service.diagram_of(row)
        return cls(
            id=to_id(row.id),
            name=row.name,
            category=row.category,
            difficulty=row.difficulty,
            players_needed=row.players_needed,
            duration_minutes=row.duration_minutes,
            description=row.description,
            equipment=list(row.equipment),
            coaching_points=list(row.coaching_points),
            diagram=RinkDiagram.from_spec(diagram) if diagram else None,
            row=row,
        )

    @strawberry.field(description="Average stars of its ratings, null when nobody rated it.")
    async def average_rating(self, info: Ctx) -> float | None:
        summary = await loaders.rating_of_drill(info).load(self.row.id)
        return round(summary[0], 2) if summary else None

    @strawberry.field(description="How many staff members rated it.")
    async def rating_count(self, info: Ctx) -> int:
        summary = await loaders.rating_of_drill(info).load(self.row.id)
        return summary[1] if summary else 0

    @strawberry.field(description="The ratings, newest first.")
    async def ratings(self, info: Ctx) -> list[DrillRating]:
        rows = await loaders.ratings_of_drill(info).load(self.row.id)
        return [DrillRating(stars=row.stars, comment=row.comment, row=row) for row in rows]
