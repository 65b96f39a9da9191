"""GraphQL types of the training service; each wraps a model (or a part of a workout's structure)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

import strawberry
from strawberry import Private

from shared import validation
from shared.errors import Forbidden, InvalidInput, not_found
from shared.graphql import Ctx, TeamReference, actor, parse_id, to_id
from subgraphs.training import content, loaders, models, permissions, service
from subgraphs.training.service.assignments import AssignmentLineType, AssignmentPosition
from subgraphs.training.types.compliance import (
    AssignmentLine,
    ComplianceReport,
    PlayerPrescription,
    RestrictionOverrideRequest,
    TrainingBlock,
    player_prescription,
)
from subgraphs.training.types.execution import DrillSessionProgress, ExerciseSessionProgress, PerformedExercise
from subgraphs.training.types.library import Exercise
from subgraphs.training.types.restrictions import RestrictionConflict, RestrictionOverride, TrainingRestriction
from subgraphs.training.types.structure import WorkoutStructure


@strawberry.type(description="A workout of the club: strength, conditioning, hybrid, agility, recovery or flexibility.")
class Workout(WorkoutStructure):
    id: strawberry.ID = strawberry.field(description="The workout's id.")
    name: str = strawberry.field(description="The workout's name.")
    description: str | None = strawberry.field(description="Purpose and instructions.")
    created_at: datetime = strawberry.field(description="When it was created.")
    updated_at: datetime = strawberry.field(description="When it was last changed.")
    template_id: Private[uuid.UUID | None]

    @classmethod
    def from_row(cls, row: models.Workout) -> Workout:
        return cls(
            id=to_id(row.id),
            name=row.name,
            kind=row.kind,
            description=row.description,
            created_at=row.created_at,
            updated_at=row.updated_at,
            document=content.from_document(row.content),
            template_id=row.template_id,
        )

    @strawberry.field(description="The template it was created from, when the caller may see it.")
    async def template(self, info: Ctx) -> WorkoutTemplate | None:
        if self.template_id is None:
            return None
        row = await loaders.templates(info).load(self.template_id)
        if row is None or not permissions.can_view_template(info.context.principal, row):
            return None
        return WorkoutTemplate.from_row(row)


@strawberry.type(description="A reusable workout structure; new workouts are created from it.")
class WorkoutTemplate(WorkoutStructure):
    id: strawberry.ID = strawberry.field(description="The template's id.")
    name: str = strawberry.field(description="The template's name.")
    description: str | None = strawberry.field(description="Purpose and instructions.")
    visibility: models.TemplateVisibility = strawberry.field(description="Who sees it.")
    created_at: datetime = strawberry.field(description="When it was saved.")
    usage_count: int = strawberry.field(description="How many workouts were created from it.")
    last_used_at: datetime | None = strawberry.field(description="When a workout was last created from it.")
    team_id: Private[uuid.UUID | None]

    @classmethod
    def from_row(cls, row: models.WorkoutTemplate) -> WorkoutTemplate:
        return cls(
            id=to_id(row.id),
            name=row.name,
            kind=row.kind,
            description=row.description,
            visibility=row.visibility,
            created_at=row.created_at,
            usage_count=row.usage_count,
            last_used_at=row.last_used_at,
            document=content.from_document(row.content),
            team_id=row.team_id,
        )

    @strawberry.field(description="The team it is shared with (TEAM visibility).")
    def team(self) -> TeamReference | None:
        return None if self.team_id is None else TeamReference.from_id(self.team_id)


@strawberry.type(description="One player's assigned workout: their load and whether they did it.")
class AssignedWorkout:
    id: strawberry.ID = strawberry.field(description="The id to complete or skip it by.")
    starts_on: date = strawberry.field(description="First day to do it.")
    ends_on: date = strawberry.field(description="Last day to do it.")
    load_modifier_percent: int = strawberry.field(description="The player's load, in percent of the prescription.")
    status: models.AssignmentStatus = strawberry.field(description="Assigned, completed or skipped.")
    completed_on: date | None = strawberry.field(description="The day the player did it.")
    rpe: int | None = strawberry.field(description="Rating of perceived exertion reported, 1-10.")
    minutes: int | None = strawberry.field(description="Minutes the session took, as reported.")
    skipped_reason: str | None = strawberry.field(description="Why it was skipped.")
    row: Private[models.PlayerWorkout]

    @classmethod
    def from_row(cls, row: models.PlayerWorkout) -> AssignedWorkout:
        return cls(
            id=to_id(row.id),
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            load_modifier_percent=row.load_modifier_percent,
            status=row.status,
            completed_on=row.completed_on,
            rpe=row.rpe,
            minutes=row.minutes,
            skipped_reason=row.skipped_reason,
            row=row,
        )

    @strawberry.field(description="Session load: minutes x RPE, when both were reported.")
    def load(self) -> int | None:
        if self.rpe is None or self.minutes is None:
            return None
        return self.rpe * self.minutes

    @strawberry.field(
        description="What the player actually did, per exercise in the order reported; empty when only "
        "RPE and minutes were reported, or when the caller may not see the player's training history "
        "(see Player.trainingHistory)."
    )
    async def performance(self, info: Ctx) -> list[PerformedExercise]:
        entry = await loaders.roster(info).load(self.row.player_id)
        team = entry.team_id if entry is not None else None
        principal = info.context.principal
        if not permissions.can_view_player_history(principal, self.row.player_id, self.row.organization_id, team):
            return []
        return PerformedExercise.group(await loaders.performed_sets(info).load(self.row.id))

    @strawberry.field(description="The player.")
    def player(self) -> Player:
        return Player(id=to_id(self.row.player_id))

    @strawberry.field(description="The workout to do.")
    async def workout(self, info: Ctx) -> Workout:
        row = await loaders.workouts(info).load(self.row.workout_id)
        if row is None:
            raise not_found("Workout", self.row.workout_id)
        return Workout.from_row(row)

    @strawberry.field(
        description="Medical restrictions in force that forbid this workout, oldest first; empty when none, "
        "or when the caller may not see the player's restrictions."
    )
    async def restriction_conflicts(self, info: Ctx) -> list[RestrictionConflict]:
        return await self._conflicts(info)

    @strawberry.field(
        description="The flag: true while a restriction in force forbids this workout, no adaptation makes it "
        "safe (compliance NOT_COMPLIANT) and the medical staff have not approved an override (see "
        "restrictionConflicts for the reasons). Adapted and exempt workouts are not flagged."
    )
    async def flagged_by_restriction(self, info: Ctx) -> bool:
        if self.row.compliance is not models.WorkoutCompliance.NOT_COMPLIANT:
            return False
        return any(not conflict.overridden for conflict in await self._conflicts(info))

    async def _conflicts(self, info: Ctx) -> list[RestrictionConflict]:
        principal = info.context.principal
        if not permissions.can_view_player_restrictions(principal, self.row.player_id, self.row.organization_id):
            return []
        rows = await loaders.restriction_conflicts(info).load(self.row.id)
        return [RestrictionConflict.from_rows(conflict, restriction) for conflict, restriction in rows]

    @strawberry.field(
        description="How the workout stands against the player's medical restrictions and how it was adapted; "
        "null when the caller may not see the player's restrictions (the player, a minor's parents and the "
        "club's coaching, training and medical staff may)."
    )
    def compliance(self, info: Ctx) -> ComplianceReport | None:
        principal = info.context.principal
        if not permissions.can_view_player_restrictions(principal, self.row.player_id, self.row.organization_id):
            return None
        return ComplianceReport.of(self.row)

    @strawberry.field(
        description="What the player is to do: the workout at their load modifier and adapted to their "
        "restrictions (loads to 0.5 kg)."
    )
    async def prescription(self, info: Ctx) -> PlayerPrescription:
        row = await loaders.workouts(info).load(self.row.workout_id)
        if row is None:
            raise not_found("Workout", self.row.workout_id)
        block = await loaders.training_blocks(info).load((self.row.organization_id, self.row.starts_on))
        return player_prescription(self.row, row, block)

    @strawberry.field(
        description="The season's training block in force on the first day, whose intensity sets the load target "
        "of the prescription; null when planning has none then."
    )
    async def training_block(self, info: Ctx) -> TrainingBlock | None:
        block = await loaders.training_blocks(info).load((self.row.organization_id, self.row.starts_on))
        return None if block is None else TrainingBlock.of(block)

    @strawberry.field(
        description="The request to override the player's restrictions for this workout and the medical "
        "staff's decision, if one was needed; null otherwise or when the caller may not see the restrictions."
    )
    async def restriction_override(self, info: Ctx) -> RestrictionOverrideRequest | None:
        principal = info.context.principal
        if not permissions.can_view_player_restrictions(principal, self.row.player_id, self.row.organization_id):
            return None
        request = await loaders.override_requests(info).load(self.row.id)
        return None if request is None else RestrictionOverrideRequest.from_row(request)

    @strawberry.field(description="The assignment it is part of.")
    async def assignment(self, info: Ctx) -> WorkoutAssignment:
        row = await loaders.assignments(info).load(self.row.assignment_id)
        if row is None:
            raise not_found("WorkoutAssignment", self.row.assignment_id)
        return WorkoutAssignment.from_row(row)


@strawberry.type(description="A workout given to players and/or a team for a day or a date range.")
class WorkoutAssignment:
    id: strawberry.ID = strawberry.field(description="The assignment's id.")
    starts_on: date = strawberry.field(description="First day.")
    ends_on: date = strawberry.field(description="Last day.")
    note: str | None = strawberry.field(description="Instructions for the players.")
    assigned_at: datetime = strawberry.field(description="When it was assigned.")
    row: Private[models.WorkoutAssignment]

    @classmethod
    def from_row(cls, row: models.WorkoutAssignment) -> WorkoutAssignment:
        return cls(
            id=to_id(row.id),
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            note=row.note,
            assigned_at=row.created_at,
            row=row,
        )

    @strawberry.field(description="The team it was given to, if one; its roster was expanded at that time.")
    def team(self) -> TeamReference | None:
        return None if self.row.team_id is None else TeamReference.from_id(self.row.team_id)

    @strawberry.field(description="The line of the team's latest lineup it was given to, if one.")
    def line(self) -> AssignmentLine | None:
        if self.row.target_line_type is None or self.row.target_line_unit is None:
            return None
        return AssignmentLine(line_type=AssignmentLineType(self.row.target_line_type), unit=self.row.target_line_unit)

    @strawberry.field(description="The position of the team's players it was given to, if one.")
    def position(self) -> AssignmentPosition | None:
        return None if self.row.target_position is None else AssignmentPosition(self.row.target_position)

    @strawberry.field(
        description="Every occurrence of the recurring assignment this one belongs to, by start (itself alone "
        "when it does not recur)."
    )
    async def series(self, info: Ctx) -> list[WorkoutAssignment]:
        if self.row.series_id is None:
            return [self]
        rows = await service.assignments_of_series(info.context.session, self.row.series_id)
        return [WorkoutAssignment.from_row(row) for row in rows]

    @strawberry.field(description="The workout.")
    async def workout(self, info: Ctx) -> Workout:
        row = await loaders.workouts(info).load(self.row.workout_id)
        if row is None:
            raise not_found("Workout", self.row.workout_id)
        return Workout.from_row(row)

    @strawberry.field(
        description="Who assigned it despite players' medical restrictions, when and why; null when no "
        "restriction had to be overridden."
    )
    def restriction_override(self) -> RestrictionOverride | None:
        return RestrictionOverride.of(self.row)

    @strawberry.field(description="Each player's part; a player or parent sees only their own or their children's.")
    async def players(self, info: Ctx) -> list[AssignedWorkout]:
        principal = info.context.principal
        rows = await loaders.players_of_assignment(info).load(self.row.id)
        return [AssignedWorkout.from_row(row) for row in rows if permissions.can_view_player_workout(principal, row)]


@strawberry.federation.type(
    keys=["id"],
    description="A player on the club's roster; the training service adds their assigned workouts.",
)
class Player:
    id: strawberry.ID = strawberry.field(description="The player's id.")

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Player:
        parse_id(id)  # a malformed id fails this representation alone
        return cls(id=id)

    @strawberry.field(
        description="Workouts assigned to the player overlapping [from, to], by start: for the club's "
        "staff, the player and their parents; anyone else gets a FORBIDDEN error on this field."
    )
    async def assigned_workouts(
        self,
        info: Ctx,
        from_: Annotated[date | None, strawberry.argument(name="from", description="First day.")] = None,
        to: Annotated[date | None, strawberry.argument(description="Last day.")] = None,
        status: Annotated[
            models.AssignmentStatus | None, strawberry.argument(description="Only workouts in this status.")
        ] = None,
    ) -> list[AssignedWorkout] | None:
        principal, player_id = actor(info), parse_id(self.id)
        if not permissions.can_view_player_training(principal, player_id, principal.organization_id):
            raise Forbidden("a player's training is for the club's staff, the player and their parents")
        loader = loaders.workouts_of_player(
            info, organization_id=service.organization_of(principal), start=from_, end=to, status=status
        )
        return [AssignedWorkout.from_row(row) for row in await loader.load(player_id)]

    @strawberry.field(
        description="The player's restrictions from the medical staff in force today or later, by start, as "
        "a trainer may see them (no diagnosis or note): for the club's coaching, training and medical "
        "staff, the player and a minor's parents; anyone else gets a FORBIDDEN error on this field."
    )
    async def training_restrictions(self, info: Ctx) -> list[TrainingRestriction] | None:
        principal, player_id = actor(info), parse_id(self.id)
        if not permissions.can_view_player_restrictions(principal, player_id, principal.organization_id):
            raise Forbidden("a player's restrictions are for the club's staff, the player and a minor's parents")
        loader = loaders.restrictions_of_player(
            info, organization_id=service.organization_of(principal), on_or_after=service.today()
        )
        return [TrainingRestriction.from_row(row) for row in await loader.load(player_id)]

    async def _check_history(self, info: Ctx) -> uuid.UUID:
        principal, player_id = actor(info), parse_id(self.id)
        entry = await loaders.roster(info).load(player_id)
        organization, team = (entry.organization_id, entry.team_id) if entry is not None else (None, None)
        if not permissions.can_view_player_history(principal, player_id, organization, team):
            raise Forbidden("a player's training history is for the player, a minor's parents and their team's staff")
        return player_id

    @strawberry.field(
        description="The workouts the player completed in [from, to] (by the day done), oldest first, with "
        "what they actually did: for the player, a minor's parents, the staff of the player's team and "
        "the club's administrators; anyone else gets a FORBIDDEN error on this field."
    )
    async def training_history(
        self,
        info: Ctx,
        from_: Annotated[date | None, strawberry.argument(name="from", description="First day.")] = None,
        to: Annotated[date | None, strawberry.argument(description="Last day.")] = None,
    ) -> list[AssignedWorkout] | None:
        player_id = await self._check_history(info)
        if from_ is not None and to is not None:
            validation.date_range(from_, to, field="to")
            if (to - from_).days > service.MAX_LISTED_DAYS:
                raise InvalidInput(f"ask for at most {service.MAX_LISTED_DAYS} days at once", field="to")
        loader = loaders.history_of_player(
            info, organization_id=service.organization_of(actor(info)), start=from_, end=to
        )
        return [AssignedWorkout.from_row(row) for row in await loader.load(player_id)]

    @strawberry.field(
        description="Per session in which the player did the exercise, oldest first: the best set's "
        "estimated one-rep max (Epley: load x (1 + reps / 30)), the volume (sum of reps x load) and the "
        "session's training load (minutes x RPE). Visible as trainingHistory."
    )
    async def exercise_progress(
        self,
        info: Ctx,
        exercise_id: Annotated[strawberry.ID, strawberry.argument(description="A library exercise.")],
    ) -> list[ExerciseSessionProgress] | None:
        player_id = await self._check_history(info)
        loader = loaders.exercise_sets_of_player(
            info,
            organization_id=service.organization_of(actor(info)),
            exercise_id=parse_id(exercise_id, field="exerciseId"),
        )
        return ExerciseSessionProgress.of_sessions(await loader.load(player_id))

    @strawberry.field(
        description="Per session in which the player did a drill of this name (case ignored), oldest first: "
        "the prescription then, the timed attempts with their errors, and the best counted time. Visible as "
        "trainingHistory."
    )
    async def drill_history(
        self,
        info: Ctx,
        drill: Annotated[str, strawberry.argument(description="The drill's name, e.g. 'Pro agility 5-10-5'.")],
    ) -> list[DrillSessionProgress] | None:
        player_id = await self._check_history(info)
        return await DrillSessionProgress.of_player(
            info, player_id, drill=drill, organization_id=service.organization_of(actor(info))
        )


__all__ = [
    "AssignedWorkout",
    "DrillSessionProgress",
    "Exercise",
    "ExerciseSessionProgress",
    "PerformedExercise",
    "Player",
    "RestrictionConflict",
    "RestrictionOverride",
    "TrainingRestriction",
    "Workout",
    "WorkoutAssignment",
    "WorkoutStructure",
    "WorkoutTemplate",
]
