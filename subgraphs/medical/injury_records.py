"""What is written about an injury besides its treatments: documents (metadata only: the file itself is
kept outside Hockey Hub, e.g. in the clinic's system) and medical report entries."""

from __future__ import annotations

import re
import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.errors import InvalidInput
from subgraphs.medical import repository, service
from subgraphs.medical.models import DocumentKind, InjuryDocument, InjuryReport
from subgraphs.medical.repository import documents as documents_sql

MAX_DOCUMENT_BYTES = 1 << 40
_CONTENT_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")


async def add_document(
    session: AsyncSession,
    actor: Principal,
    *,
    injury_id: uuid.UUID,
    kind: DocumentKind,
    file_name: str,
    content_type: str,
    size_bytes: int,
) -> InjuryDocument:
    injury = await service.injury_for_write(session, actor, injury_id)
    content_type = content_type.strip().lower()
    if len(content_type) > 120 or not _CONTENT_TYPE.match(content_type):
        raise InvalidInput("contentType must be a media type such as application/pdf", field="contentType")
    document = InjuryDocument(
        injury_id=injury.id,
        organization_id=injury.organization_id,
        kind=kind,
        file_name=validation.text(file_name, field="fileName", max_length=255),
        content_type=content_type,
        size_bytes=validation.integer(size_bytes, field="sizeBytes", minimum=0, maximum=MAX_DOCUMENT_BYTES),
        uploaded_by=actor.user_id,
    )
    await repository.add(session, document)
    await service.log_write(
        session,
        actor,
        "addInjuryDocument",
        ["kind", "fileName", "contentType", "sizeBytes"],
        player_id=injury.player_id,
        organization_id=injury.organization_id,
        injury_id=injury.id,
    )
    return document


async def add_report(
    session: AsyncSession, actor: Principal, *, injury_id: uuid.UUID, body: str, written_on: date | None = None
) -> InjuryReport:
    injury = await service.injury_for_write(session, actor, injury_id)
    written_on = validation.past_date(written_on or service.today(), field="writtenOn")
    if written_on < injury.occurred_on:
        raise InvalidInput("writtenOn must not be before the injury occurred", field="writtenOn")
    report = InjuryReport(
        injury_id=injury.id,
        organization_id=injury.organization_id,
        written_on=written_on,
        body=validation.text(body, field="body", max_length=20000),
        written_by=actor.user_id,
    )
    await repository.add(session, report)
    await service.log_write(
        session,
        actor,
        "addInjuryReport",
        ["writtenOn", "body"],
        player_id=injury.player_id,
        organization_id=injury.organization_id,
        injury_id=injury.id,
    )
    return report


async def documents(session: AsyncSession, injury_ids: list[uuid.UUID]) -> list[InjuryDocument]:
    """For `Injury.documents`: the caller was already allowed to see (and logged reading) the injuries."""
    return await documents_sql.documents_of_injuries(session, injury_ids)


async def reports(session: AsyncSession, injury_ids: list[uuid.UUID]) -> list[InjuryReport]:
    return await documents_sql.reports_of_injuries(session, injury_ids)
