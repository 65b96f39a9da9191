"""HTTP downloads of reports, generated on demand with the caller's token:

    GET /reports/players/{player_id}.pdf|.csv?seasonId=...
    GET /reports/teams/{team_id}.pdf|.csv?seasonId=...
    GET /reports/{report_id}            a stored report (`generateStatisticsReport`, the weekly schedule)

The access rules are those of the GraphQL reads the report repeats (reports.py); errors are JSON with the
same codes as GraphQL errors.
"""

from __future__ import annotations

import asyncio
import uuid

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from shared.app import authenticate
from shared.errors import DomainError, Forbidden, InvalidInput, NotFound, Unauthenticated
from shared.runtime import ServiceRuntime
from subgraphs.statistics import report_documents, reports

_MEDIA = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}
_STATUS = {InvalidInput: 400, Forbidden: 403, NotFound: 404}


def _uuid(value: str, *, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise InvalidInput(f"{value!r} is not an id", field=field) from None


def _format(value: str) -> str:
    if value not in _MEDIA:
        raise InvalidInput("reports are .pdf or .csv", field="format")
    return value


def _error(error: DomainError) -> JSONResponse:
    status = next((code for kind, code in _STATUS.items() if isinstance(error, kind)), 400)
    return JSONResponse({"errors": [{"message": error.message, "extensions": error.extensions()}]}, status_code=status)


async def _render(request: Request, kind: str, subject: str, extension: str) -> Response:
    runtime: ServiceRuntime = request.app.state.runtime
    try:
        principal = await authenticate(request, runtime.verifier)
        if not principal.is_authenticated:
            raise Unauthenticated("sign in to download a report")
        format_ = _format(extension)
        season_id = _uuid(request.query_params.get("seasonId", ""), field="seasonId")
        async with runtime.sessions() as session:
            if kind == "players":
                player = await reports.player_report(
                    session, principal, player_id=_uuid(subject, field="playerId"), season_id=season_id
                )
                # Drawing a PDF is CPU work: off the event loop, so other requests go on meanwhile.
                render = report_documents.player_pdf if format_ == "pdf" else report_documents.player_csv
                body = await asyncio.to_thread(render, player)
            else:
                team = await reports.team_report(
                    session, principal, team_id=_uuid(subject, field="teamId"), season_id=season_id
                )
                render_team = report_documents.team_pdf if format_ == "pdf" else report_documents.team_csv
                body = await asyncio.to_thread(render_team, team)
    except Unauthenticated:
        raise
    except DomainError as error:
        return _error(error)
    filename = f"{kind[:-1]}-{subject}.{format_}"
    return Response(
        body, media_type=_MEDIA[format_], headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


async def _stored(request: Request, report_id: str) -> Response:
    runtime: ServiceRuntime = request.app.state.runtime
    try:
        principal = await authenticate(request, runtime.verifier)
        if not principal.is_authenticated:
            raise Unauthenticated("sign in to download a report")
        async with runtime.sessions() as session:
            report = await reports.stored_report(session, principal, _uuid(report_id, field="id"))
    except Unauthenticated:
        raise
    except DomainError as error:
        return _error(error)
    filename = f"{report.kind.value}-{report.subject_id}.{report.format.value}"
    return Response(
        report.content,
        media_type=_MEDIA[report.format.value],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def add_report_routes(app: FastAPI) -> None:
    @app.get("/reports/{report_id}", include_in_schema=False)
    async def stored_report(request: Request, report_id: str) -> Response:
        return await _stored(request, report_id)

    @app.get("/reports/players/{player_id}.{extension}", include_in_schema=False)
    async def player_report(request: Request, player_id: str, extension: str) -> Response:
        return await _render(request, "players", player_id, extension)

    @app.get("/reports/teams/{team_id}.{extension}", include_in_schema=False)
    async def team_report(request: Request, team_id: str, extension: str) -> Response:
        return await _render(request, "teams", team_id, extension)
