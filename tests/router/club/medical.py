"""The `medical` fixture subgraph: extends Player, has a mutation, and fields that fail on purpose."""

from __future__ import annotations

import asyncio

import strawberry
from strawberry.federation.schema_directives import RequiresScopes

from tests.router.club import data


@strawberry.type
class Injury:
    id: strawberry.ID
    body_part: str


@strawberry.federation.type(keys=["teamId number"])
class Player:
    """Known here by a compound key only: the team and the jersey number."""

    team_id: strawberry.ID
    number: int

    @property
    def id(self) -> str:
        found = next(p for p in data.PLAYERS.values() if p["team_id"] == self.team_id and p["number"] == self.number)
        return str(found["id"])

    @strawberry.field
    def status(self) -> str | None:
        return "INJURED" if data.INJURIES[str(self.id)] else "AVAILABLE"

    @strawberry.field
    def injuries(self) -> list[Injury]:
        return [Injury(id=strawberry.ID(i["id"]), body_part=i["body_part"]) for i in data.INJURIES[self.id]]

    @strawberry.field
    def diagnosis(self) -> str | None:
        raise PermissionError("health data is not yours to see")

    @strawberry.field(directives=[RequiresScopes(scopes=[["health:read"]])])
    def medical_notes(self) -> str | None:
        return f"notes on {self.id}"

    @strawberry.field(directives=[RequiresScopes(scopes=[["role:medical_staff"], ["role:admin"]])])
    def clearance(self) -> str:
        """Non-null, so a caller who may not see it loses the whole player."""
        return "CLEARED"

    @strawberry.field
    async def slow_status(self) -> str | None:
        await asyncio.sleep(2)
        return "late"

    @classmethod
    def resolve_reference(cls, teamId: strawberry.ID, number: int) -> Player:  # noqa: N803 (GraphQL's key names)
        return Player(team_id=teamId, number=int(number))


@strawberry.type
class Query:
    @strawberry.field
    def injured_count(self) -> int:
        return sum(1 for injuries in data.INJURIES.values() if injuries)


@strawberry.type
class Mutation:
    @strawberry.mutation
    def record_injury(self, player_id: strawberry.ID, body_part: str) -> Injury:
        data.MUTATIONS.append(f"medical:injury:{body_part}")
        injury = {"id": f"i{len(data.MUTATIONS)}", "body_part": body_part}
        data.INJURIES[player_id].append(injury)
        return Injury(id=strawberry.ID(injury["id"]), body_part=body_part)

    @strawberry.mutation(directives=[RequiresScopes(scopes=[["role:medical_staff"]])])
    def discharge(self, player_id: strawberry.ID) -> bool | None:
        data.MUTATIONS.append(f"medical:discharge:{player_id}")
        data.INJURIES[player_id].clear()
        return True


schema = strawberry.federation.Schema(query=Query, mutation=Mutation, types=[Player])
