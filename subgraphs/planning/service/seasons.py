"""Seasons and their phases; a club's seasons never overlap, nor do the phases of one season."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.errors import Conflict, DomainError, Forbidden, InvalidInput, not_found
from subgraphs.planning import events, repository
from subgraphs.planning.models import (
    PHASE_OVERLAP,
    SEASON_OVERLAP,
    Season,
    SeasonPhase,
    SeasonPhaseKind,
)
from subgraphs.planning.permissions import (
    can_manage_seasons,
    can_view_plans,
)
from subgraphs.planning.service.common import acting_organization, today, write_checked

MAX_SEASON = timedelta(days=731)
PHASE_LABELS = {
    SeasonPhaseKind.PRE_SEASON: "Pre-season",
    SeasonPhaseKind.REGULAR_SEASON: "Regular season",
    SeasonPhaseKind.PLAYOFFS: "Playoffs",
    SeasonPhaseKind.OFF_SEASON: "Off-season",
}
_SEASON_NAME_TAKEN = {
    "uq_seasons_organization_id_name": Conflict("the club already has a season of that name", field="name")
}


# Seasons -----------------------------------------------------------------------------------------------


def _season_dates(start: date, end: date) -> None:
    if end <= start:
        raise InvalidInput("endDate must be after startDate", field="endDate")
    if end - start > MAX_SEASON:
        raise InvalidInput("a season lasts at most two years", field="endDate")


def _season_conflict(seasons: Sequence[Season]) -> Conflict:
    if not seasons:
        return Conflict("another season was saved for those dates at the same time")
    names = ", ".join(f"{s.name} ({s.start_date} to {s.end_date})" for s in seasons)
    return Conflict(
        f"the season overlaps {names}",
        details={"conflicts": [{"id": str(s.id), "name": s.name} for s in seasons]},
    )


async def get_season(
    session: AsyncSession, actor: Principal, season_id: uuid.UUID, *, for_update: bool = False
) -> Season:
    found = await repository.season(session, season_id, for_update=for_update)
    if found is None or not can_view_plans(actor, found.organization_id):
        raise not_found("Season", season_id)
    return found


async def list_seasons(
    session: AsyncSession, actor: Principal, *, organization_id: uuid.UUID | None = None
) -> list[Season]:
    return await repository.seasons_of_organization(session, acting_organization(actor, organization_id))


async def _save_season(
    session: AsyncSession, season: Season, apply: Callable[[], object], *, start: date, end: date
) -> None:
    async def conflict() -> DomainError:
        return _season_conflict(
            await repository.overlapping_seasons(
                session, organization_id=season.organization_id, start=start, end=end, exclude_id=season.id
            )
        )

    clashes = await repository.overlapping_seasons(
        session, organization_id=season.organization_id, start=start, end=end, exclude_id=season.id
    )
    if clashes:
        raise _season_conflict(clashes)
    await write_checked(session, apply, constraint=SEASON_OVERLAP, conflict=conflict, violations=_SEASON_NAME_TAKEN)


async def create_season(
    session: AsyncSession,
    actor: Principal,
    *,
    name: str,
    start_date: date,
    end_date: date,
    organization_id: uuid.UUID | None = None,
) -> Season:
    organization = acting_organization(actor, organization_id)
    if not can_manage_seasons(actor, organization):
        raise Forbidden("only coaches and club administrators plan seasons")
    _season_dates(start_date, end_date)
    season = Season(
        id=uuid.uuid4(),
        organization_id=organization,
        name=validation.text(name, field="name", max_length=80),
        start_date=start_date,
        end_date=end_date,
    )
    await _save_season(session, season, lambda: session.add(season), start=start_date, end=end_date)
    return season


async def update_season(
    session: AsyncSession, actor: Principal, season_id: uuid.UUID, changes: Mapping[str, Any]
) -> Season:
    # Locked, so phases being added concurrently (which share-lock the season) wait for the new dates.
    season = await get_season(session, actor, season_id, for_update=True)
    if not can_manage_seasons(actor, season.organization_id):
        raise Forbidden("only coaches and club administrators plan seasons")
    name = season.name
    if "name" in changes:
        name = validation.text(validation.required(changes, "name"), field="name", max_length=80)
    start = validation.required(changes, "start_date") if "start_date" in changes else season.start_date
    end = validation.required(changes, "end_date") if "end_date" in changes else season.end_date
    _season_dates(start, end)
    for phase in await repository.phases_of_seasons(session, [season.id]):
        if phase.start_date < start:
            raise InvalidInput(f"{_label(phase)} starts {phase.start_date}, before that date", field="startDate")
        if phase.end_date > end:
            raise InvalidInput(f"{_label(phase)} ends {phase.end_date}, after that date", field="endDate")

    def apply() -> None:
        season.name, season.start_date, season.end_date = name, start, end

    await _save_season(session, season, apply, start=start, end=end)
    return season


# Phases ------------------------------------------------------------------------------------------------


def _label(phase: SeasonPhase) -> str:
    return phase.name or PHASE_LABELS[phase.kind]


def _phase_conflict(phases: Sequence[SeasonPhase]) -> Conflict:
    if not phases:
        return Conflict("another phase was saved for those dates at the same time")
    described = ", ".join(f"{_label(p)} ({p.start_date} to {p.end_date})" for p in phases)
    return Conflict(
        f"the phase overlaps {described}",
        details={
            "conflicts": [
                {
                    "id": str(p.id),
                    "kind": p.kind.name,
                    "name": _label(p),
                    "startDate": p.start_date.isoformat(),
                    "endDate": p.end_date.isoformat(),
                }
                for p in phases
            ]
        },
    )


def _inside(season: Season, start: date, end: date) -> None:
    if end < start:
        raise InvalidInput("endDate must not be before startDate", field="endDate")
    if start < season.start_date:
        raise InvalidInput(f"startDate must be within the season, from {season.start_date}", field="startDate")
    if end > season.end_date:
        raise InvalidInput(f"endDate must be within the season, until {season.end_date}", field="endDate")


async def _save_phase(
    session: AsyncSession, phase: SeasonPhase, apply: Callable[[], object], *, start: date, end: date
) -> None:
    async def overlapping() -> list[SeasonPhase]:
        return await repository.overlapping_phases(
            session, season_id=phase.season_id, start=start, end=end, exclude_id=phase.id
        )

    async def conflict() -> DomainError:
        return _phase_conflict(await overlapping())

    if clashes := await overlapping():
        raise _phase_conflict(clashes)
    await write_checked(session, apply, constraint=PHASE_OVERLAP, conflict=conflict)


async def _season_for_phases(session: AsyncSession, actor: Principal, season_id: uuid.UUID) -> Season:
    # A share lock: phases of one season may be written concurrently (the exclusion constraint decides
    # between overlapping ones), but not while the season's dates change.
    found = await repository.season(session, season_id, for_share=True)
    if found is None or not can_view_plans(actor, found.organization_id):
        raise not_found("Season", season_id)
    if not can_manage_seasons(actor, found.organization_id):
        raise Forbidden("only coaches and club administrators plan seasons")
    return found


async def add_phase(
    session: AsyncSession,
    actor: Principal,
    *,
    season_id: uuid.UUID,
    kind: SeasonPhaseKind,
    start_date: date,
    end_date: date,
    name: str | None = None,
    focus: str | None = None,
) -> SeasonPhase:
    season = await _season_for_phases(session, actor, season_id)
    _inside(season, start_date, end_date)
    phase = SeasonPhase(
        id=uuid.uuid4(),
        season_id=season.id,
        organization_id=season.organization_id,
        kind=kind,
        name=validation.optional_text(name, field="name", max_length=80),
        focus=validation.optional_text(focus, field="focus", max_length=500),
        start_date=start_date,
        end_date=end_date,
    )
    await _save_phase(session, phase, lambda: session.add(phase), start=start_date, end=end_date)
    await events.phase_changed(session, phase, change="created")
    return phase


async def _phase(session: AsyncSession, actor: Principal, phase_id: uuid.UUID) -> SeasonPhase:
    # Locked, so blocks being written concurrently (which share-lock the phase) wait for the new dates.
    found = await repository.phase(session, phase_id, for_update=True)
    if found is None or not can_view_plans(actor, found.organization_id):
        raise not_found("SeasonPhase", phase_id)
    return found


async def update_phase(
    session: AsyncSession, actor: Principal, phase_id: uuid.UUID, changes: Mapping[str, Any]
) -> SeasonPhase:
    phase = await _phase(session, actor, phase_id)
    season = await _season_for_phases(session, actor, phase.season_id)
    values: dict[str, Any] = {}
    if "kind" in changes:
        values["kind"] = validation.required(changes, "kind")
    if "name" in changes:
        values["name"] = validation.optional_text(changes["name"], field="name", max_length=80)
    if "focus" in changes:
        values["focus"] = validation.optional_text(changes["focus"], field="focus", max_length=500)
    start = validation.required(changes, "start_date") if "start_date" in changes else phase.start_date
    end = validation.required(changes, "end_date") if "end_date" in changes else phase.end_date
    _inside(season, start, end)
    blocks = await repository.blocks_of_phases(session, [phase.id])
    for block in blocks:
        if block.start_date < start:
            raise InvalidInput(f"block {block.name} starts {block.start_date}, before that date", field="startDate")
        if block.end_date > end:
            raise InvalidInput(f"block {block.name} ends {block.end_date}, after that date", field="endDate")
    values.update(start_date=start, end_date=end)

    def apply() -> None:
        for attribute, value in values.items():
            setattr(phase, attribute, value)

    await _save_phase(session, phase, apply, start=start, end=end)
    await events.phase_changed(session, phase, change="updated", blocks=blocks)
    return phase


async def remove_phase(session: AsyncSession, actor: Principal, phase_id: uuid.UUID) -> Season:
    phase = await _phase(session, actor, phase_id)
    season = await _season_for_phases(session, actor, phase.season_id)
    await session.delete(phase)
    await session.flush()
    await events.phase_changed(session, phase, change="removed")
    return season


async def phases(session: AsyncSession, season_ids: Sequence[uuid.UUID]) -> list[SeasonPhase]:
    return await repository.phases_of_seasons(session, season_ids)


async def current_phase(
    session: AsyncSession,
    actor: Principal,
    *,
    team_id: uuid.UUID | None = None,
    organization_id: uuid.UUID | None = None,
    day: date | None = None,
) -> SeasonPhase | None:
    """The club's phase on the day (default today). Seasons are club-wide, so a team's phase is its
    club's; players and parents may only ask about their own teams."""
    organization = acting_organization(actor, organization_id)
    if team_id is not None and not (actor.is_staff or actor.is_platform_admin or actor.in_team(team_id)):
        raise Forbidden("you can only ask about your own teams")
    return await repository.phase_on(session, organization_id=organization, day=day or today())
