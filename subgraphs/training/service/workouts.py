"""Workouts and templates: validated structure, references into the club's library, visibility."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal, Role
from shared.database import utcnow
from shared.errors import Forbidden, InvalidInput, NotFound, not_found
from subgraphs.training import content, repository
from subgraphs.training.models import TemplateOrder, TemplateVisibility, Workout, WorkoutKind, WorkoutTemplate
from subgraphs.training.permissions import (
    can_assign_to_team,
    can_view_template,
    can_write_training,
    is_club_staff,
    own_players,
)
from subgraphs.training.restrictions import service as restrictions
from subgraphs.training.service.common import organization_of, writing_organization


async def get_workout(session: AsyncSession, actor: Principal, workout_id: uuid.UUID) -> Workout:
    """Staff see the club's workouts; players and parents the ones assigned to them or their children."""
    workout = await repository.workout(session, workout_id)
    if workout is None or not actor.in_organization(workout.organization_id):
        raise not_found("Workout", workout_id)
    if is_club_staff(actor, workout.organization_id):
        return workout
    if await repository.is_assigned_to_any(session, workout.id, sorted(own_players(actor))):
        return workout
    raise Forbidden("this workout is not assigned to you")


async def list_workouts(session: AsyncSession, actor: Principal, *, kind: WorkoutKind | None = None) -> list[Workout]:
    organization = organization_of(actor)
    if not is_club_staff(actor, organization):
        raise Forbidden("the club's workouts are for its staff")
    return await repository.list_workouts(session, organization_id=organization, kind=kind)


async def _checked_content(
    session: AsyncSession, organization_id: uuid.UUID, kind: WorkoutKind, draft: content.WorkoutContent
) -> content.WorkoutContent:
    checked = content.validate(kind, draft)
    references = content.exercise_references(checked)
    known = {
        row.id
        for row in await repository.exercises_by_ids(session, sorted({exercise for _, exercise in references}))
        if row.organization_id == organization_id
    }
    for path, exercise_id in references:
        if exercise_id not in known:
            raise NotFound(
                f"Exercise {exercise_id} is not in the club's library",
                field=path,
                details={"entity": "Exercise"},
            )
    return checked


async def create_workout(
    session: AsyncSession,
    actor: Principal,
    *,
    name: str,
    kind: WorkoutKind,
    draft: content.WorkoutContent,
    description: str | None = None,
    template_id: uuid.UUID | None = None,
) -> Workout:
    organization = writing_organization(actor)
    checked = await _checked_content(session, organization, kind, draft)
    workout = Workout(
        organization_id=organization,
        name=validation.text(name, field="name", max_length=120),
        kind=kind,
        description=validation.optional_text(description, field="description", max_length=2000),
        content=content.to_document(checked),
        template_id=template_id,
        created_by=actor.user_id,
    )
    await repository.add(session, workout)
    return workout


async def update_workout(
    session: AsyncSession,
    actor: Principal,
    workout_id: uuid.UUID,
    *,
    name: str,
    kind: WorkoutKind,
    draft: content.WorkoutContent,
    description: str | None = None,
) -> Workout:
    """Replaces the workout's name, kind and structure; its assignments then show the new version."""
    workout = await repository.workout(session, workout_id, for_update=True)
    if workout is None or not actor.in_organization(workout.organization_id):
        raise not_found("Workout", workout_id)
    if not can_write_training(actor, workout.organization_id):
        raise Forbidden("only physical trainers, coaches and club administrators change workouts")
    checked = await _checked_content(session, workout.organization_id, kind, draft)
    workout.name = validation.text(name, field="name", max_length=120)
    workout.kind = kind
    workout.description = validation.optional_text(description, field="description", max_length=2000)
    workout.content = content.to_document(checked)
    workout.updated_at = utcnow()
    await session.flush()
    # A changed structure may now be what a player's restriction forbids: flagged, not refused, since the
    # workout is the club's and the conflict is one player's.
    await restrictions.reflag_workout(session, workout.id)
    return workout


async def duplicate_workout(
    session: AsyncSession, actor: Principal, workout_id: uuid.UUID, *, name: str | None = None
) -> Workout:
    """A new workout with the same kind, description and structure (default name: "<name> (copy)")."""
    source = await repository.workout(session, workout_id)
    if source is None or not actor.in_organization(source.organization_id):
        raise not_found("Workout", workout_id)
    if not can_write_training(actor, source.organization_id):
        raise Forbidden("only physical trainers, coaches and club administrators copy workouts")
    copy = Workout(
        organization_id=source.organization_id,
        name=validation.text(name if name is not None else f"{source.name} (copy)"[:120], field="name", max_length=120),
        kind=source.kind,
        description=source.description,
        content=source.content,
        created_by=actor.user_id,
    )
    await repository.add(session, copy)
    return copy


# Templates ---------------------------------------------------------------------------------------------


async def list_templates(
    session: AsyncSession,
    actor: Principal,
    *,
    kind: WorkoutKind | None = None,
    visibility: TemplateVisibility | None = None,
    search: str | None = None,
    order: TemplateOrder = TemplateOrder.NAME,
) -> list[WorkoutTemplate]:
    organization = organization_of(actor)
    if not is_club_staff(actor, organization):
        raise Forbidden("templates are for the club's staff")
    rows = await repository.templates_of_organization(
        session,
        organization_id=organization,
        kind=kind,
        visibility=visibility,
        search=validation.optional_text(search, field="search", max_length=100),
        order=order,
    )
    return [row for row in rows if can_view_template(actor, row)]


def _checked_sharing(
    actor: Principal, organization_id: uuid.UUID, visibility: TemplateVisibility, team_id: uuid.UUID | None
) -> None:
    if visibility is TemplateVisibility.TEAM:
        if team_id is None:
            raise InvalidInput("a TEAM template names its team", field="teamId")
        if not can_assign_to_team(actor, organization_id, team_id):
            raise Forbidden("you can only share templates with your own teams")
    elif team_id is not None:
        raise InvalidInput("only a TEAM template names a team", field="teamId")


async def _visible_template(
    session: AsyncSession, actor: Principal, template_id: uuid.UUID, *, field: str = "id"
) -> WorkoutTemplate:
    template = await repository.template(session, template_id)
    if template is None or not can_view_template(actor, template):
        raise NotFound(
            f"WorkoutTemplate {template_id} does not exist", field=field, details={"entity": "WorkoutTemplate"}
        )
    return template


async def _managed_template(session: AsyncSession, actor: Principal, template_id: uuid.UUID) -> WorkoutTemplate:
    """A template the caller may change: its author (while they plan training) or a club administrator."""
    template = await _visible_template(session, actor, template_id)
    organization = template.organization_id
    author = template.created_by == actor.user_id and can_write_training(actor, organization)
    administrator = actor.is_platform_admin or (actor.in_organization(organization) and actor.has_role(Role.CLUB_ADMIN))
    if not (author or administrator):
        raise Forbidden("only the template's author or a club administrator changes it")
    return template


async def save_as_template(
    session: AsyncSession,
    actor: Principal,
    *,
    workout_id: uuid.UUID,
    visibility: TemplateVisibility,
    name: str | None = None,
    team_id: uuid.UUID | None = None,
) -> WorkoutTemplate:
    workout = await repository.workout(session, workout_id)
    if workout is None or not actor.in_organization(workout.organization_id):
        raise NotFound(f"Workout {workout_id} does not exist", field="workoutId", details={"entity": "Workout"})
    if not can_write_training(actor, workout.organization_id):
        raise Forbidden("only physical trainers, coaches and club administrators save templates")
    _checked_sharing(actor, workout.organization_id, visibility, team_id)
    template = WorkoutTemplate(
        organization_id=workout.organization_id,
        name=validation.text(name if name is not None else workout.name, field="name", max_length=120),
        kind=workout.kind,
        description=workout.description,
        content=workout.content,
        visibility=visibility,
        team_id=team_id,
        source_workout_id=workout.id,
        created_by=actor.user_id,
    )
    await repository.add(session, template)
    return template


async def duplicate_template(
    session: AsyncSession,
    actor: Principal,
    template_id: uuid.UUID,
    *,
    visibility: TemplateVisibility,
    name: str | None = None,
    team_id: uuid.UUID | None = None,
) -> WorkoutTemplate:
    """The caller's own copy of a template they see, shared as they choose; its usage starts at zero."""
    source = await _visible_template(session, actor, template_id)
    if not can_write_training(actor, source.organization_id):
        raise Forbidden("only physical trainers, coaches and club administrators save templates")
    _checked_sharing(actor, source.organization_id, visibility, team_id)
    copy = WorkoutTemplate(
        organization_id=source.organization_id,
        name=validation.text(name if name is not None else f"{source.name} (copy)"[:120], field="name", max_length=120),
        kind=source.kind,
        description=source.description,
        content=source.content,
        visibility=visibility,
        team_id=team_id,
        source_workout_id=source.source_workout_id,
        created_by=actor.user_id,
    )
    await repository.add(session, copy)
    return copy


async def update_template(
    session: AsyncSession, actor: Principal, template_id: uuid.UUID, changes: Mapping[str, Any]
) -> WorkoutTemplate:
    """Changes the name, description and sharing given; `from_workout_id` replaces the structure with that
    workout's as it is now."""
    template = await _managed_template(session, actor, template_id)
    if "name" in changes:
        template.name = validation.text(validation.required(changes, "name"), field="name", max_length=120)
    if "description" in changes:
        template.description = validation.optional_text(changes["description"], field="description", max_length=2000)
    if "visibility" in changes or "team_id" in changes:
        visibility = changes.get("visibility") or template.visibility
        if "team_id" in changes:
            team_id = changes["team_id"]
        else:
            team_id = template.team_id if visibility is TemplateVisibility.TEAM else None
        _checked_sharing(actor, template.organization_id, visibility, team_id)
        template.visibility, template.team_id = visibility, team_id
    if changes.get("from_workout_id") is not None:
        workout = await repository.workout(session, changes["from_workout_id"])
        if workout is None or workout.organization_id != template.organization_id:
            raise NotFound(
                f"Workout {changes['from_workout_id']} does not exist",
                field="fromWorkoutId",
                details={"entity": "Workout"},
            )
        template.kind, template.content, template.source_workout_id = workout.kind, workout.content, workout.id
    template.updated_at = utcnow()
    await session.flush()
    return template


async def delete_template(session: AsyncSession, actor: Principal, template_id: uuid.UUID) -> uuid.UUID:
    """Removes the template; workouts made from it stay, no longer linked to it."""
    template = await _managed_template(session, actor, template_id)
    if not await repository.delete_template(session, template.id):
        raise not_found("WorkoutTemplate", template_id)
    return template.id


async def create_workout_from_template(
    session: AsyncSession, actor: Principal, *, template_id: uuid.UUID, name: str | None = None
) -> Workout:
    template = await _visible_template(session, actor, template_id, field="templateId")
    # Counting first locks the template's row: a concurrent delete waits for this workout to reference it.
    if await repository.template_used(session, template.id, at=utcnow()) is None:
        raise NotFound(
            f"WorkoutTemplate {template_id} does not exist", field="templateId", details={"entity": "WorkoutTemplate"}
        )
    return await create_workout(
        session,
        actor,
        name=name if name is not None else template.name,
        kind=template.kind,
        draft=content.from_document(template.content),
        description=template.description,
        template_id=template.id,
    )
