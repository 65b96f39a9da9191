"""Queries and mutations of the training service: parse input, call the service, wrap the result."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from shared.graphql import Ctx, actor, mutation, parse_id, requires_sign_in, to_id
from subgraphs.training import service
from subgraphs.training.execution.drills import record_drill_attempts
from subgraphs.training.models import (
    ExerciseCategory,
    ExerciseOrder,
    ExerciseUnit,
    MuscleGroup,
    TemplateOrder,
    TemplateVisibility,
    WorkoutKind,
)
from subgraphs.training.resolvers.inputs import (
    AssignWorkoutInput,
    CreateExerciseInput,
    DuplicateWorkoutTemplateInput,
    SaveWorkoutTemplateInput,
    UpdateExerciseInput,
    UpdateWorkoutTemplateInput,
    WorkoutInput,
    draft_of,
    exercise_values,
    template_changes,
)
from subgraphs.training.types import AssignedWorkout, Exercise, Workout, WorkoutAssignment, WorkoutTemplate
from subgraphs.training.types.execution import WorkoutPerformanceInput, drafts_of, drill_drafts_of


@strawberry.type(description="Reads of the exercise library, workouts, templates and assignments.")
class Query:
    @strawberry.field(
        description="A page of the club's exercise library matching every filter given, by category and name "
        "unless `order` says otherwise.",
        extensions=[requires_sign_in()],
    )
    async def exercises(
        self,
        info: Ctx,
        search: Annotated[str | None, strawberry.argument(description="Part of the name or description.")] = None,
        category: Annotated[ExerciseCategory | None, strawberry.argument(description="Only this category.")] = None,
        muscle_groups: Annotated[
            list[MuscleGroup] | None, strawberry.argument(description="Working any of these muscle groups.")
        ] = None,
        equipment: Annotated[
            list[str] | None, strawberry.argument(description="Needing any of these items (case ignored).")
        ] = None,
        unit: Annotated[ExerciseUnit | None, strawberry.argument(description="Only this unit.")] = None,
        order: Annotated[ExerciseOrder, strawberry.argument(description="How to list them.")] = ExerciseOrder.CATEGORY,
        limit: Annotated[int, strawberry.argument(description="At most this many, 1-500.")] = 100,
        offset: Annotated[int, strawberry.argument(description="Skip this many first (paging).")] = 0,
    ) -> list[Exercise]:
        rows = await service.list_exercises(
            info.context.session,
            actor(info),
            search=search,
            category=category,
            muscle_groups=muscle_groups or (),
            equipment=equipment or (),
            unit=unit,
            order=order,
            limit=limit,
            offset=offset,
        )
        return [Exercise.from_row(row) for row in rows]

    @strawberry.field(
        description="One workout: the club's staff, or a player (or parent) it is assigned to.",
        extensions=[requires_sign_in()],
    )
    async def workout(self, info: Ctx, id: strawberry.ID) -> Workout:
        return Workout.from_row(await service.get_workout(info.context.session, actor(info), parse_id(id)))

    @strawberry.field(description="The club's workouts, by name (staff).", extensions=[requires_sign_in()])
    async def workouts(
        self,
        info: Ctx,
        kind: Annotated[WorkoutKind | None, strawberry.argument(description="Only this kind.")] = None,
    ) -> list[Workout]:
        return [
            Workout.from_row(row) for row in await service.list_workouts(info.context.session, actor(info), kind=kind)
        ]

    @strawberry.field(
        description="Templates the caller may see: their own, their teams' and the club's (staff).",
        extensions=[requires_sign_in()],
    )
    async def workout_templates(
        self,
        info: Ctx,
        kind: Annotated[WorkoutKind | None, strawberry.argument(description="Only this kind.")] = None,
        visibility: Annotated[
            TemplateVisibility | None, strawberry.argument(description="Only this visibility.")
        ] = None,
        search: Annotated[str | None, strawberry.argument(description="Part of the name or description.")] = None,
        order: Annotated[
            TemplateOrder, strawberry.argument(description="By name, most used first, or most recently used first.")
        ] = TemplateOrder.NAME,
    ) -> list[WorkoutTemplate]:
        rows = await service.list_templates(
            info.context.session, actor(info), kind=kind, visibility=visibility, search=search, order=order
        )
        return [WorkoutTemplate.from_row(row) for row in rows]

    @strawberry.field(
        description="Assignments overlapping [from, to], by start: all of the club's for staff; a "
        "player's or parent's own otherwise.",
        extensions=[requires_sign_in()],
    )
    async def workout_assignments(
        self,
        info: Ctx,
        team_id: Annotated[strawberry.ID | None, strawberry.argument(description="Only this team's.")] = None,
        from_: Annotated[date | None, strawberry.argument(name="from", description="First day.")] = None,
        to: Annotated[date | None, strawberry.argument(description="Last day.")] = None,
    ) -> list[WorkoutAssignment]:
        rows = await service.list_assignments(
            info.context.session,
            actor(info),
            team_id=parse_id(team_id, field="teamId") if team_id is not None else None,
            start=from_,
            end=to,
        )
        return [WorkoutAssignment.from_row(row) for row in rows]


@strawberry.type(
    description="Changes to training: physical trainers, coaches and club administrators; players "
    "complete and skip their own workouts."
)
class Mutation:
    @mutation(description="Add an exercise to the club's library.")
    async def create_exercise(self, info: Ctx, input: CreateExerciseInput) -> Exercise:
        row = await service.create_exercise(info.context.session, actor(info), **exercise_values(input))
        return Exercise.from_row(row)

    @mutation(description="Change an exercise of the library.")
    async def update_exercise(self, info: Ctx, id: strawberry.ID, input: UpdateExerciseInput) -> Exercise:
        row = await service.update_exercise(info.context.session, actor(info), parse_id(id), exercise_values(input))
        return Exercise.from_row(row)

    @mutation(description="Create a workout.")
    async def create_workout(self, info: Ctx, input: WorkoutInput) -> Workout:
        row = await service.create_workout(
            info.context.session,
            actor(info),
            name=input.name,
            kind=input.kind,
            draft=draft_of(input),
            description=input.description,
        )
        return Workout.from_row(row)

    @mutation(description="Replace a workout's name, kind and structure.")
    async def update_workout(self, info: Ctx, id: strawberry.ID, input: WorkoutInput) -> Workout:
        row = await service.update_workout(
            info.context.session,
            actor(info),
            parse_id(id),
            name=input.name,
            kind=input.kind,
            draft=draft_of(input),
            description=input.description,
        )
        return Workout.from_row(row)

    @mutation(description="Copy a workout: same kind, description and structure, under a new name.")
    async def duplicate_workout(
        self,
        info: Ctx,
        id: strawberry.ID,
        name: Annotated[str | None, strawberry.argument(description="Default: the name with ' (copy)'.")] = None,
    ) -> Workout:
        row = await service.duplicate_workout(info.context.session, actor(info), parse_id(id), name=name)
        return Workout.from_row(row)

    @mutation(description="Copy a template the caller sees into one of their own; its usage starts at zero.")
    async def duplicate_workout_template(
        self, info: Ctx, id: strawberry.ID, input: DuplicateWorkoutTemplateInput
    ) -> WorkoutTemplate:
        row = await service.duplicate_template(
            info.context.session,
            actor(info),
            parse_id(id),
            visibility=input.visibility,
            name=input.name,
            team_id=parse_id(input.team_id, field="teamId") if input.team_id is not None else None,
        )
        return WorkoutTemplate.from_row(row)

    @mutation(description="Change a template (its author or a club administrator).")
    async def update_workout_template(
        self, info: Ctx, id: strawberry.ID, input: UpdateWorkoutTemplateInput
    ) -> WorkoutTemplate:
        row = await service.update_template(info.context.session, actor(info), parse_id(id), template_changes(input))
        return WorkoutTemplate.from_row(row)

    @mutation(
        description="Delete a template (its author or a club administrator); workouts made from it stay. "
        "Returns its id."
    )
    async def delete_workout_template(self, info: Ctx, id: strawberry.ID) -> strawberry.ID:
        return to_id(await service.delete_template(info.context.session, actor(info), parse_id(id)))

    @mutation(description="Save a copy of a workout as a template.")
    async def save_workout_as_template(self, info: Ctx, input: SaveWorkoutTemplateInput) -> WorkoutTemplate:
        row = await service.save_as_template(
            info.context.session,
            actor(info),
            workout_id=parse_id(input.workout_id, field="workoutId"),
            visibility=input.visibility,
            name=input.name,
            team_id=parse_id(input.team_id, field="teamId") if input.team_id is not None else None,
        )
        return WorkoutTemplate.from_row(row)

    @mutation(description="Create a workout from a template.")
    async def create_workout_from_template(
        self,
        info: Ctx,
        template_id: strawberry.ID,
        name: Annotated[str | None, strawberry.argument(description="Default: the template's name.")] = None,
    ) -> Workout:
        row = await service.create_workout_from_template(
            info.context.session,
            actor(info),
            template_id=parse_id(template_id, field="templateId"),
            name=name,
        )
        return Workout.from_row(row)

    @mutation(
        description="Give a workout to players and/or a team (expanded to its active players now, or those at "
        "one position), once or recurring; each player's part is adapted to their medical restrictions. "
        "Returns the first occurrence (see WorkoutAssignment.series)."
    )
    async def assign_workout(self, info: Ctx, input: AssignWorkoutInput) -> WorkoutAssignment:
        row = await service.assign_workout(
            info.context.session,
            actor(info),
            workout_id=parse_id(input.workout_id, field="workoutId"),
            starts_on=input.starts_on,
            ends_on=input.ends_on,
            team_id=parse_id(input.team_id, field="teamId") if input.team_id is not None else None,
            player_ids=[parse_id(player, field="playerIds") for player in input.player_ids],
            load_modifiers=[
                (parse_id(one.player_id, field=f"loadModifiers[{index}].playerId"), one.percent)
                for index, one in enumerate(input.load_modifiers)
            ],
            note=input.note,
            override_reason=input.override_restriction.reason if input.override_restriction is not None else None,
            position=input.position,
            line=(input.line.line_type, input.line.unit) if input.line is not None else None,
            recurrence=input.recurrence.to_recurrence() if input.recurrence is not None else None,
            on_conflict=input.on_conflict,
        )
        return WorkoutAssignment.from_row(row)

    @mutation(
        description="Mark an assigned workout done, with the session's RPE (CR-10, 1-10), minutes and, "
        "optionally, what was actually done (the player themself, or the club's training staff)."
    )
    async def complete_assigned_workout(
        self,
        info: Ctx,
        id: strawberry.ID,
        rpe: Annotated[int | None, strawberry.argument(description="Perceived exertion, 1-10.")] = None,
        minutes: Annotated[int | None, strawberry.argument(description="How long it took.")] = None,
        completed_on: Annotated[date | None, strawberry.argument(description="Default today.")] = None,
        performance: Annotated[
            WorkoutPerformanceInput | None,
            strawberry.argument(
                description="What was actually done: per exercise, its sets; per agility drill, its timed attempts "
                "(see Player.drillHistory)."
            ),
        ] = None,
    ) -> AssignedWorkout:
        exercises = drafts_of(performance) if performance is not None else None
        drills = drill_drafts_of(performance) if performance is not None else []
        row = await service.complete_player_workout(
            info.context.session,
            actor(info),
            parse_id(id),
            rpe=rpe,
            minutes=minutes,
            completed_on=completed_on,
            # drills alone are a performance too: no exercises to report then
            performance=None if drills and not exercises else exercises,
        )
        if drills:
            # same transaction: a rejected drill report leaves the workout not completed
            await record_drill_attempts(info.context.session, row, drills)
        return AssignedWorkout.from_row(row)

    @mutation(description="Mark an assigned workout skipped.")
    async def skip_assigned_workout(
        self,
        info: Ctx,
        id: strawberry.ID,
        reason: Annotated[str | None, strawberry.argument(description="Why, for the trainer.")] = None,
    ) -> AssignedWorkout:
        row = await service.skip_player_workout(info.context.session, actor(info), parse_id(id), reason=reason)
        return AssignedWorkout.from_row(row)


__all__ = ["Mutation", "Query"]
