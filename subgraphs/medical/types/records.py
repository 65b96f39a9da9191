"""GraphQL types of health records: injuries and what hangs off them, restrictions, and the `Player`
entity the medical service extends.

An `Injury` is only ever built from a row the caller was allowed to see (services and `Player.injuries`
check first). A `MedicalRestriction` is shown to coaching staff too, so its reason and its link to an
injury are checked field by field.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

import strawberry
from strawberry import Private
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from shared.auth.scopes import HEALTH_READ
from shared.errors import Forbidden
from shared.graphql import Ctx, actor, parse_id, requires_capability, to_id
from subgraphs.medical import loaders, models, permissions, return_to_play, service


def selected_fields(info: Ctx) -> tuple[str, ...]:
    """The fields asked for under the current one (fragments included), for the access log's `fields`."""
    names: set[str] = set()

    def collect(selections: list[Selection]) -> None:
        for selection in selections:
            if isinstance(selection, SelectedField):
                if not selection.name.startswith("__"):
                    names.add(selection.name)
            elif isinstance(selection, InlineFragment | FragmentSpread):
                collect(selection.selections)

    for field in info.selected_fields:
        collect(field.selections)
    return tuple(sorted(names))


strawberry.enum(models.BodyPart, name="BodyPart", description="Where on the body an injury or restriction is.")
strawberry.enum(models.InjurySeverity, name="InjurySeverity", description="How serious an injury is.")
strawberry.enum(
    models.InjuryStatus,
    name="InjuryStatus",
    description="ACTIVE: the player is out; RECOVERING: in rehabilitation or a return-to-play phase; RESOLVED: healed.",
)
strawberry.enum(models.TreatmentKind, name="TreatmentKind", description="What kind of care a treatment was.")
strawberry.enum(
    models.RestrictionKind,
    name="RestrictionKind",
    description="What a restricted player may not do (LIMITED_INTENSITY: above maxIntensityPercent; "
    "REST: no training or games at all).",
)
strawberry.enum(
    models.RestrictionSeverity,
    name="RestrictionSeverity",
    description="How strictly a restriction holds: training scales load and rest by MILD (x0.8 load, x1.2 "
    "rest), MODERATE (x0.6, x1.5) and SEVERE (x0.3, x2.0); COMPLETE exempts the player.",
)
strawberry.enum(
    models.MedicalStatus,
    name="MedicalStatus",
    description="Availability: INJURED (an active injury or a rest order), LIMITED (recovering, or under "
    "a current restriction), AVAILABLE.",
)


strawberry.enum(
    models.AvailabilityStatus,
    name="AvailabilityStatus",
    description="Set by medical staff: AVAILABLE, LIMITED (restricted), LOAD_MANAGEMENT (held back to manage "
    "load), INJURED, ILL.",
)
strawberry.enum(
    models.ReturnToPlayPhase,
    name="ReturnToPlayPhase",
    description="The six phases of a return to play, in order: REST, LIGHT_ACTIVITY, SPORT_SPECIFIC, "
    "NON_CONTACT_TRAINING, FULL_CONTACT_PRACTICE, GAME_CLEARANCE.",
)
strawberry.enum(models.DocumentKind, name="InjuryDocumentKind", description="What kind of document it is.")


@strawberry.type(description="Care given for an injury: health data.")
class InjuryTreatment:
    id: strawberry.ID = strawberry.field(description="The treatment's id.")
    treated_on: date = strawberry.field(description="The day of the treatment.")
    kind: models.TreatmentKind = strawberry.field(description="What kind of care it was.")
    provider: str | None = strawberry.field(description="Who gave it: a clinic, physiotherapist or doctor.")
    notes: str | None = strawberry.field(description="Clinical notes.")

    @classmethod
    def from_row(cls, row: models.Treatment) -> InjuryTreatment:
        return cls(id=to_id(row.id), treated_on=row.treated_on, kind=row.kind, provider=row.provider, notes=row.notes)


@strawberry.type(
    description="An injury of a player, with its diagnosis: health data, visible to medical staff, "
    "the player and a minor's parents."
)
class Injury:
    id: strawberry.ID = strawberry.field(description="The injury's id.")
    body_part: models.BodyPart = strawberry.field(description="Where the injury is.")
    diagnosis: str = strawberry.field(description="Injury type or diagnosis, e.g. 'MCL sprain, grade 2'.")
    severity: models.InjurySeverity = strawberry.field(description="Mild, moderate or severe.")
    status: models.InjuryStatus = strawberry.field(description="Active, recovering or resolved.")
    occurred_on: date = strawberry.field(description="The day the injury happened.")
    expected_return_on: date | None = strawberry.field(description="When the player is expected back.")
    resolved_on: date | None = strawberry.field(description="The day it was resolved.")
    notes: str | None = strawberry.field(description="Clinical notes.")
    recorded_at: datetime = strawberry.field(description="When the injury was recorded.")
    player_id: Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: models.Injury) -> Injury:
        return cls(
            id=to_id(row.id),
            body_part=row.body_part,
            diagnosis=row.diagnosis,
            severity=row.severity,
            status=row.status,
            occurred_on=row.occurred_on,
            expected_return_on=row.expected_return_on,
            resolved_on=row.resolved_on,
            notes=row.notes,
            recorded_at=row.created_at,
            player_id=row.player_id,
        )

    @strawberry.field(description="The injured player.")
    def player(self) -> Player:
        return Player(id=to_id(self.player_id))

    @strawberry.field(description="Treatments given, oldest first.")
    async def treatments(self, info: Ctx) -> list[InjuryTreatment]:
        rows = await loaders.treatments(info).load(parse_id(self.id))
        return [InjuryTreatment.from_row(row) for row in rows]

    @strawberry.field(description="Documents about the injury (metadata only), oldest first.")
    async def documents(self, info: Ctx) -> list[InjuryDocument]:
        rows = await loaders.documents(info).load(parse_id(self.id))
        return [InjuryDocument.from_row(row) for row in rows]

    @strawberry.field(description="Medical report entries, oldest first.")
    async def reports(self, info: Ctx) -> list[InjuryReport]:
        rows = await loaders.reports(info).load(parse_id(self.id))
        return [InjuryReport.from_row(row) for row in rows]

    @strawberry.field(description="Return-to-play protocols for this injury, the current (or last) one first.")
    async def return_to_play(self, info: Ctx) -> list[ReturnToPlay]:
        rows = await loaders.protocols(info).load(parse_id(self.id))
        return [ReturnToPlay.from_row(row) for row in rows]


@strawberry.type(description="A document about an injury: its metadata; the file is kept outside Hockey Hub.")
class InjuryDocument:
    id: strawberry.ID = strawberry.field(description="The document's id.")
    kind: models.DocumentKind = strawberry.field(description="What kind of document it is.")
    file_name: str = strawberry.field(description="The file's name (health data: names often say the diagnosis).")
    content_type: str = strawberry.field(description="Its media type, e.g. application/pdf.")
    size_bytes: float = strawberry.field(description="Its size in bytes.")
    uploaded_at: datetime = strawberry.field(description="When it was added.")
    uploaded_by: strawberry.ID | None = strawberry.field(description="The user who added it.")

    @classmethod
    def from_row(cls, row: models.InjuryDocument) -> InjuryDocument:
        return cls(
            id=to_id(row.id),
            kind=row.kind,
            file_name=row.file_name,
            content_type=row.content_type,
            size_bytes=row.size_bytes,
            uploaded_at=row.uploaded_at,
            uploaded_by=to_id(row.uploaded_by) if row.uploaded_by else None,
        )


@strawberry.type(description="A medical report entry on an injury: findings, progress. Health data.")
class InjuryReport:
    id: strawberry.ID = strawberry.field(description="The entry's id.")
    written_on: date = strawberry.field(description="The day it describes.")
    body: str = strawberry.field(description="The report.")
    written_at: datetime = strawberry.field(description="When it was recorded.")
    written_by: strawberry.ID | None = strawberry.field(description="The user who wrote it.")

    @classmethod
    def from_row(cls, row: models.InjuryReport) -> InjuryReport:
        return cls(
            id=to_id(row.id),
            written_on=row.written_on,
            body=row.body,
            written_at=row.written_at,
            written_by=to_id(row.written_by) if row.written_by else None,
        )


@strawberry.type(description="A phase of a return to play entered: who cleared the player for it, and when.")
class ReturnToPlayStep:
    phase: models.ReturnToPlayPhase = strawberry.field(description="The phase entered.")
    cleared_at: datetime = strawberry.field(description="When the player was cleared for it.")
    cleared_by: strawberry.ID | None = strawberry.field(description="The medical staff member who cleared it.")
    notes: str | None = strawberry.field(description="Clinical notes on the step.")

    @classmethod
    def from_row(cls, row: models.ReturnToPlayStep) -> ReturnToPlayStep:
        return cls(
            phase=row.phase,
            cleared_at=row.cleared_at,
            cleared_by=to_id(row.cleared_by) if row.cleared_by else None,
            notes=row.notes,
        )


@strawberry.type(
    description="A player's return to play after an injury: six phases in order, each implying restrictions "
    "that training sees (REST: rest; LIGHT_ACTIVITY: 40 % intensity, no contact; SPORT_SPECIFIC: 60 %, no "
    "contact; NON_CONTACT_TRAINING: no contact; FULL_CONTACT_PRACTICE: no game play; GAME_CLEARANCE: none)."
)
class ReturnToPlay:
    id: strawberry.ID = strawberry.field(description="The protocol's id.")
    phase: models.ReturnToPlayPhase = strawberry.field(description="The phase the player is in.")
    next_phase: models.ReturnToPlayPhase | None = strawberry.field(
        description="The phase to clear next; null once cleared for games."
    )
    started_at: datetime = strawberry.field(description="When it started (at REST).")
    completed_at: datetime | None = strawberry.field(description="When the player was cleared for games.")
    injury_id: strawberry.ID = strawberry.field(description="The injury it follows.")

    @classmethod
    def from_row(cls, row: models.ReturnToPlayProtocol) -> ReturnToPlay:
        return cls(
            id=to_id(row.id),
            phase=row.phase,
            next_phase=return_to_play.next_phase(row.phase) if row.completed_at is None else None,
            started_at=row.created_at,
            completed_at=row.completed_at,
            injury_id=to_id(row.injury_id),
        )

    @strawberry.field(description="The phases entered so far, in order, with who cleared each.")
    async def steps(self, info: Ctx) -> list[ReturnToPlayStep]:
        rows = await loaders.steps(info).load(parse_id(self.id))
        return [ReturnToPlayStep.from_row(row) for row in rows]


@strawberry.type(
    description="What a player may not do, and until when. Coaches and trainers see it; the reason and the "
    "injury behind it are health data."
)
class MedicalRestriction:
    id: strawberry.ID = strawberry.field(description="The restriction's id.")
    kind: models.RestrictionKind = strawberry.field(description="What the player may not do.")
    severity: models.RestrictionSeverity = strawberry.field(
        description="How strictly: training scales load and rest by it; COMPLETE exempts the player."
    )
    body_part: models.BodyPart | None = strawberry.field(description="The body part it protects, if one.")
    max_intensity_percent: int | None = strawberry.field(
        description="The highest training intensity allowed, in percent of maximum."
    )
    starts_on: date = strawberry.field(description="First day it applies.")
    ends_on: date | None = strawberry.field(description="Last day it applies (until); null: until lifted.")
    lifted_at: datetime | None = strawberry.field(description="When medical staff lifted it early.")
    row: Private[models.Restriction]

    @classmethod
    def from_row(cls, row: models.Restriction) -> MedicalRestriction:
        return cls(
            id=to_id(row.id),
            kind=row.kind,
            severity=row.severity,
            body_part=row.body_part,
            max_intensity_percent=row.max_intensity_percent,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            lifted_at=row.lifted_at,
            row=row,
        )

    @strawberry.field(description="The restricted player.")
    def player(self) -> Player:
        return Player(id=to_id(self.row.player_id))

    @strawberry.field(description="Why: health data, null unless the caller may see the player's health records.")
    async def reason(self, info: Ctx) -> str | None:
        if self.row.reason is None or not self._health_visible(info):
            return None
        row = self.row
        await loaders.shown(info, "MedicalRestriction.reason").load(
            loaders.Shown(row.player_id, row.organization_id, row.injury_id, "reason")
        )
        return row.reason

    @strawberry.field(
        description="The injury it protects (query it with `injury`); null unless the caller may see the "
        "player's health records."
    )
    def injury_id(self, info: Ctx) -> strawberry.ID | None:
        if self.row.injury_id is None or not self._health_visible(info):
            return None
        return to_id(self.row.injury_id)

    def _health_visible(self, info: Ctx) -> bool:
        return permissions.can_view_health_records(
            info.context.principal, player_id=self.row.player_id, organization_id=self.row.organization_id
        )


@strawberry.type(description="A player's availability for training and games: status and restrictions only.")
class PlayerAvailability:
    player: Player = strawberry.field(description="The player.")
    status: models.MedicalStatus = strawberry.field(description="Available, limited or injured.")
    restrictions: list[MedicalRestriction] = strawberry.field(description="Restrictions in force today.")


@strawberry.federation.type(
    keys=["id"],
    description="A player on the club's roster; the medical service adds availability and health records.",
)
class Player:
    id: strawberry.ID = strawberry.field(description="The player's id.")

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Player:
        parse_id(id)  # a malformed id fails this representation alone, before any field asks for data
        return cls(id=id)

    @strawberry.field(
        description="Available, limited or injured, from the club's medical records; null unless the "
        "caller is the club's medical or coaching staff, the player, or a minor's parent."
    )
    async def medical_status(self, info: Ctx) -> models.MedicalStatus | None:
        principal, player_id = actor(info), parse_id(self.id)
        if not permissions.can_view_availability(
            principal, player_id=player_id, organization_id=principal.organization_id
        ):
            return None
        flags = await loaders.player_flags(info).load(player_id)
        organization = permissions.subject_organization(principal, flags.roster_organization_id)
        if not permissions.can_view_availability(principal, player_id=player_id, organization_id=organization):
            return None
        return service.medical_status(flags)

    @strawberry.field(
        description="Restrictions in force today; empty unless the caller may see the player's availability."
    )
    async def active_restrictions(self, info: Ctx) -> list[MedicalRestriction]:
        principal, player_id = actor(info), parse_id(self.id)
        if not permissions.can_view_availability(
            principal, player_id=player_id, organization_id=principal.organization_id
        ):
            return []
        rows = await loaders.current_restrictions(info).load(player_id)
        return [MedicalRestriction.from_row(row) for row in rows]

    @strawberry.field(
        description="The player's injuries, newest first: health data for the club's medical staff, the "
        "player and a minor's parents; anyone else gets a FORBIDDEN error on this field.",
        extensions=[requires_capability(HEALTH_READ)],
    )
    async def injuries(
        self,
        info: Ctx,
        status: Annotated[models.InjuryStatus | None, strawberry.argument(description="Only this status.")] = None,
    ) -> list[Injury] | None:
        principal, player_id = actor(info), parse_id(self.id)
        if not permissions.can_view_health_records(
            principal, player_id=player_id, organization_id=principal.organization_id
        ):
            raise Forbidden("injury details are for medical staff, the player and a minor's parents")
        found = await loaders.injuries_of_player(info, status, selected_fields(info)).load(player_id)
        organization = permissions.subject_organization(principal, found.roster_organization_id)
        if not permissions.can_view_health_records(principal, player_id=player_id, organization_id=organization):
            raise Forbidden("injury details are for medical staff, the player and a minor's parents")
        return [Injury.from_row(row) for row in found.injuries]
