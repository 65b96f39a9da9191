"""GraphQL types of availability: status changes and the team board (no diagnoses, no notes unless the
caller may see the player's health records)."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry import Private

from shared.graphql import Ctx, to_id
from subgraphs.medical import availability, loaders, models, permissions
from subgraphs.medical.types.records import MedicalRestriction, Player


@strawberry.type(description="A change of a player's availability status.")
class AvailabilityChange:
    status: models.AvailabilityStatus = strawberry.field(description="The new status.")
    previous_status: models.AvailabilityStatus | None = strawberry.field(
        description="The status it replaced; null for the player's first."
    )
    changed_at: datetime = strawberry.field(description="When it changed.")
    changed_by: strawberry.ID | None = strawberry.field(description="The user who changed it.")
    row: Private[models.AvailabilityChange]

    @classmethod
    def from_row(cls, row: models.AvailabilityChange) -> AvailabilityChange:
        return cls(
            status=row.status,
            previous_status=row.previous_status,
            changed_at=row.changed_at,
            changed_by=to_id(row.changed_by) if row.changed_by else None,
            row=row,
        )

    @strawberry.field(description="The player.")
    def player(self) -> Player:
        return Player(id=to_id(self.row.player_id))

    @strawberry.field(description="Why: health data, null unless the caller may see the player's health records.")
    async def note(self, info: Ctx) -> str | None:
        row = self.row
        if row.note is None or not permissions.can_view_health_records(
            info.context.principal, player_id=row.player_id, organization_id=row.organization_id
        ):
            return None
        await loaders.shown(info, "AvailabilityChange.note").load(
            loaders.Shown(row.player_id, row.organization_id, None, "note")
        )
        return row.note


@strawberry.type(description="One player on a team's availability board: status and restrictions, no diagnoses.")
class AvailabilityBoardEntry:
    player: Player = strawberry.field(description="The player.")
    status: models.AvailabilityStatus = strawberry.field(
        description="The status medical staff set, or (until they set one) the one the records imply."
    )
    status_since: datetime | None = strawberry.field(
        description="When medical staff set the status; null while it is implied by the records."
    )
    medical_status: models.MedicalStatus = strawberry.field(
        description="What the injuries and restrictions imply (as published to other services)."
    )
    restrictions: list[MedicalRestriction] = strawberry.field(description="Restrictions in force today.")
    return_to_play_phase: models.ReturnToPlayPhase | None = strawberry.field(
        description="The return-to-play phase the player is in, if any."
    )
    expected_return_on: date | None = strawberry.field(
        description="The latest expected return date of the player's open injuries."
    )

    @classmethod
    def from_entry(cls, entry: availability.BoardEntry) -> AvailabilityBoardEntry:
        return cls(
            player=Player(id=to_id(entry.player_id)),
            status=entry.status,
            status_since=entry.status_since,
            medical_status=entry.medical_status,
            restrictions=[MedicalRestriction.from_row(row) for row in entry.restrictions],
            return_to_play_phase=entry.return_to_play_phase,
            expected_return_on=entry.expected_return_on,
        )
