"""GraphQL types of stored reports (reports.py); their content is downloaded over HTTP."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from shared.graphql import to_id
from subgraphs.statistics import models

strawberry.enum(models.ReportKind, name="StatisticsReportKind", description="A PLAYER's or a TEAM's report.")
strawberry.enum(models.ReportFormat, name="StatisticsReportFormat", description="PDF with charts, or CSV of the games.")


@strawberry.input(description="A report to generate now and keep.", name="GenerateStatisticsReportInput")
class GenerateReportInput:
    kind: models.ReportKind = strawberry.field(description="A player's or a team's report.")
    subject_id: strawberry.ID = strawberry.field(description="The player or the team.")
    season_id: strawberry.ID = strawberry.field(description="The season it covers.")
    format: models.ReportFormat = strawberry.field(default=models.ReportFormat.PDF, description="PDF or CSV.")


@strawberry.type(
    description="A generated statistics report kept for download, on demand or by the weekly schedule.",
    name="StatisticsReport",
)
class StoredReport:
    id: strawberry.ID = strawberry.field(description="The report's id.")
    kind: models.ReportKind = strawberry.field(description="A player's or a team's report.")
    format: models.ReportFormat = strawberry.field(description="PDF or CSV.")
    subject_id: strawberry.ID = strawberry.field(description="The player or the team it is about.")
    season_id: strawberry.ID = strawberry.field(description="The season it covers.")
    week_of: date | None = strawberry.field(description="The Monday of a scheduled report's week; null on demand.")
    includes_training_load: bool = strawberry.field(description="True when it shows the player's training load.")
    size_bytes: int = strawberry.field(description="The document's size.")
    created_at: datetime = strawberry.field(description="When it was first generated.")
    updated_at: datetime = strawberry.field(description="When it was last regenerated.")
    download_path: str = strawberry.field(
        description="Where the statistics service serves it (GET with the caller's bearer token)."
    )

    @classmethod
    def from_row(cls, row: models.StoredReport) -> StoredReport:
        return cls(
            id=to_id(row.id),
            kind=row.kind,
            format=row.format,
            subject_id=to_id(row.subject_id),
            season_id=to_id(row.season_id),
            week_of=row.week_of,
            includes_training_load=row.includes_training_load,
            size_bytes=row.size_bytes,
            created_at=row.created_at,
            updated_at=row.updated_at,
            download_path=f"/reports/{row.id}",
        )
