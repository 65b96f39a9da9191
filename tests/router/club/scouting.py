"""The `scouting` fixture subgraph: non-resolvable references, and a field shared with roster."""

from __future__ import annotations

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet

from tests.router.club import data


@strawberry.federation.type(keys=[Key(fields=FieldSet("id"), resolvable=False)])
class Team:
    id: strawberry.ID


@strawberry.federation.type(keys=["team { id } number"])
class Player:
    """Known here by a nested key: the team's id and the jersey number."""

    team: Team
    number: int
    position: str = strawberry.federation.field(shareable=True)

    @strawberry.field
    def drills(self) -> list[str]:
        return ["edges", "passing"] if self.position != "G" else ["tracking"]

    @classmethod
    def resolve_reference(cls, team: dict[str, str], number: int) -> Player:
        row = next(p for p in data.PLAYERS.values() if p["team_id"] == team["id"] and p["number"] == int(number))
        return Player(team=Team(id=strawberry.ID(team["id"])), number=row["number"], position=row["position"])


@strawberry.type
class Query:
    @strawberry.field
    def scouted_teams(self) -> list[Team]:
        return [Team(id=strawberry.ID(team)) for team in data.TEAMS]

    @strawberry.field
    def drill_players(self) -> list[Player]:
        return [Player.resolve_reference({"id": p["team_id"]}, p["number"]) for p in data.PLAYERS.values()]


schema = strawberry.federation.Schema(query=Query, types=[Player, Team])
