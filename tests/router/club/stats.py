"""The `stats` fixture subgraph: @requires (several, nested, on a field with arguments), @provides, @override,
and a subscription whose events hold players that other subgraphs complete."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

import strawberry
from strawberry.federation.schema_directives import RequiresScopes

from tests.router.club import data


@strawberry.federation.type(directives=[RequiresScopes(scopes=[["role:club_admin"]])])
class Contract:
    """Guarded as a type: every field returning it needs the club admin's scope."""

    salary: int


@strawberry.federation.type(keys=["id"])
class Team:
    id: strawberry.ID
    name: str = strawberry.federation.field(external=True)


@strawberry.federation.type(keys=["id"])
class Player:
    id: strawberry.ID
    name: str = strawberry.federation.field(external=True)
    number: int = strawberry.federation.field(external=True)
    position: str = strawberry.federation.field(external=True)
    team: Team = strawberry.federation.field(external=True)

    @strawberry.field
    def goals(self) -> int:
        return data.STATS[self.id][0]

    @strawberry.field
    def contract(self) -> Contract | None:
        return Contract(salary=1000 * (data.STATS[self.id][0] + 1))

    @strawberry.federation.field(override="roster")
    def points(self) -> int:
        goals, assists = data.STATS[self.id]
        return goals + assists

    @strawberry.federation.field(requires=["number position"])
    def label(self) -> str:
        return f"#{self.number} {self.position}"

    @strawberry.federation.field(requires=["team { name } number"])
    def jersey(self) -> str:
        return f"{self.team.name} {self.number}"

    @strawberry.federation.field(requires=["number"])
    def projected_goals(self, games: int) -> int:
        return data.STATS[self.id][0] * games // 10 + self.number % 2

    @classmethod
    def resolve_reference(cls, **representation: object) -> Player:
        team = representation.get("team")
        return Player(
            id=strawberry.ID(str(representation["id"])),
            name=str(representation.get("name", "")),
            number=int(representation.get("number", 0)),  # type: ignore[call-overload]
            position=str(representation.get("position", "")),
            team=Team(
                id=strawberry.ID(str(team["id"])) if isinstance(team, dict) and "id" in team else strawberry.ID(""),
                name=str(team.get("name", "")) if isinstance(team, dict) else "",
            ),
        )


@strawberry.type
class Query:
    @strawberry.federation.field(provides=["name"])
    def top_scorer(self) -> Player:
        best = max(data.STATS, key=lambda p: data.STATS[p][0])
        row = data.PLAYERS[best]
        return Player(
            id=strawberry.ID(best),
            name=row["name"],
            number=row["number"],
            position=row["position"],
            team=Team(id=row["team_id"], name=data.TEAMS[row["team_id"]]["name"]),
        )


def _player(player_id: str) -> Player:
    row = data.PLAYERS[player_id]
    team = Team(id=row["team_id"], name=data.TEAMS[row["team_id"]]["name"])
    return Player(id=strawberry.ID(player_id), name="", number=row["number"], position=row["position"], team=team)


@strawberry.type
class Goal:
    minute: int
    scorer: Player


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def goal_scored(
        self, limit: int = 3, every_ms: int = 5, fail_after: int = -1, first_after_ms: int = 0
    ) -> AsyncGenerator[Goal, None]:
        """`limit` goals by the players in turn (0: until unsubscribed), the first after `first_after_ms`;
        after `fail_after` events, an error."""
        data.LIVE_STREAMS.append("goalScored")
        try:
            await asyncio.sleep(first_after_ms / 1000)
            minute = 0
            while limit == 0 or minute < limit:
                if minute == fail_after:
                    raise RuntimeError("the scoreboard feed broke")
                player_id = list(data.PLAYERS)[minute % len(data.PLAYERS)]
                minute += 1
                yield Goal(minute=minute, scorer=_player(player_id))
                await asyncio.sleep(every_ms / 1000)
        finally:
            data.LIVE_STREAMS.remove("goalScored")


schema = strawberry.federation.Schema(query=Query, subscription=Subscription, types=[Player, Team])
