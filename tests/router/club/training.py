"""The `training` fixture subgraph: an @interfaceObject adding a field to every Node."""

from __future__ import annotations

import strawberry

from tests.router.club import data


@strawberry.federation.interface_object(keys=["id"])
class Node:
    id: strawberry.ID

    @strawberry.field
    def last_activity(self) -> str | None:
        return data.ACTIVITY[self.id]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Node:
        return Node(id=id)


@strawberry.type
class Query:
    @strawberry.field
    def training_focus(self) -> str:
        return "skating"


schema = strawberry.federation.Schema(query=Query, types=[Node])
