"""Queries and mutations of availability: statuses with history, the team board."""

from __future__ import annotations

from typing import Annotated

import strawberry

from shared.auth.scopes import HEALTH_WRITE
from shared.graphql import Ctx, actor, mutation, parse_id, parse_ids, requires_capability, requires_sign_in, to_id
from subgraphs.medical import availability, service
from subgraphs.medical.models import AvailabilityStatus
from subgraphs.medical.types import (
    AvailabilityBoardEntry,
    AvailabilityChange,
    MedicalRestriction,
    Player,
    PlayerAvailability,
)


@strawberry.input(description="A new availability status of a player.")
class SetAvailabilityInput:
    player_id: strawberry.ID = strawberry.field(description="The player.")
    status: AvailabilityStatus = strawberry.field(description="The new status.")
    note: str | None = strawberry.field(default=None, description="Why: health data, for medical eyes.")


@strawberry.type
class AvailabilityQuery:
    @strawberry.field(
        description="Availability (status and today's restrictions, never diagnoses) of the given players "
        "of the caller's club, in the order asked: coaching and medical staff.",
        extensions=[requires_sign_in()],
    )
    async def team_availability(
        self,
        info: Ctx,
        player_ids: Annotated[list[strawberry.ID], strawberry.argument(description="1-200 players.")],
    ) -> list[PlayerAvailability]:
        rows = await service.team_availability(
            info.context.session, actor(info), parse_ids(player_ids, field="playerIds")
        )
        return [
            PlayerAvailability(
                player=Player(id=to_id(row.player_id)),
                status=row.status,
                restrictions=[MedicalRestriction.from_row(restriction) for restriction in row.restrictions],
            )
            for row in rows
        ]

    @strawberry.field(
        description="A team's availability board (the team's active players by name: status, restrictions, "
        "return-to-play phase, expected return; never diagnoses): the club's medical staff and physical "
        "trainers, the team's coaches.",
        extensions=[requires_sign_in()],
    )
    async def availability_board(self, info: Ctx, team_id: strawberry.ID) -> list[AvailabilityBoardEntry]:
        entries = await availability.board(info.context.session, actor(info), parse_id(team_id, field="teamId"))
        return [AvailabilityBoardEntry.from_entry(entry) for entry in entries]

    @strawberry.field(
        description="A player's changes of availability status, newest first: whoever may see the player's "
        "availability (the note only for those who may see health records).",
        extensions=[requires_sign_in()],
    )
    async def availability_history(
        self,
        info: Ctx,
        player_id: strawberry.ID,
        limit: Annotated[int, strawberry.argument(description="At most this many, 1-500.")] = 100,
    ) -> list[AvailabilityChange]:
        rows = await availability.history(
            info.context.session, actor(info), parse_id(player_id, field="playerId"), limit=limit
        )
        return [AvailabilityChange.from_row(row) for row in rows]


@strawberry.type
class AvailabilityMutation:
    @mutation(
        description="Set a player's availability status (kept with who set it and when).",
        audit_input=False,
        extensions=[requires_capability(HEALTH_WRITE)],
    )
    async def set_availability(self, info: Ctx, input: SetAvailabilityInput) -> AvailabilityChange:
        row = await availability.set_availability(
            info.context.session,
            actor(info),
            player_id=parse_id(input.player_id, field="playerId"),
            status=input.status,
            note=input.note,
        )
        return AvailabilityChange.from_row(row)
