"""SQL of injury documents' metadata and medical report entries."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.medical.models import InjuryDocument, InjuryReport


async def documents_of_injuries(session: AsyncSession, injury_ids: Sequence[uuid.UUID]) -> list[InjuryDocument]:
    return list(
        await session.scalars(
            select(InjuryDocument)
            .where(InjuryDocument.injury_id.in_(injury_ids))
            .order_by(InjuryDocument.uploaded_at, InjuryDocument.id)
        )
    )


async def reports_of_injuries(session: AsyncSession, injury_ids: Sequence[uuid.UUID]) -> list[InjuryReport]:
    return list(
        await session.scalars(
            select(InjuryReport)
            .where(InjuryReport.injury_id.in_(injury_ids))
            .order_by(InjuryReport.written_on, InjuryReport.written_at, InjuryReport.id)
        )
    )
