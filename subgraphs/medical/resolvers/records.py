"""Queries and mutations of health records: injuries, treatments, restrictions, documents, reports,
return to play, and a player's export."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from shared.auth.scopes import HEALTH_READ, HEALTH_WRITE
from shared.errors import InvalidInput
from shared.graphql import Ctx, actor, mutation, parse_id, provided, requires_capability
from subgraphs.medical import export, injury_records, return_to_play, service
from subgraphs.medical.models import (
    BodyPart,
    DocumentKind,
    InjurySeverity,
    InjuryStatus,
    RestrictionKind,
    RestrictionSeverity,
    ReturnToPlayPhase,
    TreatmentKind,
)
from subgraphs.medical.types import (
    Injury,
    InjuryDocument,
    InjuryReport,
    InjuryTreatment,
    MedicalRestriction,
    ReturnToPlay,
    selected_fields,
)


@strawberry.input(description="A new injury of a player.")
class RecordInjuryInput:
    player_id: strawberry.ID = strawberry.field(description="The injured player.")
    body_part: BodyPart = strawberry.field(description="Where the injury is.")
    diagnosis: str = strawberry.field(description="Injury type or diagnosis, up to 300 characters.")
    severity: InjurySeverity = strawberry.field(description="Mild, moderate or severe.")
    occurred_on: date = strawberry.field(description="The day it happened; not in the future.")
    status: InjuryStatus = strawberry.field(default=InjuryStatus.ACTIVE, description="ACTIVE (default) or RECOVERING.")
    expected_return_on: date | None = strawberry.field(default=None, description="When the player should be back.")
    notes: str | None = strawberry.field(default=None, description="Clinical notes.")


@strawberry.input(description="Corrections to an injury; omitted fields stay as they are.")
class UpdateInjuryInput:
    body_part: BodyPart | None = strawberry.field(default=strawberry.UNSET, description="Where the injury is.")
    diagnosis: str | None = strawberry.field(default=strawberry.UNSET, description="Injury type or diagnosis.")
    severity: InjurySeverity | None = strawberry.field(default=strawberry.UNSET, description="How serious it is.")
    status: InjuryStatus | None = strawberry.field(
        default=strawberry.UNSET,
        description="ACTIVE or RECOVERING; setting it on a resolved injury reopens it.",
    )
    occurred_on: date | None = strawberry.field(default=strawberry.UNSET, description="The day it happened.")
    expected_return_on: date | None = strawberry.field(
        default=strawberry.UNSET, description="When the player should be back, or null."
    )
    notes: str | None = strawberry.field(default=strawberry.UNSET, description="Clinical notes, or null.")


@strawberry.input(description="Care given for an injury.")
class AddTreatmentInput:
    injury_id: strawberry.ID = strawberry.field(description="The injury treated.")
    treated_on: date = strawberry.field(description="The day of the treatment; not before the injury.")
    kind: TreatmentKind = strawberry.field(description="What kind of care it was.")
    provider: str | None = strawberry.field(default=None, description="Who gave it.")
    notes: str | None = strawberry.field(default=None, description="Clinical notes.")


@strawberry.input(description="A restriction on what a player may do.")
class AddRestrictionInput:
    player_id: strawberry.ID = strawberry.field(description="The restricted player.")
    kind: RestrictionKind = strawberry.field(description="What the player may not do.")
    severity: RestrictionSeverity | None = strawberry.field(
        default=None,
        description="How strictly: MILD, MODERATE, SEVERE or COMPLETE (exempt from the activity). Default: "
        "COMPLETE for REST, the injury's severity when it protects one, else MODERATE.",
    )
    body_part: BodyPart | None = strawberry.field(default=None, description="The body part it protects.")
    max_intensity_percent: int | None = strawberry.field(
        default=None, description="0-100; required for LIMITED_INTENSITY."
    )
    starts_on: date | None = strawberry.field(default=None, description="First day; default today.")
    ends_on: date | None = strawberry.field(default=None, description="Last day; null: until lifted.")
    injury_id: strawberry.ID | None = strawberry.field(default=None, description="The injury it protects.")
    reason: str | None = strawberry.field(default=None, description="Why: health data, for medical eyes.")


@strawberry.input(description="A document about an injury: its metadata (the file stays where it is).")
class AddInjuryDocumentInput:
    injury_id: strawberry.ID = strawberry.field(description="The injury.")
    kind: DocumentKind = strawberry.field(description="What kind of document.")
    file_name: str = strawberry.field(description="The file's name, up to 255 characters.")
    content_type: str = strawberry.field(description="Its media type, e.g. application/pdf.")
    size_bytes: float = strawberry.field(description="Its size in bytes.")


@strawberry.input(description="A medical report entry on an injury.")
class AddInjuryReportInput:
    injury_id: strawberry.ID = strawberry.field(description="The injury.")
    body: str = strawberry.field(description="The report, up to 20000 characters.")
    written_on: date | None = strawberry.field(default=None, description="The day it describes; default today.")


@strawberry.type
class RecordsQuery:
    @strawberry.field(
        description="One injury: medical staff of its club, the player, or a minor's parent.",
        extensions=[requires_capability(HEALTH_READ)],
    )
    async def injury(self, info: Ctx, id: strawberry.ID) -> Injury:
        row = await service.get_injury(info.context.session, actor(info), parse_id(id), fields=selected_fields(info))
        return Injury.from_row(row)

    @strawberry.field(
        description="Injuries of the caller's club, newest first (medical staff); with playerId, one "
        "player's (also for the player and a minor's parent).",
        extensions=[requires_capability(HEALTH_READ)],
    )
    async def injuries(
        self,
        info: Ctx,
        status: Annotated[InjuryStatus | None, strawberry.argument(description="Only this status.")] = None,
        player_id: Annotated[strawberry.ID | None, strawberry.argument(description="Only this player's.")] = None,
        limit: Annotated[int, strawberry.argument(description="At most this many, 1-500.")] = 200,
    ) -> list[Injury]:
        rows = await service.list_injuries(
            info.context.session,
            actor(info),
            player_id=parse_id(player_id, field="playerId") if player_id is not None else None,
            status=status,
            limit=limit,
            fields=selected_fields(info),
        )
        return [Injury.from_row(row) for row in rows]

    @strawberry.field(
        description="Everything the medical service holds about one player, as one JSON document (format "
        "`hockey-hub.medical.player-export/1`): for the player, a minor's parents and medical staff; logged.",
        extensions=[requires_capability(HEALTH_READ)],
    )
    async def player_health_export(self, info: Ctx, player_id: strawberry.ID) -> JSON:
        document = await export.export_player(info.context.session, actor(info), parse_id(player_id, field="playerId"))
        return JSON(document)


@strawberry.type
class RecordsMutation:
    @mutation(
        description="Record a player's injury.", audit_input=False, extensions=[requires_capability(HEALTH_WRITE)]
    )
    async def record_injury(self, info: Ctx, input: RecordInjuryInput) -> Injury:
        values = provided(input)
        values["player_id"] = parse_id(input.player_id, field="playerId")
        return Injury.from_row(await service.record_injury(info.context.session, actor(info), **values))

    @mutation(
        description="Correct an injury, move it between active and recovering, or reopen it.",
        audit_input=False,
        extensions=[requires_capability(HEALTH_WRITE)],
    )
    async def update_injury(self, info: Ctx, id: strawberry.ID, input: UpdateInjuryInput) -> Injury:
        row = await service.update_injury(info.context.session, actor(info), parse_id(id), provided(input))
        return Injury.from_row(row)

    @mutation(
        description="Mark an injury healed (default today); optionally lift the restrictions tied to it. A "
        "return to play in progress ends where it stands, and its phase's restrictions are lifted.",
        audit_input=False,
        extensions=[requires_capability(HEALTH_WRITE)],
    )
    async def resolve_injury(
        self,
        info: Ctx,
        id: strawberry.ID,
        resolved_on: Annotated[date | None, strawberry.argument(description="Default today.")] = None,
        lift_restrictions: Annotated[
            bool, strawberry.argument(description="Also lift the restrictions linked to the injury.")
        ] = False,
    ) -> Injury:
        row = await service.resolve_injury(
            info.context.session,
            actor(info),
            parse_id(id),
            resolved_on=resolved_on,
            lift_restrictions=lift_restrictions,
        )
        return Injury.from_row(row)

    @mutation(
        description="Record care given for an injury.",
        audit_input=False,
        extensions=[requires_capability(HEALTH_WRITE)],
    )
    async def add_treatment(self, info: Ctx, input: AddTreatmentInput) -> InjuryTreatment:
        values = provided(input)
        values["injury_id"] = parse_id(input.injury_id, field="injuryId")
        return InjuryTreatment.from_row(await service.add_treatment(info.context.session, actor(info), **values))

    @mutation(
        description="Restrict what a player may do.", audit_input=False, extensions=[requires_capability(HEALTH_WRITE)]
    )
    async def add_restriction(self, info: Ctx, input: AddRestrictionInput) -> MedicalRestriction:
        values = provided(input)
        values["player_id"] = parse_id(input.player_id, field="playerId")
        if input.injury_id is not None:
            values["injury_id"] = parse_id(input.injury_id, field="injuryId")
        return MedicalRestriction.from_row(await service.add_restriction(info.context.session, actor(info), **values))

    @mutation(description="Lift a restriction now.", audit_input=False, extensions=[requires_capability(HEALTH_WRITE)])
    async def lift_restriction(self, info: Ctx, id: strawberry.ID) -> MedicalRestriction:
        return MedicalRestriction.from_row(
            await service.lift_restriction(info.context.session, actor(info), parse_id(id))
        )

    @mutation(
        description="Add a document's metadata to an injury.",
        audit_input=False,
        extensions=[requires_capability(HEALTH_WRITE)],
    )
    async def add_injury_document(self, info: Ctx, input: AddInjuryDocumentInput) -> InjuryDocument:
        if not float(input.size_bytes).is_integer():
            raise InvalidInput("sizeBytes must be a whole number", field="sizeBytes")
        row = await injury_records.add_document(
            info.context.session,
            actor(info),
            injury_id=parse_id(input.injury_id, field="injuryId"),
            kind=input.kind,
            file_name=input.file_name,
            content_type=input.content_type,
            size_bytes=int(input.size_bytes),
        )
        return InjuryDocument.from_row(row)

    @mutation(
        description="Add a medical report entry to an injury.",
        audit_input=False,
        extensions=[requires_capability(HEALTH_WRITE)],
    )
    async def add_injury_report(self, info: Ctx, input: AddInjuryReportInput) -> InjuryReport:
        row = await injury_records.add_report(
            info.context.session,
            actor(info),
            injury_id=parse_id(input.injury_id, field="injuryId"),
            body=input.body,
            written_on=input.written_on,
        )
        return InjuryReport.from_row(row)

    @mutation(
        description="Start a return to play for an injury, at REST.",
        audit_input=False,
        extensions=[requires_capability(HEALTH_WRITE)],
    )
    async def start_return_to_play(
        self,
        info: Ctx,
        injury_id: strawberry.ID,
        notes: Annotated[str | None, strawberry.argument(description="Clinical notes.")] = None,
    ) -> ReturnToPlay:
        row = await return_to_play.start(
            info.context.session, actor(info), injury_id=parse_id(injury_id, field="injuryId"), notes=notes
        )
        return ReturnToPlay.from_row(row)

    @mutation(
        description="Clear the player for the next phase of a return to play (name it: one step at a time).",
        audit_input=False,
        extensions=[requires_capability(HEALTH_WRITE)],
    )
    async def advance_return_to_play(
        self,
        info: Ctx,
        id: strawberry.ID,
        phase: Annotated[ReturnToPlayPhase, strawberry.argument(description="The next phase.")],
        notes: Annotated[str | None, strawberry.argument(description="Clinical notes.")] = None,
    ) -> ReturnToPlay:
        row = await return_to_play.advance(info.context.session, actor(info), parse_id(id), phase=phase, notes=notes)
        return ReturnToPlay.from_row(row)
