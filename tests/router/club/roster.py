"""The `roster` fixture subgraph: teams and players, entity interface, union, compound and multiple keys."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.federation.schema_directives import Authenticated

from tests.router.club import data


@strawberry.federation.interface(keys=["id"])
class Node:
    id: strawberry.ID


@strawberry.federation.type(keys=["id"])
class Team(Node):
    name: str

    @strawberry.field
    def players(self) -> list[Player]:
        return [player(p["id"]) for p in data.PLAYERS.values() if p["team_id"] == self.id]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Team:
        return Team(id=id, name=data.TEAMS[id]["name"])


@strawberry.federation.type(keys=["id", "teamId number", "team { id } number"])
class Player(Node):
    name: str = strawberry.federation.field(shareable=True)
    number: int
    team_id: strawberry.ID
    position: str = strawberry.federation.field(shareable=True)
    legacy_points: int = strawberry.field(default=0, name="points")

    @strawberry.federation.field(shareable=True)
    def team(self) -> Team:
        return Team.resolve_reference(self.team_id)

    @classmethod
    def resolve_reference(cls, **key: Any) -> Player:
        if "id" in key:
            return player(key["id"])
        team_id = key["team"]["id"] if "team" in key else key["teamId"]
        found = next(p for p in data.PLAYERS.values() if p["team_id"] == team_id and p["number"] == int(key["number"]))
        return player(found["id"])


def player(player_id: str) -> Player:
    row = data.PLAYERS[player_id]
    return Player(
        id=row["id"], name=row["name"], number=row["number"], team_id=row["team_id"], position=row["position"]
    )


SearchResult = Annotated[Player | Team, strawberry.union("SearchResult")]


@strawberry.type
class Query:
    @strawberry.field(directives=[Authenticated()])
    def captain(self) -> Player | None:
        """Open to any signed-in caller, to nobody anonymous."""
        return player(next(iter(data.PLAYERS)))

    @strawberry.field
    def team(self, id: strawberry.ID) -> Team | None:
        return Team.resolve_reference(id) if id in data.TEAMS else None

    @strawberry.field
    def players(self) -> list[Player]:
        return [player(p) for p in data.PLAYERS]

    @strawberry.field
    def node(self, id: strawberry.ID) -> Node | None:
        if id in data.PLAYERS:
            return player(id)
        return Team.resolve_reference(id) if id in data.TEAMS else None

    @strawberry.field
    def search(self, text: str) -> list[SearchResult]:
        found: list[Player | Team] = [
            player(p["id"]) for p in data.PLAYERS.values() if text.lower() in p["name"].lower()
        ]
        found += [
            Team.resolve_reference(strawberry.ID(t["id"]))
            for t in data.TEAMS.values()
            if text.lower() in t["name"].lower()
        ]
        return found


@strawberry.type
class Mutation:
    @strawberry.mutation
    def rename_player(self, id: strawberry.ID, name: str) -> Player:
        data.MUTATIONS.append(f"roster:rename:{name}")
        data.PLAYERS[id]["name"] = name
        return player(id)


schema = strawberry.federation.Schema(query=Query, mutation=Mutation, types=[Team, Player])
