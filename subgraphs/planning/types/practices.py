"""Practice plans, their timed sections, attendance and evaluations."""

from __future__ import annotations

import uuid
from datetime import date

import strawberry
from strawberry import Private

from shared.errors import not_found
from shared.graphql import Ctx, TeamReference, UserReference, parse_id, to_id
from subgraphs.planning import loaders, models, permissions, service
from subgraphs.planning.types.drills import Drill
from subgraphs.planning.types.goals import Player


@strawberry.type(description="One timed section of a practice, usually a drill of the library.")
class PracticeDrill:
    position: int = strawberry.field(description="Order in the practice, from 1.")
    name: str = strawberry.field(description="The drill's name, e.g. 2-on-1 rushes.")
    minutes: int = strawberry.field(description="How long it runs.")
    description: str | None = strawberry.field(description="Setup and coaching points.")
    category: models.DrillCategory | None = strawberry.field(description="What it mainly works on.")
    section: str | None = strawberry.field(description="The part of the practice, e.g. Warm-up or Systems.")
    drill_id: Private[uuid.UUID | None]

    @classmethod
    def from_row(cls, row: models.PracticeDrill) -> PracticeDrill:
        return cls(
            position=row.position,
            name=row.name,
            minutes=row.minutes,
            description=row.description,
            category=row.category,
            section=row.section,
            drill_id=row.drill_id,
        )

    @strawberry.field(description="The library drill it was built from; null for an ad hoc or removed drill.")
    async def drill(self, info: Ctx) -> Drill | None:
        if self.drill_id is None:
            return None
        row = await loaders.drills(info).load(self.drill_id)
        return Drill.from_row(row) if row else None


@strawberry.type(description="A player's attendance at a practice and the coach's evaluation of them.")
class PracticeAttendance:
    status: models.AttendanceStatus = strawberry.field(description="Present, late, absent, excused or injured.")
    note: str | None = strawberry.field(description="Why, e.g. school exam or sore groin.")
    row: Private[models.PracticeParticipant]
    organization_id: Private[uuid.UUID]

    @strawberry.field(description="The player.")
    def player(self) -> Player:
        return Player(id=to_id(self.row.player_id))

    def _evaluation_visible(self, info: Ctx) -> bool:
        return permissions.can_view_evaluation(info.context.principal, self.organization_id, self.row.player_id)

    @strawberry.field(description="The coach's 1-5 rating; seen by staff, the player and their parents only.")
    def rating(self, info: Ctx) -> int | None:
        return self.row.rating if self._evaluation_visible(info) else None

    @strawberry.field(description="The coach's note on the player; same visibility as the rating.")
    def evaluation(self, info: Ctx) -> str | None:
        return self.row.evaluation if self._evaluation_visible(info) else None


@strawberry.federation.type(keys=["id"], description="A coach's plan for one practice of a team.")
class PracticePlan:
    id: strawberry.ID = strawberry.field(description="The plan's id.")
    title: str = strawberry.field(description="Short title.")
    date: date = strawberry.field(description="The day of the practice.")
    duration_minutes: int = strawberry.field(description="Ice time; the drills fit within it.")
    focus: str | None = strawberry.field(description="What the practice is about.")
    status: models.PracticePlanStatus = strawberry.field(description="Planned, in progress or completed.")
    row: Private[models.PracticePlan]

    @classmethod
    def from_row(cls, row: models.PracticePlan) -> PracticePlan:
        return cls(
            id=to_id(row.id),
            title=row.title,
            date=row.practice_date,
            duration_minutes=row.duration_minutes,
            focus=row.focus,
            status=row.status,
            row=row,
        )

    @strawberry.field(description="The team the practice is for.")
    def team(self) -> TeamReference:
        return TeamReference.from_id(self.row.team_id)

    @strawberry.field(description="Who made the plan.")
    def created_by(self) -> UserReference | None:
        return UserReference.from_id(self.row.created_by_user_id) if self.row.created_by_user_id else None

    @strawberry.field(description="The drills (timed sections), in order.")
    async def drills(self, info: Ctx) -> list[PracticeDrill]:
        return [PracticeDrill.from_row(row) for row in await loaders.drills_of_plan(info).load(self.row.id)]

    @strawberry.field(description="Minutes the drills take together.")
    async def planned_minutes(self, info: Ctx) -> int:
        return sum(row.minutes for row in await loaders.drills_of_plan(info).load(self.row.id))

    @strawberry.field(
        description="Attendance taken at the practice: the club's staff and the team's players see all of it, "
        "parents their children's."
    )
    async def attendance(self, info: Ctx) -> list[PracticeAttendance]:
        rows = await loaders.participants_of_plan(info).load(self.row.id)
        return [
            PracticeAttendance(
                status=row.attendance, note=row.attendance_note, row=row, organization_id=self.row.organization_id
            )
            for row in service.visible_participants(info.context.principal, self.row, rows)
        ]

    @classmethod
    async def resolve_reference(cls, info: Ctx, id: strawberry.ID) -> PracticePlan:
        row = await loaders.practice_plans(info).load(parse_id(id))
        if row is None or not permissions.can_view_plans(info.context.principal, row.organization_id):
            raise not_found("PracticePlan", id)
        return cls.from_row(row)
