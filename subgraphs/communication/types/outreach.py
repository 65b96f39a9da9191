"""GraphQL types of broadcasts and urgent medical alerts."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import Private

from shared.auth.principal import Role
from shared.graphql import Ctx, TeamReference, UserReference, to_id
from subgraphs.communication import loaders, models, permissions

strawberry.enum(
    models.BroadcastAudience,
    name="BroadcastAudience",
    description="Who a broadcast goes to: a team, everyone of a role in the club, or chosen people.",
)


@strawberry.type(description="One recipient of a broadcast and whether they acknowledged it.")
class BroadcastReceipt:
    user: UserReference = strawberry.field(description="The recipient.")
    acknowledged_at: datetime | None = strawberry.field(description="When they acknowledged it; null while not.")

    @strawberry.field(description="True once they acknowledged it.")
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None


@strawberry.type(description="A message from a coach or the club to many people, each acknowledging it.")
class Broadcast:
    id: strawberry.ID = strawberry.field(description="The broadcast's id.")
    title: str = strawberry.field(description="A short headline.")
    body: str = strawberry.field(description="The text.")
    audience: models.BroadcastAudience = strawberry.field(description="A team, a role or chosen people.")
    team: TeamReference | None = strawberry.field(description="The team it went to (or was limited to).")
    role: Role | None = strawberry.field(description="The role it went to, for a role broadcast.")
    sender: UserReference = strawberry.field(description="Who sent it.")
    created_at: datetime = strawberry.field(description="When it was sent.")
    row: Private[models.Broadcast]

    @classmethod
    def from_row(cls, row: models.Broadcast) -> Broadcast:
        return cls(
            id=to_id(row.id),
            title=row.title,
            body=row.body,
            audience=models.BroadcastAudience(row.audience),
            team=TeamReference.from_id(row.team_id) if row.team_id else None,
            role=Role(row.role) if row.role else None,
            sender=UserReference.from_id(row.sender_user_id),
            created_at=row.created_at,
            row=row,
        )

    async def _receipts(self, info: Ctx) -> list[models.BroadcastRecipient]:
        rows = await loaders.broadcast_recipients(info).load(self.row.id)
        principal = info.context.principal
        if permissions.can_view_broadcast_receipts(principal, self.row):
            return rows
        return [row for row in rows if row.user_id == principal.user_id]

    @strawberry.field(
        description="Its recipients, acknowledged last: all of them for the sender and the club's "
        "administrators, only their own for a recipient."
    )
    async def recipients(self, info: Ctx) -> list[BroadcastReceipt]:
        return [
            BroadcastReceipt(user=UserReference.from_id(row.user_id), acknowledged_at=row.acknowledged_at)
            for row in await self._receipts(info)
        ]

    @strawberry.field(description="How many of the recipients shown acknowledged it.")
    async def acknowledged_count(self, info: Ctx) -> int:
        return sum(1 for row in await self._receipts(info) if row.acknowledged_at is not None)

    @strawberry.field(description="How many of the recipients shown have not acknowledged it yet.")
    async def pending_count(self, info: Ctx) -> int:
        return sum(1 for row in await self._receipts(info) if row.acknowledged_at is None)


@strawberry.type(description="Someone an urgent medical alert reached, and at which tier.")
class MedicalAlertRecipient:
    user: UserReference = strawberry.field(description="Who it reached.")
    tier: int = strawberry.field(description="0: the team's staff; 1: its head coaches; 2: the club's administrators.")
    notified_at: datetime = strawberry.field(description="When it reached them.")


@strawberry.type(
    description="An urgent alert from medical staff about a player, for the team's staff to acknowledge; "
    "unacknowledged, it escalates to the head coaches, then to the club's administrators."
)
class MedicalAlert:
    id: strawberry.ID = strawberry.field(description="The alert's id.")
    player_id: strawberry.ID = strawberry.field(description="The player it is about.")
    team: TeamReference = strawberry.field(description="The player's team.")
    title: str = strawberry.field(description="A short headline.")
    body: str = strawberry.field(description="What the staff need to know (availability, not diagnoses).")
    sender: UserReference = strawberry.field(description="The medical staff member who sent it.")
    created_at: datetime = strawberry.field(description="When it was sent.")
    tier: int = strawberry.field(description="The furthest tier it has reached: 0 staff, 1 head coaches, 2 admins.")
    escalates_at: datetime | None = strawberry.field(
        description="When it reaches the next tier unless acknowledged; null once acknowledged or at the last."
    )
    acknowledged_at: datetime | None = strawberry.field(description="When someone acknowledged it.")
    acknowledged_by: UserReference | None = strawberry.field(description="Who acknowledged it.")
    row: Private[models.MedicalAlert]

    @classmethod
    def from_row(cls, row: models.MedicalAlert) -> MedicalAlert:
        return cls(
            id=to_id(row.id),
            player_id=to_id(row.player_id),
            team=TeamReference.from_id(row.team_id),
            title=row.title,
            body=row.body,
            sender=UserReference.from_id(row.sender_user_id),
            created_at=row.created_at,
            tier=row.tier,
            escalates_at=row.escalate_at,
            acknowledged_at=row.acknowledged_at,
            acknowledged_by=UserReference.from_id(row.acknowledged_by_user_id) if row.acknowledged_by_user_id else None,
            row=row,
        )

    @strawberry.field(description="True once someone acknowledged it.")
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    @strawberry.field(description="Everyone it reached, tier by tier.")
    async def recipients(self, info: Ctx) -> list[MedicalAlertRecipient]:
        rows = await loaders.alert_recipients(info).load(self.row.id)
        return [
            MedicalAlertRecipient(user=UserReference.from_id(row.user_id), tier=row.tier, notified_at=row.notified_at)
            for row in rows
        ]


__all__ = ["Broadcast", "BroadcastReceipt", "MedicalAlert", "MedicalAlertRecipient"]
