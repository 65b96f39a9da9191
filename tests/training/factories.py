"""Keyword-only async factories for the training service, writing through its service layer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from shared.auth.principal import Principal, Role
from shared.database import utcnow
from shared.database.kernel import outbox_events
from shared.roster import upsert_roster_entry
from subgraphs.training import content, service
from subgraphs.training.models import (
    AssignmentConflictChoice,
    Exercise,
    ExerciseCategory,
    ExerciseUnit,
    MuscleGroup,
    Workout,
    WorkoutAssignment,
    WorkoutKind,
)
from tests.support.principals import principal
from tests.support.services import RunningService

TODAY = date.today()  # noqa: DTZ011 (the service's calendar day)


@dataclass
class Club:
    """One club as the training service sees it: two teams with three active players each on the roster."""

    organization_id: uuid.UUID = field(default_factory=uuid.uuid4)
    senior_id: uuid.UUID = field(default_factory=uuid.uuid4)
    junior_id: uuid.UUID = field(default_factory=uuid.uuid4)
    senior_players: list[uuid.UUID] = field(default_factory=lambda: [uuid.uuid4() for _ in range(3)])
    junior_players: list[uuid.UUID] = field(default_factory=lambda: [uuid.uuid4() for _ in range(3)])

    def staff(self, role: Role, *teams: uuid.UUID) -> Principal:
        return principal(role, organization_id=self.organization_id, teams=teams or [self.senior_id])

    @property
    def trainer(self) -> Principal:
        return self.staff(Role.PHYSICAL_TRAINER, self.senior_id, self.junior_id)

    def player(self, player_id: uuid.UUID) -> Principal:
        return principal(Role.PLAYER, organization_id=self.organization_id, player_id=player_id)

    def parent(self, *children: uuid.UUID) -> Principal:
        return principal(Role.PARENT, organization_id=self.organization_id, children=children)


async def make_club(training: RunningService) -> Club:
    club = Club()
    async with training.runtime.sessions() as session, session.begin():
        for team_id, players in (
            (club.senior_id, club.senior_players),
            (club.junior_id, club.junior_players),
        ):
            for index, player_id in enumerate(players):
                await upsert_roster_entry(
                    session,
                    player_id=player_id,
                    organization_id=club.organization_id,
                    team_id=team_id,
                    first_name="Oskar",
                    last_name=f"Player {index}",
                    is_active=True,
                    occurred_at=utcnow(),
                )
    return club


async def add_to_roster(
    training: RunningService,
    *,
    player_id: uuid.UUID,
    organization_id: uuid.UUID,
    team_id: uuid.UUID | None,
    is_active: bool = True,
    last_name: str = "Lindqvist",
) -> None:
    async with training.runtime.sessions() as session, session.begin():
        await upsert_roster_entry(
            session,
            player_id=player_id,
            organization_id=organization_id,
            team_id=team_id,
            first_name="Oskar",
            last_name=last_name,
            is_active=is_active,
            occurred_at=utcnow(),
        )


async def make_exercise(
    training: RunningService,
    *,
    by: Principal,
    name: str = "Back Squat",
    category: ExerciseCategory = ExerciseCategory.STRENGTH,
    unit: ExerciseUnit = ExerciseUnit.KILOGRAMS,
    muscle_groups: tuple[MuscleGroup, ...] = (MuscleGroup.QUADRICEPS, MuscleGroup.GLUTES),
    equipment: tuple[str, ...] = ("barbell", "squat rack"),
    description: str | None = "High-bar, hips below parallel.",
) -> Exercise:
    async with training.runtime.sessions() as session, session.begin():
        return await service.create_exercise(
            session,
            by,
            name=name,
            category=category,
            unit=unit,
            muscle_groups=muscle_groups,
            equipment=equipment,
            description=description,
        )


async def make_strength_workout(
    training: RunningService, *, by: Principal, exercise: Exercise, name: str = "Lower body A"
) -> Workout:
    draft = content.WorkoutContent(
        exercises=(
            content.ExercisePrescription(
                exercise_id=exercise.id,
                sets=tuple(
                    content.WorkoutSet(reps=5, load_kg=100, tempo="3-1-1-0", rest_seconds=120) for _ in range(3)
                ),
            ),
        )
    )
    async with training.runtime.sessions() as session, session.begin():
        return await service.create_workout(session, by, name=name, kind=WorkoutKind.STRENGTH, draft=draft)


async def make_assignment(
    training: RunningService,
    *,
    by: Principal,
    workout: Workout,
    team_id: uuid.UUID | None = None,
    player_ids: tuple[uuid.UUID, ...] = (),
    starts_on: date = TODAY,
    days: int = 1,
    on_conflict: AssignmentConflictChoice | None = AssignmentConflictChoice.KEEP_BOTH,
) -> WorkoutAssignment:
    """Set-up: by default players keep what they already hold (tests of clashes pass None)."""
    async with training.runtime.sessions() as session, session.begin():
        return await service.assign_workout(
            session,
            by,
            workout_id=workout.id,
            starts_on=starts_on,
            ends_on=starts_on + timedelta(days=days - 1),
            team_id=team_id,
            player_ids=player_ids,
            on_conflict=on_conflict,
        )


async def outbox(training: RunningService) -> list[dict[str, Any]]:
    """The events written so far, oldest first, as (type, data) dicts."""
    async with training.runtime.sessions() as session:
        rows = await session.execute(select(outbox_events.c.type, outbox_events.c.data).order_by(outbox_events.c.seq))
        return [{"type": row.type, "data": row.data} for row in rows]
